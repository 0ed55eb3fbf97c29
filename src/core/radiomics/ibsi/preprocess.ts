/**
 * IBSI 1 image processing (manual chapter 2): interpolation to a new grid with aligned grid
 * centres, partial-volume mask resampling, re-segmentation and discretisation.
 */
import type { Discretisation, IbsiResampling } from './config.js';
import { assignLevels, ibsiFixedBinNumber, ibsiFixedBinSize, intensityRange } from '../kernels/discretise.js';
import type { Size3 } from './roi.js';

export interface Grid {
  size: Size3;
  spacing: Size3;
  data: Float64Array;
}

/**
 * Sample positions (in old voxel index units) of the new grid along one axis: the new size is
 * ⌈n·s/s'⌉ and the centres of the old and new grids coincide (IBSI 1 §2.4).
 */
export function alignedGridPositions(n: number, spacing: number, newSpacing: number): Float64Array {
  const m = Math.ceil((n * spacing) / newSpacing - 1e-9);
  const step = newSpacing / spacing;
  const c = (n - 1) / 2;
  const out = new Float64Array(m);
  for (let t = 0; t < m; t++) out[t] = c + (t - (m - 1) / 2) * step;
  return out;
}

/** Cubic B-spline value β³(x). */
function bspline3(x: number): number {
  const a = Math.abs(x);
  if (a < 1) return 2 / 3 - a * a + (a * a * a) / 2;
  if (a < 2) return ((2 - a) ** 3) / 6;
  return 0;
}

/**
 * Cubic B-spline interpolation coefficients along one line (Unser's recursive prefilter, pole
 * √3 − 2, mirror-symmetric boundary), in place.
 */
function bsplinePrefilterLine(c: Float64Array): void {
  const n = c.length;
  if (n < 2) return;
  const z = Math.sqrt(3) - 2;
  const gain = (1 - z) * (1 - 1 / z);
  for (let t = 0; t < n; t++) c[t]! *= gain;
  // Causal initialisation (mirror boundary), truncated sum.
  let zn = z;
  let sum = c[0]!;
  const horizon = Math.min(n, 30);
  for (let t = 1; t < horizon; t++) {
    sum += zn * c[t]!;
    zn *= z;
  }
  c[0] = sum;
  for (let t = 1; t < n; t++) c[t]! += z * c[t - 1]!;
  c[n - 1] = (z / (z * z - 1)) * (z * c[n - 2]! + c[n - 1]!);
  for (let t = n - 2; t >= 0; t--) c[t] = z * (c[t + 1]! - c[t]!);
}

/** Resample one axis of a grid at `pos` (old index units), linear or cubic B-spline; edges repeat the last voxel. */
function resampleAxis(g: Grid, axis: number, pos: Float64Array, newSpacing: number, kind: 'linear' | 'cubic'): Grid {
  const size = [...g.size] as Size3;
  const n = size[axis]!;
  const m = pos.length;
  const stride = axis === 0 ? 1 : axis === 1 ? size[0] : size[0] * size[1];
  const outSize = [...size] as Size3;
  outSize[axis] = m;
  const outStride = axis === 0 ? 1 : axis === 1 ? outSize[0] : outSize[0] * outSize[1];
  const out = new Float64Array(outSize[0] * outSize[1] * outSize[2]);
  const line = new Float64Array(n);
  const [a0, a1] = [0, 1, 2].filter((c) => c !== axis);
  if (a0 === undefined || a1 === undefined) throw new Error(`resampleAxis: axis ${axis} leaves fewer than two other axes`);
  const clamp = (t: number) => (t < 0 ? 0 : t > n - 1 ? n - 1 : t);
  for (let q = 0; q < size[a1]!; q++)
    for (let p = 0; p < size[a0]!; p++) {
      const idx = [0, 0, 0];
      idx[a0] = p;
      idx[a1] = q;
      const base = idx[0]! + size[0] * (idx[1]! + size[1] * idx[2]!);
      const outBase = idx[0]! + outSize[0] * (idx[1]! + outSize[1] * idx[2]!);
      for (let t = 0; t < n; t++) line[t] = g.data[base + t * stride]!;
      if (kind === 'cubic') bsplinePrefilterLine(line);
      for (let t = 0; t < m; t++) {
        const x = clamp(pos[t]!);
        let v: number;
        if (kind === 'linear') {
          const f = Math.floor(x);
          const r = x - f;
          v = f + 1 < n ? line[f]! * (1 - r) + line[f + 1]! * r : line[f]!;
        } else {
          const f = Math.floor(x);
          v = 0;
          for (let d = -1; d <= 2; d++) {
            let s = f + d;
            // Mirror-symmetric extension of the coefficients, matching the prefilter's boundary.
            if (s < 0) s = -s;
            if (s > n - 1) s = 2 * (n - 1) - s;
            s = Math.max(0, Math.min(n - 1, s));
            v += line[s]! * bspline3(x - (f + d));
          }
        }
        out[outBase + t * outStride] = v;
      }
    }
  const spacing = [...g.spacing] as Size3;
  spacing[axis] = newSpacing;
  return { size: outSize, spacing, data: out };
}

