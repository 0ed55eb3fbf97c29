/**
 * Grey-level discretisation exactly as PyRadiomics `imageoperations.getBinEdges`
 * / `binImage`: bin edges are computed from the ROI intensities, then each ROI
 * voxel gets `numpy.digitize(x, edges)` (1-based; edges[i-1] ≤ x < edges[i]).
 * The range, edges (how they are built: `kernels/discretise.ts`) and level pass
 * are the kernel shared with the IBSI 1 engine.
 */
import {
  assignLevels,
  distinctLevels,
  edgesRule,
  fixedBinCountEdges,
  fixedBinWidthEdges,
  intensityRange,
} from './kernels/discretise.js';
import type { RoiImage } from './roi.js';

export { digitize, edgesRule, fixedBinCountEdges, fixedBinWidthEdges } from './kernels/discretise.js';

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
  const range = intensityRange(roi.values, roi.mask);
  if (range[0] === Infinity) throw new Error('discretisation: the ROI is empty');
  return range;
}

function applyEdges(roi: RoiImage, edges: Float64Array): DiscretisedRoi {
  const { levels, maxLevel } = assignLevels(roi.values, roi.mask, edgesRule(edges));
  return { ...roi, levels, grayLevels: distinctLevels(levels, roi.mask, maxLevel), Ng: maxLevel, binEdges: edges };
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
