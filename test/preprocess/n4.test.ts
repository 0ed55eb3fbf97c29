import { describe, it, expect } from 'vitest';
import { createVolume, type Volume } from '../../src/core/image/volume.js';
import { n4BiasFieldCorrection } from '../../src/core/image/n4/n4.js';
import { sharpenLogIntensities } from '../../src/core/image/n4/sharpen.js';
import { evaluateLattice, prepareLatticeFit, fitLattice, refineLattice, volumeBasis, type Size3 } from '../../src/core/image/n4/bspline-lattice.js';
import { createRng } from '../../src/core/util/random.js';

/**
 * A three-tissue ellipsoid phantom with 2 % Gaussian noise, multiplied by a smooth
 * bias field exp(0.35x − 0.25y + 0.2z + 0.15xy) (x, y, z ∈ [−1, 1] across the
 * ellipsoid): about ±40 % intensity variation across the object.
 */
function phantom(n: Size3 = [64, 64, 24]) {
  const [nx, ny, nz] = n;
  const image = createVolume(n, { spacing: [2, 2, 4] });
  const mask = createVolume(n, { data: new Uint8Array(nx * ny * nz), spacing: [2, 2, 4] });
  const tissue = new Uint8Array(nx * ny * nz);
  const rng = createRng(11);
  const gauss = () => rng.normal();
  const means = [0, 400, 700, 1000];
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const v = i + nx * (j + ny * k);
        const x = (i - (nx - 1) / 2) / (nx / 2 - 2);
        const y = (j - (ny - 1) / 2) / (ny / 2 - 2);
        const z = (k - (nz - 1) / 2) / (nz / 2 - 1);
        const r = x * x + y * y + z * z;
        if (r > 1) continue;
        mask.data[v] = 1;
        const t = r < 0.25 ? 1 : Math.sin(i / 5) * Math.cos(j / 6) > 0.2 ? 2 : 3;
        tissue[v] = t;
        image.data[v] = means[t]! * (1 + 0.02 * gauss()) * Math.exp(0.35 * x - 0.25 * y + 0.2 * z + 0.15 * x * y);
      }
  return { image, mask, tissue };
}

function tissueStats(data: ArrayLike<number>, tissue: Uint8Array) {
  const out: { mean: number; cv: number }[] = [];
  for (const t of [1, 2, 3]) {
    let s = 0;
    let ss = 0;
    let n = 0;
    for (let v = 0; v < data.length; v++)
      if (tissue[v] === t) {
        s += data[v]!;
        ss += data[v]! * data[v]!;
        n++;
      }
    const mean = s / n;
    out.push({ mean, cv: Math.sqrt(ss / n - mean * mean) / mean });
  }
  return out;
}

