/**
 * A result figure's traces (the plotly description the interactive figure
 * uses) as a static SVG drawn by the report's chart writer
 * (core/report/svg-chart): a few milliseconds per figure, so a page of
 * results appears without the second-long task of loading plotly.
 * Line traces become line series (dashes, markers, colours, ±error bands,
 * the layout's axis ranges, titles and a vertical marker shape are kept);
 * an all-bar figure becomes a grouped bar chart (stacked and log axes are
 * drawn grouped and linear).
 */
import type { PlotLayout, PlotTrace } from 'plotly.js-basic-dist-min';
import { barChartSvg, lineChartSvg, type Series } from '../../core/index.js';

/** plotly's default trace colours, in its order: the static and the interactive figure colour each trace alike. */
const COLORWAY = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const traceColour = (t: PlotTrace, i: number) => t.line?.color ?? COLORWAY[i % COLORWAY.length];

const axisTitle = (axis: Record<string, unknown> | undefined): string => {
  const t = axis?.title;
  return typeof t === 'string' ? t : t && typeof t === 'object' && 'text' in t && typeof t.text === 'string' ? t.text : '';
};

const axisRange = (axis: Record<string, unknown> | undefined): [number, number] | undefined => {
  const r = axis?.range;
  return Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === 'number' && Number.isFinite(v)) && r[1] > r[0] ? [r[0], r[1]] : undefined;
};

function lineSeries(t: PlotTrace, i: number): Series[] {
  const x = t.x.map(Number);
  const dashed = !!t.line?.dash && t.line.dash !== 'solid';
  const style: Series['style'] = t.mode === 'markers' ? 'markers' : t.mode === 'lines+markers' ? 'line+markers' : dashed ? 'dashed' : 'solid';
  const colour = traceColour(t, i);
  const out: Series[] = [{ name: t.name ?? '', x, y: t.y, style, colour }];
  const err = t.error_y;
  if (err?.visible && err.array.length === t.y.length) {
    // Same lengths (checked above); a point without its error would be a gap (NaN) in the band.
    out.push({ name: `${t.name ?? ''} +1 SE`, x, y: t.y.map((v, i) => v + (err.array[i] ?? NaN)), style: 'dashed', colour });
    out.push({ name: `${t.name ?? ''} −1 SE`, x, y: t.y.map((v, i) => v - (err.array[i] ?? NaN)), style: 'dashed', colour });
  }
  return out;
}

/** The figure as a standalone SVG document (white background, like the report's figures). */
export function staticFigureSvg(data: PlotTrace[], layout: PlotLayout | undefined, title: string, label: string): string {
  const xLabel = axisTitle(layout?.xaxis);
  const yLabel = axisTitle(layout?.yaxis);
  if (data.length > 0 && data.every((t) => t.type === 'bar')) {
    const categories = [...new Set(data.flatMap((t) => t.x.map(String)))];
    const groups = data.map((t, i) => {
      const xs = t.x.map(String);
      // A category this trace has no bar for is NaN (no bar).
      return { name: t.name ?? '', colour: traceColour(t, i), values: categories.map((c) => t.y[xs.indexOf(c)] ?? NaN) };
    });
    // barChartSvg puts the legend in one row, 110 px per group.
    return barChartSvg(categories, groups, { title, label, xLabel, yLabel, width: Math.max(520, 64 + 110 * groups.length + 16) });
  }
  const series = data.flatMap((t, i) => (t.type === 'bar' ? [] : lineSeries(t, i)));
  const mark = layout?.shapes?.find((s) => s.type === 'line' && typeof s.x0 === 'number' && s.x0 === s.x1);
  return lineChartSvg(series, {
    title,
    label,
    xLabel,
    yLabel,
    xRange: axisRange(layout?.xaxis),
    yRange: axisRange(layout?.yaxis),
    markX: typeof mark?.x0 === 'number' ? mark.x0 : undefined,
    // The legend takes 16 px per series below the plot: keep the plot itself at least ~250 px high.
    height: Math.max(400, 340 + 16 * series.length),
  });
}