/** Interpolate a grid to the IBSI aligned grid of `resampling.spacing` (null axes are kept). */
export function resampleGrid(g: Grid, spacing: IbsiResampling['spacing'], kind: 'linear' | 'cubic'): Grid {
  let cur = g;
  for (let axis = 0; axis < 3; axis++) {
    const s = spacing[axis]!;
    if (s === null) continue;
    cur = resampleAxis(cur, axis, alignedGridPositions(g.size[axis]!, g.spacing[axis]!, s), s, kind);
  }
  return cur;
}

/** Partial-volume mask resampling: linear interpolation of the 0/1 mask, kept where ≥ threshold. */
export function resampleMask(g: Grid, spacing: IbsiResampling['spacing'], threshold: number): Uint8Array {
  const r = resampleGrid(g, spacing, 'linear');
  const out = new Uint8Array(r.data.length);
  for (let v = 0; v < out.length; v++) out[v] = r.data[v]! >= threshold - 1e-9 ? 1 : 0;
  return out;
}

/** Range and outlier (mean ± kσ) re-segmentation of the intensity mask (IBSI 1 §2.5). */
export function resegment(
  image: ArrayLike<number>,
  mask: Uint8Array,
  range: [number, number] | null,
  outlierSigma: number | null,
): Uint8Array {
  const out = Uint8Array.from(mask);
  if (range) for (let v = 0; v < out.length; v++) if (out[v] && (image[v]! < range[0] || image[v]! > range[1])) out[v] = 0;
  if (outlierSigma !== null) {
    let n = 0, s = 0, s2 = 0;
    for (let v = 0; v < out.length; v++)
      if (out[v]) {
        n++;
        s += image[v]!;
      }
    const mu = s / n;
    for (let v = 0; v < out.length; v++) if (out[v]) s2 += (image[v]! - mu) ** 2;
    const sd = Math.sqrt(s2 / n);
    for (let v = 0; v < out.length; v++)
      if (out[v] && (image[v]! < mu - outlierSigma * sd || image[v]! > mu + outlierSigma * sd)) out[v] = 0;
  }
  return out;
}

export interface DiscretisedValues {
  /** Grey levels 1…ng, 0 outside the mask. */
  levels: Int32Array;
  ng: number;
  /** Lower edge X_min used (fixed bin size) or ROI minimum (fixed bin number). */
  min: number;
}

/**
 * Discretise the intensities in `mask` (IBSI 1 §2.7; the bin rules and the level pass are in
 * `kernels/discretise.ts`). 'none' takes the intensities as integer grey levels. Fixed bin size
 * starts bins at `lowerBound` (the re-segmentation minimum when one is set, else the ROI minimum);
 * N_g is then the highest level in the ROI.
 */
export function discretise(
  image: ArrayLike<number>,
  mask: Uint8Array,
  d: Discretisation,
  lowerBound: number | null,
): DiscretisedValues {
  const [lo, hi] = intensityRange(image, mask);
  const min = d.method === 'fbs' && lowerBound !== null && Number.isFinite(lowerBound) ? lowerBound : lo;
  const rule =
    d.method === 'none'
      ? (x: number) => {
          const q = Math.round(x);
          if (q < 1) throw new Error(`IBSI discretisation 'none' needs grey levels ≥ 1, found ${x}`);
          return q;
        }
      : d.method === 'fbs'
        ? ibsiFixedBinSize(min, d.binSize)
        : ibsiFixedBinNumber(lo, hi, d.bins);
  const { levels, maxLevel } = assignLevels(image, mask, rule);
  return { levels, ng: d.method === 'fbn' ? d.bins : maxLevel, min };
}
