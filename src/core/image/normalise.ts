/**
 * Intensity normalisation of MR volumes (../shared/SPEC.md §2.2 (Preprocessing)): min–max to 0–255 as in the
 * paper, optional robust percentile clipping, or z-score. Statistics are taken
 * inside an optional mask; the same linear map is applied to every voxel.
 */
import type { Volume } from './volume.js';
import { withData } from './volume.js';

export type NormaliseMethod = 'minmax' | 'zscore';

export interface NormaliseSettings {
  method: NormaliseMethod;
  /**
   * Clip intensities to these percentiles (0–100) of the voxels inside the mask
   * before normalising, e.g. [1, 99]. Percentiles use linear interpolation
   * between order statistics (Hyndman & Fan type 7, numpy's default).
   */
  clipPercentiles?: [number, number];
  /** Target range of min–max scaling; default [0, 255]. */
  range?: [number, number];
  /** Mask voxels with this value define the statistics; default: every non-zero mask voxel. */
  maskLabel?: number;
}

/** What was done, with the statistics used, so that the step can be reproduced and reported. */
export interface NormaliseRecord {
  step: 'normalise';
  method: NormaliseMethod;
  clipPercentiles: [number, number] | null;
  range: [number, number] | null;
  /** Whether the statistics came from a mask (true) or from the whole volume. */
  inMask: boolean;
  maskLabel: number | null;
  /** Number of voxels the statistics were computed from. */
  voxels: number;
  /** Clip bounds applied (the percentile values), or null. */
  clip: [number, number] | null;
  /** Minimum and maximum after clipping (min–max), or mean and standard deviation (z-score, population SD). */
  min?: number;
  max?: number;
  mean?: number;
  sd?: number;
}

/**
 * Percentile (0–100) of values, with linear interpolation between the sorted
 * values at position p/100·(n−1) (Hyndman & Fan 1996, definition 7).
 * `sorted` must be ascending.
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('percentile of an empty set');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile ${p} is outside 0–100`);
  const h = (p / 100) * (n - 1);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The intensities the statistics are computed from (inside the mask, or all), NaN dropped. */
function sampleValues(vol: Volume, mask: Volume | undefined, label: number | undefined): Float64Array {
  if (mask && mask.data.length !== vol.data.length) {
    throw new Error(`normalise: mask has ${mask.data.length} voxels, image ${vol.data.length}: resample the mask onto the image grid first`);
  }
  const out: number[] = [];
  for (let n = 0; n < vol.data.length; n++) {
    if (mask) {
      const m = mask.data[n];
      if (label === undefined ? m === 0 : m !== label) continue;
    }
    const v = vol.data[n]!;
    if (!Number.isNaN(v)) out.push(v);
  }
  return Float64Array.from(out);
}

/**
 * Normalise a volume's intensities. Returns a float32 volume on the same grid
 * and the record of the statistics used.
 * - 'minmax': x' = a + (b − a)(x − min)/(max − min), with min/max taken (after
 *   clipping) inside the mask; the result is clamped to [a, b], so voxels
 *   outside the mask that lie beyond the mask's range land on the bounds.
 * - 'zscore': x' = (x − mean)/sd with the population SD (ddof 0, as
 *   PyRadiomics' normalizeImage and scikit-learn's StandardScaler).
 */
export function normaliseIntensity(vol: Volume, settings: NormaliseSettings, mask?: Volume): { volume: Volume; record: NormaliseRecord } {
  const values = sampleValues(vol, mask, settings.maskLabel);
  if (values.length === 0) throw new Error('normalise: the mask selects no voxels');
  let clip: [number, number] | null = null;
  if (settings.clipPercentiles) {
    const [p0, p1] = settings.clipPercentiles;
    if (!(p0 < p1)) throw new Error(`normalise: clip percentiles ${p0},${p1} must be increasing`);
    const sorted = values.slice().sort();
    clip = [percentileSorted(sorted, p0), percentileSorted(sorted, p1)];
    for (let n = 0; n < values.length; n++) values[n] = Math.min(clip[1], Math.max(clip[0], values[n]!));
  }
  const record: NormaliseRecord = {
    step: 'normalise',
    method: settings.method,
    clipPercentiles: settings.clipPercentiles ? [...settings.clipPercentiles] : null,
    range: null,
    inMask: !!mask,
    maskLabel: mask ? (settings.maskLabel ?? null) : null,
    voxels: values.length,
    clip,
  };
  const src = vol.data;
  const out = new Float32Array(src.length);
  const lo = clip ? clip[0] : -Infinity;
  const hi = clip ? clip[1] : Infinity;
  if (settings.method === 'minmax') {
    const [a, b] = settings.range ?? [0, 255];
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const scale = max > min ? (b - a) / (max - min) : 0;
    for (let n = 0; n < src.length; n++) {
      const x = Math.min(hi, Math.max(lo, src[n]!));
      const y = a + (x - min) * scale;
      out[n] = y < a ? a : y > b ? b : y;
    }
    Object.assign(record, { range: [a, b], min, max });
  } else if (settings.method === 'zscore') {
    let s = 0;
    for (const v of values) s += v;
    const mean = s / values.length;
    let ss = 0;
    for (const v of values) ss += (v - mean) * (v - mean);
    const sd = Math.sqrt(ss / values.length);
    const inv = sd > 0 ? 1 / sd : 0;
    for (let n = 0; n < src.length; n++) out[n] = (Math.min(hi, Math.max(lo, src[n]!)) - mean) * inv;
    Object.assign(record, { mean, sd });
  } else {
    throw new Error(`normalise: unknown method "${String(settings.method)}" (use minmax or zscore)`);
  }
  return { volume: withData(vol, out), record };
}
