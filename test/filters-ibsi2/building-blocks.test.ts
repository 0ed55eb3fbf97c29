/** Unit checks of the IBSI 2 building blocks against their definitions. */
import { describe, expect, it } from 'vitest';
import { boundaryIndex } from '../../src/core/util/boundary.js';
import { fft1d } from '../../src/core/util/fft.js';
import { rightAngleRotations, rotateSeparableSet } from '../../src/core/filters/ibsi2/rotations.js';
import { convolveAxis } from '../../src/core/filters/ibsi2/separable.js';
import { parseAngle, parseOrder } from '../../src/core/filters/ibsi2/index.js';

describe('boundary conditions (IBSI 2 section 2.3)', () => {
  // line a b c (indices 0 1 2), positions −4 … 6
  const pos = [-4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6];
  it('zero', () => expect(pos.map((p) => boundaryIndex(p, 3, 'zero'))).toEqual([-1, -1, -1, -1, 0, 1, 2, -1, -1, -1, -1]));
  it('nearest', () => expect(pos.map((p) => boundaryIndex(p, 3, 'nearest'))).toEqual([0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2]));
  it('periodic', () => expect(pos.map((p) => boundaryIndex(p, 3, 'periodic'))).toEqual([2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0]));
  // symmetric: … c b a | a b c | c b a | a …
  it('mirror', () => expect(pos.map((p) => boundaryIndex(p, 3, 'mirror'))).toEqual([2, 2, 1, 0, 0, 1, 2, 2, 1, 0, 0]));
});

describe('separable convolution', () => {
  it('is a convolution (kernel flipped), not a correlation', () => {
    const x = new Float64Array([0, 0, 1, 0, 0]);
    const y = convolveAxis(x, [5, 1, 1], 0, [1, 2, 3], 'zero');
    expect(Array.from(y)).toEqual([0, 1, 2, 3, 0]);
  });
});

describe('FFT', () => {
  for (const n of [16, 12, 76]) {
    it(`matches the direct DFT for n = ${n}`, () => {
      const re = Float64Array.from({ length: n }, (_, k) => Math.sin(1.3 * k) + 0.1 * k);
      const im = Float64Array.from({ length: n }, (_, k) => Math.cos(0.7 * k));
      const fr = re.slice();
      const fi = im.slice();
      fft1d(fr, fi);
      for (let k = 0; k < n; k++) {
        let sr = 0;
        let si = 0;
        for (let t = 0; t < n; t++) {
          const a = (-2 * Math.PI * k * t) / n;
          sr += re[t]! * Math.cos(a) - im[t]! * Math.sin(a);
          si += re[t]! * Math.sin(a) + im[t]! * Math.cos(a);
        }
        expect(fr[k]).toBeCloseTo(sr, 9);
        expect(fi[k]).toBeCloseTo(si, 9);
      }
      fft1d(fr, fi, true);
      for (let k = 0; k < n; k++) expect(fr[k]).toBeCloseTo(re[k]!, 12);
    });
  }
});

describe('right-angle rotations', () => {
  it('24 in 3D, 4 in 2D, all distinct proper rotations', () => {
    const r3 = rightAngleRotations(3);
    expect(r3).toHaveLength(24);
    expect(new Set(r3.map((m) => JSON.stringify(m))).size).toBe(24);
    expect(rightAngleRotations(2)).toHaveLength(4);
  });
  it('an asymmetric kernel with three different axes has 24 distinct rotations; identical symmetric ones only 1', () => {
    const a = new Float64Array([1, 2, 3]);
    const b = new Float64Array([4, 5, 7]);
    const c = new Float64Array([8, 9, 11]);
    expect(rotateSeparableSet({ axes: [a, b, c] })).toHaveLength(24);
    const s = new Float64Array([1, 2, 1]);
    expect(rotateSeparableSet({ axes: [s, s, s] })).toHaveLength(1);
  });
});

describe('option parsing', () => {
  it('angles', () => {
    expect(parseAngle('pi/4', 't')).toBeCloseTo(Math.PI / 4, 12);
    expect(parseAngle('5pi/4', 't')).toBeCloseTo((5 * Math.PI) / 4, 12);
    expect(parseAngle('45deg', 't')).toBeCloseTo(Math.PI / 4, 12);
    expect(parseAngle(0.5, 't')).toBe(0.5);
    expect(() => parseAngle('abc', 't')).toThrow(/angle/);
  });
  it('Riesz orders', () => {
    expect(parseOrder('1,0,0')).toEqual([1, 0, 0]);
    expect(() => parseOrder('1,x')).toThrow(/order/);
  });
});

describe('dispatch table (CLI-style options)', () => {
  it('gives the same maps as the direct calls', async () => {
    const { ibsi2Filters, lawsFilter, gaborFilter, separableWaveletFilter } = await import('../../src/core/filters/ibsi2/index.js');
    const { createVolume } = await import('../../src/core/image/volume.js');
    const data = Float32Array.from({ length: 12 * 10 * 8 }, (_, n) => Math.sin(n * 0.37) * 100 + (n % 7));
    const v = createVolume([12, 10, 8], { spacing: [2, 2, 2], data });
    const same = (a: ArrayLike<number>, b: ArrayLike<number>) => expect(Array.from(a)).toEqual(Array.from(b));
    same(
      ibsi2Filters.laws(v, { kernel: 'E3W5R5', 'rotation-invariant': true, delta: '2', boundary: 'reflect' }).data,
      lawsFilter(v, { kernel: 'E3W5R5', rotationInvariant: true, pooling: 'max', energyDelta: 2, boundary: 'mirror' }).data,
    );
    same(
      ibsi2Filters.gabor(v, { sigma: '4', lambda: '3', gamma: '0.5', theta: 'pi/3', boundary: 'zero' }).data,
      gaborFilter(v, { sigma: 4, lambda: 3, gamma: 0.5, theta: Math.PI / 3, boundary: 'zero' }).data,
    );
    same(
      ibsi2Filters.wavelet(v, { wavelet: 'db2', band: 'lhl', level: '2', boundary: 'wrap' }).data,
      separableWaveletFilter(v, { wavelet: 'db2', subband: 'LHL', level: 2, boundary: 'periodic' }).data,
    );
    expect(() => ibsi2Filters.log(v, {})).toThrow(/sigma/);
    expect(() => ibsi2Filters.mean(v, { support: '4' })).toThrow(/odd/);
  });
});
