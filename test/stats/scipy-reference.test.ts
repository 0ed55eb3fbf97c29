/** Statistics core against scipy 1.10 / scikit-learn 1.2 (fixtures from scripts/fixtures/stats_scipy.py). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  brierScore, calibrationCurve, chiSquare, mannWhitneyU, netBenefit, pearson, rocCurve, shapiroWilk, tTest,
} from '../../src/core/stats/index.js';

interface TestRes { t: number; df: number; p: number }
interface Fixture {
  twoSample: { x: number[]; y: number[]; mannWhitneyU?: { u: number; p: number }; student?: TestRes; welch?: TestRes }[];
  shapiroWilk: { x: number[]; w: number; p: number }[];
  pearson: { x: number[]; y: number[]; r: number; p: number }[];
  chiSquare: { table: number[][]; yates: boolean; chi2: number; df: number; p: number }[];
  binary: {
    labels: number[]; scores: number[]; probs: number[]; nBins: number; brier: number;
    roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
    calibration: { meanPredicted: number[]; fractionPositive: number[] };
    netBenefit: { thresholds: number[]; model: number[]; treatAll: number[] };
  }[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/stats/scipy.json', import.meta.url), 'utf8')) as Fixture;

/** |a − b| ≤ tol·max(1, |b|): absolute for p-values, relative for large statistics. */
function close(actual: number, expected: number, tol: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  if (!(err <= tol)) throw new Error(`${what}: got ${actual}, expected ${expected} (error ${err.toExponential(2)} > ${tol})`);
}

describe('two-sample tests vs scipy', () => {
  it('mannWhitneyU matches scipy mannwhitneyu(method="asymptotic") to 1e-8', () => {
    let n = 0;
    fx.twoSample.forEach((c, i) => {
      if (!c.mannWhitneyU) return;
      const r = mannWhitneyU(c.x, c.y);
      close(r.u, c.mannWhitneyU.u, 1e-8, `case ${i} U`);
      close(r.p, c.mannWhitneyU.p, 1e-8, `case ${i} p`);
      n++;
    });
    expect(n).toBeGreaterThan(50);
  });
  it('tTest matches scipy ttest_ind (Student and Welch) to 1e-8', () => {
    let n = 0;
    fx.twoSample.forEach((c, i) => {
      for (const [key, equalVar] of [['student', true], ['welch', false]] as const) {
        const ref = c[key];
        if (!ref) continue;
        const r = tTest(c.x, c.y, { equalVar });
        close(r.t, ref.t, 1e-8, `case ${i} ${key} t`);
        close(r.df, ref.df, 1e-8, `case ${i} ${key} df`);
        close(r.p, ref.p, 1e-8, `case ${i} ${key} p`);
        n++;
      }
    });
    expect(n).toBeGreaterThan(100);
  });
  it('rejects degenerate input with a clear error', () => {
    expect(() => mannWhitneyU([1, 1], [1, 1, 1])).toThrow(/identical/);
    expect(() => tTest([2, 2], [3, 3])).toThrow(/zero variance/);
    expect(() => tTest([1], [1, 2])).toThrow(/at least 2/);
  });
});

describe('shapiroWilk vs scipy shapiro (AS R94)', () => {
  // scipy 1.10 runs AS R94 in single precision (Fortran REAL, AS 111 quantiles, AS 66
  // tail area); shapiroWilk follows that arithmetic (shapiro-wilk-f32.ts): W is equal,
  // p within 1e-6 (the contract asks 1e-4). The double-precision variant is held to R.
  it('matches W to 1e-7 and p to 1e-6 for n from 3 to a few hundred, with ties', () => {
    let worstP = 0;
    fx.shapiroWilk.forEach((c, i) => {
      const r = shapiroWilk(c.x);
      close(r.w, c.w, 1e-7, `case ${i} (n=${c.x.length}) W`);
      close(r.p, c.p, 1e-6, `case ${i} (n=${c.x.length}) p`);
      worstP = Math.max(worstP, Math.abs(r.p - c.p));
    });
    expect(fx.shapiroWilk.length).toBeGreaterThan(60);
    expect(worstP).toBeLessThan(1e-6);
  });
  it('rejects constant data', () => {
    expect(() => shapiroWilk([3, 3, 3, 3])).toThrow(/identical/);
  });
});

describe('pearson vs scipy pearsonr', () => {
  it('matches r and p to 1e-10', () => {
    fx.pearson.forEach((c, i) => {
      const r = pearson(c.x, c.y);
      close(r.r, c.r, 1e-10, `case ${i} r`);
      close(r.p, c.p, 1e-10, `case ${i} p`);
    });
    expect(fx.pearson.length).toBeGreaterThan(40);
  });
  it('rejects a constant input', () => {
    expect(() => pearson([1, 1, 1], [1, 2, 3])).toThrow(/constant/);
  });
});

describe('chiSquare vs scipy chi2_contingency', () => {
  it('matches χ², df and p to 1e-8, with and without Yates', () => {
    fx.chiSquare.forEach((c, i) => {
      const r = chiSquare(c.table, { yates: c.yates });
      close(r.chi2, c.chi2, 1e-8, `case ${i} χ²`);
      expect(r.df).toBe(c.df);
      close(r.p, c.p, 1e-8, `case ${i} p`);
    });
  });
  it('rejects a zero margin', () => {
    expect(() => chiSquare([[0, 0], [1, 2]])).toThrow(/row 0/);
  });
});

describe('ROC, calibration, Brier and net benefit vs scikit-learn / the DCA definition', () => {
  it('rocCurve equals roc_curve(drop_intermediate=False) exactly', () => {
    for (const c of fx.binary) {
      const r = rocCurve(c.labels, c.scores);
      // === comparison: −0 and +0 are the same threshold
      for (const key of ['fpr', 'tpr', 'thresholds'] as const) {
        expect(r[key].length).toBe(c.roc[key].length);
        r[key].forEach((v, k) => expect(v === c.roc[key][k], `${key}[${k}]: ${v} vs ${c.roc[key][k]}`).toBe(true));
      }
    }
  });
  it('calibrationCurve matches calibration_curve(strategy="uniform") to 1e-10', () => {
    fx.binary.forEach((c, i) => {
      const r = calibrationCurve(c.labels, c.probs, c.nBins);
      expect(r.meanPredicted.length, `case ${i}`).toBe(c.calibration.meanPredicted.length);
      r.meanPredicted.forEach((v, k) => close(v, c.calibration.meanPredicted[k]!, 1e-10, `case ${i} bin ${k}`));
      r.fractionPositive.forEach((v, k) => close(v, c.calibration.fractionPositive[k]!, 1e-10, `case ${i} bin ${k}`));
    });
  });
  it('brierScore matches brier_score_loss to 1e-12', () => {
    fx.binary.forEach((c, i) => close(brierScore(c.labels, c.probs), c.brier, 1e-12, `case ${i}`));
  });
  it('netBenefit matches the Vickers–Elkin definition to 1e-12', () => {
    fx.binary.forEach((c, i) => {
      const r = netBenefit(c.labels, c.probs, c.netBenefit.thresholds);
      r.model.forEach((v, k) => close(v, c.netBenefit.model[k]!, 1e-12, `case ${i} pt ${k}`));
      r.treatAll.forEach((v, k) => close(v, c.netBenefit.treatAll[k]!, 1e-12, `case ${i} pt ${k}`));
    });
  });
});
