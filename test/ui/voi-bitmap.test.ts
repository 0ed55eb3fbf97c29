/**
 * Mask ↔ NiiVue drawing bitmap, held to NiiVue itself (its img2RAS for the
 * display order, its drawing export for the way back) and to the geometry
 * (each bitmap axis must step towards R, A, S in space), on axial LPS,
 * RAS-ordered, coronal and oblique sagittal anisotropic grids.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { NVImage } from '@niivue/niivue';
import { writeNiftiBytes } from '../../src/core/image/nifti-write.js';
import { createVolume, indexToPhysical, type Vec3, type Volume } from '../../src/core/image/volume.js';
import { countNonzero, drawBitmapToMask, labelProblem, maskToDrawBitmap, niftiSize, rasLayout } from '../../src/ui/viewer/voi-bitmap.js';

/** Row-major direction (LPS) of rotation by `deg` about LPS axis `axis`, applied to `base`. */
function rotated(base: number[], axis: 0 | 1 | 2, deg: number): number[] {
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const R = axis === 0 ? [1, 0, 0, 0, c, -s, 0, s, c] : axis === 1 ? [c, 0, s, 0, 1, 0, -s, 0, c] : [c, -s, 0, s, c, 0, 0, 0, 1];
  const out = new Array(9).fill(0);
  for (let r = 0; r < 3; r++) for (let col = 0; col < 3; col++) for (let m = 0; m < 3; m++) out[3 * r + col] += R[3 * r + m]! * base[3 * m + col]!;
  return out;
}

