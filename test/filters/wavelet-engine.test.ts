/**
 * The undecimated wavelet engine against PyWavelets 1.1.1 and numpy
 * (fixture: scripts/fixtures/wavelet-swtn.py → test/fixtures/filters/wavelet-swtn.json),
 * and the filter banks against the defining properties of (bi)orthogonal wavelets
 * and closed forms (Haar; Daubechies 1988 D4).
 */
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/filters/wavelet-swtn.json';
import { createVolume } from '../../src/core/image/volume.js';
import {
  filterAlongAxis,
  pyradiomicsWaveletImages,
  pyradiomicsWaveletImagesInMask,
  waveletFilterBank,
  waveletNames,
} from '../../src/core/filters/wavelet.js';
import type { BoundaryMode } from '../../src/core/util/boundary.js';

type Size = [number, number, number];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('wavelet filter banks (PyWavelets 1.1.1 tables)', () => {
  it('include haar, db1–db20, sym2–sym20, coif1–coif5, bior/rbio and dmey', () => {
    const names = waveletNames();
    for (const n of ['haar', 'db1', 'db10', 'db20', 'sym2', 'sym10', 'coif1', 'coif5', 'bior1.1', 'bior6.8', 'rbio3.1', 'dmey']) {
      expect(names).toContain(n);
    }
    expect(() => waveletFilterBank('db99')).toThrow(/db99/);
  });

  it.each(waveletNames())('%s: low pass sums to √2, high pass to 0', (name) => {
    const { decLo, decHi } = waveletFilterBank(name);
    expect(decLo.length).toBe(decHi.length);
    const sum = (a: readonly number[]) => a.reduce((s, x) => s + x, 0);
    // dmey is a truncated FIR approximation of the Meyer wavelet: its sums are off by ~1e-3.
    const digits = name === 'dmey' ? 2 : 6;
    expect(sum(decLo)).toBeCloseTo(Math.SQRT2, digits);
    expect(sum(decHi)).toBeCloseTo(0, digits);
  });

  const orthogonal = waveletNames().filter((n) => /^(haar|db\d+|sym\d+|coif\d+)$/.test(n));
  it.each(orthogonal)('%s: orthonormal under even shifts, high pass is the alternating flip', (name) => {
    const { decLo: h, decHi: g } = waveletFilterBank(name);
    const L = h.length;
    for (let m = 0; 2 * m < L; m++) {
      let hh = 0;
      let hg = 0;
      for (let k = 0; k + 2 * m < L; k++) {
        hh += h[k]! * h[k + 2 * m]!;
        hg += h[k]! * g[k + 2 * m]!;
      }
      expect(hh).toBeCloseTo(m === 0 ? 1 : 0, 8);
      expect(hg).toBeCloseTo(0, 8);
    }
    // Quadrature mirror: g[k] = (−1)^(k+1) h[L−1−k] (PyWavelets' sign convention).
    for (let k = 0; k < L; k++) expect(g[k]).toBeCloseTo((k % 2 ? 1 : -1) * h[L - 1 - k]!, 12);
  });

  it('float32 coiflet filters are float32 values within one float32 step of dec_lo', () => {
    for (const name of ['coif1', 'coif2', 'coif3', 'coif4', 'coif5']) {
      const { decLo, decLo32, decHi32 } = waveletFilterBank(name);
      expect(decLo32, name).toBeDefined();
      expect(decHi32, name).toBeDefined();
      decLo32!.forEach((x, i) => {
        expect(Math.fround(x)).toBe(x);
        expect(Math.abs(x - decLo[i]!)).toBeLessThanOrEqual(2 ** -23 * Math.abs(decLo[i]!) * 2);
      });
    }
    expect(waveletFilterBank('db4').decLo32).toBeUndefined();
  });

  it('haar and db2 match their closed forms', () => {
    const r = Math.SQRT1_2;
    expect(waveletFilterBank('haar').decLo).toEqual([r, r]);
    const s3 = Math.sqrt(3);
    const d4 = [1 - s3, 3 - s3, 3 + s3, 1 + s3].map((x) => x / (4 * Math.SQRT2));
    waveletFilterBank('db2').decLo.forEach((x, i) => expect(x).toBeCloseTo(d4[i]!, 14));
  });
});

describe('filterAlongAxis against a direct numpy evaluation (zero / nearest / periodic / mirror)', () => {
  const { size, data, kernel, cases } = fixture.axis;
  it.each(cases.map((c) => [c.mode, c.axis, c.step, c.shift, c.out] as const))(
    'mode %s axis %i step %i shift %i',
    (mode, axis, step, shift, out) => {
      const got = filterAlongAxis(data, size as Size, axis as 0 | 1 | 2, kernel, { mode: mode as BoundaryMode, step, shift });
      expect(maxAbsDiff(got, out)).toBeLessThan(1e-10);
    },
  );
});

