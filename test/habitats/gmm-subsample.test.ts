/**
 * gmmBic's `maxFitPoints` (EM on a seeded subsample, 2 EM steps and the BIC on all points)
 * against EM on all points: the approximation the benchmark and the cohort
 * model use must not move the curve or its minimum.
 */
import { describe, expect, it } from 'vitest';
import { gmmBic } from '../../src/core/habitats/gmm-bic.js';
import { createRng } from '../../src/core/util/random.js';

describe('gmmBic with EM on a subsample', () => {
  it('stays within 0.1 % of full EM and keeps the minimum (1-D, 3 planted components, n = 30 000)', () => {
    const rng = createRng(12);
    const n = 30_000;
    const x = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      const u = rng.next();
      x[s] = u < 0.3 ? -2 + 0.5 * rng.normal() : u < 0.7 ? 0.4 * rng.normal() : 1.8 + 0.6 * rng.normal();
    }
    const ks = [1, 2, 3, 4, 5];
    const full = gmmBic({ data: x, dim: 1 }, ks, { seed: 2 });
    const sub = gmmBic({ data: x, dim: 1 }, ks, { seed: 2, maxFitPoints: 5_000 });
    expect(full.best).toBe(3);
    expect(sub.best).toBe(3);
    for (let i = 0; i < ks.length; i++) expect(Math.abs(sub.bic[i]! - full.bic[i]!) / full.bic[i]!).toBeLessThan(1e-3);
  });
});
