/**
 * The PyRadiomics wavelet image type restricted to a box (what the extractor
 * reads: the ROI's bounding box): images of the box only, bit for bit the
 * whole-image sub-bands there — odd and even sizes (PyRadiomics' wrap padding), boxes
 * touching the edges (the periodic wrap), several filter banks, float32 and
 * float64 arithmetic, force2D.
 */
import { describe, expect, it } from 'vitest';
import { pyradiomicsWaveletImages } from '../../src/core/filters/wavelet.js';
import { createVolume, indexToPhysical, type Vec3 } from '../../src/core/image/volume.js';

describe('wavelet sub-bands in a box', () => {
  let seed = 31337;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

  it('equal the whole-image sub-bands inside the box and hold the box only', () => {
    const cases: [Vec3, Int16ArrayConstructor | Float32ArrayConstructor, string, boolean][] = [
      [[15, 12, 9], Int16Array, 'coif1', false],
      [[16, 11, 10], Float32Array, 'coif1', false],
      [[13, 14, 7], Int16Array, 'haar', false],
      [[12, 9, 11], Int16Array, 'db2', false],
      [[10, 13, 8], Float32Array, 'bior1.3', false],
      [[14, 10, 6], Int16Array, 'coif1', true],
    ];
    for (const [size, Type, wavelet, force2D] of cases) {
      const v = createVolume(size, { origin: [1, 2, -3], spacing: [0.7, 0.8, 2], data: new Type(size[0] * size[1] * size[2]) });
      for (let n = 0; n < v.data.length; n++) v.data[n] = Math.round(800 * Math.sin(n * 0.61) + 200 * rand());
      const whole = pyradiomicsWaveletImages(v, { wavelet, force2D });
      for (let t = 0; t < 5; t++) {
        const lower = size.map((n) => (t === 0 ? 0 : Math.floor(rand() * n))) as Vec3;
        const upper = size.map((n, c) => (t === 1 ? n - 1 : lower[c]! + Math.floor(rand() * (n - lower[c]!)))) as Vec3;
        const part = pyradiomicsWaveletImages(v, { wavelet, force2D, box: { lower, upper } });
        expect(part.map((p) => p.prefix)).toEqual(whole.map((w) => w.prefix));
        part.forEach(({ prefix, volume, box }, b) => {
          const label = `${size.join('×')} ${Type.name} ${wavelet}${force2D ? ' 2D' : ''} ${prefix} box ${lower.join(',')}…${upper.join(',')}`;
          expect(box, label).toEqual({ lower, upper });
          expect(volume.size, label).toEqual(upper.map((u, c) => u - lower[c]! + 1));
          expect(volume.origin, label).toEqual(indexToPhysical(v, ...lower));
          expect(volume.data.constructor, label).toBe(whole[b]!.volume.data.constructor);
          const w = whole[b]!.volume.data;
          const inBox: number[] = [];
          for (let z = lower[2]; z <= upper[2]; z++)
            for (let y = lower[1]; y <= upper[1]; y++)
              for (let x = lower[0]; x <= upper[0]; x++) inBox.push(w[x + size[0] * (y + size[1] * z)]!);
          expect(Array.from(volume.data), label).toEqual(inBox);
        });
      }
    }
  });

  it('computes the whole image for later levels (box ignored)', () => {
    const v = createVolume([8, 8, 8], { data: Float64Array.from({ length: 512 }, (_, n) => (n * 37) % 91) });
    const box = { lower: [2, 2, 2] as Vec3, upper: [5, 5, 5] as Vec3 };
    const a = pyradiomicsWaveletImages(v, { level: 2 });
    const b = pyradiomicsWaveletImages(v, { level: 2, box });
    b.forEach((x, i) => expect(Array.from(x.volume.data)).toEqual(Array.from(a[i]!.volume.data)));
  });
});
