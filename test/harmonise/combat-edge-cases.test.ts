/**
 * ComBat's edge cases, each a one-line error or sva's documented behaviour
 * (src/core/harmonise/combat.ts), and the no-leakage properties of applying a fitted
 * model: a seen batch's patient depends only on its own values, a new batch only on
 * its own patients.
 */
import { describe, expect, it } from 'vitest';
import { applyCombat, fitCombat } from '../../src/core/harmonise/index.js';
import { createRng } from '../../src/core/util/random.js';

function table(sizes: Record<string, number>, nF: number, seed: number): { x: number[][]; batch: string[] } {
  const rng = createRng(seed);
  const rand = () => rng.next();
  const x: number[][] = [];
  const batch: string[] = [];
  Object.entries(sizes).forEach(([name, n], b) => {
    for (let i = 0; i < n; i++) {
      x.push(Array.from({ length: nF }, (_, f) => 100 + 10 * f + 5 * b * (f % 3) + (1 + 0.3 * b) * (rand() - 0.5) * 8));
      batch.push(name);
    }
  });
  return { x, batch };
}

describe('ComBat edge cases', () => {
  it('a batch of one patient is an error naming the batch', () => {
    const t = table({ A: 6, B: 1, C: 5 }, 6, 1);
    expect(() => fitCombat(t.x, t.batch)).toThrow(/batch "B" has only one patient in the training data/);
  });
  it('a missing batch value is an error naming the patient', () => {
    const t = table({ A: 6, B: 5 }, 6, 2);
    const batch: (string | null)[] = t.batch.slice();
    batch[3] = '';
    const names = t.x.map((_, i) => `P${i + 1}`);
    expect(() => fitCombat(t.x, batch, { sampleNames: names })).toThrow(/^ComBat: P4 has no batch value/);
    batch[3] = null;
    expect(() => fitCombat(t.x, batch, { sampleNames: names })).toThrow(/^ComBat: P4 has no batch value/);
  });
  it('a feature constant within a batch is listed and returned unchanged', () => {
    const t = table({ A: 6, B: 5 }, 6, 3);
    t.x.forEach((r, i) => { if (t.batch[i] === 'A') r[4] = 7; });
    const fit = fitCombat(t.x, t.batch);
    expect(fit.model.unadjusted).toEqual([4]);
    expect(fit.harmonised.map((r) => r[4])).toEqual(t.x.map((r) => r[4]));
    expect(fit.harmonised.map((r) => r[0])).not.toEqual(t.x.map((r) => r[0]));
  });
  it('every feature constant within a batch: one line, not a TypeError', () => {
    const t = table({ A: 6, B: 5 }, 3, 8);
    t.x.forEach((r, i) => { if (t.batch[i] === 'B') r.fill(1); });
    expect(() => fitCombat(t.x, t.batch)).toThrow(/^ComBat: needs at least 2 adjustable features/);
  });
  it('a model whose per-feature arrays do not match its feature count is refused in one line', () => {
    const t = table({ A: 6, B: 5 }, 6, 9);
    const fit = fitCombat(t.x, t.batch);
    const short = { ...fit.model, grandMean: fit.model.grandMean.slice(0, 5) };
    expect(() => applyCombat(short, t.x, t.batch)).toThrow(/^ComBat model: grandMean has 5 values for 6 features$/);
    const batches = fit.model.batches.map((b) => (b.name === 'B' ? { ...b, deltaStar: b.deltaStar.slice(1) } : b));
    expect(() => applyCombat({ ...fit.model, batches }, t.x, t.batch)).toThrow(/^ComBat model: batch "B" deltaStar has 5 values for 6 features$/);
    expect(() => applyCombat({ ...fit.model, covariateNames: ['age'] }, t.x, t.batch, { covariates: t.x.map(() => [1]) })).toThrow(/^ComBat model: 0 rows of covariate coefficients for 1 covariates$/);
  });
  it('a covariate confounded with batch is an error', () => {
    const t = table({ A: 6, B: 5 }, 6, 4);
    const cov = t.batch.map((b) => [b === 'A' ? 1 : 0]);
    expect(() => fitCombat(t.x, t.batch, { covariates: cov, covariateNames: ['site flag'] })).toThrow(/covariate "site flag"/);
  });
  it('an unknown reference batch and a one-patient new batch are errors', () => {
    const t = table({ A: 6, B: 5 }, 6, 5);
    expect(() => fitCombat(t.x, t.batch, { referenceBatch: 'Z' })).toThrow(/reference batch "Z" is not one of the batches \(A, B\)/);
    const fit = fitCombat(t.x, t.batch, { referenceBatch: 'A' });
    expect(() => applyCombat(fit.model, [t.x[0]!], ['NEW'])).toThrow(/batch "NEW" has only one patient in a batch not seen in training/);
  });
  it('a seen batch: each patient harmonised from its own values only (training estimates)', () => {
    const t = table({ A: 8, B: 7, C: 9 }, 10, 6);
    const fit = fitCombat(t.x, t.batch);
    const one = applyCombat(fit.model, [t.x[9]!], [t.batch[9]]);
    expect(one.batches).toEqual([{ name: 'B', n: 1, mode: 'training estimates' }]);
    const many = applyCombat(fit.model, t.x, t.batch);
    expect(one.harmonised[0]).toEqual(many.harmonised[9]);
  });
  it('a new batch: estimated from its own patients only, whatever else is applied with it', () => {
    const t = table({ A: 8, B: 7, N: 9 }, 10, 7);
    const train = t.batch.map((b, i) => (b === 'N' ? -1 : i)).filter((i) => i >= 0);
    const fresh = t.batch.map((b, i) => (b === 'N' ? i : -1)).filter((i) => i >= 0);
    const fit = fitCombat(train.map((i) => t.x[i]!), train.map((i) => t.batch[i]), { referenceBatch: 'A' });
    const alone = applyCombat(fit.model, fresh.map((i) => t.x[i]!), fresh.map((i) => t.batch[i]));
    const mixed = applyCombat(fit.model, [...fresh, ...train].map((i) => t.x[i]!), [...fresh, ...train].map((i) => t.batch[i]));
    expect(mixed.batches.map((b) => b.mode)).toEqual(['reference', 'training estimates', 'new batch']);
    expect(mixed.harmonised.slice(0, fresh.length)).toEqual(alone.harmonised);
    // and the reference batch comes back untouched
    expect(mixed.harmonised.slice(fresh.length, fresh.length + 8)).toEqual(train.slice(0, 8).map((i) => t.x[i]));
  });
});
