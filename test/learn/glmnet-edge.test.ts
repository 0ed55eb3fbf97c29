/**
 * The LASSO on awkward but valid inputs against R glmnet 4.1 (fixtures from
 * scripts/fixtures/lasso_glmnet_r.R, glmnet's own defaults): p ≫ n, constant,
 * duplicated and collinear columns, near and perfect separation, a maxit too small
 * for the path, and cv.glmnet with a column constant in a fold's training part.
 * Same λ path (so the same early stop or cut), same coefficients and deviance ratios.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lassoLogistic, lassoLogisticCV, lassoPath } from '../../src/core/learn/lasso.js';

interface Case {
  name: string; X: number[][]; y: number[]; maxit: number;
  lambda: number[]; a0: number[]; beta: number[][]; devRatio: number[]; npasses: number; jerr: number; warnings: string[];
  tightA0: number[]; tightBeta: number[][];
}
interface Fixture {
  cases: Case[];
  cv: { X: number[][]; y: number[]; foldId: number[]; lambdas: number[]; cvm: number[]; cvsd: number[]; lambdaMin: number; lambda1se: number };
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/learn/glmnet-edge.json', import.meta.url), 'utf8')) as Fixture;

function close(actual: number, expected: number, tol: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  if (!(err <= tol)) throw new Error(`${what}: got ${actual}, expected ${expected} (error ${err.toExponential(2)} > ${tol})`);
}
/** R writes a p × nλ matrix row-major; column k is the fit at λ_k. */
const coef = (m: number[][], j: number, k: number) => m[j]![k];

describe('lassoPath vs glmnet on awkward inputs (glmnet defaults)', () => {
  for (const c of fx.cases) {
    it(`${c.name}: same λ path and stop, coefficients and deviance ratios to 1e-6`, () => {
      const fit = lassoPath(c.X, c.y, { maxit: c.maxit });
      expect(fit.lambdas.length, 'path length (glmnet stopped or was cut at the same λ)').toBe(c.lambda.length);
      // the same iterations: pass counts agree up to a pass where a change sits at the threshold
      // and the summation order (Eigen's vectorised dot products) tips it
      expect(Math.abs(fit.passes - c.npasses), `coordinate-descent passes ${fit.passes} vs glmnet npasses ${c.npasses}`).toBeLessThanOrEqual(2);
      c.lambda.forEach((l, k) => close(fit.lambdas[k]!, l, 1e-9, `λ[${k}]`));
      c.devRatio.forEach((d, k) => close(fit.devRatio[k]!, d, 1e-6, `dev.ratio[${k}]`));
      c.a0.forEach((a, k) => close(fit.intercepts[k]!, a, 1e-6, `a0[${k}]`));
      for (let k = 0; k < c.lambda.length; k++) c.X[0]!.forEach((_, j) => close(fit.coefficients[k]![j]!, coef(c.beta, j, k)!, 1e-6, `β[${j}] at λ[${k}]`));
      if (c.jerr < 0) {
        expect(fit.stop?.reason).toBe('maxit');
        expect(fit.warning).toMatch(new RegExp(`${-c.jerr}th λ not reached after ${c.maxit} passes`));
        expect(c.warnings.join(' ')).toMatch(/not reached after maxit/);
      } else if (c.lambda.length < 100) {
        expect(fit.stop?.reason).toBe(Math.max(...c.devRatio) > 0.999 ? 'saturated' : 'flat');
        expect(fit.warning).toBeNull();
      } else {
        expect(fit.stop).toBeNull();
      }
    });
    it(`${c.name}: tight threshold on glmnet's λs matches glmnet(thresh = 1e-14) to 1e-6`, () => {
      const fit = lassoPath(c.X, c.y, { lambdas: c.lambda, thresh: 1e-14, maxit: 1e7 });
      expect(fit.stop).toBeNull();
      c.tightA0.forEach((a, k) => close(fit.intercepts[k]!, a, 1e-6, `a0[${k}]`));
      for (let k = 0; k < c.lambda.length; k++) c.X[0]!.forEach((_, j) => close(fit.coefficients[k]![j]!, coef(c.tightBeta, j, k)!, 1e-6, `β[${j}] at λ[${k}]`));
    });
  }
  it('covers the awkward cases', () => {
    expect(fx.cases.map((c) => c.name)).toEqual(expect.arrayContaining(['p200_n20', 'constant_columns', 'duplicated_collinear', 'near_separation', 'separable_n_gt_p', 'maxit_cut']));
    expect(fx.cases.some((c) => c.lambda.length < 100 && Math.max(...c.devRatio) > 0.999)).toBe(true);
  });
  it('keeps constant columns at 0 and splits nothing between duplicated columns it cannot tell apart', () => {
    const c = fx.cases.find((k) => k.name === 'constant_columns')!;
    const fit = lassoPath(c.X, c.y);
    expect(fit.coefficients.every((b) => b[6] === 0 && b[7] === 0)).toBe(true);
  });
});

