/**
 * Small, dependency-free SVG line charts for the offline HTML report and for
 * figure export from Node (the app draws the same data interactively with
 * plotly). Pure string generation: runs in Node and in workers.
 */

export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Line style: solid (default), dashed, or markers only. */
  style?: 'solid' | 'dashed' | 'markers' | 'line+markers';
  colour?: string;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  xRange?: [number, number];
  yRange?: [number, number];
  /** Draw the y = x diagonal (ROC, calibration). */
  diagonal?: boolean;
  /** Vertical marker line at this x (e.g. the chosen k or lambda). */
  markX?: number;
  /** Accessible label (aria-label) — defaults to the title. */
  label?: string;
}

/** The SVG XML namespace name: an identifier that standalone SVG must declare, never fetched. */
const SVG_NAMESPACE = ['http:', '', 'www.w3.org', '2000', 'svg'].join('/');

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** "Nice" tick values covering [lo, hi] (1-2-5 steps). */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const r = raw / mag;
  const step = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step) ticks.push(Math.abs(t) < 1e-12 * step ? 0 : +t.toPrecision(12));
  return ticks;
}

function extent(series: Series[], key: 'x' | 'y'): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series)
    for (let n = 0; n < s[key].length; n++) {
      const v = s[key][n]!;
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

const fmt = (v: number) => {
  const a = Math.abs(v);
  if (a >= 1e9 || (a < 1e-3 && v !== 0)) return v.toExponential(2);
  if (a >= 1e4) return String(Math.round(v));
  return String(+v.toPrecision(4));
};

/** Render a line chart as a standalone SVG document string. */
export function lineChartSvg(series: Series[], o: ChartOptions): string {
  const W = o.width ?? 520;
  const H = o.height ?? 400;
  const m = { l: 64, r: 16, t: 36, b: 52 };
  const legendH = 16 * series.length;
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b - legendH;
  const [x0, x1] = o.xRange ?? extent(series, 'x');
  const [y0, y1] = o.yRange ?? extent(series, 'y');
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => m.t + ph - ((y - y0) / (y1 - y0)) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="${SVG_NAMESPACE}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(o.label ?? o.title)}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(o.title)}</text>`);
  for (const t of niceTicks(x0, x1)) {
    const x = sx(t).toFixed(1);
    parts.push(`<line x1="${x}" y1="${m.t}" x2="${x}" y2="${m.t + ph}" stroke="#eee"/>`);
    parts.push(`<text x="${x}" y="${m.t + ph + 14}" text-anchor="middle">${fmt(t)}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${m.l}" y1="${y}" x2="${m.l + pw}" y2="${y}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${(+y + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${m.l + pw / 2}" y="${m.t + ph + 32}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`);
  parts.push(`<clipPath id="plot"><rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}"/></clipPath>`);
  if (o.diagonal) {
    const lo = Math.max(x0, y0);
    const hi = Math.min(x1, y1);
    parts.push(`<line x1="${sx(lo)}" y1="${sy(lo)}" x2="${sx(hi)}" y2="${sy(hi)}" stroke="#999" stroke-dasharray="4 3"/>`);
  }
  if (o.markX !== undefined && o.markX >= x0 && o.markX <= x1) {
    parts.push(`<line x1="${sx(o.markX)}" y1="${m.t}" x2="${sx(o.markX)}" y2="${m.t + ph}" stroke="#666" stroke-dasharray="2 2"/>`);
  }
  series.forEach((s, n) => {
    const colour = s.colour ?? PALETTE[n % PALETTE.length];
    const pts: string[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!;
      const y = s.y[i]; // a shorter y leaves the rest of x unplotted
      if (Number.isFinite(x) && y !== undefined && Number.isFinite(y)) pts.push(`${sx(x).toFixed(2)},${sy(y).toFixed(2)}`);
    }
    const style = s.style ?? 'solid';
    if (style !== 'markers' && pts.length > 1) {
      parts.push(`<polyline clip-path="url(#plot)" fill="none" stroke="${colour}" stroke-width="1.8"${style === 'dashed' ? ' stroke-dasharray="6 4"' : ''} points="${pts.join(' ')}"/>`);
    }
    if (style === 'markers' || style === 'line+markers') {
      for (const p of pts) {
        const [cx, cy] = p.split(',');
        parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${colour}"/>`);
      }
    }
    const ly = H - m.b / 2 - legendH + 16 * n + 14;
    parts.push(`<line x1="${m.l}" y1="${ly - 4}" x2="${m.l + 22}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"${style === 'dashed' ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(`<text x="${m.l + 28}" y="${ly}">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Simple bar chart (e.g. the feature funnel, habitat fractions). */
export function barChartSvg(categories: string[], groups: { name: string; values: number[]; colour?: string }[], o: Omit<ChartOptions, 'diagonal' | 'markX' | 'xRange'>): string {
  const W = o.width ?? 520;
  const H = o.height ?? 360;
  const m = { l: 64, r: 16, t: 36, b: 72 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  let hi = o.yRange?.[1] ?? Math.max(1, ...groups.flatMap((g) => g.values.filter(Number.isFinite)));
  const lo = o.yRange?.[0] ?? 0;
  if (hi <= lo) hi = lo + 1;
  const sy = (y: number) => m.t + ph - ((y - lo) / (hi - lo)) * ph;
  const band = pw / Math.max(1, categories.length);
  const bw = (band * 0.8) / Math.max(1, groups.length);
  const parts: string[] = [];
  parts.push(`<svg xmlns="${SVG_NAMESPACE}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(o.label ?? o.title)}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(o.title)}</text>`);
  for (const t of niceTicks(lo, hi)) {
    parts.push(`<line x1="${m.l}" y1="${sy(t)}" x2="${m.l + pw}" y2="${sy(t)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${sy(t) + 4}" text-anchor="end">${fmt(t)}</text>`);
  }
  groups.forEach((g, gi) => {
    const colour = g.colour ?? PALETTE[gi % PALETTE.length];
    g.values.forEach((v, ci) => {
      if (!Number.isFinite(v)) return;
      const x = m.l + band * ci + band * 0.1 + bw * gi;
      parts.push(`<rect x="${x.toFixed(1)}" y="${sy(Math.max(v, lo)).toFixed(1)}" width="${bw.toFixed(1)}" height="${(sy(lo) - sy(Math.max(v, lo))).toFixed(1)}" fill="${colour}"><title>${escapeXml(`${g.name} ${categories[ci]}: ${fmt(v)}`)}</title></rect>`);
    });
  });
  categories.forEach((c, ci) => {
    const x = m.l + band * ci + band / 2;
    parts.push(`<text transform="translate(${x.toFixed(1)} ${m.t + ph + 12}) rotate(30)" text-anchor="start">${escapeXml(c)}</text>`);
  });
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  parts.push(`<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`);
  groups.forEach((g, gi) => {
    const colour = g.colour ?? PALETTE[gi % PALETTE.length];
    const x = m.l + 110 * gi;
    parts.push(`<rect x="${x}" y="${H - 14}" width="10" height="10" fill="${colour}"/><text x="${x + 14}" y="${H - 5}">${escapeXml(g.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
