/**
 * Unpenalised logistic regression by iteratively reweighted least squares (Newton–
 * Raphson on the binomial log-likelihood), as R `glm(family = binomial)`, with Wald
 * z tests and Wald 95% confidence intervals of the odds ratios (`confint.default`).
 */
import { normalQuantile, normalTwoSidedP } from '../stats/distributions.js';
import { cholesky, choleskyInverse, choleskySolve, sigmoid, toBinary, toMatrix } from './linalg.js';

export interface LogisticModel {
  kind: 'logistic';
  /** Intercept first, then one per column of X. */
  coefficients: number[];
  stdErrors: number[];
  zValues: number[];
  pValues: number[];
  oddsRatios: number[];
  ci95Lower: number[];
  ci95Upper: number[];
  deviance: number;
  nullDeviance: number;
  aic: number;
  iterations: number;
  names?: string[];
}

const separation = () =>
  new Error('logisticRegression: fitted probabilities numerically 0 or 1 (complete or quasi-complete separation); the maximum-likelihood estimate does not exist');

function binomialDeviance(y: number[], p: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < y.length; i++) d += y[i] === 1 ? -2 * Math.log(p[i]!) : -2 * Math.log(1 - p[i]!);
  return d;
}

/**
 * Fit P(y = 1 | x) = 1/(1 + exp(−(β₀ + xᵀβ))). Throws for a constant or collinear
 * column (R would report NA for it) and for complete or quasi-complete separation
 * (where the maximum-likelihood estimate does not exist; R reports fitted
 * probabilities numerically 0 or 1 and huge, meaningless coefficients).
 */
export function logisticRegression(X: ArrayLike<ArrayLike<number>>, y: ArrayLike<number>, opts: { names?: string[]; maxIterations?: number } = {}): LogisticModel {
  const rows = toMatrix(X, 'logisticRegression: X');
  const n = rows.length;
  const labels = toBinary(y, 'logisticRegression: y', n);
  const p = rows[0]!.length + 1;
  const colName = (j: number) => (j === 0 ? 'intercept' : opts.names?.[j - 1] ?? `column ${j - 1}`);
  if (n < p) throw new Error(`logisticRegression: ${n} samples cannot identify ${p} coefficients`);
  const design = rows.map((r) => [1, ...r]);
  // glm's start: μ = (y + ½)/2
  let beta = new Array<number>(p).fill(0);
  const eta0 = labels.map((v) => Math.log((v + 0.5) / (1.5 - v)));
  let eta = eta0;
  let dev = Infinity;
  let iterations = 0;
  let info: number[][] = [];
  let l: number[][] = [];
  const maxIt = opts.maxIterations ?? 100;
  for (let it = 0; it < maxIt; it++) {
    iterations = it + 1;
    const mu = eta.map(sigmoid);
    const w = mu.map((m) => m * (1 - m));
    // Newton step solved as weighted least squares on the working response z
    info = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const rhs = new Array<number>(p).fill(0);
    for (let i = 0; i < n; i++) {
      const xi = design[i]!;
      const zi = eta[i]! + (labels[i]! - mu[i]!) / w[i]!;
      for (let a = 0; a < p; a++) {
        const wa = w[i]! * xi[a]!;
        rhs[a]! += wa * zi;
        for (let b = 0; b <= a; b++) info[a]![b]! += wa * xi[b]!;
      }
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) info[b]![a] = info[a]![b]!;
    const ch = cholesky(info);
    if ('singularAt' in ch) {
      // singular with unit weights ⇒ a collinear column; otherwise the weights collapsed (separation)
      const gram = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => design.reduce((sum, xi) => sum + xi[a]! * xi[b]!, 0)));
      const plain = cholesky(gram);
      if (!('singularAt' in plain)) throw separation();
      throw new Error(`logisticRegression: ${colName(plain.singularAt)} is constant or collinear with earlier columns; its coefficient is not identifiable`);
    }
    l = ch.l;
    beta = choleskySolve(l, rhs);
    eta = design.map((xi) => xi.reduce((s, v, k) => s + v * beta[k]!, 0));
    const newDev = binomialDeviance(labels, eta.map(sigmoid));
    const converged = Math.abs(newDev - dev) / (Math.abs(newDev) + 0.1) < 1e-12;
    dev = newDev;
    if (converged) break;
    if (it === maxIt - 1) throw new Error(`logisticRegression: IRLS did not converge in ${maxIt} iterations (near separation?)`);
  }
  const mu = eta.map(sigmoid);
  if (mu.some((m) => m < 1e-10 || m > 1 - 1e-10)) throw separation();
  // covariance from the information matrix at the final estimate
  const w = mu.map((m) => m * (1 - m));
  info = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let i = 0; i < n; i++) {
    const xi = design[i]!;
    for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) info[a]![b]! += w[i]! * xi[a]! * xi[b]!;
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) info[b]![a] = info[a]![b]!;
  const ch = cholesky(info);
  if ('singularAt' in ch) throw new Error(`logisticRegression: information matrix singular at ${colName(ch.singularAt)}`);
  l = ch.l;
  const cov = choleskyInverse(l);
  const stdErrors = beta.map((_, j) => Math.sqrt(cov[j]![j]!));
  const zValues = beta.map((b, j) => b / stdErrors[j]!);
  const pValues = zValues.map((z) => normalTwoSidedP(z));
  const q = normalQuantile(0.975);
  const prev = labels.reduce((s, v) => s + v, 0) / n;
  const nullDeviance = binomialDeviance(labels, new Array(n).fill(prev));
  return {
    kind: 'logistic',
    coefficients: beta,
    stdErrors,
    zValues,
    pValues,
    oddsRatios: beta.map(Math.exp),
    ci95Lower: beta.map((b, j) => Math.exp(b - q * stdErrors[j]!)),
    ci95Upper: beta.map((b, j) => Math.exp(b + q * stdErrors[j]!)),
    deviance: dev,
    nullDeviance,
    aic: dev + 2 * p,
    iterations,
    ...(opts.names ? { names: opts.names } : {}),
  };
}

