/**
 * LoG restricted to a box (what the extractor reads: the ROI's bounding box):
 * an image of the box only, bit for bit the whole-image filter there, for random
 * boxes (touching the edges or not) on volumes with anisotropic spacing; and
 * the LoG image type honouring `readBox` (several σ sharing their scratch).
 */
import { describe, expect, it } from 'vitest';
import { laplacianRecursiveGaussian } from '../../src/core/filters/log.js';
import { imageTypes } from '../../src/core/filters/image-types.js';
import { createVolume, indexToPhysical, type Vec3 } from '../../src/core/image/volume.js';

describe('LoG in a box', () => {
  let seed = 2024;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

  it('equals the whole-image LoG inside the box, bit for bit, and holds the box only', () => {
    for (const [size, spacing, Type] of [
      [[23, 17, 11], [0.8, 0.8, 2.5], Int16Array],
      [[9, 30, 6], [1, 1.5, 1], Float32Array],
    ] as const) {
      const v = createVolume([...size] as Vec3, { spacing: [...spacing] as Vec3, origin: [3, -2, 7], data: new Type(size[0] * size[1] * size[2]) });
      for (let n = 0; n < v.data.length; n++) v.data[n] = Math.round(500 * Math.sin(n * 0.37) + 300 * rand());
      for (const sigma of [1, 2.5]) {
        const whole = laplacianRecursiveGaussian(v, sigma).data;
        for (let t = 0; t < 5; t++) {
          const lower = size.map((n) => (t === 0 ? 0 : Math.floor(rand() * n))) as Vec3;
          const upper = size.map((n, c) => (t === 1 ? n - 1 : lower[c]! + Math.floor(rand() * (n - lower[c]!)))) as Vec3;
          const part = laplacianRecursiveGaussian(v, sigma, true, { lower, upper });
          const label = `${size.join('×')} σ ${sigma} box ${lower.join(',')}…${upper.join(',')}`;
          expect(part.size, label).toEqual(upper.map((u, c) => u - lower[c]! + 1));
          expect(part.origin, label).toEqual(indexToPhysical(v, ...lower));
          expect(Array.from(part.data), label).toEqual(Array.from(boxValues(whole, size, lower, upper)));
        }
      }
    }
  });

  it('the LoG image type computes only the readBox', () => {
    const v = createVolume([12, 13, 11], { spacing: [1, 0.9, 1.7] });
    for (let n = 0; n < v.data.length; n++) v.data[n] = (n * 7919) % 101;
    const box = { lower: [3, 4, 5] as Vec3, upper: [8, 9, 10] as Vec3 };
    const full = imageTypes.LoG!(v, null, { sigma: [2, 1, 3] });
    const part = imageTypes.LoG!(v, null, { sigma: [2, 1, 3], readBox: box });
    expect(part.map((p) => p.prefix)).toEqual(full.map((f) => f.prefix));
    part.forEach((p, i) => {
      expect(p.box).toEqual(box);
      expect(full[i]!.box).toBeUndefined();
      expect(Array.from(p.volume.data)).toEqual(Array.from(boxValues(full[i]!.volume.data, v.size, box.lower, box.upper)));
    });
  });
});

/** The voxels of `box` of an image of `size`, x fastest. */
function boxValues(data: ArrayLike<number>, size: readonly number[], lower: Vec3, upper: Vec3): number[] {
  const out: number[] = [];
  for (let z = lower[2]; z <= upper[2]; z++)
    for (let y = lower[1]; y <= upper[1]; y++)
      for (let x = lower[0]; x <= upper[0]; x++) out.push(data[x + size[0]! * (y + size[1]! * z)]!);
  return out;
}
