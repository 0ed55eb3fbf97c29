/**
 * The region of interest as the feature classes see it: the image and mask
 * cropped to the mask's bounding box (PyRadiomics `cropToTumorMask` without
 * padding), in ITK voxel order (x fastest), with the voxel spacing in mm.
 */
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

/** Inclusive bounding box (voxel indices, x/y/z) of the non-zero voxels of a mask. */
export function maskBoundingBox(mask: ArrayLike<number>, size: readonly number[]): { lo: Vec3; hi: Vec3 } | null {
  const [nx, ny] = size;
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-1, -1, -1];
  let idx = 0;
  for (let z = 0; z < size[2]; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, idx++) {
        if (!mask[idx]) continue;
        if (x < lo[0]) lo[0] = x;
        if (x > hi[0]) hi[0] = x;
        if (y < lo[1]) lo[1] = y;
        if (y > hi[1]) hi[1] = y;
        if (z < lo[2]) lo[2] = z;
        if (z > hi[2]) hi[2] = z;
      }
  return hi[0] < 0 ? null : { lo, hi };
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
  box: { lo: readonly number[]; hi: readonly number[] },
  isInside: (v: number) => boolean,
): RoiImage {
  const [nx, ny] = size;
  const cs: Vec3 = [box.hi[0] - box.lo[0] + 1, box.hi[1] - box.lo[1] + 1, box.hi[2] - box.lo[2] + 1];
  const n = cs[0] * cs[1] * cs[2];
  const out = new Float64Array(n);
  const m = new Uint8Array(n);
  let k = 0;
  for (let z = box.lo[2]; z <= box.hi[2]; z++)
    for (let y = box.lo[1]; y <= box.hi[1]; y++) {
      const row = (z * ny + y) * nx;
      for (let x = box.lo[0]; x <= box.hi[0]; x++, k++) {
        out[k] = values[row + x];
        m[k] = isInside(maskData[row + x]) ? 1 : 0;
      }
    }
  return { size: cs, spacing: [spacing[0], spacing[1], spacing[2]], values: out, mask: m };
}
