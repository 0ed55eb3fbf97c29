/**
 * IBSI 1 intensity-based statistics (UHIW, computed in util/intensity-statistics.ts, shared with IBSI 2 phase 2),
 * intensity–volume histogram (P88C) features.
 */
import { descriptive } from '../../util/intensity-statistics.js';

export { intensityStatistics } from '../../util/intensity-statistics.js';

/**
 * Intensity histogram features (IBSI 1 §3.4, ZVCW) of discretised grey levels 1…ng.
 * The histogram gradient uses central differences inside and one-sided differences at 1 and ng.
 */
export function intensityHistogram(levels: ArrayLike<number>, ng: number): Record<string, number> {
  const d = descriptive(levels);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(d)) out[`ih_${k}`] = v;
  const h = new Float64Array(ng + 1);
  for (let t = 0; t < levels.length; t++) h[levels[t]!]!++;
  const n = levels.length;
  let mode = 1;
  let entropy = 0;
  let uniformity = 0;
  for (let g = 1; g <= ng; g++) {
    if (h[g]! > h[mode]!) mode = g;
    const p = h[g]! / n;
    if (p > 0) entropy -= p * Math.log2(p);
    uniformity += p * p;
  }
  out.ih_mode = mode;
  out.ih_entropy = entropy;
  out.ih_uniformity = uniformity;
  let maxGrad = -Infinity;
  let maxG = 1;
  let minGrad = Infinity;
  let minG = 1;
  for (let g = 1; g <= ng; g++) {
    let grad: number;
    if (ng === 1) grad = 0;
    else if (g === 1) grad = h[2]! - h[1]!;
    else if (g === ng) grad = h[ng]! - h[ng - 1]!;
    else grad = (h[g + 1]! - h[g - 1]!) / 2;
    if (grad > maxGrad) {
      maxGrad = grad;
      maxG = g;
    }
    if (grad < minGrad) {
      minGrad = grad;
      minG = g;
    }
  }
  out.ih_max_grad = maxGrad;
  out.ih_max_grad_g = maxG;
  out.ih_min_grad = minGrad;
  out.ih_min_grad_g = minG;
  return out;
}

/** How the intensity–volume histogram reads its input (IBSI 1 §3.5 and the configurations' IVH column). */
export interface IvhSettings {
  /** The possible intensities are gridStart + step·n, up to gridEnd. */
  step: number;
  gridStart: number;
  gridEnd: number;
  /** Intensity range that maps to intensity fraction γ = 0…1 (re-segmentation range when there is one, else the ROI range). */
  lo: number;
  hi: number;
}

/**
 * Intensity–volume histogram features (IBSI 1 §3.5, P88C). ν(i) is the volume fraction with
 * intensity ≥ i and γ(i) = (i − lo)/(hi − lo), over every possible intensity i (also absent ones).
 * V_x = ν at the smallest i with γ ≥ x; I_x = the smallest i with ν(i) ≤ x.
 */
export function intensityVolumeHistogram(values: ArrayLike<number>, s: IvhSettings): Record<string, number> {
  const nLevels = Math.round((s.gridEnd - s.gridStart) / s.step) + 1;
  const counts = new Float64Array(nLevels);
  for (let t = 0; t < values.length; t++) {
    const b = Math.round((values[t]! - s.gridStart) / s.step);
    counts[Math.min(nLevels - 1, Math.max(0, b))]!++;
  }
  const nu = new Float64Array(nLevels);
  let acc = 0;
  for (let b = nLevels - 1; b >= 0; b--) {
    acc += counts[b]!;
    nu[b] = acc / values.length;
  }
  const intensity = (b: number) => s.gridStart + b * s.step;
  const gamma = (b: number) => (s.hi === s.lo ? 0 : (intensity(b) - s.lo) / (s.hi - s.lo));
  const volumeAt = (x: number) => {
    for (let b = 0; b < nLevels; b++) if (gamma(b) >= x - 1e-12) return nu[b]!;
    return 0;
  };
  const intensityAt = (x: number) => {
    for (let b = 0; b < nLevels; b++) if (nu[b]! <= x) return intensity(b);
    return intensity(nLevels - 1) + s.step;
  };
  const v10 = volumeAt(0.1);
  const v90 = volumeAt(0.9);
  const i10 = intensityAt(0.1);
  const i90 = intensityAt(0.9);
  return {
    ivh_v10: v10,
    ivh_v90: v90,
    ivh_i10: i10,
    ivh_i90: i90,
    ivh_diff_v10_v90: v10 - v90,
    ivh_diff_i10_i90: i10 - i90,
  };
}
