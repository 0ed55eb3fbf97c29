/**
 * "A clear error or the reference's answer, never a silent NaN": every statistics and
 * learning function on small random inputs with heavy ties, constant columns, one
 * class, tiny groups and separation must either return only finite numbers (±∞
 * allowed only where the reference returns it: Youden's −∞/+∞ thresholds) or throw
 * an Error whose message names the function.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aucDeLong, aucMannWhitney, brierScore, calibrationCurve, calibrationValidation, delongUnpairedTest, sensitivitySpecificityAt, chiSquare, delongTest, hosmerLemeshow, icc, mannWhitneyU, netBenefit,
  pearson, rocCurve, shapiroWilk, tTest, youden, table1,
} from '../../src/core/stats/index.js';
import { lassoLogistic, lassoLogisticCV, logisticRegression, trainSvm, fitScaler, selectionFunnel } from '../../src/core/learn/index.js';

function allFinite(v: unknown, allowInf = false): boolean {
  if (typeof v === 'number') return allowInf ? !Number.isNaN(v) : Number.isFinite(v);
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || v === undefined) return true;
  if (typeof v === 'function') return true;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>).every((x) => allFinite(x, allowInf));
  if (Array.isArray(v)) return v.every((x) => allFinite(x, allowInf));
  return Object.values(v as Record<string, unknown>).every((x) => allFinite(x, allowInf));
}

function check(name: string, fn: () => unknown, allowInf = false): void {
  let out: unknown;
  try {
    out = fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message.startsWith(name) || (e as Error).message.includes(':'), (e as Error).message).toBe(true);
    expect((e as Error).message).not.toMatch(/\bNaN\b/);
    return;
  }
  if (!allFinite(out, allowInf)) throw new Error(`${name} returned a non-finite value: ${JSON.stringify(out)}`);
}

// small values with many ties
const tied = fc.integer({ min: -2, max: 2 }).map((v) => v / 2);
const sample = (min: number, max: number) => fc.array(tied, { minLength: min, maxLength: max });
const labelsAndScores = fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), tied, tied), { minLength: 1, maxLength: 25 });
const probs = fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 10 }).map((v) => v / 10)), { minLength: 1, maxLength: 30 });

describe('degenerate inputs never give a silent NaN', () => {
  it('two-sample tests, Shapiro–Wilk, Pearson', () => {
    fc.assert(fc.property(sample(0, 12), sample(0, 12), (x, y) => {
      check('mannWhitneyU', () => mannWhitneyU(x, y));
      check('tTest', () => tTest(x, y));
      check('tTest', () => tTest(x, y, { equalVar: false }));
      check('shapiroWilk', () => shapiroWilk(x));
      check('pearson', () => pearson(x, y.slice(0, x.length).concat(x.slice(y.length))));
    }), { numRuns: 300, seed: 1 });
  });
  it('ROC, DeLong, Youden', () => {
    fc.assert(fc.property(labelsAndScores, (rows) => {
      const y = rows.map((r) => r[0]);
      const a = rows.map((r) => r[1]);
      const b = rows.map((r) => r[2]);
      check('aucDeLong', () => aucDeLong(y, a));
      check('aucMannWhitney', () => aucMannWhitney(y, a));
      check('delongTest', () => delongTest(y, a, b));
      check('rocCurve', () => rocCurve(y, a));
      check('youden', () => youden(y, a), true);
      check('delongUnpairedTest', () => delongUnpairedTest(y, a, y.slice().reverse(), b));
      check('sensitivitySpecificityAt', () => sensitivitySpecificityAt(y, a, 0));
    }), { numRuns: 300, seed: 2 });
  });
  it('the AUC alone exists with one case, where the DeLong variance does not', () => {
    // one case (0.9) against controls 0.1, 0.5, 0.9: (1 + 1 + ½)/3
    expect(aucMannWhitney([1, 0, 0, 0], [0.9, 0.1, 0.5, 0.9])).toBeCloseTo(2.5 / 3, 12);
    expect(() => aucDeLong([1, 0, 0, 0], [0.9, 0.1, 0.5, 0.9])).toThrow(/at least 2 cases/);
  });
  it('calibration, Brier, Hosmer–Lemeshow, net benefit', () => {
    fc.assert(fc.property(probs, fc.integer({ min: 1, max: 12 }), (rows, bins) => {
      const y = rows.map((r) => r[0]);
      const p = rows.map((r) => r[1]);
      check('calibrationCurve', () => calibrationCurve(y, p, bins));
      check('brierScore', () => brierScore(y, p));
      check('hosmerLemeshow', () => hosmerLemeshow(y, p, Math.max(3, bins)));
      check('netBenefit', () => netBenefit(y, p, [0, 0.1, 0.5, 0.9]));
      check('calibrationValidation', () => calibrationValidation(y, p));
    }), { numRuns: 300, seed: 3 });
  });
  it('χ² tables and ICC', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 3 }), { minLength: 1, maxLength: 4 }), (t) => {
      const w = t[0]!.length;
      const table = t.map((r) => r.slice(0, w).concat(Array(Math.max(0, w - r.length)).fill(0)));
      check('chiSquare', () => chiSquare(table, { yates: true }));
      check('icc', () => icc(table, '1,1'));
      check('icc', () => icc(table, '2,1'));
      check('icc', () => icc(table, '3,1'));
    }), { numRuns: 300, seed: 4 });
  });
  it('logistic regression, LASSO, SVM, scaler, funnel and Table 1', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), tied, tied, fc.constant(1)), { minLength: 1, maxLength: 16 }), (rows) => {
      const y = rows.map((r) => r[0]);
      const X = rows.map((r) => [r[1], r[2], r[3]]);
      check('logisticRegression', () => logisticRegression(X.map((r) => [r[0]!, r[1]!]), y));
      check('logisticRegression', () => logisticRegression(X, y));
      check('lassoLogistic', () => lassoLogistic(X, y, 0.05));
      check('lassoLogisticCV', () => lassoLogisticCV(X, y, { folds: 3, seed: 1, nLambda: 10 }));
      check('trainSvm', () => trainSvm(X, y, { kernel: 'rbf' }).predictProba(X));
      check('trainSvm', () => trainSvm(X, y, { kernel: 'linear' }).decisionFunction(X));
      check('fitScaler', () => fitScaler(X).transform(X));
      check('selectionFunnel', () => selectionFunnel(X, y, ['a', 'b', 'c'], { folds: 3 }));
      check('table1', () => table1([{ name: 'a', kind: 'continuous', values: X.map((r) => r[0]!) }, { name: 'c', kind: 'categorical', values: X.map((r) => String(r[1])) }], y));
    }), { numRuns: 150, seed: 5 });
  });
});