describe('lassoLogisticCV vs cv.glmnet with a column constant in a fold', () => {
  it('matches cvm, cvsd to 1e-6 and picks the same λ.min and λ.1se', () => {
    const c = fx.cv;
    const r = lassoLogisticCV(c.X, c.y, { foldId: c.foldId });
    expect(r.lambdas.length).toBe(c.lambdas.length);
    c.lambdas.forEach((l, k) => close(r.lambdas[k]!, l, 1e-9, `λ[${k}]`));
    c.cvm.forEach((v, k) => close(r.cvMean[k]!, v, 1e-6, `cvm[${k}]`));
    c.cvsd.forEach((v, k) => close(r.cvSe[k]!, v, 1e-6, `cvsd[${k}]`));
    close(r.lambdaMin, c.lambdaMin, 1e-9, 'lambda.min');
    close(r.lambda1se, c.lambda1se, 1e-9, 'lambda.1se');
  });
});

describe('the LASSO never throws on valid input', () => {
  const y = [0, 1, 0, 1, 1, 0, 0, 1, 0, 1];
  it('p = 0: the intercept-only model at λ = 0', () => {
    const fit = lassoPath(y.map(() => []), y);
    expect(fit.lambdas).toEqual([0]);
    expect(fit.intercepts[0]).toBeCloseTo(0, 12);
    const cv = lassoLogisticCV(y.map(() => []), y, { folds: 3, seed: 1 });
    expect(cv.coefficientsMin).toEqual([]);
    expect(cv.cvMean.length).toBe(1);
  });
  it('every column constant: the intercept-only model, no coefficient', () => {
    const cv = lassoLogisticCV(y.map(() => [2, 0]), y, { folds: 3, seed: 1 });
    expect(cv.coefficientsMin).toEqual([0, 0]);
    expect(cv.lambdas).toEqual([0]);
  });
  it('a maxit too small for the path: the fit at the last λ that converged, with a warning', () => {
    const c = fx.cases.find((k) => k.name === 'maxit_cut')!;
    const full = lassoPath(c.X, c.y);
    expect(full.stop?.reason).not.toBe('maxit');
    const m = lassoLogistic(c.X, c.y, full.lambdas[30]!, { maxit: 60 });
    expect(m.warning).toMatch(/not reached after 60 passes/);
    expect(m.lambda).toBeGreaterThan(full.lambdas[30]!);
    const cv = lassoLogisticCV(c.X, c.y, { folds: 5, seed: 3, maxit: 60 });
    expect(cv.pathStop).toBe('maxit');
    expect(cv.warnings.length).toBeGreaterThan(0);
    expect(cv.cvMean.every(Number.isFinite)).toBe(true);
  });
  it('a fold whose training part has one class is predicted as that class, not an error', () => {
    const yy = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const X = yy.map((v, i) => [v + 0.1 * i, (i * 7) % 5]);
    const cv = lassoLogisticCV(X, yy, { foldId: [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 0] });
    expect(cv.warnings.some((w) => /one class/.test(w))).toBe(true);
    expect(cv.cvMean.every(Number.isFinite)).toBe(true);
  });
});
