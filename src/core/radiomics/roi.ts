/**
 * The region of interest as the feature classes see it: the image and mask
 * cropped to the mask's bounding box (PyRadiomics `cropToTumorMask` without
 * padding), in ITK voxel order (x fastest), with the voxel spacing in mm.
 * The grid kernels (bounding box, cropping, masked values) are shared with the
 * IBSI 1 engine: `kernels/grid.ts`.
 */
import { boxSize, cropToBox, maskedValues, type IndexBox, type Size3 } from './kernels/grid.js';
import type { DerivedImage } from '../filters/image-types.js';

export { maskBoundingBox } from './kernels/grid.js';

export interface RoiImage {
  /** Voxels along x, y, z of the cropped box. */
  size: Size3;
  /** Voxel spacing (mm) along x, y, z. */
  spacing: Size3;
  /** Intensities, `values[x + nx·(y + ny·z)]`. */
  values: Float64Array;
  /** 1 inside the ROI, 0 outside. */
  mask: Uint8Array;
}

/** Intensities of the ROI voxels, in voxel order. */
export function roiValues(roi: RoiImage): Float64Array {
  return maskedValues(roi.values, roi.mask);
}

/**
 * Crop image values and a binary mask (same grid) to an inclusive box.
 * `isInside(v)` turns a mask voxel value into ROI membership (e.g. `v === label`).
 */
export function cropRoi(
  values: ArrayLike<number>,
  maskData: ArrayLike<number>,
  size: readonly number[],
  spacing: Size3,
  box: IndexBox,
  isInside: (v: number) => boolean,
): RoiImage {
  return {
    size: boxSize(box),
    spacing: [spacing[0], spacing[1], spacing[2]],
    values: cropToBox(values, size, box, Float64Array),
    mask: cropToBox(maskData, size, box, Uint8Array, (v) => (isInside(v) ? 1 : 0)),
  };
}

/**
 * The ROI of a derived image on the inclusive `box` of its input grid: cropped as `cropRoi`
 * does, or, for a filter that computed that box only (`derived.box`), its values as they are.
 * `boxMask` is the ROI mask already cropped to `box` (1 inside), shared by the images of one
 * extraction (the feature classes only read it).
 */
export function derivedRoi(derived: DerivedImage, gridSize: readonly number[], spacing: Size3, box: IndexBox, boxMask: Uint8Array): RoiImage {
  const size = boxSize(box);
  const sp: Size3 = [spacing[0], spacing[1], spacing[2]];
  if (!derived.box) return { size, spacing: sp, values: cropToBox(derived.volume.data, gridSize, box, Float64Array), mask: boxMask };
  if ([0, 1, 2].some((c) => derived.box!.lower[c] !== box.lower[c] || derived.box!.upper[c] !== box.upper[c]))
    throw new Error(`${derived.prefix}: the filter returned the box ${derived.box.lower.join(',')}…${derived.box.upper.join(',')}, not the box read ${box.lower.join(',')}…${box.upper.join(',')}`);
  const data = derived.volume.data;
  return { size, spacing: sp, values: data instanceof Float64Array ? data : new Float64Array(data), mask: boxMask };
}
