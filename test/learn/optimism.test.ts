/**
 * Harrell's bootstrap optimism correction against rms::validate (fixture from
 * scripts/fixtures/optimism_rms.R: the same resamples rms drew, replayed from its
 * seed, and the indices computed by hand in R on them, checked there against
 * validate()'s table). The modelling here is a plain logistic regression, as lrm.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logisticRegression, predictLogistic } from '../../src/core/learn/logistic.js';
import {
  bootstrapResamples, noInformationBrier, optimismBootstrap, outOfBagMean, plus632Auc, plus632Rule, type RowFitter,
} from '../../src/core/learn/optimism.js';

interface Idx { apparent: number; optimism: number; corrected: number }
interface Case {
  name: string; X: number[][]; y: number[]; resamples: number[][]; auc: Idx; slope: Idx; brier: Idx;
  rmsValidate: { Dxy: number[]; Slope: number[]; B: number[] };
  /** rms::validate(method = ".632") on the same seed (same resamples): index.orig, test (out of bag), index.corrected. */
  rms632: { Dxy: number[]; B: number[] };
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/stats/optimism-rms.json', import.meta.url), 'utf8')) as { cases: Case[] };

const logisticFitter = (X: number[][], y: number[]): RowFitter => (rows) => {
  const m = logisticRegression(rows.map((i) => X[i]!), rows.map((i) => y[i]!));
  return (score) => predictLogistic(m, score.map((i) => X[i]!));
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
      expect(Math.abs(2 * (r.auc.training! - 0.5) - c.rmsValidate.Dxy[1]!)).toBeLessThan(1e-6);
      expect(Math.abs(2 * (r.auc.test! - 0.5) - c.rmsValidate.Dxy[2]!)).toBeLessThan(1e-6);
      expect(Math.abs(r.brier.corrected! - c.rmsValidate.B[4]!)).toBeLessThan(1e-6);
      expect(Math.abs(r.slope.corrected! - c.rmsValidate.Slope[4]!)).toBeLessThan(1e-5);
    });
  }
  for (const c of fx.cases) {
    it(`${c.name}: Efron's .632 AUC and Brier (out-of-bag indices, rms's weights) equal rms::validate(method = ".632") to 1e-6; .632+ from them`, () => {
      const r = optimismBootstrap(c.y, logisticFitter(c.X, c.y), c.resamples);
      const C = (dxy: number) => dxy / 2 + 0.5;
      const { auc, brier } = r.plus632;
      expect(auc.n).toBe(c.resamples.length);
      expect(brier.n).toBe(c.resamples.length);
      expect(Math.abs(auc.apparent! - C(c.rms632.Dxy[0]!))).toBeLessThan(1e-6);
      expect(Math.abs(auc.oob! - C(c.rms632.Dxy[1]!))).toBeLessThan(1e-6);
      expect(Math.abs(auc.dot632! - C(c.rms632.Dxy[2]!))).toBeLessThan(1e-6);
      expect(Math.abs(brier.apparent! - c.rms632.B[0]!)).toBeLessThan(1e-6);
      expect(Math.abs(brier.oob! - c.rms632.B[1]!)).toBeLessThan(1e-6);
      expect(Math.abs(brier.dot632! - c.rms632.B[2]!)).toBeLessThan(1e-6);
      // the .632+ rule on rms's apparent and out-of-bag values
      expect(Math.abs(auc.estimate! - plus632Auc(C(c.rms632.Dxy[0]!), C(c.rms632.Dxy[1]!)).estimate)).toBeLessThan(1e-6);
      expect(Math.abs(brier.estimate! - plus632Rule(c.rms632.B[0]!, c.rms632.B[1]!, brier.noInformation!).estimate)).toBeLessThan(1e-6);
    });
  }
  it('.632+ on the noise model: the out-of-bag AUC is below 0.5, so R′ = 1 and the estimate is .632·oob + .368·0.5', () => {
    const noise = fx.cases.find((c) => c.name === 'noise')!;
    const { auc } = optimismBootstrap(noise.y, logisticFitter(noise.X, noise.y), noise.resamples).plus632;
    expect(auc.oob!).toBeLessThan(0.5);
    expect(auc.overfitting).toBe(1);
    expect(auc.estimate!).toBeCloseTo(0.632 * auc.oob! + 0.368 * 0.5, 12);
    const signal = fx.cases.find((c) => c.name === 'signal')!;
    const s = optimismBootstrap(signal.y, logisticFitter(signal.X, signal.y), signal.resamples).plus632.auc;
    expect(s.overfitting!).toBeGreaterThan(0);
    expect(s.overfitting!).toBeLessThan(1);
    expect(s.estimate!).toBeLessThan(s.dot632!); // some overfitting: more weight on the out-of-bag value
    expect(s.estimate!).toBeGreaterThan(s.oob!);
  });
  it('corrects the noise model toward no discrimination, and the apparent fit is optimistic', () => {
    const noise = fx.cases.find((c) => c.name === 'noise')!;
    const r = optimismBootstrap(noise.y, logisticFitter(noise.X, noise.y), noise.resamples);
    expect(r.auc.optimism!).toBeGreaterThan(0.05);
    expect(r.auc.corrected!).toBeLessThan(0.55);
    expect(r.slope.corrected!).toBeLessThan(0.5);
  });
  it('leaves out resamples whose fit fails and counts them; reports progress', () => {
    const c = fx.cases[0]!;
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

describe('Efron & Tibshirani .632+ arithmetic (hand-computed)', () => {
  it('the rule on an error: R′, w and the estimate; R′ = 0 when the model does not overfit; Err⁽¹⁾ above γ counts as γ', () => {
    // err 0.1, Err(1) 0.3, γ 0.5: R′ = 0.2/0.4 = 0.5, w = .632/(1 − .184) = .632/.816, estimate = 0.1 + w·0.2
    const a = plus632Rule(0.1, 0.3, 0.5);
    expect(a.dot632).toBeCloseTo(0.2264, 15);
    expect(a.overfitting).toBeCloseTo(0.5, 15);
    expect(a.weight).toBeCloseTo(0.632 / 0.816, 15);
    expect(a.estimate).toBeCloseTo(0.1 + (0.2 * 0.632) / 0.816, 15); // 0.254901960784…
    // out-of-bag no worse than apparent: no overfitting, .632+ = .632
    const b = plus632Rule(0.3, 0.2, 0.5);
    expect(b.overfitting).toBe(0);
    expect(b.weight).toBeCloseTo(0.632, 15);
    expect(b.estimate).toBeCloseTo(0.2368, 15);
    // Err(1) 0.6 above γ 0.5: Err(1)′ = 0.5, R′ = 1, estimate = .632·0.6 + .368·0.5 (eq. 32)
    const c = plus632Rule(0.1, 0.6, 0.5);
    expect(c.overfitting).toBe(1);
    expect(c.weight).toBeCloseTo(1, 15);
    expect(c.estimate).toBeCloseTo(0.5632, 15);
    // γ not above err: R′ = 0
    expect(plus632Rule(0.5, 0.6, 0.4).overfitting).toBe(0);
    expect(plus632Rule(0.5, 0.6, 0.4).estimate).toBeCloseTo(0.5632, 15);
  });

  it('the AUC: the rule on 1 − AUC with the no-information AUC 0.5', () => {
    expect(plus632Auc(0.9, 0.7).estimate).toBeCloseTo(1 - (0.1 + (0.2 * 0.632) / 0.816), 15); // 0.745098…
    expect(plus632Auc(0.9, 0.7).dot632).toBeCloseTo(0.7736, 15);
    expect(plus632Auc(1, 0.5).estimate).toBeCloseTo(0.5, 15); // a memoriser that is chance out of bag
    expect(plus632Auc(1, 0.4).estimate).toBeCloseTo(0.632 * 0.4 + 0.368 * 0.5, 15); // 0.4368
    expect(plus632Auc(0.7, 0.75).estimate).toBeCloseTo(0.7316, 15); // out of bag better than apparent: .632 rule
  });

  it('the no-information Brier score: every outcome against every prediction', () => {
    // y 1,0,0,1; p .9,.2,.4,.6: Σⱼ(1 − pⱼ)² = 1.17 (twice), Σⱼ pⱼ² = 1.37 (twice): 5.08/16
    expect(noInformationBrier([1, 0, 0, 1], [0.9, 0.2, 0.4, 0.6])).toBeCloseTo(0.3175, 15);
    expect(() => noInformationBrier([1, 0], [0.5])).toThrow(/2 outcomes and 1 predictions/);
  });

  it('the out-of-bag mean weighs each resample as rms::validate(method = ".632")', () => {
    // patient 0 left out twice, 1 and 2 once: W = (½)/3, (½ + 1)/3, 1/3 → 0.2/6 + 0.6/2 + 1/3 = 2/3
    expect(outOfBagMean(3, [{ left: [0], value: 0.2 }, { left: [0, 1], value: 0.6 }, { left: [2], value: 1 }])).toBeCloseTo(2 / 3, 15);
    expect(outOfBagMean(3, [])).toBeNull();
  });

  it('a model that memorises its rows: Harrell keeps most of the apparent AUC, .632+ gives chance', () => {
    // the model predicts each patient it was fitted on perfectly, every other patient 0.5
    const y = [1, 0, 1, 0, 1, 0];
    const memoriser: RowFitter = (rows) => {
      const seen = new Set(rows);
      return (score) => score.map((i) => (seen.has(i) ? y[i]! : 0.5));
    };
    // each resample leaves out one positive and one negative
    const resamples = [[0, 0, 1, 1, 2, 3], [2, 3, 4, 5, 5, 2], [0, 1, 4, 5, 4, 0]];
    const r = optimismBootstrap(y, memoriser, resamples);
    // Harrell: training AUC 1; test AUC on all six (one positive and one negative at 0.5) 8.5/9
    expect(r.auc.corrected).toBeCloseTo(8.5 / 9, 12);
    const auc = r.plus632.auc;
    expect(auc.apparent).toBe(1);
    expect(auc.oob).toBeCloseTo(0.5, 15);
    expect(auc.dot632).toBeCloseTo(0.684, 15);
    expect(auc.overfitting).toBeCloseTo(1, 15);
    expect(auc.weight).toBeCloseTo(1, 15);
    expect(auc.estimate).toBeCloseTo(0.5, 15);
    expect(auc.n).toBe(3);
    // Brier: apparent 0, out of bag 0.25, γ = 2π(1 − π) = 0.5 → R′ = 0.5, estimate 0.25·.632/.816
    const brier = r.plus632.brier;
    expect(brier.apparent).toBe(0);
    expect(brier.oob).toBeCloseTo(0.25, 15);
    expect(brier.noInformation).toBeCloseTo(0.5, 15);
    expect(brier.overfitting).toBeCloseTo(0.5, 15);
    expect(brier.estimate).toBeCloseTo((0.25 * 0.632) / 0.816, 15);
  });

  it('a resample whose out-of-bag patients hold one class has no out-of-bag AUC (its Brier counts)', () => {
    const y = [1, 0, 1, 0];
    const r = optimismBootstrap(y, () => (rows) => rows.map((i) => 0.2 + 0.1 * i), [[0, 1, 2, 2], [0, 1, 1, 1]]);
    expect(r.plus632.auc.n).toBe(1); // the first left out patient 3 only; the second 2 and 3
    expect(r.plus632.brier.n).toBe(2);
  });
});

describe('the .632+ rule vs ipred::errorest(estimator = "632plus")', () => {
  // scripts/fixtures/plus632_ipred.R: 0-1 loss of a logistic model and a 1-NN rule on given
  // resamples; apparent error, Err(1) and γ recomputed there as ipred forms them
  const ipred = JSON.parse(readFileSync(new URL('../fixtures/stats/plus632-ipred.json', import.meta.url), 'utf8')) as {
    cases: { name: string; err: number; oob: number; gamma: number; ipred: number }[];
  };
  for (const c of ipred.cases)
    it(`${c.name}: plus632Rule(err, Err(1), γ) equals ipred's .632+ error to 1e-12`, () => {
      expect(Math.abs(plus632Rule(c.err, c.oob, c.gamma).estimate - c.ipred)).toBeLessThan(1e-12);
    });
  it('the cases cover no overfitting to a memoriser (R′ from ~0 to above 0.8)', () => {
    const r = ipred.cases.map((c) => plus632Rule(c.err, c.oob, c.gamma).overfitting);
    expect(Math.min(...r)).toBeLessThan(0.05);
    expect(Math.max(...r)).toBeGreaterThan(0.8);
  });
});
