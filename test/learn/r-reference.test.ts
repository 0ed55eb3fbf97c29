/**
 * Logistic regression and LASSO against R (fixtures from scripts/fixtures/learn_r.R):
 * glm(family = binomial) + confint.default, glmnet(family = "binomial", standardize =
 * FALSE) coefficients and default λ path, cv.glmnet deviance curves for fixed folds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lassoLambdaPath, lassoLogistic, lassoLogisticCV } from '../../src/core/learn/lasso.js';
import { aliasedColumns, logisticRegression, multivariateLogistic, predictLogistic } from '../../src/core/learn/logistic.js';

interface Fixture {
  glm: { X: number[][]; y: number[]; coefficients: number[]; stdErrors: number[]; pValues: number[]; oddsRatios: number[]; ci95Lower: number[]; ci95Upper: number[]; deviance: number }[];
  lasso: { X: number[][]; y: number[]; defaultLambdas: number[]; fits: { lambda: number; intercept: number; coefficients: number[] }[] }[];
  cv: { X: number[][]; y: number[]; foldId: number[]; lambdas: number[]; cvm: number[]; cvsd: number[]; lambdaMin: number; lambda1se: number }[];
  /** `aliased`: 0-based columns R reports as NA (a scalar when there is one). */
  glmAliased: { X: number[][]; y: number[]; aliased: number | number[]; coefficients: number[]; pValues: number[] }[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/learn/r.json', import.meta.url), 'utf8')) as Fixture;

function close(actual: number, expected: number, tol: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  if (!(err <= tol)) throw new Error(`${what}: got ${actual}, expected ${expected} (error ${err.toExponential(2)} > ${tol})`);
}

describe('logisticRegression vs R glm(family = binomial)', () => {
  it('matches coefficients, SEs, Wald p, ORs and Wald 95% CIs to 1e-5', () => {
    fx.glm.forEach((c, i) => {
      const m = logisticRegression(c.X, c.y);
      for (const key of ['coefficients', 'stdErrors', 'pValues', 'oddsRatios', 'ci95Lower', 'ci95Upper'] as const) {
        m[key].forEach((v, j) => close(v, c[key][j]!, 1e-5, `case ${i} ${key}[${j}]`));
      }
      close(m.deviance, c.deviance, 1e-8, `case ${i} deviance`);
    });
    expect(fx.glm.length).toBe(30);
  });
  it('round-trips through JSON and predicts', () => {
    const c = fx.glm[0]!;
    const m = JSON.parse(JSON.stringify(logisticRegression(c.X, c.y)));
    const p = predictLogistic(m, c.X);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
  });
  it('rejects separation and constant columns with clear errors', () => {
    expect(() => logisticRegression([[1], [2], [3], [4], [5], [6]], [0, 0, 0, 1, 1, 1])).toThrow(/separation|converge/);
    expect(() => logisticRegression([[1, 2], [1, 3], [1, 1], [1, 5], [1, 0]], [0, 1, 0, 1, 1], { names: ['age', 'size'] })).toThrow(/intercept|age/);
  });
});

describe('lassoLogistic vs R glmnet(standardize = FALSE)', () => {
  it('matches intercept and coefficients to 1e-4 at several λ, p up to 200 > n', () => {
    let worst = 0;
    fx.lasso.forEach((c, i) => {
      for (const f of c.fits) {
        const m = lassoLogistic(c.X, c.y, f.lambda);
        close(m.intercept, f.intercept, 1e-4, `case ${i} λ=${f.lambda} intercept`);
        m.coefficients.forEach((v, j) => {
          close(v, f.coefficients[j]!, 1e-4, `case ${i} λ=${f.lambda} β[${j}]`);
          worst = Math.max(worst, Math.abs(v - f.coefficients[j]!));
        });
      }
    });
    expect(worst).toBeLessThan(1e-4);
  });
  it("reproduces glmnet's default λ path (λ_max, ratio 1e-4 or 0.01 for n < p)", () => {
    fx.lasso.forEach((c, i) => {
      const path = lassoLambdaPath(c.X, c.y);
      // glmnet may stop its path early; the values it did compute must agree
      c.defaultLambdas.forEach((l, k) => close(path[k]!, l, 1e-9, `case ${i} λ[${k}]`));
    });
  });
});

describe('lassoLogisticCV vs R cv.glmnet (same folds and λ)', () => {
  // glmnet's own fold fits stop at its convergence threshold and clamp fitted
  // probabilities, so agreement is held to 1e-4 (relative) rather than machine level.
  it('matches cvm and cvsd to 1e-4, and lambda.min / lambda.1se exactly', () => {
    fx.cv.forEach((c, i) => {
      const r = lassoLogisticCV(c.X, c.y, { foldId: c.foldId, lambdas: c.lambdas, tol: 1e-12 });
      r.cvMean.forEach((v, k) => close(v, c.cvm[k]!, 1e-4, `case ${i} cvm[${k}]`));
      r.cvSe.forEach((v, k) => close(v, c.cvsd[k]!, 1e-4, `case ${i} cvsd[${k}]`));
      close(r.lambdaMin, c.lambdaMin, 1e-12, `case ${i} lambda.min`);
      close(r.lambda1se, c.lambda1se, 1e-12, `case ${i} lambda.1se`);
    });
  });
});

describe('aliased columns vs R glm (NA coefficients)', () => {
  it('finds the columns R drops and fits the rest as R does (multivariate table with every variable entered)', () => {
    fx.glmAliased.forEach((c, i) => {
      const expected = ([] as number[]).concat(c.aliased);
      expect(aliasedColumns(c.X), `case ${i}`).toEqual(expected);
      const names = c.X[0]!.map((_, j) => `x${j}`);
      const m = multivariateLogistic(c.X, c.y, names, { alpha: 1.01 });
      expect(m.aliased).toEqual(expected.map((j) => `x${j}`));
      expect(m.rows.map((r) => r.name)).toEqual(names.filter((_, j) => !expected.includes(j)));
      m.model!.coefficients.forEach((v, j) => close(v, c.coefficients[j]!, 1e-5, `case ${i} coefficient ${j}`));
      m.rows.forEach((r, j) => close(r.p, c.pValues[j + 1]!, 1e-5, `case ${i} p ${r.name}`));
    });
    expect(fx.glmAliased.length).toBe(4);
  });
  it('keeps nearly (not exactly) collinear columns', () => {
    const X = Array.from({ length: 30 }, (_, i) => [i % 7, (i * 3) % 5, (i % 7) + ((i * 3) % 5) + (i % 2) * 1e-3]);
    expect(aliasedColumns(X)).toEqual([]);
    expect(aliasedColumns(X.map((r) => [...r, 4]))).toEqual([3]);
  });
});
