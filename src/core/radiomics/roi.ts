/**
 * The region of interest as the feature classes see it: the image and mask
 * cropped to the mask's bounding box (PyRadiomics `cropToTumorMask` without
 * padding), in ITK voxel order (x fastest), with the voxel spacing in mm.
 */
import { labelBoundingBox, type IndexBox } from '../image/crop.js';
import type { Vec3 } from '../image/volume.js';

export interface RoiImage {
  /** Voxels along x, y, z of the cropped box. */
  size: Vec3;
  /** Voxel spacing (mm) along x, y, z. */
  spacing: Vec3;
  /** Intensities, `values[x + nx·(y + ny·z)]`. */
  values: Float64Array;
  /** 1 inside the ROI, 0 outside. */
  mask: Uint8Array;
}

/** Intensities of the ROI voxels, in voxel order. */
export function roiValues(roi: RoiImage): Float64Array {
  let n = 0;
  for (let i = 0; i < roi.mask.length; i++) n += roi.mask[i];
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < roi.mask.length; i++) if (roi.mask[i]) out[k++] = roi.values[i];
  return out;
}

/** Inclusive bounding box of the non-zero voxels of a binary mask on a grid of `size` (null when empty). */
export function maskBoundingBox(mask: Uint8Array, size: Vec3): IndexBox | null {
  return labelBoundingBox({ size, spacing: [1, 1, 1], origin: [0, 0, 0], direction: new Float64Array(9), data: mask }, 1);
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
  const [nx, ny] = size;
  const cs: Vec3 = [box.upper[0] - box.lower[0] + 1, box.upper[1] - box.lower[1] + 1, box.upper[2] - box.lower[2] + 1];
  const n = cs[0] * cs[1] * cs[2];
  const out = new Float64Array(n);
  const m = new Uint8Array(n);
  let k = 0;
  for (let z = box.lower[2]; z <= box.upper[2]; z++)
    for (let y = box.lower[1]; y <= box.upper[1]; y++) {
      const row = (z * ny + y) * nx;
      for (let x = box.lower[0]; x <= box.upper[0]; x++, k++) {
        out[k] = values[row + x];
        m[k] = isInside(maskData[row + x]) ? 1 : 0;
      }
    }
  return { size: cs, spacing: [spacing[0], spacing[1], spacing[2]], values: out, mask: m };
}
