/**
 * gmmBic and kmeans against scikit-learn 1.2 (GaussianMixture(...).bic, the ICL
 * from the same fits' predict_proba, KMeans(n_init=10).inertia_); fixtures from
 * scripts/fixtures/habitats_sklearn.py.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gmmBic, gmmParameterCount } from '../../src/core/habitats/gmm-bic.js';
import { kmeans } from '../../src/core/habitats/kmeans.js';

interface Fixture {
  gmm: { name: string; points: number[][]; ks: number[]; bic: number[]; best: number; icl: number[]; bestIcl: number; nInit: number }[];
  /** Samples where one EM start often stops in a poor optimum: scikit-learn's n_init=5 and 50, and five n_init=1 runs per k. */
  gmmRestarts: { name: string; points: number[][]; ks: number[]; bic: number[]; bicBest50: number[]; bicSingle: number[][] }[];
  kmeans: { name: string; points: number[][] | null; dataset: string | null; k: number; inertia: number; centroids: number[][] }[];
}
const fx = JSON.parse(
  readFileSync(new URL('../fixtures/habitats/sklearn-gmm-kmeans.json', import.meta.url), 'utf8'),
) as Fixture;

describe('gmmBic vs scikit-learn GaussianMixture.bic', () => {
  for (const c of fx.gmm) {
    it(`${c.name}: BIC within 0.5 % for k = ${c.ks.join(',')}`, () => {
      const r = gmmBic(c.points, c.ks, { seed: 1, nInit: c.nInit });
      const rel = r.bic.map((b, i) => Math.abs(b - c.bic[i]!) / Math.abs(c.bic[i]!));
      expect(Math.max(...rel)).toBeLessThan(0.005);
      expect(r.best).toBe(c.best);
    });
    it(`${c.name}: ICL as scikit-learn's fits give it, and the same k of minimum ICL (${c.bestIcl})`, () => {
      const r = gmmBic(c.points, c.ks, { seed: 1, nInit: c.nInit });
      const rel = r.icl.map((b, i) => Math.abs(b - c.icl[i]!) / Math.abs(c.icl[i]!));
      // Up to the minimum both fits find the same optimum: equal to rounding. Above it EM
      // stops in different local optima, and the assignment term is more sensitive to
      // that than the likelihood (measured ≤ 1.3 %).
      rel.forEach((x, i) => expect(x, `k = ${c.ks[i]}`).toBeLessThan(c.ks[i]! <= c.bestIcl ? 1e-9 : 0.02));
      expect(r.bestIcl).toBe(c.bestIcl);
      // ICL = BIC + a non-negative assignment-uncertainty term, 0 for one component
      r.icl.forEach((v, i) => expect(v).toBeGreaterThanOrEqual(r.bic[i]! - 1e-9));
      if (c.ks[0] === 1) expect(r.icl[0]).toBeCloseTo(r.bic[0]!, 9);
    });
  }

  it('two modes joined by a partial-volume bridge: BIC adds a component, ICL keeps the two modes', () => {
    const c = fx.gmm.find((g) => g.name === '1d-two-modes-with-bridge')!;
    expect(c.best).toBeGreaterThan(2);
    expect(c.bestIcl).toBe(2);
  });

  it('counts parameters as scikit-learn (_n_parameters, full covariance)', () => {
    expect(gmmParameterCount(1, 1)).toBe(2);
    expect(gmmParameterCount(3, 2)).toBe(3 * 2 + 3 * 3 + 2);
    expect(gmmParameterCount(4, 3)).toBe(12 + 24 + 3);
  });

  it('is deterministic under a seed, also with EM subsampling', () => {
    const pts = fx.gmm[0]!.points;
    const a = gmmBic(pts, [1, 2, 3], { seed: 7, maxFitPoints: 300 });
    const b = gmmBic(pts, [1, 2, 3], { seed: 7, maxFitPoints: 300 });
    expect(a.bic).toEqual(b.bic);
  });
});

describe('gmmBic restarts reach scikit-learn’s best-of-n BIC where one start fails (issue 19)', () => {
  for (const c of fx.gmmRestarts) {
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    it(`${c.name}: a single start is not enough, for scikit-learn and for a single start here (k = 2)`, () => {
      const k2 = c.ks.indexOf(2);
      // scikit-learn: some of its five n_init=1 runs end > 1 % above the best BIC
      expect(Math.max(...c.bicSingle[k2]!.map((b) => rel(b, c.bicBest50[k2]!)))).toBeGreaterThan(0.01);
      // here: one start with seeds 1…3, at least one ends > 1 % above it
      const single = [1, 2, 3].map((seed) => gmmBic(c.points, [2], { seed, nInit: 1 }).bic[0]);
      expect(Math.max(...single.map((b) => rel(b!, c.bicBest50[k2]!)))).toBeGreaterThan(0.01);
    });
    it(`${c.name}: the default starts give scikit-learn's n_init=5 BIC within 0.1 % for k = ${c.ks.join(',')}`, () => {
      for (const seed of [1, 2, 3]) {
        const r = gmmBic(c.points, c.ks, { seed });
        r.bic.forEach((b, i) => {
          expect(rel(b, c.bic[i]!), `seed ${seed}, k = ${c.ks[i]}`).toBeLessThan(0.001);
          expect(rel(b, c.bicBest50[i]!), `seed ${seed}, k = ${c.ks[i]} vs n_init=50`).toBeLessThan(0.001);
        });
      }
    });
    it(`${c.name}: more starts never end above the first start's BIC (the first start is kept)`, () => {
      const one = gmmBic(c.points, c.ks, { seed: 1, nInit: 1 });
      const five = gmmBic(c.points, c.ks, { seed: 1, nInit: 5 });
      five.bic.forEach((b, i) => expect(b).toBeLessThanOrEqual(one.bic[i]! + 1e-9 * Math.abs(b)));
    });
  }
});

describe('kmeans vs scikit-learn KMeans(n_init=10).inertia_', () => {
  const byName = new Map(fx.gmm.map((g) => [g.name, g.points]));
  for (const c of fx.kmeans) {
    it(`${c.name}, k = ${c.k}: inertia within 1e-6 relative`, () => {
      const pts = c.points ?? (byName.get(c.dataset as string) as number[][]);
      const r = kmeans(pts, c.k, { seed: 3, nInit: 10 });
      expect(Math.abs(r.inertia - c.inertia) / c.inertia).toBeLessThan(1e-6);
      // Same centroids up to order.
      const mine = [...r.centroids].sort((a, b) => a[0]! - b[0]!);
      const ref = [...c.centroids].sort((a, b) => a[0]! - b[0]!);
      for (let j = 0; j < c.k; j++) {
        for (let f = 0; f < mine[j]!.length; f++) expect(mine[j]![f]).toBeCloseTo(ref[j]![f]!, 6);
      }
      expect(r.labels.length).toBe(pts.length);
    });
  }
});
