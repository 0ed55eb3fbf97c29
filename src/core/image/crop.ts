/**
 * Cropping and label bounding boxes (index space). Plain data in and out, so
 * usable from Node and Web Workers.
 */
import type { Vec3, Volume, VoxelArray } from './volume.js';
import { indexToPhysical } from './volume.js';

/** Inclusive voxel-index box: `lower[c] … upper[c]` on each axis. */
export interface IndexBox {
  lower: Vec3;
  upper: Vec3;
}

/**
 * Bounding box of the voxels equal to `label` (or, with `label` undefined, of
 * all non-zero voxels); null when there are none. Same box as SimpleITK's
 * LabelShapeStatisticsImageFilter.GetBoundingBox, written lower/upper
 * instead of lower/size.
 */
export function labelBoundingBox(mask: Volume, label?: number): IndexBox | null {
  const [nx, ny, nz] = mask.size;
  const d = mask.data;
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  const any = label === undefined;
  // row by row: the first and last matching voxel of a row give its x extent
  for (let k = 0, row = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++, row += nx) {
      let first = -1;
      if (any) {
        for (let i = 0; i < nx; i++)
          if (d[row + i] !== 0) {
            first = i;
            break;
          }
      } else {
        for (let i = 0; i < nx; i++)
          if (d[row + i] === label) {
            first = i;
            break;
          }
      }
      if (first < 0) continue;
      let last = first;
      if (any) {
        for (let i = nx - 1; i > first; i--)
          if (d[row + i] !== 0) {
            last = i;
            break;
          }
      } else {
        for (let i = nx - 1; i > first; i--)
          if (d[row + i] === label) {
            last = i;
            break;
          }
      }
      if (first < lo[0]) lo[0] = first;
      if (last > hi[0]) hi[0] = last;
      if (j < lo[1]) lo[1] = j;
      if (j > hi[1]) hi[1] = j;
      if (k < lo[2]) lo[2] = k;
      if (k > hi[2]) hi[2] = k;
    }
  }
  if (lo[0] === Infinity) return null;
  return { lower: lo, upper: hi };
}

/** Voxels along each axis of an inclusive box. */
export function boxExtent(box: { lower: readonly number[]; upper: readonly number[] }): Vec3 {
  return [box.upper[0]! - box.lower[0]! + 1, box.upper[1]! - box.lower[1]! + 1, box.upper[2]! - box.lower[2]! + 1];
}

/** Voxels in an inclusive box. */
export function boxVoxels(box: { lower: readonly number[]; upper: readonly number[] }): number {
  const [x, y, z] = boxExtent(box);
  return x * y * z;
}

/** The geometry of the sub-volume `box` of `vol`: the same spacing and direction, the origin at `box.lower`. */
export function boxGeometry(vol: Volume, box: IndexBox): Pick<Volume, 'spacing' | 'origin' | 'direction'> {
  return {
    spacing: [...vol.spacing] as Vec3,
    origin: indexToPhysical(vol, box.lower[0], box.lower[1], box.lower[2]),
    direction: Float64Array.from(vol.direction),
  };
}

/** Grow a box by `pad` voxels on every side, clipped to the volume `size`. */
export function padBox(box: IndexBox, pad: number, size: readonly number[]): IndexBox {
  const lower = box.lower.map((l) => Math.max(0, l - pad)) as Vec3;
  const upper = box.upper.map((u, c) => Math.min(size[c]! - 1, u + pad)) as Vec3;
  return { lower, upper };
}

/**
 * The sub-volume inside `box` (inclusive), with the origin moved to the
 * physical position of `box.lower` so every voxel keeps its position, as
 * ITK's CropImageFilter / RegionOfInterestImageFilter do.
 */
export function cropVolume(vol: Volume, box: IndexBox): Volume {
  const [nx, ny] = vol.size;
  for (let c = 0; c < 3; c++) {
    if (box.lower[c]! < 0 || box.upper[c]! >= vol.size[c]! || box.lower[c]! > box.upper[c]!) {
      throw new Error(`cropVolume: box ${box.lower.join(',')}…${box.upper.join(',')} is outside the volume ${vol.size.join('×')}`);
    }
  }
  const size = boxExtent(box);
  const Ctor = vol.data.constructor as new (n: number) => VoxelArray;
  const out = new Ctor(size[0] * size[1] * size[2]);
  let m = 0;
  for (let k = 0; k < size[2]; k++) {
    for (let j = 0; j < size[1]; j++) {
      const start = box.lower[0] + nx * (box.lower[1] + j + ny * (box.lower[2] + k));
      out.set(vol.data.subarray(start, start + size[0]), m);
      m += size[0];
    }
  }
  return {
    size,
    ...boxGeometry(vol, box),
    data: out,
    metadata: vol.metadata ? { ...vol.metadata } : undefined,
  };
}
