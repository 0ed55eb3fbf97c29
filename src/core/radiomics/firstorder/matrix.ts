/**
 * First-order "matrix": the sorted ROI intensities and the grey-level histogram
 * of the discretised ROI (PyRadiomics `RadiomicsFirstOrder._initCalculation`).
 */
import type { DiscretisedRoi } from '../discretise.js';
import { roiValues, type RoiImage } from '../roi.js';
import { sortFloat64 } from '../../util/sort.js';

export interface FirstOrderData {
  /** ROI intensities, ascending. */
  sorted: Float64Array;
  /** Probability of each grey level present (ascending level order). */
  p: Float64Array;
  /** Voxel volume (mm³). */
  voxelVolume: number;
  voxelArrayShift: number;
  mean: number;
  /** Central moments μ₂, μ₃, μ₄ (population). */
  m2: number;
  m3: number;
  m4: number;
}

export function firstOrderData(roi: RoiImage, binned: DiscretisedRoi, voxelArrayShift: number): FirstOrderData {
  const sorted = sortFloat64(roiValues(roi));
  const counts = new Float64Array(binned.Ng + 1);
  const nBinned = countLevels(counts, binned.levels, binned.mask);
  const p = new Float64Array(binned.grayLevels.length);
  binned.grayLevels.forEach((l, k) => (p[k] = counts[l]! / nBinned));
  const mean = sumOf(sorted) / sorted.length;
  const [m2, m3, m4] = centralMomentSums(sorted, mean);
  const n = sorted.length;
  return { sorted, p, voxelVolume: roi.spacing[0] * roi.spacing[1] * roi.spacing[2], voxelArrayShift, mean, m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

// The voxel loops are functions of typed arrays of their own, so that a fresh process
// optimises each once instead of recompiling firstOrderData at every part it had not yet run.

/** Add 1 to counts[level] for each ROI voxel; returns the number of ROI voxels. */
function countLevels(counts: Float64Array, levels: Int32Array, mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < levels.length; i++) {
    if (!mask[i]) continue;
    counts[levels[i]!]!++;
    n++;
  }
  return n;
}

function sumOf(x: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]!;
  return sum;
}

/** Σ(x − mean)², Σ(x − mean)³, Σ(x − mean)⁴. */
function centralMomentSums(x: Float64Array, mean: number): [number, number, number] {
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  return [m2, m3, m4];
}

/** numpy.percentile with linear interpolation on already-sorted data (numpy's _lerp). */
export function percentileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const t = pos - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}
