/**
 * First-order "matrix": the sorted ROI intensities and the grey-level histogram
 * of the discretised ROI (PyRadiomics `RadiomicsFirstOrder._initCalculation`).
 */
import type { DiscretisedRoi } from '../discretise.js';
import { roiValues, type RoiImage } from '../roi.js';

export interface FirstOrderData {
  /** ROI intensities, ascending. */
  sorted: Float64Array;
  /** Probability of each grey level present (ascending level order). */
  p: Float64Array;
  /** Voxel volume (mm³). */
  voxelVolume: number;
  voxelArrayShift: number;
}

export function firstOrderData(roi: RoiImage, binned: DiscretisedRoi, voxelArrayShift: number): FirstOrderData {
  const sorted = roiValues(roi).sort();
  const counts = new Float64Array(binned.Ng + 1);
  let n = 0;
  for (let i = 0; i < binned.levels.length; i++) {
    if (!binned.mask[i]) continue;
    counts[binned.levels[i]]++;
    n++;
  }
  const p = new Float64Array(binned.grayLevels.length);
  binned.grayLevels.forEach((l, k) => (p[k] = counts[l] / n));
  return { sorted, p, voxelVolume: roi.spacing[0] * roi.spacing[1] * roi.spacing[2], voxelArrayShift };
}

/** numpy.percentile with linear interpolation on already-sorted data (numpy's _lerp). */
export function percentileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const t = pos - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}
