/**
 * Label bounding boxes against their definition (the extreme coordinates of the
 * matching voxels) on random masks, and the NaN/Inf voxel count for integer and
 * float voxel types.
 */
import { describe, expect, it } from 'vitest';
import { labelBoundingBox } from '../../src/core/image/crop.js';
import { countNonFinite } from '../../src/core/image/guard.js';
import { createVolume, type Vec3 } from '../../src/core/image/volume.js';

describe('labelBoundingBox', () => {
  it('is the extent of the voxels equal to the label (or non-zero, NaN included, without one)', () => {
    let seed = 99;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let t = 0; t < 400; t++) {
      const size = [1, 2, 3].map(() => 1 + Math.floor(rand() * 8)) as Vec3;
      const v = createVolume(size, { data: new Float32Array(size[0] * size[1] * size[2]) });
      const density = rand() * 0.3;
      for (let n = 0; n < v.data.length; n++) if (rand() < density) v.data[n] = rand() < 0.1 ? NaN : 1 + Math.floor(rand() * 3);
      for (const label of [undefined, 1, 3]) {
        const lower = [Infinity, Infinity, Infinity];
        const upper = [-Infinity, -Infinity, -Infinity];
        for (let k = 0, n = 0; k < size[2]; k++)
          for (let j = 0; j < size[1]; j++)
            for (let i = 0; i < size[0]; i++, n++) {
              const x = v.data[n];
              if (label === undefined ? x === 0 : x !== label) continue;
              [i, j, k].forEach((c, a) => {
                lower[a] = Math.min(lower[a]!, c);
                upper[a] = Math.max(upper[a]!, c);
              });
            }
        const want = lower[0] === Infinity ? null : { lower, upper };
        expect(labelBoundingBox(v, label), `${size.join('×')} label ${label}`).toEqual(want);
      }
    }
  });
});

describe('countNonFinite', () => {
  it('counts NaN and ±Inf in float volumes, optionally inside a mask; integer volumes have none', () => {
    const f = Float64Array.from([1, NaN, Infinity, -Infinity, 0]);
    expect(countNonFinite(f)).toBe(3);
    expect(countNonFinite(f, [0, 1, 0, 1, 1])).toBe(2);
    expect(countNonFinite(Float32Array.from(f))).toBe(3);
    expect(countNonFinite(Int16Array.from([1, -5, 32767]))).toBe(0);
    expect(countNonFinite([1, NaN])).toBe(1);
  });
});
