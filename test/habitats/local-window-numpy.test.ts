/**
 * Local-window voxel descriptors (masked (2r+1)³ kernel, first-order features)
 * against a brute-force numpy/scipy.stats reference
 * (scripts/fixtures/habitats_local_window.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createVolume, type Vec3 } from '../../src/core/image/volume.js';
import { LOCAL_FEATURES, boxSum3d, voxelDescriptors } from '../../src/core/habitats/voxel-descriptors.js';

interface Fixture {
  size: Vec3;
  binWidth: number;
  image: number[];
  mask: number[];
  radii: Record<string, Record<string, number[]>>;
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/habitats/local-window.json', import.meta.url), 'utf8')) as Fixture;
const image = createVolume(fx.size, { data: Float64Array.from(fx.image) });
const mask = createVolume(fx.size, { data: Uint8Array.from(fx.mask) });

describe('local-window first-order maps vs numpy brute force', () => {
  for (const r of Object.keys(fx.radii)) {
    it(`radius ${r}: ${LOCAL_FEATURES.join(', ')}`, () => {
      const d = voxelDescriptors({ MR: image }, mask, 'MR', {
        normalisation: 'none',
        local: { radius: Number(r), features: [...LOCAL_FEATURES], binWidth: fx.binWidth },
      });
      expect(d.dim).toBe(1 + LOCAL_FEATURES.length);
      const n = d.indices.length;
      expect(n).toBe(fx.radii[r]!.mean!.length);
      LOCAL_FEATURES.forEach((f, c) => {
        const ref = fx.radii[r]![f]!;
        for (let s = 0; s < n; s++) {
          const got = d.data[s * d.dim + 1 + c]!;
          expect(Math.abs(got - ref[s]!)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(ref[s]!)));
        }
      });
    });
  }

  it('column 0 is the intensity normalised over the VOI (z-score by default)', () => {
    const d = voxelDescriptors({ MR: image }, mask, 'MR');
    let m = 0;
    let v = 0;
    const n = d.indices.length;
    for (let s = 0; s < n; s++) m += d.data[s]! / n;
    for (let s = 0; s < n; s++) v += (d.data[s]! - m) ** 2 / n;
    expect(m).toBeCloseTo(0, 12);
    expect(v).toBeCloseTo(1, 12);
    const voi = fx.image.filter((_, q) => fx.mask[q]! > 0);
    const mu = voi.reduce((a, b) => a + b, 0) / voi.length;
    const sd = Math.sqrt(voi.reduce((a, b) => a + (b - mu) ** 2, 0) / voi.length);
    expect(d.data[0]).toBeCloseTo((voi[0]! - mu) / sd, 12);
  });

  it('box sums equal brute-force sums at the borders', () => {
    const size: [number, number, number] = [5, 4, 3];
    const a = Float64Array.from({ length: 60 }, (_, q) => (q * 7) % 11);
    const ref = new Float64Array(60);
    for (let k = 0; k < 3; k++)
      for (let j = 0; j < 4; j++)
        for (let i = 0; i < 5; i++) {
          let s = 0;
          for (let c = Math.max(0, k - 1); c <= Math.min(2, k + 1); c++)
            for (let b = Math.max(0, j - 1); b <= Math.min(3, j + 1); b++)
              for (let q = Math.max(0, i - 1); q <= Math.min(4, i + 1); q++) s += a[q + 5 * (b + 4 * c)]!;
          ref[i + 5 * (j + 4 * k)] = s;
        }
    boxSum3d(a, size, 1, new Float64Array(60));
    expect(Array.from(a)).toEqual(Array.from(ref));
  });

  it('appends the other sequences and rejects a grid mismatch naming the patient', () => {
    const other = createVolume(fx.size, { data: Float64Array.from(fx.image, (x) => 2 * x + 5) });
    const d = voxelDescriptors({ MR: image, CE: other }, mask, 'MR', { otherSequences: ['CE'] });
    expect(d.names).toEqual(['MR:intensity', 'CE:intensity']);
    // z-scores are invariant to the affine map, so both columns agree.
    for (let s = 0; s < d.indices.length; s++) expect(d.data[2 * s + 1]).toBeCloseTo(d.data[2 * s]!, 10);
    const shifted = { ...other, origin: [1, 0, 0] as Vec3 };
    expect(() => voxelDescriptors({ MR: image, CE: shifted }, mask, 'MR', { otherSequences: ['CE'] }, 'P7')).toThrow(
      /patient P7: sequence "CE" and the mask are on different grids/,
    );
    const withNaN = createVolume(fx.size, { data: Float64Array.from(fx.image, (x, q) => (q === d.indices[3] ? NaN : x)) });
    expect(() => voxelDescriptors({ MR: withNaN }, mask, 'MR', {}, 'P8')).toThrow(/patient P8: sequence "MR" has a non-finite intensity/);
    const empty = createVolume(fx.size, { data: new Uint8Array(fx.mask.length) });
    expect(() => voxelDescriptors({ MR: image }, empty, 'MR', {}, 'P9')).toThrow('patient P9: the mask is empty (no voxel > 0)');
  });
});
