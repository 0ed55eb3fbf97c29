/**
 * Voxel-grid kernels shared by both radiomics engines (the PyRadiomics-compatible engine and the
 * IBSI 1 engine): the grid size type, the voxel order (x fastest: voxel (i, j, k) at
 * i + nx·(j + ny·k), as ITK), masked values, bounding boxes and cropping to a box.
 */
import { boxExtent, labelBoundingBox, type IndexBox } from '../../image/crop.js';
import type { Vec3 } from '../../image/volume.js';

export type { IndexBox };

/** Voxels along x, y, z (or a spacing in mm along x, y, z). */
export type Size3 = Vec3;

/** Values of `values` where `mask` is non-zero, in voxel order. */
export function maskedValues(values: ArrayLike<number>, mask: ArrayLike<number>): Float64Array {
  const out = new Float64Array(countMask(mask));
  let n = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v]) out[n++] = values[v]!;
  return out;
}

/** Number of non-zero voxels of a mask. */
export function countMask(mask: ArrayLike<number>): number {
  let n = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v]) n++;
  return n;
}

/** Inclusive bounding box of the non-zero voxels of a mask on a grid of `size` (null when empty). */
export function maskBoundingBox(mask: Uint8Array, size: Size3): IndexBox | null {
  return labelBoundingBox({ size, spacing: [1, 1, 1], origin: [0, 0, 0], direction: new Float64Array(9), data: mask });
}

/** Voxels along each axis of an inclusive box. */
export const boxSize: (box: IndexBox) => Size3 = boxExtent;

/** A box grown by `margin` voxels per axis (one number for all three, or one per axis), clipped to a grid of `size`. */
export function growBox(box: IndexBox, margin: number | Size3, size: readonly number[]): IndexBox {
  const m = typeof margin === 'number' ? [margin, margin, margin] : margin;
  const lower = box.lower.map((l, c) => Math.max(0, l - m[c]!)) as Size3;
  const upper = box.upper.map((u, c) => Math.min(size[c]! - 1, u + m[c]!)) as Size3;
  return { lower, upper };
}

/**
 * The voxels of `data` (a grid of `size`) inside the inclusive `box`, in voxel order, as a new
 * array of the given type; `map` (optional) turns each value into the stored one.
 */
export function cropToBox<T extends Float64Array | Uint8Array>(
  data: ArrayLike<number>,
  size: readonly number[],
  box: IndexBox,
  Out: new (n: number) => T,
  map?: (v: number) => number,
): T {
  const [nx, ny] = size as [number, number];
  const [cx, cy, cz] = boxSize(box);
  const out = new Out(cx * cy * cz);
  const rows = (row: (start: number, t: number) => void) => {
    for (let k = box.lower[2], t = 0; k <= box.upper[2]; k++)
      for (let j = box.lower[1]; j <= box.upper[1]; j++, t += cx) row((k * ny + j) * nx + box.lower[0], t);
  };
  if (map && data instanceof Uint8Array) {
    // a byte mask: each of the 256 values mapped once, then looked up
    const lut = new Float64Array(256);
    for (let v = 0; v < 256; v++) lut[v] = map(v);
    rows((start, t) => {
      for (let i = 0; i < cx; i++) out[t + i] = lut[data[start + i]!]!;
    });
  } else if (map)
    rows((start, t) => {
      for (let i = 0; i < cx; i++) out[t + i] = map(data[start + i]!);
    });
  else if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    // a typed array: row by row, converted as an element store converts
    const typed = data as unknown as Float64Array;
    rows((start, t) => out.set(typed.subarray(start, start + cx), t));
  } else
    rows((start, t) => {
      for (let i = 0; i < cx; i++) out[t + i] = data[start + i]!;
    });
  return out;
}
