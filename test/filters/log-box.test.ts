/**
 * LoG restricted to a box (what the extractor reads: the ROI's bounding box):
 * bit for bit the whole-image filter inside the box, NaN outside, for random
 * boxes (touching the edges or not) on volumes with anisotropic spacing; and
 * the LoG image type honouring `readBox`.
 */
import { describe, expect, it } from 'vitest';
import { laplacianRecursiveGaussian } from '../../src/core/filters/log.js';
import { imageTypes } from '../../src/core/filters/image-types.js';
import { createVolume, type Vec3 } from '../../src/core/image/volume.js';

describe('LoG in a box', () => {
  let seed = 2024;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

  it('equals the whole-image LoG inside the box, bit for bit, and is NaN outside', () => {
    for (const [size, spacing, Type] of [
      [[23, 17, 11], [0.8, 0.8, 2.5], Int16Array],
      [[9, 30, 6], [1, 1.5, 1], Float32Array],
    ] as const) {
      const v = createVolume([...size] as Vec3, { spacing: [...spacing] as Vec3, data: new Type(size[0] * size[1] * size[2]) });
      for (let n = 0; n < v.data.length; n++) v.data[n] = Math.round(500 * Math.sin(n * 0.37) + 300 * rand());
      for (const sigma of [1, 2.5]) {
        const whole = laplacianRecursiveGaussian(v, sigma).data;
        for (let t = 0; t < 5; t++) {
          const lower = size.map((n) => (t === 0 ? 0 : Math.floor(rand() * n))) as Vec3;
          const upper = size.map((n, c) => (t === 1 ? n - 1 : lower[c] + Math.floor(rand() * (n - lower[c])))) as Vec3;
          const got = laplacianRecursiveGaussian(v, sigma, true, { lower, upper }).data;
          let inside = 0;
          let same = 0;
          let nanOutside = 0;
          for (let z = 0, n = 0; z < size[2]; z++)
            for (let y = 0; y < size[1]; y++)
              for (let x = 0; x < size[0]; x++, n++) {
                const inBox = x >= lower[0] && x <= upper[0] && y >= lower[1] && y <= upper[1] && z >= lower[2] && z <= upper[2];
                if (inBox) {
                  inside++;
                  if (Object.is(got[n], whole[n])) same++;
                } else if (Number.isNaN(got[n])) nanOutside++;
              }
          const label = `${size.join('×')} σ ${sigma} box ${lower.join(',')}…${upper.join(',')}`;
          expect(same, label).toBe(inside);
          expect(nanOutside, label).toBe(got.length - inside);
        }
      }
    }
  });

  it('the LoG image type computes only the readBox', () => {
    const v = createVolume([12, 12, 12], { spacing: [1, 1, 1] });
    for (let n = 0; n < v.data.length; n++) v.data[n] = (n * 7919) % 101;
    const box = { lower: [3, 4, 5] as Vec3, upper: [8, 9, 10] as Vec3 };
    const [full] = imageTypes.LoG(v, null, { sigma: [2] });
    const [part] = imageTypes.LoG(v, null, { sigma: [2], readBox: box });
    expect(part.prefix).toBe(full.prefix);
    const at = (x: number, y: number, z: number) => x + 12 * (y + 12 * z);
    expect(part.volume.data[at(3, 4, 5)]).toBe(full.volume.data[at(3, 4, 5)]);
    expect(part.volume.data[at(8, 9, 10)]).toBe(full.volume.data[at(8, 9, 10)]);
    expect(part.volume.data[at(2, 4, 5)]).toBeNaN();
    expect(part.volume.data[at(8, 9, 11)]).toBeNaN();
  });
});