describe("pyradiomicsWaveletImages against PyRadiomics' _swt3 recipe on PyWavelets", () => {
  const { size, data, cases } = fixture.pyradiomics;
  const volume = createVolume(size as Size, { data: Int16Array.from(data), spacing: [0.7, 0.8, 2] });
  it.each(cases.map((c) => [c.wavelet, c.startLevel, c.level, c.force2D, c.force2Ddimension, c] as const))(
    '%s start_level %i level %i force2D %s (dimension %i), odd 7×5×3 image',
    (wavelet, startLevel, level, force2D, force2Ddimension, c) => {
      const images = pyradiomicsWaveletImages(volume, { wavelet, startLevel, level, force2D, force2Ddimension });
      expect(images.map((x) => x.prefix)).toEqual(c.images.map((x) => x.prefix));
      images.forEach((img, i) => {
        expect(img.volume.size).toEqual(size);
        expect(img.volume.spacing).toEqual([0.7, 0.8, 2]);
        const ref = c.images[i]!.data;
        const scale = Math.max(1, ...ref.map(Math.abs));
        expect(maxAbsDiff(img.volume.data, ref) / scale, img.prefix).toBeLessThan(1e-11);
      });
    },
  );
});

describe('pyradiomicsWaveletImages on float32 images: PyWavelets single precision, bit-identical', () => {
  const { size, data, cases } = fixture.pyradiomicsFloat32;
  const volume = createVolume(size as Size, { data: Float32Array.from(data) });
  it.each(cases.map((c) => [c.wavelet, c.startLevel, c.level, c.force2D, c] as const))(
    '%s start_level %i level %i force2D %s',
    (wavelet, startLevel, level, force2D, c) => {
      const images = pyradiomicsWaveletImages(volume, { wavelet, startLevel, level, force2D, force2Ddimension: c.force2Ddimension });
      expect(images.map((x) => x.prefix)).toEqual(c.images.map((x) => x.prefix));
      images.forEach((img, i) => {
        expect(img.volume.data).toBeInstanceOf(Float32Array);
        let mismatches = 0;
        c.images[i]!.data.forEach((r, p) => (mismatches += img.volume.data[p] === Math.fround(r) ? 0 : 1));
        expect(mismatches, img.prefix).toBe(0);
      });
    },
  );
});

describe('pyradiomicsWaveletImagesInMask (crop to the mask plus the filter reach)', () => {
  const size: [number, number, number] = [41, 36, 21];
  const n = size[0] * size[1] * size[2];
  const data = new Int16Array(n);
  for (let i = 0; i < n; i++) data[i] = ((i * 7919) % 613) - 100;
  const volume = createVolume(size, { data, spacing: [0.8, 0.8, 3] });
  const maskAt = (x0: number, x1: number, y0: number, y1: number, z0: number, z1: number) => {
    const m = new Uint8Array(n);
    for (let z = z0; z <= z1; z++) for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) m[x + size[0] * (y + size[1] * z)] = 1;
    return createVolume(size, { data: m });
  };
  it.each([
    ['inside', maskAt(15, 22, 12, 20, 8, 12), { wavelet: 'coif1' }],
    ['touching the x border (x kept whole: periodic wrap)', maskAt(0, 6, 12, 20, 8, 12), { wavelet: 'db3' }],
    ['two levels, start level 1', maskAt(14, 25, 14, 19, 9, 11), { wavelet: 'haar', startLevel: 1, level: 2 }],
  ] as const)('mask %s: bit-identical to the whole-image transform inside the mask', (_name, mask, options) => {
    const full = pyradiomicsWaveletImages(volume, options);
    const part = pyradiomicsWaveletImagesInMask(volume, mask, 1, options);
    expect(part.map((p) => p.prefix)).toEqual(full.map((p) => p.prefix));
    part.forEach((p, b) => {
      let inMask = 0;
      let nan = 0;
      for (let i = 0; i < n; i++) {
        if (mask.data[i]) {
          expect(p.volume.data[i]).toBe(full[b]!.volume.data[i]);
          inMask++;
        }
        if (Number.isNaN(p.volume.data[i])) nan++;
      }
      expect(inMask).toBeGreaterThan(0);
      expect(nan).toBeGreaterThan(0);
    });
  });
});
