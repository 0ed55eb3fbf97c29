/**
 * One interactive figure (plotly, loaded on first use) with PNG and SVG export.
 * Figures draw one after another with a pause between them, so a page of
 * plots never blocks the UI in one long task.
 */
import { useEffect, useRef, useState } from 'react';
import type { PlotLayout, PlotTrace } from 'plotly.js-dist-min';

type PlotlyModule = typeof import('plotly.js-dist-min').default;
let plotly: Promise<PlotlyModule> | null = null;
const loadPlotly = () => (plotly ??= import('plotly.js-dist-min').then((m) => m.default));

let queue: Promise<void> = Promise.resolve();
const pause = () => new Promise<void>((r) => setTimeout(r, 16));

const BASE_LAYOUT: PlotLayout = {
  margin: { l: 56, r: 12, t: 36, b: 44 },
  paper_bgcolor: '#161a20',
  plot_bgcolor: '#161a20',
  font: { color: '#d9dee5', size: 11 },
  legend: { font: { size: 10 } },
  height: 320,
};

export interface PlotProps {
  /** Accessible name, e.g. "ROC curve". */
  label: string;
  title: string;
  /** Export file name without extension. */
  file: string;
  data: PlotTrace[];
  layout?: PlotLayout;
}

export function Plot({ label, title, file, data, layout }: PlotProps) {
  const el = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    const target = el.current;
    queue = queue.then(async () => {
      if (!alive || !target) return;
      try {
        const P = await loadPlotly();
        await pause();
        if (!alive) return;
        const grid = { gridcolor: '#2a313b', zerolinecolor: '#3a424e' };
        await P.newPlot(
          target,
          data,
          { ...BASE_LAYOUT, ...layout, title: { text: title }, xaxis: { ...grid, ...layout?.xaxis }, yaxis: { ...grid, ...layout?.yaxis } },
          { displaylogo: false, responsive: true, toImageButtonOptions: { filename: file } },
        );
        if (alive) setReady(true);
      } catch (e) {
        if (alive) setError(e instanceof Error ? e.message : String(e));
      }
      await pause();
    });
    return () => {
      alive = false;
      if (target) void loadPlotly().then((P) => P.purge(target));
    };
  }, [data, layout, title, file]);
  const save = (format: 'png' | 'svg') => {
    if (el.current) void loadPlotly().then((P) => P.downloadImage(el.current!, { format, filename: file, width: 800, height: 560 }));
  };
  return (
    <figure className="plot">
      <div ref={el} role="figure" aria-label={label} className="plot-area" data-ready={ready ? 'true' : 'false'} />
      {error && <figcaption className="settings-error">{error}</figcaption>}
      <div className="plot-tools">
        <button type="button" disabled={!ready} onClick={() => save('png')} aria-label={`${title}: download PNG`}>
          PNG
        </button>
        <button type="button" disabled={!ready} onClick={() => save('svg')} aria-label={`${title}: download SVG`}>
          SVG
        </button>
      </div>
    </figure>
  );
}
