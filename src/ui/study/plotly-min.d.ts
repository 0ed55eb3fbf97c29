/** The part of plotly.js the results use (plotly.js-basic-dist-min: scatter and bar traces, core components; ships no types). */
declare module 'plotly.js-basic-dist-min' {
  export interface PlotTrace {
    x: number[] | string[];
    y: number[];
    name?: string;
    type?: 'scatter' | 'bar';
    mode?: 'lines' | 'markers' | 'lines+markers';
    line?: { dash?: string; color?: string; width?: number };
    error_y?: { type: 'data'; array: number[]; visible: boolean };
  }
  export interface PlotLayout {
    title?: { text: string };
    xaxis?: Record<string, unknown>;
    yaxis?: Record<string, unknown>;
    barmode?: 'group' | 'stack';
    margin?: { l?: number; r?: number; t?: number; b?: number };
    paper_bgcolor?: string;
    plot_bgcolor?: string;
    font?: Record<string, unknown>;
    legend?: Record<string, unknown>;
    shapes?: Record<string, unknown>[];
    height?: number;
  }
  export function newPlot(el: HTMLElement, data: PlotTrace[], layout: PlotLayout, config?: Record<string, unknown>): Promise<HTMLElement>;
  export function purge(el: HTMLElement): void;
  export function downloadImage(el: HTMLElement, opts: { format: 'png' | 'svg'; filename: string; width?: number; height?: number }): Promise<string>;
  export function toImage(el: HTMLElement, opts: { format: 'png' | 'svg'; width?: number; height?: number }): Promise<string>;
  const Plotly: { newPlot: typeof newPlot; purge: typeof purge; downloadImage: typeof downloadImage; toImage: typeof toImage };
  export default Plotly;
}