const GEOMETRIES: { name: string; size: Vec3; spacing: Vec3; direction: number[] }[] = [
  // DICOM-like axial: file axes along L, P, S — NiiVue flips the first two.
  { name: 'axial LPS, anisotropic (0.6 × 0.6 × 5 mm)', size: [7, 5, 6], spacing: [0.6, 0.6, 5], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
  // A NIfTI written in RAS order: nothing to permute.
  { name: 'RAS-ordered file', size: [6, 7, 5], spacing: [1, 1, 1.5], direction: [-1, 0, 0, 0, -1, 0, 0, 0, 1] },
  // Coronal: rows along L, columns towards inferior, slices towards anterior.
  { name: 'coronal with flips', size: [6, 5, 7], spacing: [0.8, 0.8, 4], direction: [1, 0, 0, 0, 0, -1, 0, -1, 0] },
  // Sagittal acquisition tilted 25° about L–R and 10° about S–I, 3 mm slices.
  {
    name: 'oblique sagittal, anisotropic (3 × 0.9 × 1.1 mm)',
    size: [5, 7, 6],
    spacing: [3, 0.9, 1.1],
    direction: rotated(rotated([0, 0, -1, 1, 0, 0, 0, -1, 0], 0, 25), 2, 10),
  },
];

/** A mask whose labels are all different (index + 1), so any misplaced voxel is seen. */
function labelled(size: Vec3, spacing: Vec3, direction: number[]): Volume {
  const n = size[0] * size[1] * size[2];
  return createVolume(size, { spacing, origin: [-12.5, 30, -4], direction, data: Uint8Array.from({ length: n }, (_, i) => (i + 1) % 256) });
}

async function niivueImage(v: Volume): Promise<NVImage> {
  const bytes = writeNiftiBytes(v);
  return NVImage.loadFromUrl({ url: 'mask.nii', name: 'mask.nii', buffer: bytes.buffer.slice(0) as ArrayBuffer });
}

describe('maskToDrawBitmap / drawBitmapToMask', () => {
  for (const g of GEOMETRIES) {
    describe(g.name, () => {
      it('puts the voxels where NiiVue shows them (its img2RAS) and back where NiiVue saves a drawing', async () => {
        const mask = labelled(g.size, g.spacing, g.direction);
        const nv = await niivueImage(mask);
        const perm = nv.permRAS!;
        const bitmap = maskToDrawBitmap(mask.data, mask.size, perm);
        expect(Array.from(bitmap)).toEqual(Array.from(nv.img2RAS()));
        // NiiVue's own export of a drawing (RAS bitmap → file order), read after its 352-byte header.
        const saved = await nv.saveToUint8Array('drawing.nii', bitmap);
        const native = saved.subarray(352, 352 + bitmap.length);
        const back = drawBitmapToMask(bitmap, mask.size, perm);
        expect(Array.from(back)).toEqual(Array.from(native));
        expect(Array.from(back)).toEqual(Array.from(mask.data));
      });

      it('steps towards Right, Anterior, Superior along the bitmap axes (checked in space)', async () => {
        const mask = labelled(g.size, g.spacing, g.direction);
        const perm = (await niivueImage(mask)).permRAS!;
        const { dimsRAS, start, step } = rasLayout(mask.size, perm);
        // RAS position (mm) of bitmap voxel (x, y, z): the file voxel the layout maps it to, placed by the Volume's geometry.
        const ras = (x: number, y: number, z: number): number[] => {
          const f = start + x * step[0] + y * step[1] + z * step[2];
          const i = f % mask.size[0];
          const j = Math.floor(f / mask.size[0]) % mask.size[1];
          const k = Math.floor(f / (mask.size[0] * mask.size[1]));
          const p = indexToPhysical(mask, i, j, k);
          return [-p[0], -p[1], p[2]];
        };
        expect(dimsRAS.every((d) => d > 1)).toBe(true);
        for (let axis = 0; axis < 3; axis++) {
          const a = ras(0, 0, 0);
          const b = ras(axis === 0 ? 1 : 0, axis === 1 ? 1 : 0, axis === 2 ? 1 : 0);
          const d = [b[0]! - a[0]!, b[1]! - a[1]!, b[2]! - a[2]!];
          // The step's largest component is along this RAS axis, and positive.
          const largest = d.map(Math.abs).indexOf(Math.max(...d.map(Math.abs)));
          expect(largest).toBe(axis);
          expect(d[axis]).toBeGreaterThan(0);
        }
      });
    });
  }

  it('round-trips any mask for every signed permutation of the axes', () => {
    const perms: number[][] = [];
    for (const p of [
      [1, 2, 3],
      [1, 3, 2],
      [2, 1, 3],
      [2, 3, 1],
      [3, 1, 2],
      [3, 2, 1],
    ])
      for (let s = 0; s < 8; s++) perms.push(p.map((a, r) => ((s >> r) & 1 ? -a : a)));
    expect(perms).toHaveLength(48);
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })),
        fc.constantFrom(...perms),
        fc.integer(),
        (size, perm, seed) => {
          const n = size[0] * size[1] * size[2];
          const data = Uint8Array.from({ length: n }, (_, i) => (Math.imul(seed ^ i, 2654435761) >>> 24) % 3);
          const bitmap = maskToDrawBitmap(data, size, perm);
          expect(countNonzero(bitmap)).toBe(countNonzero(data));
          expect(Array.from(drawBitmapToMask(bitmap, size, perm))).toEqual(Array.from(data));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses labels that a drawing cannot hold, naming the voxel', () => {
    expect(labelProblem(Float32Array.of(0, 1, 0.5, 0), [2, 2, 1])).toBe('voxel (0, 1, 0) holds 0.5; a VOI can be edited only when its labels are integers 0–255');
    expect(() => maskToDrawBitmap(Int16Array.of(0, 300), [2, 1, 1], [1, 2, 3])).toThrow(/voxel \(1, 0, 0\) holds 300/);
    expect(() => maskToDrawBitmap(Uint8Array.of(0, 1), [3, 1, 1], [1, 2, 3])).toThrow(/the mask has 2 voxels, the grid 3×1×1 has 3/);
    expect(() => rasLayout([2, 2, 2], [1, 1, 3])).toThrow(/not a signed permutation/);
    expect(() => rasLayout([2, 2, 2], [1, -2])).toThrow(/not a signed permutation/);
  });

  it("reads a grid size from a NIfTI header's dims, or none without three spatial axes", () => {
    expect(niftiSize([4, 7, 5, 6, 1])).toEqual([7, 5, 6]);
    expect(niftiSize([2, 7, 5])).toBeNull();
  });
});
