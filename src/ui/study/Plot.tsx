/**
 * One result figure: drawn at once as a static SVG (the report's chart
 * writer, a few milliseconds), upgraded to an interactive plotly figure
 * (zoom, hover values) when the user asks for it. plotly's basic bundle
 * (scatter and bar, 1.2 MB; the full 4.7 MB bundle took 1–2.7 s) still loads
 * in one task of 100–300 ms in the e2e browser, so it never loads by itself:
 * a page of results never freezes the UI. Once plotly is loaded, each further
 * figure is drawn in a task of its own, one after another.
 * PNG and SVG export what is shown: the static figure, or plotly's.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PlotLayout, PlotTrace } from 'plotly.js-basic-dist-min';
import { staticFigureSvg } from './static-figure.js';

type PlotlyModule = typeof import('plotly.js-basic-dist-min').default;
let plotly: Promise<PlotlyModule> | null = null;
const loadPlotly = () => (plotly ??= import('plotly.js-basic-dist-min').then((m) => m.default));

let queue: Promise<void> = Promise.resolve();
/** A macrotask boundary (and a frame for the browser to paint) between plotly steps. */
const pause = () => new Promise<void>((r) => setTimeout(r, 16));

/** Light "paper" look, like the static figures and the report. */
const BASE_LAYOUT: PlotLayout = {
  margin: { l: 56, r: 12, t: 36, b: 44 },
  paper_bgcolor: '#ffffff',
  plot_bgcolor: '#ffffff',
  font: { color: '#222222', size: 11 },
  legend: { font: { size: 10 } },
  height: 360,
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

function saveBlob(blob: Blob, name: string): void {
  const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The static SVG rasterised at twice its size. */
async function svgToPng(src: string): Promise<Blob> {
  const img = new Image();
  img.src = src;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth * 2;
  canvas.height = img.naturalHeight * 2;
  canvas.getContext('2d')!.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}

export function Plot({ label, title, file, data, layout }: PlotProps) {
  const el = useRef<HTMLDivElement>(null);
  const svg = useMemo(() => staticFigureSvg(data, layout, title, label), [data, layout, title, label]);
  const src = useMemo(() => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, [svg]);
  const [shown, setShown] = useState<string | null>(null);
  const [wanted, setWanted] = useState(false);
  const [drawn, setDrawn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let alive = true;
    const target = el.current;
    queue = queue.then(async () => {
      if (!alive || !target) return;
      try {
        const P = await loadPlotly();
        await pause();
        if (!alive) return;
        const grid = { gridcolor: '#e6e6e6', zerolinecolor: '#bbbbbb' };
        await P.newPlot(
          target,
          data,
          { ...BASE_LAYOUT, ...layout, title: { text: title }, xaxis: { ...grid, ...layout?.xaxis }, yaxis: { ...grid, ...layout?.yaxis } },
          { displaylogo: false, responsive: true, toImageButtonOptions: { filename: file } },
        );
        if (alive) setDrawn(true);
      } catch (e) {
        if (alive) setError(e instanceof Error ? e.message : String(e));
      }
      await pause();
    });
    return () => {
      alive = false;
      setDrawn(false);
      if (target) void loadPlotly().then((P) => P.purge(target));
    };
  }, [wanted, data, layout, title, file]);
  const save = (format: 'png' | 'svg') => {
    const name = `${file}.${format}`;
    if (drawn && el.current) {
      const target = el.current;
      void loadPlotly().then((P) => P.downloadImage(target, { format, filename: file, width: 800, height: 560 }));
    } else if (format === 'svg') {
      saveBlob(new Blob([svg], { type: 'image/svg+xml' }), name);
    } else {
      svgToPng(src).then(
        (png) => saveBlob(png, name),
        (e: unknown) => setError(`${name}: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
  };
  const ready = drawn || shown === src;
  return (
    <figure className="plot">
      <div role="figure" aria-label={label} className="plot-area" data-ready={ready ? 'true' : 'false'} data-interactive={drawn ? 'true' : 'false'}>
        {!drawn && <img src={src} alt={title} style={{ display: 'block', width: '100%', height: 'auto' }} onLoad={() => setShown(src)} />}
        <div ref={el} hidden={!wanted} />
      </div>
      {error && <figcaption className="settings-error">{error}</figcaption>}
      <div className="plot-tools">
        <button type="button" disabled={wanted} onClick={() => setWanted(true)} aria-label={`${title}: interactive`} title="Zoom, pan and read values (loads the plotting library the first time, about a second)">
          {wanted && !drawn ? 'loading…' : 'Interactive'}
        </button>
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
