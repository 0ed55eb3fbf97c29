/**
 * The region of interest as the feature classes see it: the image and mask
 * cropped to the mask's bounding box (PyRadiomics `cropToTumorMask` without
 * padding), in ITK voxel order (x fastest), with the voxel spacing in mm.
 * The grid kernels (bounding box, cropping, masked values) are shared with the
 * IBSI 1 engine: `kernels/grid.ts`.
 */
import { boxSize, cropToBox, maskedValues, type IndexBox, type Size3 } from './kernels/grid.js';

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
  spacing: readonly number[],
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