/** Predicted probabilities of a fitted logistic model (plain data, e.g. after a JSON round trip). */
export function predictLogistic(model: Pick<LogisticModel, 'coefficients'>, X: ArrayLike<ArrayLike<number>>): number[] {
  const rows = toMatrix(X, 'predictLogistic: X');
  const b = model.coefficients;
  if (rows[0]!.length !== b.length - 1) throw new Error(`predictLogistic: X has ${rows[0]!.length} columns, the model ${b.length - 1}`);
  return rows.map((r) => sigmoid(r.reduce((s, v, j) => s + v * b[j + 1]!, b[0]!)));
}

export interface OddsRatioRow {
  name: string;
  oddsRatio: number;
  ci95Lower: number;
  ci95Upper: number;
  p: number;
}

/**
 * Univariate logistic regression of each column on its own (paper Table 2, left):
 * OR per unit, Wald 95% CI and p. A column that cannot be fitted (constant,
 * separation) gets an `error` message instead of numbers.
 */
export function univariateLogistic(X: ArrayLike<ArrayLike<number>>, y: ArrayLike<number>, names: string[]): (OddsRatioRow | { name: string; error: string })[] {
  const rows = toMatrix(X, 'univariateLogistic: X');
  if (names.length !== rows[0]!.length) throw new Error(`univariateLogistic: ${names.length} names for ${rows[0]!.length} columns`);
  return names.map((name, j) => {
    try {
      const m = logisticRegression(rows.map((r) => [r[j]!]), y, { names: [name] });
      return { name, oddsRatio: m.oddsRatios[1]!, ci95Lower: m.ci95Lower[1]!, ci95Upper: m.ci95Upper[1]!, p: m.pValues[1]! };
    } catch (e) {
      return { name, error: (e as Error).message };
    }
  });
}

export interface MultivariateLogisticResult {
  /** Variables entered (univariate p < alpha). */
  entered: string[];
  rows: OddsRatioRow[];
  model: LogisticModel | null;
  /** Independent predictors: p < alpha in the multivariate model. */
  independent: string[];
  /**
   * Entered variables left out of the multivariate fit because they are a linear
   * combination of the intercept and earlier entered variables (e.g. a clinical
   * stage dummy implied by T and N dummies); R's glm reports NA for them.
   */
  aliased: string[];
}

