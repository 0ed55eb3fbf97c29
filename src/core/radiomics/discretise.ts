/**
 * Grey-level discretisation exactly as PyRadiomics `imageoperations.getBinEdges`
 * / `binImage`: bin edges are computed from the ROI intensities, then each ROI
 * voxel gets `numpy.digitize(x, edges)` (1-based; edges[i-1] ≤ x < edges[i]).
 *
 * - Fixed bin width (IBSI "FBS", default binWidth 25): edges start at the largest
 *   multiple of the width ≤ min (min − (min mod w), Python's floor modulo) and run
 *   to max + 2w (numpy.arange, exclusive), so every bin is half-open; a flat ROI on
 *   an exact multiple gets the single bin [e − 0.5, e + 0.5].
 * - Fixed bin count (IBSI "FBN"): numpy.histogram's equal-width edges over
 *   [min, max] with the last edge raised by 1 so the maximum falls inside.
 */
import type { RoiImage } from './roi.js';

export interface DiscretisedRoi extends RoiImage {
  /** Bin index (1 … Ng) of each ROI voxel, 0 outside the ROI. */
  levels: Int32Array;
  /** Distinct bin indices present in the ROI, ascending. */
  grayLevels: Int32Array;
  /** Largest bin index present (PyRadiomics' `Ng`). */
  Ng: number;
  binEdges: Float64Array;
}

function roiMinMax(roi: RoiImage): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < roi.mask.length; i++) {
    if (!roi.mask[i]) continue;
    const v = roi.values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) throw new Error('discretisation: the ROI is empty');
  return [lo, hi];
}

/** Python's float modulo: the result has the sign of the divisor. */
function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** numpy.arange(start, stop, step) for floats (values start + i·(start+step−start)). */
function arange(start: number, stop: number, step: number): Float64Array {
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const delta = start + step - start;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i * delta;
  if (n > 1) out[1] = start + step;
  return out;
}

/** Bin edges for a fixed bin width (PyRadiomics getBinEdges without binCount). */
export function fixedBinWidthEdges(min: number, max: number, binWidth: number): Float64Array {
  const low = min - pyMod(min, binWidth);
  const edges = arange(low, max + 2 * binWidth, binWidth);
  if (edges.length === 1) return Float64Array.of(edges[0] - 0.5, edges[0] + 0.5);
  return edges;
}

/** Bin edges for a fixed bin count (numpy.histogram(values, binCount) edges, last edge + 1). */
export function fixedBinCountEdges(min: number, max: number, binCount: number): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  // numpy.linspace: arange(0, num)·step + start, the endpoint set exactly.
  const edges = new Float64Array(binCount + 1);
  const step = (last - first) / binCount;
  for (let i = 0; i <= binCount; i++) edges[i] = i * step + first;
  edges[binCount] = last;
  edges[binCount] += 1;
  return edges;
}

/** numpy.digitize for increasing edges: the number of edges ≤ x. */
export function digitize(x: number, edges: Float64Array): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function applyEdges(roi: RoiImage, edges: Float64Array): DiscretisedRoi {
  const levels = new Int32Array(roi.mask.length);
  let maxLevel = 0;
  const seen = new Uint8Array(edges.length + 2);
  for (let i = 0; i < roi.mask.length; i++) {
    if (!roi.mask[i]) continue;
    const l = digitize(roi.values[i], edges);
    levels[i] = l;
    seen[l] = 1;
    if (l > maxLevel) maxLevel = l;
  }
  const present: number[] = [];
  for (let l = 0; l < seen.length; l++) if (seen[l]) present.push(l);
  return { ...roi, levels, grayLevels: Int32Array.from(present), Ng: maxLevel, binEdges: edges };
}

/** Fixed-bin-width discretisation (PyRadiomics `binWidth`, IBSI FBS). */
export function discretiseFixedBinWidth(roi: RoiImage, binWidth: number): DiscretisedRoi {
  if (!(binWidth > 0)) throw new Error(`binWidth must be > 0, got ${binWidth}`);
  const [lo, hi] = roiMinMax(roi);
  return applyEdges(roi, fixedBinWidthEdges(lo, hi, binWidth));
}

/** Fixed-bin-count discretisation (PyRadiomics `binCount`, IBSI FBN). */
export function discretiseFixedBinCount(roi: RoiImage, binCount: number): DiscretisedRoi {
  if (!(binCount > 0) || !Number.isInteger(binCount)) throw new Error(`binCount must be a positive integer, got ${binCount}`);
  const [lo, hi] = roiMinMax(roi);
  return applyEdges(roi, fixedBinCountEdges(lo, hi, binCount));
}

/** PyRadiomics' rule: binCount wins when given, otherwise binWidth (default 25). */
export function discretise(roi: RoiImage, opts: { binWidth?: number; binCount?: number | null }): DiscretisedRoi {
  if (opts.binCount != null) return discretiseFixedBinCount(roi, opts.binCount);
  return discretiseFixedBinWidth(roi, opts.binWidth ?? 25);
}
