/**
 * Fitted models are plain data and may come from a file (model.json): arrays that
 * disagree in length are refused in one line naming the function, never read past
 * their end into a silent NaN. Likewise inputs with no answer (one CV fold).
 */
import { describe, expect, it } from 'vitest';
import { fitScaler, transformScaler } from '../../src/core/learn/scaler.js';
import { radScore } from '../../src/core/learn/selection.js';
import { svmDecisionFunction, trainSvm } from '../../src/core/learn/svm.js';
import { lassoLogisticCV } from '../../src/core/learn/lasso.js';

const X = [[0, 1], [1, 0.5], [2, 2], [3, 1.5], [4, 3], [5, 2.5], [0.5, 0], [4.5, 3.5]];
const y = [0, 0, 0, 1, 1, 1, 0, 1];

describe('plain model data whose arrays disagree', () => {
  it('svmDecisionFunction: support vectors, dual coefficients and features must match', () => {
    const svm = { ...trainSvm(X, y, { kernel: 'linear', probability: false }) };
    expect(svmDecisionFunction(svm, X).every(Number.isFinite)).toBe(true);
    expect(() => svmDecisionFunction({ ...svm, dualCoef: svm.dualCoef.slice(1) }, X)).toThrow(/^svmDecisionFunction: the model's \d+ support vectors, \d+ dual coefficients and 2 features do not match$/);
    const short = svm.supportVectors.map((sv, k) => (k === 0 ? sv.slice(1) : sv));
    expect(() => svmDecisionFunction({ ...svm, supportVectors: short }, X)).toThrow(/^svmDecisionFunction: .* do not match$/);
  });
  it('transformScaler: as many SDs as means', () => {
    const s = fitScaler(X);
    expect(() => transformScaler({ kind: 'zscore', mean: s.mean, sd: s.sd.slice(1) }, X)).toThrow('transformScaler: the scaler has 2 means and 1 SDs');
  });
  it('radScore: one coefficient, mean and SD per name', () => {
    const model = { kind: 'rad-score' as const, names: ['a', 'b'], mean: [0, 0], sd: [1, 1], coefficients: [1, 2], intercept: 0 };
    expect(radScore(model, X)).toHaveLength(X.length);
    expect(() => radScore({ ...model, coefficients: [1] }, X)).toThrow('radScore: the model has 2 names, 1 coefficients, 2 means and 2 SDs');
    expect(() => radScore({ ...model, sd: [1] }, X)).toThrow('radScore: the model has 2 names, 2 coefficients, 2 means and 1 SDs');
  });
});

describe('lassoLogisticCV with one fold', () => {
  it('has no standard error and says so (it was a TypeError)', () => {
    expect(() => lassoLogisticCV(X, y, { foldId: X.map(() => 0) })).toThrow('lassoLogisticCV: the cross-validated deviance has no standard error with 1 fold(s)');
  });
});