describe('N4 bias-field correction on a phantom with a smooth multiplicative bias', () => {
  const { image, mask, tissue } = phantom();
  const before = tissueStats(image.data, tissue);
  const result = n4BiasFieldCorrection(image, { mask });
  const after = tissueStats(result.corrected.data, tissue);

  it('reduces the within-tissue coefficient of variation to near the 2 % noise floor', () => {
    for (let t = 0; t < 3; t++) {
      expect(before[t]!.cv).toBeGreaterThan(0.08); // the bias is really there
      expect(after[t]!.cv).toBeLessThan(before[t]!.cv / 2);
      expect(after[t]!.cv).toBeLessThan(0.03);
    }
  });

  it('keeps the tissue contrast: mean ratios within 2 % of the true 7/4 and 10/4', () => {
    expect(Math.abs(after[1]!.mean / after[0]!.mean / 1.75 - 1)).toBeLessThan(0.02);
    expect(Math.abs(after[2]!.mean / after[0]!.mean / 2.5 - 1)).toBeLessThan(0.02);
    // after rescaling by the overall mean, each tissue mean sits within a few percent of the truth
    const scale = (400 + 700 + 1000) / (after[0]!.mean + after[1]!.mean + after[2]!.mean);
    [400, 700, 1000].forEach((m, t) => expect(Math.abs((after[t]!.mean * scale) / m - 1)).toBeLessThan(0.03));
  });

  it('returns the bias field so that corrected · bias = input, and records the run', () => {
    for (let v = 0; v < image.data.length; v += 997) {
      expect(result.corrected.data[v]! * result.biasField.data[v]!).toBeCloseTo(image.data[v]!, 2);
    }
    const r = result.record;
    expect(r.maximumIterations).toEqual([50, 50, 50, 50]);
    expect(r.iterations.length).toBe(4);
    expect(r.finalControlPoints).toEqual([11, 11, 11]); // 4 → 5 → 7 → 11
    expect(r.convergenceThreshold).toBe(0.001);
    expect(r.histogramBins).toBe(200);
  });

  it('with shrink factor 2 the full-resolution correction is about as good', () => {
    const r2 = n4BiasFieldCorrection(image, { mask, shrinkFactor: 2 });
    const s2 = tissueStats(r2.corrected.data, tissue);
    for (let t = 0; t < 3; t++) expect(s2[t]!.cv).toBeLessThan(0.03);
    expect(r2.record.shrinkFactor).toBe(2);
  });

  it('rejects a mask of another size and an empty mask', () => {
    expect(() => n4BiasFieldCorrection(image, { mask: createVolume([2, 2, 2]) })).toThrow(/mask has 8 voxels/);
    const empty: Volume = { ...mask, data: new Uint8Array(mask.data.length) };
    expect(() => n4BiasFieldCorrection(image, { mask: empty })).toThrow(/selects no voxels/);
  });
});

describe('N4 building blocks', () => {
  it('histogram sharpening pulls a blurred two-class distribution towards its two modes', () => {
    const rng = createRng(3);
    const n = 20000;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = (i % 2 ? 6 : 6.6) + 0.05 * rng.normal();
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    const out = new Float64Array(n);
    sharpenLogIntensities(v, idx, out, { histogramBins: 200, fwhm: 0.15, wienerNoise: 0.01 });
    const spread = (d: Float64Array, odd: number) => {
      let s = 0;
      let ss = 0;
      let c = 0;
      for (let i = odd; i < n; i += 2) {
        s += d[i]!;
        ss += d[i]! * d[i]!;
        c++;
      }
      return Math.sqrt(ss / c - (s / c) ** 2);
    };
    expect(spread(out, 1)).toBeLessThan(spread(v, 1));
    expect(spread(out, 0)).toBeLessThan(spread(v, 0));
  });

  it('lattice refinement (C → 2C − 3) describes exactly the same function', () => {
    const size: Size3 = [20, 15, 9];
    const C: Size3 = [5, 6, 4];
    const rng = createRng(5);
    const phi = Float64Array.from({ length: C[0] * C[1] * C[2] }, () => rng.next() - 0.5);
    const f0 = evaluateLattice(phi, C, volumeBasis(size, C));
    const r = refineLattice(phi, C);
    expect(r.C).toEqual([7, 9, 5]);
    const f1 = evaluateLattice(r.phi, r.C, volumeBasis(size, r.C));
    for (let v = 0; v < f0.length; v++) expect(f1[v]).toBeCloseTo(f0[v]!, 12);
  });

  it('scattered-data fit: a single data point is interpolated exactly (Lee et al. local solution φ = r·B/ΣB²)', () => {
    const size: Size3 = [12, 10, 8];
    const C: Size3 = [6, 5, 5];
    for (const at of [[3, 4, 2], [0, 0, 0], [11, 9, 7], [7, 2, 5]]) {
      const v = at[0]! + 12 * (at[1]! + 10 * at[2]!);
      const included = new Uint8Array(12 * 10 * 8);
      included[v] = 1;
      const values = new Float64Array(included.length);
      values[v] = 2.5;
      const fit = prepareLatticeFit(size, C, included);
      const f = evaluateLattice(fitLattice(values, fit), C, fit.basis);
      expect(f[v]).toBeCloseTo(2.5, 12);
    }
  });
});
