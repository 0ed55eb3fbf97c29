/**
 * Harrell's bootstrap optimism correction against rms::validate (fixture from
 * scripts/fixtures/optimism_rms.R: the same resamples rms drew, replayed from its
 * seed, and the indices computed by hand in R on them, checked there against
 * validate()'s table). The modelling here is a plain logistic regression, as lrm.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logisticRegression, predictLogistic } from '../../src/core/learn/logistic.js';
import { bootstrapResamples, optimismBootstrap, type RowFitter } from '../../src/core/learn/optimism.js';

interface Idx { apparent: number; optimism: number; corrected: number }
interface Case {
  name: string; X: number[][]; y: number[]; resamples: number[][]; auc: Idx; slope: Idx; brier: Idx;
  rmsValidate: { Dxy: number[]; Slope: number[]; B: number[] };
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/stats/optimism-rms.json', import.meta.url), 'utf8')) as { cases: Case[] };

const logisticFitter = (X: number[][], y: number[]): RowFitter => (rows) => {
  const m = logisticRegression(rows.map((i) => X[i]), rows.map((i) => y[i]));
  return (score) => predictLogistic(m, score.map((i) => X[i]));
};

describe('optimismBootstrap vs rms::validate (same resamples)', () => {
  for (const c of fx.cases) {
    it(`${c.name}: apparent, optimism and corrected C, calibration slope and Brier to 1e-6`, () => {
      const r = optimismBootstrap(c.y, logisticFitter(c.X, c.y), c.resamples);
      expect(r.failed).toBe(0);
      for (const k of ['auc', 'slope', 'brier'] as const) {
        expect(r[k].n).toBe(c.resamples.length);
        expect(Math.abs(r[k].apparent! - c[k].apparent), `${k} apparent`).toBeLessThan(1e-6);
        expect(Math.abs(r[k].optimism! - c[k].optimism), `${k} optimism`).toBeLessThan(1e-6);
        expect(Math.abs(r[k].corrected! - c[k].corrected), `${k} corrected`).toBeLessThan(1e-6);
      }
      // and rms's own table: Dxy = 2(C − ½), training/test means
      expect(Math.abs(2 * (r.auc.training! - 0.5) - c.rmsValidate.Dxy[1])).toBeLessThan(1e-6);
      expect(Math.abs(2 * (r.auc.test! - 0.5) - c.rmsValidate.Dxy[2])).toBeLessThan(1e-6);
      expect(Math.abs(r.brier.corrected! - c.rmsValidate.B[4])).toBeLessThan(1e-6);
      expect(Math.abs(r.slope.corrected! - c.rmsValidate.Slope[4])).toBeLessThan(1e-5);
    });
  }
  it('corrects the noise model toward no discrimination, and the apparent fit is optimistic', () => {
    const noise = fx.cases.find((c) => c.name === 'noise')!;
    const r = optimismBootstrap(noise.y, logisticFitter(noise.X, noise.y), noise.resamples);
    expect(r.auc.optimism!).toBeGreaterThan(0.05);
    expect(r.auc.corrected!).toBeLessThan(0.55);
    expect(r.slope.corrected!).toBeLessThan(0.5);
  });
  it('leaves out resamples whose fit fails and counts them; reports progress', () => {
    const c = fx.cases[0];
    const inner = logisticFitter(c.X, c.y);
    let calls = 0;
    const progress: number[] = [];
    const r = optimismBootstrap(c.y, (rows) => (rows.length === c.y.length && calls++ % 3 === 2 ? null : inner(rows)), c.resamples.slice(0, 9), {
      onProgress: (done) => progress.push(done),
    });
    expect(r.failed).toBe(3);
    expect(r.auc.n).toBe(6);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('draws seeded resamples of n indices with replacement', () => {
    const a = bootstrapResamples(50, 4, 9);
    expect(a).toEqual(bootstrapResamples(50, 4, 9));
    expect(a.every((s) => s.length === 50 && s.every((i) => Number.isInteger(i) && i >= 0 && i < 50))).toBe(true);
    expect(new Set(a[0]).size).toBeLessThan(50);
  });
});