function euclidean(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/**
 * Indices of columns that are (numerically) linear combinations of a constant and
 * the earlier kept columns: modified Gram–Schmidt on the centred columns, a column
 * is aliased when less than `tol` of its centred norm remains (R's glm pivots such
 * columns out of its QR decomposition and reports NA).
 */
export function aliasedColumns(rows: number[][], tol = 1e-7): number[] {
  const n = rows.length;
  const p = n > 0 ? rows[0]!.length : 0;
  const basis: Float64Array[] = [];
  const aliased: number[] = [];
  for (let j = 0; j < p; j++) {
    const v = new Float64Array(n);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += rows[i]![j]!;
    mean /= n;
    for (let i = 0; i < n; i++) v[i] = rows[i]![j]! - mean;
    const norm0 = euclidean(v);
    for (const q of basis) {
      let d = 0;
      for (let i = 0; i < n; i++) d += q[i]! * v[i]!;
      for (let i = 0; i < n; i++) v[i]! -= d * q[i]!;
    }
    const norm = euclidean(v);
    if (norm0 === 0 || norm <= tol * norm0) {
      aliased.push(j);
      continue;
    }
    for (let i = 0; i < n; i++) v[i]! /= norm;
    basis.push(v);
  }
  return aliased;
}

/**
 * Multivariate logistic regression on the variables with univariate p < alpha
 * (paper Table 2, right); those with multivariate p < alpha are the independent
 * predictors.
 */
export function multivariateLogistic(X: ArrayLike<ArrayLike<number>>, y: ArrayLike<number>, names: string[], opts: { alpha?: number } = {}): MultivariateLogisticResult {
  const alpha = opts.alpha ?? 0.05;
  const rows = toMatrix(X, 'multivariateLogistic: X');
  const uni = univariateLogistic(rows, y, names);
  const enteredIdx: number[] = [];
  uni.forEach((u, j) => {
    if ('p' in u && u.p < alpha) enteredIdx.push(j);
  });
  const entered = enteredIdx.map((j) => names[j]!);
  if (enteredIdx.length === 0) return { entered, rows: [], model: null, independent: [], aliased: [] };
  const dropped = new Set(aliasedColumns(rows.map((r) => enteredIdx.map((j) => r[j]!))));
  const fitIdx = enteredIdx.filter((_, k) => !dropped.has(k));
  const fitNames = fitIdx.map((j) => names[j]!);
  const model = logisticRegression(rows.map((r) => fitIdx.map((j) => r[j]!)), y, { names: fitNames });
  const out = fitNames.map((name, k) => ({
    name, oddsRatio: model.oddsRatios[k + 1]!, ci95Lower: model.ci95Lower[k + 1]!, ci95Upper: model.ci95Upper[k + 1]!, p: model.pValues[k + 1]!,
  }));
  return { entered, rows: out, model, independent: out.filter((r) => r.p < alpha).map((r) => r.name), aliased: entered.filter((_, k) => dropped.has(k)) };
}

/**
 * Forward stepwise selection by Wald p: starting from no variable, add at each
 * step the candidate whose coefficient has the smallest Wald p when added to the
 * variables already chosen, while that p is below alpha; a candidate whose fit
 * fails (separation, aliasing) is skipped at that step. Returns the chosen names
 * in the order they entered. Every fit is logisticRegression (checked against R's
 * glm), so each step's p is glm's.
 */
export function forwardStepwiseLogistic(X: ArrayLike<ArrayLike<number>>, y: ArrayLike<number>, names: string[], opts: { alpha?: number; candidates?: string[] } = {}): string[] {
  const alpha = opts.alpha ?? 0.05;
  const rows = toMatrix(X, 'forwardStepwiseLogistic: X');
  if (names.length !== rows[0]!.length) throw new Error(`forwardStepwiseLogistic: ${names.length} names for ${rows[0]!.length} columns`);
  const pool = (opts.candidates ?? names).map((n) => {
    const j = names.indexOf(n);
    if (j < 0) throw new Error(`forwardStepwiseLogistic: no column "${n}"`);
    return j;
  });
  const chosen: number[] = [];
  for (;;) {
    let best = -1;
    let bestP = alpha;
    for (const j of pool) {
      if (chosen.includes(j)) continue;
      const cols = [...chosen, j];
      let p: number;
      try {
        p = logisticRegression(rows.map((r) => cols.map((c) => r[c]!)), y).pValues[cols.length]!;
      } catch {
        continue;
      }
      if (p < bestP) {
        bestP = p;
        best = j;
      }
    }
    if (best < 0) return chosen.map((j) => names[j]!);
    chosen.push(best);
  }
}

