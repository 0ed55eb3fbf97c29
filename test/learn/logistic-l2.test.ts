/**
 * L2 logistic regression against scikit-learn's LogisticRegression(penalty='l2')
 * (lbfgs at a tight tolerance; scripts/fixtures/learn_sklearn.py →
 * test/fixtures/learn/sklearn-logistic.json): coefficients, intercept and
 * held-out probabilities, with and without class_weight='balanced', including
 * nearly separable cases where only the penalty keeps the fit finite.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logisticL2Proba, trainLogisticL2 } from '../../src/core/learn/logistic-l2.js';

interface Case {
  X: number[][];
  y: (0 | 1)[];
  Xtest: number[][];
  C: number;
  classWeight: 'balanced' | null;
  coefficients: number[];
  intercept: number;
  probaTest: number[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/learn/sklearn-logistic.json', import.meta.url), 'utf8')) as { logistic: Case[] };

describe('L2 logistic regression = scikit-learn LogisticRegression(penalty="l2")', () => {
  it('has fixtures of every kind', () => {
    expect(fx.logistic.length).toBe(24);
    expect(fx.logistic.some((c) => c.classWeight === 'balanced')).toBe(true);
    expect(fx.logistic.some((c) => Math.max(...c.coefficients.map(Math.abs)) > 3)).toBe(true);
  });
  it.each(fx.logistic.map((c, n) => [n, c] as const))('case %i', (_, c) => {
    const m = trainLogisticL2(c.X, c.y, { C: c.C, classWeight: c.classWeight });
    const scale = Math.max(1, ...c.coefficients.map(Math.abs), Math.abs(c.intercept));
    m.coefficients.forEach((w, j) => expect(Math.abs(w - c.coefficients[j]!) / scale).toBeLessThan(1e-6));
    expect(Math.abs(m.intercept - c.intercept) / scale).toBeLessThan(1e-6);
    logisticL2Proba(m, c.Xtest).forEach((p, i) => expect(p).toBeCloseTo(c.probaTest[i]!, 6));
  });
  it('refuses one class and a non-positive C', () => {
    expect(() => trainLogisticL2([[1], [2]], [1, 1])).toThrow(/needs both classes/);
    expect(() => trainLogisticL2([[1], [2]], [0, 1], { C: 0 })).toThrow(/C must be positive/);
  });
});
