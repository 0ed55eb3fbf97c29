import { describe, it, expect } from 'vitest';
import { lineChartSvg, barChartSvg, niceTicks, escapeXml } from '../../src/core/report/svg-chart.js';

describe('SVG charts', () => {
  it('chooses 1-2-5 ticks covering the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1, 8, 4)).toEqual([2, 4, 6, 8]);
    expect(niceTicks(-3.2, 7.9)).toEqual([-2, 0, 2, 4, 6]);
  });

  it('draws a labelled ROC chart with one polyline per series, points mapped into the plot area', () => {
    const svg = lineChartSvg(
      [{ name: 'Model A (AUC 0.80)', x: [0, 0.2, 1], y: [0, 0.7, 1] }, { name: 'B & <C>', x: [0, 1], y: [0, 1], style: 'dashed' }],
      { title: 'ROC curve', xLabel: '1 − specificity', yLabel: 'Sensitivity', xRange: [0, 1], yRange: [0, 1], diagonal: true, width: 500, height: 400 },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('aria-label="ROC curve"');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('B &amp; &lt;C&gt;');
    // (0,0) maps to the bottom-left corner of the plot area: x = left margin 64
    const first = /points="([^"]+)"/.exec(svg)![1]!.split(' ')[0]!.split(',').map(Number);
    expect(first[0]).toBeCloseTo(64, 6);
    const pts = /points="([^"]+)"/.exec(svg)![1]!.split(' ').map((p) => p.split(',').map(Number));
    expect(pts[2]![1]).toBeLessThan(pts[0]![1]!); // y grows upwards
  });

  it('skips non-finite points and draws bars', () => {
    const svg = lineChartSvg([{ name: 's', x: [0, 1, 2], y: [1, NaN, 3] }], { title: 't', xLabel: 'x', yLabel: 'y' });
    expect(/points="([^"]+)"/.exec(svg)![1]!.split(' ')).toHaveLength(2);
    const bars = barChartSvg(['a', 'b'], [{ name: 'n', values: [3, 5] }], { title: 'Funnel', xLabel: '', yLabel: 'features' });
    expect(bars.match(/<rect x=/g)!.length).toBeGreaterThanOrEqual(3);
    expect(escapeXml('"x"')).toBe('&quot;x&quot;');
  });
});
