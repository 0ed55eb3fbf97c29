/**
 * L2-penalised logistic regression, scikit-learn's
 * `LogisticRegression(penalty='l2', C, class_weight)`: minimises
 *   ½‖w‖² + C · Σᵢ sᵢ · logloss(yᵢ, σ(b + xᵢ·w))
 * with the intercept b unpenalised and sᵢ the class weight of yᵢ ('balanced':
 * n / (2·n_class)). Solved by Newton's method with step halving (the
 * objective is strictly convex in w; with separable classes the penalty keeps
 * the optimum finite).
 */
import { cholesky, choleskySolve, sigmoid, toBinary, toMatrix } from './linalg.js';

/** A fitted L2 logistic regression as plain data (JSON-serialisable). */
export interface LogisticL2Data {
  kind: 'logistic-l2';
  C: number;
  coefficients: number[];
  intercept: number;
  /** Class weights [w₀, w₁] when not both 1. */
  classWeight?: [number, number];
}

export interface LogisticL2Options {
  /** Inverse penalty strength, default 1. */
  C?: number;
  classWeight?: 'balanced' | null;
  /** Stop when the largest gradient component is below this (default 1e-10). */
  tol?: number;
  maxIterations?: number;
}

const logloss = (y: number, eta: number) => (y === 1 ? Math.log1p(Math.exp(-Math.abs(eta))) + Math.max(0, -eta) : Math.log1p(Math.exp(-Math.abs(eta))) + Math.max(0, eta));

/** Fit on rows X (samples × features) and labels 0/1. */
export function trainLogisticL2(X: ArrayLike<ArrayLike<number>>, y: ArrayLike<number>, opts: LogisticL2Options = {}): LogisticL2Data {
  const rows = toMatrix(X, 'trainLogisticL2: X');
  const labels = toBinary(y, 'trainLogisticL2: y', rows.length);
  const C = opts.C ?? 1;
  if (!(C > 0)) throw new Error(`trainLogisticL2: C must be positive (got ${C})`);
  const n = rows.length;
  const p = rows[0]!.length;
  let weights: [number, number] = [1, 1];
  if (opts.classWeight === 'balanced') {
    const n1 = labels.reduce((a, v) => a + v, 0);
    weights = [n / (2 * (n - n1)), n / (2 * n1)];
  }
  const s = labels.map((v) => weights[v]);
  // θ = [b, w₁…w_p]
  let theta = new Array<number>(p + 1).fill(0);
  const objective = (t: number[]) => {
    let f = 0;
    for (let j = 1; j <= p; j++) f += 0.5 * t[j]! * t[j]!;
    for (let i = 0; i < n; i++) {
      let eta = t[0]!;
      for (let j = 0; j < p; j++) eta += rows[i]![j]! * t[j + 1]!;
      f += C * s[i]! * logloss(labels[i]!, eta);
    }
    return f;
  };
  const tol = opts.tol ?? 1e-10;
  let f = objective(theta);
  for (let it = 0; it < (opts.maxIterations ?? 100); it++) {
    const g = new Array<number>(p + 1).fill(0);
    const H = Array.from({ length: p + 1 }, () => new Array<number>(p + 1).fill(0));
    for (let j = 1; j <= p; j++) {
      g[j] = theta[j]!;
      H[j]![j] = 1;
    }
    for (let i = 0; i < n; i++) {
      const x = [1, ...rows[i]!];
      let eta = 0;
      for (let j = 0; j <= p; j++) eta += x[j]! * theta[j]!;
      const mu = sigmoid(eta);
      const r = C * s[i]! * (mu - labels[i]!);
      const w = C * s[i]! * mu * (1 - mu);
      for (let j = 0; j <= p; j++) {
        g[j]! += r * x[j]!;
        for (let k = 0; k <= j; k++) H[j]![k]! += w * x[j]! * x[k]!;
      }
    }
    for (let j = 0; j <= p; j++) for (let k = j + 1; k <= p; k++) H[j]![k] = H[k]![j]!;
    if (Math.max(...g.map(Math.abs)) < tol) break;
    const ch = cholesky(H);
    if (!('l' in ch)) throw new Error(`trainLogisticL2: singular Hessian at column ${ch.singularAt}`);
    const step = choleskySolve(ch.l, g);
    let a = 1;
    let next = theta.map((t, j) => t - a * step[j]!);
    let fn = objective(next);
    while (fn > f && a > 1e-10) {
      a /= 2;
      next = theta.map((t, j) => t - a * step[j]!);
      fn = objective(next);
    }
    if (fn > f) break;
    theta = next;
    f = fn;
  }
  const out: LogisticL2Data = { kind: 'logistic-l2', C, coefficients: theta.slice(1), intercept: theta[0]! };
  if (weights[0] !== 1 || weights[1] !== 1) out.classWeight = weights;
  return out;
}

/** Decision values b + x·w (log-odds of class 1). */
export function logisticL2Decision(model: LogisticL2Data, X: ArrayLike<ArrayLike<number>>): number[] {
  const rows = toMatrix(X, 'logisticL2Decision: X');
  if (rows[0]!.length !== model.coefficients.length) throw new Error(`logisticL2Decision: X has ${rows[0]!.length} columns, the model ${model.coefficients.length}`);
  return rows.map((r) => r.reduce((a, v, j) => a + v * model.coefficients[j]!, model.intercept));
}

/** P(class 1). */
export function logisticL2Proba(model: LogisticL2Data, X: ArrayLike<ArrayLike<number>>): number[] {
  return logisticL2Decision(model, X).map(sigmoid);
}
