import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readVolume, createVolume, type Volume } from '../../src/core/node.js';
import { indexToPhysical } from '../../src/core/image/volume.js';
import { writeNiftiBytes, rotationToQuaternion } from '../../src/core/image/nifti-write.js';
import { PYRAD } from '../shared-data.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'hw-nifti-write-'));

/** Write with our writer, read back with ITK's NIfTI reader (itk-wasm): the independent reference. */
async function roundTrip(v: Volume, name: string, gzip = false): Promise<Volume> {
  const file = path.join(tmp, name);
  writeFileSync(file, writeNiftiBytes(v, { gzip }));
  return readVolume(file);
}

function expectSameGeometry(a: Volume, b: Volume, tol = 1e-4): void {
  expect(b.size).toEqual(a.size);
  for (let c = 0; c < 3; c++) {
    expect(Math.abs(b.spacing[c]! - a.spacing[c]!)).toBeLessThan(tol);
    expect(Math.abs(b.origin[c]! - a.origin[c]!)).toBeLessThan(tol * Math.max(1, Math.abs(a.origin[c]!)));
  }
  for (let n = 0; n < 9; n++) expect(Math.abs(b.direction[n]! - a.direction[n]!)).toBeLessThan(tol);
  // The far corner lands at the same physical point (catches axis-order mistakes).
  const [i, j, k] = [a.size[0] - 1, a.size[1] - 1, a.size[2] - 1];
  const pa = indexToPhysical(a, i, j, k);
  const pb = indexToPhysical(b, i, j, k);
  for (let c = 0; c < 3; c++) expect(Math.abs(pa[c]! - pb[c]!)).toBeLessThan(1e-3);
}

/** Row-major rotation about a unit axis by angle t (Rodrigues). */
function rotation(axis: [number, number, number], t: number): number[] {
  const [x, y, z] = axis;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const C = 1 - c;
  return [x * x * C + c, x * y * C - z * s, x * z * C + y * s, y * x * C + z * s, y * y * C + c, y * z * C - x * s, z * x * C - y * s, z * y * C + x * s, z * z * C + c];
}

describe('NIfTI-1 writer, read back by ITK (itk-wasm NIfTI reader)', () => {
  it('keeps an oblique LPS geometry and float32 voxels exactly', async () => {
    const size: [number, number, number] = [7, 5, 4];
    const data = new Float32Array(7 * 5 * 4).map((_, n) => Math.sin(n) * 1000);
    const norm = Math.hypot(1, 2, 3);
    const v = createVolume(size, {
      spacing: [0.6, 0.8, 3.5],
      origin: [-12.5, 40.25, 7.75],
      direction: rotation([1 / norm, 2 / norm, 3 / norm], 0.4),
      data,
    });
    const back = await roundTrip(v, 'oblique.nii');
    expectSameGeometry(v, back);
    expect(back.data).toBeInstanceOf(Float32Array);
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });

  it('keeps a left-handed direction (negative determinant, qfac = −1) and int16 voxels', async () => {
    const v = createVolume([4, 6, 3], {
      spacing: [1, 1.5, 2],
      origin: [10, -20, 30],
      direction: [1, 0, 0, 0, -1, 0, 0, 0, 1],
      data: new Int16Array(72).map((_, n) => n * 37 - 900),
    });
    const back = await roundTrip(v, 'flipped.nii.gz', true);
    expectSameGeometry(v, back);
    expect(back.data).toBeInstanceOf(Int16Array);
    expect(Array.from(back.data)).toEqual(Array.from(v.data));
  });

  it('round-trips every supported voxel type', async () => {
    const types = [Uint8Array, Int8Array, Uint16Array, Int32Array, Uint32Array, Float64Array] as const;
    for (const T of types) {
      const v = createVolume([3, 2, 2], { data: new T(12).map((_, n) => n * 3 + 1) });
      const back = await roundTrip(v, `type-${T.name}.nii`);
      expect(back.data.constructor.name).toBe(T.name);
      expect(Array.from(back.data)).toEqual(Array.from(v.data));
    }
  });

  it('re-encodes PyRadiomics brain1 (NRRD) with the same geometry and voxels', async () => {
    const v = await readVolume(path.join(PYRAD, 'brain1_image.nrrd'));
    const back = await roundTrip(v, 'brain1.nii');
    expectSameGeometry(v, back, 1e-5);
    expect(back.data).toEqual(v.data);
  });
});

describe('NIfTI-1 header of the writer', () => {
  it('writes a qform (quaternion, qfac) that equals its sform', () => {
    const norm = Math.hypot(2, -1, 2);
    for (const direction of [rotation([2 / norm, -1 / norm, 2 / norm], 2.2), [1, 0, 0, 0, -1, 0, 0, 0, 1], [0, 0, 1, 1, 0, 0, 0, 1, 0]]) {
      const v = createVolume([3, 4, 5], { spacing: [0.7, 0.9, 4], origin: [5, -6, 7], direction });
      const bytes = writeNiftiBytes(v);
      const h = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const f = (o: number) => h.getFloat32(o, true);
      const qfac = f(76);
      const [b, c, d] = [f(256), f(260), f(264)];
      const a = Math.sqrt(Math.max(0, 1 - b * b - c * c - d * d));
      const R = [
        a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
        2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
        2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b,
      ];
      const pix = [f(80), f(84), f(88) * qfac];
      for (let r = 0; r < 3; r++) {
        for (let col = 0; col < 3; col++) expect(R[3 * r + col]! * pix[col]!).toBeCloseTo(f(280 + 16 * r + 4 * col), 5);
        expect(f(268 + 4 * r)).toBeCloseTo(f(280 + 16 * r + 12), 5);
      }
      expect(h.getInt32(0, true)).toBe(348);
      expect(f(108)).toBe(352);
      expect(String.fromCharCode(...bytes.subarray(344, 347))).toBe('n+1');
    }
  });
});

describe('rotationToQuaternion', () => {
  it('recovers the matrix through the NIfTI-1 quaternion formula', () => {
    for (const [axis, t] of [[[0, 0, 1], 0.3], [[1, 0, 0], 3.0], [[0, 1, 0], -2.9], [[0.6, 0, 0.8], Math.PI]] as const) {
      const r = rotation(axis as [number, number, number], t);
      const [a, b, c, d] = rotationToQuaternion(r);
      expect(a).toBeGreaterThanOrEqual(0);
      const back = [
        a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
        2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
        2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b,
      ];
      for (let n = 0; n < 9; n++) expect(back[n]).toBeCloseTo(r[n]!, 10);
    }
  });
});
