/**
 * The static figures shown before (or instead of) plotly: the SVG must carry
 * the traces' data where plotly would draw it. Positions are checked against
 * the chart writer's own mapping (plot box from the SVG's frame rectangle).
 */
import { describe, expect, it } from 'vitest';
import type { PlotTrace } from 'plotly.js-basic-dist-min';
import { staticFigureSvg } from '../../src/ui/study/static-figure.js';

const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
const all = (svg: string, el: string) => [...svg.matchAll(new RegExp(`<${el}\\b[^>]*>`, 'g'))].map((m) => attrs(m[0]));

/** The plot box: the unfilled rectangle with the dark frame. */
function frame(svg: string) {
  const r = all(svg, 'rect').find((a) => a.fill === 'none' && a.stroke === '#333')!;
  return { x: +r.x!, y: +r.y!, w: +r.width!, h: +r.height! };
}

describe('staticFigureSvg', () => {
  it('draws line traces at their data coordinates within the layout ranges, with dashes and ±error bands', () => {
    const roc: PlotTrace[] = [
      { x: [0, 0.25, 1], y: [0, 0.75, 1], name: 'SVM (AUC 0.812)', mode: 'lines' },
      { x: [0, 1], y: [0, 1], name: 'chance', mode: 'lines', line: { dash: 'dot', color: '#777' } },
    ];
    const svg = staticFigureSvg(roc, { xaxis: { range: [0, 1], title: { text: '1 − specificity' } }, yaxis: { range: [0, 1], title: { text: 'sensitivity' } } }, 'ROC curve — validation', 'ROC curve');
    expect(svg).toContain('aria-label="ROC curve"');
    expect(svg).toContain('>ROC curve — validation<');
    expect(svg).toContain('>1 − specificity<');
    expect(svg).toContain('>SVM (AUC 0.812)<');
    const f = frame(svg);
    const lines = all(svg, 'polyline');
    expect(lines).toHaveLength(2);
    const pts = lines[0]!.points!.split(' ').map((p) => p.split(',').map(Number));
    // (0.25, 0.75) in a [0, 1] × [0, 1] box.
    expect(pts[1]![0]).toBeCloseTo(f.x + 0.25 * f.w, 1);
    expect(pts[1]![1]).toBeCloseTo(f.y + f.h - 0.75 * f.h, 1);
    expect(lines[1]!.stroke).toBe('#777');
    expect(lines[1]!['stroke-dasharray']).toBeDefined();
    expect(lines[0]!['stroke-dasharray']).toBeUndefined();
    // plotly's first default colour, as in the interactive figure.
    expect(lines[0]!.stroke).toBe('#1f77b4');

    const cv: PlotTrace[] = [{ x: [-3, -2, -1], y: [1.2, 1.0, 1.1], name: 'CV deviance', mode: 'lines+markers', error_y: { type: 'data', array: [0.1, 0.2, 0.1], visible: true } }];
    const svgCv = staticFigureSvg(cv, { shapes: [{ type: 'line', x0: -2, x1: -2, yref: 'paper', y0: 0, y1: 1 }] }, 'LASSO CV', 'LASSO CV curve');
    expect(all(svgCv, 'circle')).toHaveLength(3);
    const bands = all(svgCv, 'polyline');
    expect(bands).toHaveLength(3);
    expect(svgCv).toContain('>CV deviance +1 SE<');
    expect(new Set(bands.map((b) => b.stroke)).size).toBe(1);
    // The upper band is 0.2 above the curve at x = −2: in pixels, 0.2 of the y extent (lower band 0.8 … upper band 1.3).
    const y = (a: Record<string, string>) => a.points!.split(' ').map((p) => Number(p.split(',')[1]));
    const fc = frame(svgCv);
    expect(y(bands[0]!)[1]! - y(bands[1]!)[1]!).toBeCloseTo((0.2 / 0.5) * fc.h, 1);
    // The chosen λ: a vertical marker at x = −2 (the middle of −3 … −1).
    const marker = all(svgCv, 'line').find((a) => a['stroke-dasharray'] === '2 2')!;
    expect(+marker.x1!).toBeCloseTo(fc.x + fc.w / 2, 1);
    expect(marker.x1).toBe(marker.x2);
  });

  it('draws an all-bar figure as grouped bars: one group per trace, one band per category, heights to scale', () => {
    const bars: PlotTrace[] = [
      { type: 'bar', x: ['T2WI', 'CE-T1WI'], y: [4, 2], name: 'Hab1' },
      { type: 'bar', x: ['CE-T1WI'], y: [8], name: 'Hab2' },
    ];
    const svg = staticFigureSvg(bars, { barmode: 'stack', yaxis: { title: { text: 'cm³' } } }, 'Mean habitat volume (cm³)', 'Habitat volumes');
    const rects = all(svg, 'rect').filter((a) => a.fill !== 'none' && a.fill !== '#fff' && a.height !== '10');
    // Hab2 has no T2WI value: three bars.
    expect(rects).toHaveLength(3);
    const h = rects.map((r) => +r.height!);
    expect(h[1]! / h[0]!).toBeCloseTo(0.5, 2);
    expect(h[2]! / h[0]!).toBeCloseTo(2, 2);
    expect(svg).toContain('>T2WI<');
    expect(svg).toContain('>Hab2<');
    expect(svg).toContain('<title>Hab2 CE-T1WI: 8</title>');
  });

  it('escapes names: a trace name cannot inject markup', () => {
    const svg = staticFigureSvg([{ x: [0, 1], y: [0, 1], name: '<script>x</script>', mode: 'lines' }], undefined, 'a & b', 'L');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('>a &amp; b<');
  });
});
