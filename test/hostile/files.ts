/** Builders for hostile test files: valid small volumes and byte-level corruptions of them. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeNiftiBytes } from '../../src/core/image/nifti-write.js';
import { createVolume, type Vec3, type Volume } from '../../src/core/image/volume.js';

/** A 12×10×6 float32 image with a smooth, non-constant pattern. */
export function image(size: Vec3 = [12, 10, 6], spacing: Vec3 = [1, 1, 2]): Volume {
  const v = createVolume(size, { spacing, origin: [-5, 3, 10] });
  for (let i = 0; i < v.data.length; i++) v.data[i] = 100 + 40 * Math.sin(i / 3) + (i % 7);
  return v;
}

/** A uint8 mask on the grid of `like`: a box of label `label` (inclusive index bounds). */
export function boxMask(like: Volume, lo: Vec3 = [3, 3, 1], hi: Vec3 = [8, 7, 4], label = 1): Volume {
  const m = createVolume(like.size, { spacing: like.spacing, origin: like.origin, direction: like.direction, data: new Uint8Array(like.data.length) });
  const [nx, ny] = like.size;
  for (let k = lo[2]; k <= hi[2]; k++) for (let j = lo[1]; j <= hi[1]; j++) for (let i = lo[0]; i <= hi[0]; i++) m.data[i + nx * (j + ny * k)] = label;
  return m;
}

export const nii = (v: Volume) => writeNiftiBytes(v);
export const niiGz = (v: Volume) => writeNiftiBytes(v, { gzip: true });

/** NIfTI-1 bytes with the dims field (dim[1..3]) rewritten. */
export function withDims(bytes: Uint8Array, dims: number[]): Uint8Array {
  const b = bytes.slice();
  const dv = new DataView(b.buffer);
  dv.setInt16(40, dims.length, true);
  dims.forEach((d, n) => dv.setInt16(42 + 2 * n, d, true));
  return b;
}

/** NIfTI-1 bytes with pixdim[axis + 1] rewritten and the sform disabled (so the reader uses pixdim via the qform). */
export function withPixdim(bytes: Uint8Array, axis: number, value: number): Uint8Array {
  const b = bytes.slice();
  const dv = new DataView(b.buffer);
  dv.setFloat32(80 + 4 * axis, value, true);
  return b;
}

export function write(dir: string, rel: string, content: Uint8Array | string): string {
  const p = path.join(dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}
