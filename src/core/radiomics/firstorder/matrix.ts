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
  let nBinned = 0;
  for (let i = 0; i < binned.levels.length; i++) {
    if (!binned.mask[i]) continue;
    counts[binned.levels[i]!]!++;
    nBinned++;
  }
  const p = new Float64Array(binned.grayLevels.length);
  binned.grayLevels.forEach((l, k) => (p[k] = counts[l]! / nBinned));
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  const mean = sum / sorted.length;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < sorted.length; i++) {
    const d = sorted[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const n = sorted.length;
  return { sorted, p, voxelVolume: roi.spacing[0] * roi.spacing[1] * roi.spacing[2], voxelArrayShift, mean, m2: m2 / n, m3: m3 / n, m4: m4 / n };
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
