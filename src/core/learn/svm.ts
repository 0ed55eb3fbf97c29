/**
 * Binary C-support-vector classification solved by libsvm's SMO (Chang & Lin 2011,
 * ACM TIST 2:27; working-set selection by second-order information, Fan, Chen & Lin
 * 2005, JMLR 6:1889), so decision values agree with scikit-learn `SVC` (which wraps
 * libsvm). At libsvm's stopping tolerance (1e-3 on the maximal KKT violation) the
 * returned solution depends on the iteration path, which can put it 1e-2 away from
 * the exact optimum; the solver therefore follows libsvm's path, shrinking included.
 *
 * Probabilities by Platt scaling (Platt 1999) with the Newton method of Lin, Lin &
 * Weng (2007, Machine Learning 68:267), fitted on decision values from seeded,
 * stratified 5-fold cross-validation on the training data (libsvm's procedure, with
 * our own deterministic folds instead of libsvm's unseeded shuffle).
 */
import { deriveSeed } from '../util/random.js';
import { stratifiedFolds } from './lasso.js';
import { toBinary, toMatrix } from './linalg.js';

export type SvmKernel = 'linear' | 'rbf';

export interface SvmOptions {
  kernel?: SvmKernel;
  /** Box constraint, default 1. */
  C?: number;
  /** RBF width in exp(−γ‖x − x'‖²); number or "scale" = 1/(p · Var(X)) as scikit-learn (default). */
  gamma?: number | 'scale';
  /** Stopping tolerance on the maximal KKT violation (libsvm `eps`, default 1e-3). */
  tol?: number;
  /** Fit Platt scaling for `predictProba` (default true). */
  probability?: boolean;
  /** Seed of the Platt cross-validation folds (default 1). */
  seed?: number;
  /** Folds for Platt scaling (default 5, as libsvm). */
  plattFolds?: number;
  /**
   * Per-class weights of C (scikit-learn's `class_weight`): 'balanced' = n / (2·n_class)
   * from the training labels, [w₀, w₁] given, or none (default). With an imbalanced
   * outcome and a weak predictor the unweighted hinge loss fits a nearly constant
   * decision function (sign of P(y=1|x) − ½), whose ranking of patients is arbitrary.
   */
  classWeight?: 'balanced' | [number, number] | null;
}

/** A fitted SVM as plain data (JSON-serialisable). */
export interface SvmModelData {
  kind: 'svm';
  kernel: SvmKernel;
  C: number;
  gamma: number;
  nFeatures: number;
  supportVectors: number[][];
  /** αᵢ·yᵢ per support vector, with yᵢ = +1 for class 1. */
  dualCoef: number[];
  /** Decision value f(x) = Σ dualCoefᵢ K(svᵢ, x) + intercept; f > 0 ⇒ class 1. */
  intercept: number;
  /** Platt sigmoid P(class 1 | f) = 1/(1 + exp(A·f + B)); null when not fitted. */
  platt: { A: number; B: number } | null;
  /** Class weights [w₀, w₁] of C when not both 1. */
  classWeight?: [number, number];
}

export interface SvmModel extends SvmModelData {
  decisionFunction(X: ArrayLike<ArrayLike<number>>): number[];
  predictProba(X: ArrayLike<ArrayLike<number>>): number[];
}

const TAU = 1e-12;

function kernelFn(kernel: SvmKernel, gamma: number): (a: ArrayLike<number>, b: ArrayLike<number>) => number {
  if (kernel === 'linear') {
    return (a, b) => {
      let s = 0;
      for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
      return s;
    };
  }
  return (a, b) => {
    let s = 0;
    for (let k = 0; k < a.length; k++) {
      const d = a[k]! - b[k]!;
      s += d * d;
    }
    return Math.exp(-gamma * s);
  };
}

/**
 * Solve the C-SVC dual min ½αᵀQα − eᵀα, yᵀα = 0, 0 ≤ α ≤ C (y in {+1, −1}), following
 * libsvm's `Solver::Solve` step for step — WSS3 working-set selection with its
 * tie-breaking, the analytic two-variable update with clipping, shrinking every
 * min(l, 1000) iterations with gradient reconstruction, and Q stored in single
 * precision as libsvm's kernel cache does (`Qfloat`) — so the iterates, and hence the
 * approximate solution at the 1e-3 stopping tolerance, are those of scikit-learn.
 * Returns α (in the input order) and ρ (decision = Σ αᵢyᵢK − ρ).
 */
function smo(K: Float64Array, yIn: Int8Array, Cp: number, Cn: number, eps: number, shrinking = true): { alpha: Float64Array; rho: number } {
  const l = yIn.length;
  // position → original index (libsvm swaps rows when shrinking)
  const activeSet = Int32Array.from({ length: l }, (_, i) => i);
  const y = Int8Array.from(yIn);
  const alpha = new Float64Array(l);
  const G = new Float64Array(l).fill(-1);
  const Gbar = new Float64Array(l);
  const QD = new Float64Array(l);
  for (let i = 0; i < l; i++) QD[i] = K[i * l + i]!;
  // Qᵢⱼ = yᵢyⱼK(xᵢ, xⱼ) stored in single precision like libsvm's kernel cache (Qfloat),
  // indexed by original sample; Q(a, b) takes positions
  const Qf = new Float32Array(l * l);
  for (let a = 0; a < l; a++) for (let b = 0; b < l; b++) Qf[a * l + b] = yIn[a]! * yIn[b]! * K[a * l + b]!;
  const Q = (a: number, b: number) => Qf[activeSet[a]! * l + activeSet[b]!]!;
  const qRow = (a: number, len: number, out: Float64Array) => {
    const base = activeSet[a]! * l;
    for (let k = 0; k < len; k++) out[k] = Qf[base + activeSet[k]!]!;
  };
  // libsvm's get_C: the box of position a depends on its class (weighted C per class)
  const Cof = (a: number) => (y[a] === 1 ? Cp : Cn);
  const status = (a: number) => (alpha[a]! >= Cof(a) ? 1 : alpha[a]! <= 0 ? -1 : 0); // 1 upper, −1 lower, 0 free
  const isUpper = (a: number) => alpha[a]! >= Cof(a);
  const isLower = (a: number) => alpha[a]! <= 0;
  let activeSize = l;
  let unshrink = false;
  const Qi = new Float64Array(l);
  const Qj = new Float64Array(l);

  const swap = (a: number, b: number) => {
    if (a === b) return;
    const sw = <T extends { [k: number]: number }>(arr: T) => { const t = arr[a]!; arr[a] = arr[b]!; arr[b] = t; };
    sw(y); sw(G); sw(alpha); sw(activeSet); sw(Gbar); sw(QD);
  };
  const reconstructGradient = () => {
    if (activeSize === l) return;
    for (let j = activeSize; j < l; j++) G[j] = Gbar[j]! - 1;
    let nFree = 0;
    for (let j = 0; j < activeSize; j++) if (status(j) === 0) nFree++;
    if (nFree * l > 2 * activeSize * (l - activeSize)) {
      for (let i = activeSize; i < l; i++) {
        for (let j = 0; j < activeSize; j++) if (status(j) === 0) G[i]! += alpha[j]! * Q(i, j);
      }
    } else {
      for (let i = 0; i < activeSize; i++) {
        if (status(i) !== 0) continue;
        const ai = alpha[i]!;
        for (let j = activeSize; j < l; j++) G[j]! += ai * Q(i, j);
      }
    }
  };
  const beShrunk = (i: number, gmax1: number, gmax2: number) => {
    if (isUpper(i)) return y[i] === 1 ? -G[i]! > gmax1 : -G[i]! > gmax2;
    if (isLower(i)) return y[i] === 1 ? G[i]! > gmax2 : G[i]! > gmax1;
    return false;
  };
  const doShrinking = () => {
    let gmax1 = -Infinity;
    let gmax2 = -Infinity;
    for (let i = 0; i < activeSize; i++) {
      if (y[i] === 1) {
        if (!isUpper(i) && -G[i]! >= gmax1) gmax1 = -G[i]!;
        if (!isLower(i) && G[i]! >= gmax2) gmax2 = G[i]!;
      } else {
        if (!isUpper(i) && -G[i]! >= gmax2) gmax2 = -G[i]!;
        if (!isLower(i) && G[i]! >= gmax1) gmax1 = G[i]!;
      }
    }
    if (!unshrink && gmax1 + gmax2 <= eps * 10) {
      unshrink = true;
      reconstructGradient();
      activeSize = l;
    }
    for (let i = 0; i < activeSize; i++) {
      if (!beShrunk(i, gmax1, gmax2)) continue;
      activeSize--;
      while (activeSize > i) {
        if (!beShrunk(activeSize, gmax1, gmax2)) {
          swap(i, activeSize);
          break;
        }
        activeSize--;
      }
    }
  };
  /** WSS3; returns [i, j] or null when optimal within eps. */
  const selectWorkingSet = (): [number, number] | null => {
    let gmax = -Infinity;
    let gmaxIdx = -1;
    for (let t = 0; t < activeSize; t++) {
      if (y[t] === 1) {
        if (!isUpper(t) && -G[t]! >= gmax) { gmax = -G[t]!; gmaxIdx = t; }
      } else if (!isLower(t) && G[t]! >= gmax) { gmax = G[t]!; gmaxIdx = t; }
    }
    const i = gmaxIdx;
    if (i !== -1) qRow(i, activeSize, Qi);
    let gmax2 = -Infinity;
    let gminIdx = -1;
    let objDiffMin = Infinity;
    for (let j = 0; j < activeSize; j++) {
      if (y[j] === 1) {
        if (!isLower(j)) {
          const gradDiff = gmax + G[j]!;
          if (G[j]! >= gmax2) gmax2 = G[j]!;
          if (gradDiff > 0 && i !== -1) {
            const quad = QD[i]! + QD[j]! - 2 * y[i]! * Qi[j]!;
            const objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
            if (objDiff <= objDiffMin) { gminIdx = j; objDiffMin = objDiff; }
          }
        }
      } else if (!isUpper(j)) {
        const gradDiff = gmax - G[j]!;
        if (-G[j]! >= gmax2) gmax2 = -G[j]!;
        if (gradDiff > 0 && i !== -1) {
          const quad = QD[i]! + QD[j]! + 2 * y[i]! * Qi[j]!;
          const objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
          if (objDiff <= objDiffMin) { gminIdx = j; objDiffMin = objDiff; }
        }
      }
    }
    if (gmax + gmax2 < eps || gminIdx === -1) return null;
    return [i, gminIdx];
  };

  const maxIter = Math.max(10000000, 100 * l);
  let counter = Math.min(l, 1000) + 1;
  for (let iter = 0; iter < maxIter; iter++) {
    if (--counter === 0) {
      counter = Math.min(l, 1000);
      if (shrinking) doShrinking();
    }
    let ws = selectWorkingSet();
    if (ws === null) {
      reconstructGradient();
      activeSize = l;
      ws = selectWorkingSet();
      if (ws === null) break;
      counter = 1;
    }
    const [i, j] = ws;
    const Ci = Cof(i);
    const Cj = Cof(j);
    // Qi holds row i over the active set from the working-set selection
    qRow(j, activeSize, Qj);
    const oldAi = alpha[i]!;
    const oldAj = alpha[j]!;
    if (y[i] !== y[j]) {
      let quad = QD[i]! + QD[j]! + 2 * Qi[j]!;
      if (quad <= 0) quad = TAU;
      const delta = (-G[i]! - G[j]!) / quad;
      const diff = alpha[i]! - alpha[j]!;
      alpha[i]! += delta;
      alpha[j]! += delta;
      if (diff > 0) {
        if (alpha[j]! < 0) { alpha[j] = 0; alpha[i] = diff; }
      } else if (alpha[i]! < 0) { alpha[i] = 0; alpha[j] = -diff; }
      if (diff > Ci - Cj) {
        if (alpha[i]! > Ci) { alpha[i] = Ci; alpha[j] = Ci - diff; }
      } else if (alpha[j]! > Cj) { alpha[j] = Cj; alpha[i] = Cj + diff; }
    } else {
      let quad = QD[i]! + QD[j]! - 2 * Qi[j]!;
      if (quad <= 0) quad = TAU;
      const delta = (G[i]! - G[j]!) / quad;
      const sum = alpha[i]! + alpha[j]!;
      alpha[i]! -= delta;
      alpha[j]! += delta;
      if (sum > Ci) {
        if (alpha[i]! > Ci) { alpha[i] = Ci; alpha[j] = sum - Ci; }
      } else if (alpha[j]! < 0) { alpha[j] = 0; alpha[i] = sum; }
      if (sum > Cj) {
        if (alpha[j]! > Cj) { alpha[j] = Cj; alpha[i] = sum - Cj; }
      } else if (alpha[i]! < 0) { alpha[i] = 0; alpha[j] = sum; }
    }
    const dAi = alpha[i]! - oldAi;
    const dAj = alpha[j]! - oldAj;
    for (let k = 0; k < activeSize; k++) G[k]! += Qi[k]! * dAi + Qj[k]! * dAj;
    // G_bar tracks the gradient part from bounded α, needed to reconstruct shrunk entries
    const ui = oldAi >= Ci;
    const uj = oldAj >= Cj;
    if (ui !== isUpper(i)) {
      qRow(i, l, Qi);
      const sgn = ui ? -Ci : Ci;
      for (let k = 0; k < l; k++) Gbar[k]! += sgn * Qi[k]!;
    }
    if (uj !== isUpper(j)) {
      qRow(j, l, Qj);
      const sgn = uj ? -Cj : Cj;
      for (let k = 0; k < l; k++) Gbar[k]! += sgn * Qj[k]!;
    }
  }
  if (activeSize < l) {
    reconstructGradient();
    activeSize = l;
  }
  // ρ: mean of yᵢGᵢ over free vectors, else the midpoint of the feasible interval
  let nFree = 0;
  let sumFree = 0;
  let ub = Infinity;
  let lb = -Infinity;
  for (let i = 0; i < l; i++) {
    const yG = y[i]! * G[i]!;
    if (isUpper(i)) {
      if (y[i] === -1) ub = Math.min(ub, yG);
      else lb = Math.max(lb, yG);
    } else if (isLower(i)) {
      if (y[i] === 1) ub = Math.min(ub, yG);
      else lb = Math.max(lb, yG);
    } else {
      nFree++;
      sumFree += yG;
    }
  }
  const out = new Float64Array(l);
  for (let a = 0; a < l; a++) out[activeSet[a]!] = alpha[a]!;
  return { alpha: out, rho: nFree > 0 ? sumFree / nFree : (ub + lb) / 2 };
}

/** Fit only the decision function (no Platt scaling). */
function fitDecision(rows: number[][], labels: number[], kernel: SvmKernel, C: number, gamma: number, tol: number, weights: [number, number] = [1, 1]): SvmModelData {
  // libsvm as called by scikit-learn: samples grouped by class (class 0 first, stable),
  // class 0 coded +1; the decision is negated at the end so that f > 0 ⇒ class 1.
  const order = [...labels.keys()].filter((i) => labels[i] === 0).concat([...labels.keys()].filter((i) => labels[i] === 1));
  const l = order.length;
  const dot = kernelFn('linear', 0);
  const sq = order.map((i) => dot(rows[i]!, rows[i]!));
  // libsvm's training kernels: xᵢ·xⱼ and exp(−γ(‖xᵢ‖² + ‖xⱼ‖² − 2xᵢ·xⱼ))
  const kf = kernel === 'linear'
    ? (a: number, b: number) => dot(rows[order[a]!]!, rows[order[b]!]!)
    : (a: number, b: number) => Math.exp(-gamma * (sq[a]! + sq[b]! - 2 * dot(rows[order[a]!]!, rows[order[b]!]!)));
  const K = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let b = a; b < l; b++) {
      const v = kf(a, b);
      K[a * l + b] = v;
      K[b * l + a] = v;
    }
  }
  const y = Int8Array.from(order, (i) => (labels[i] === 0 ? 1 : -1));
  // internal +1 is class 0: its box is C·w₀ (libsvm's weighted C, scikit-learn's class_weight)
  const { alpha, rho } = smo(K, y, C * weights[0], C * weights[1], tol);
  const supportVectors: number[][] = [];
  const dualCoef: number[] = [];
  for (let a = 0; a < l; a++) {
    if (alpha[a]! > 0) {
      supportVectors.push(rows[order[a]!]!.slice());
      dualCoef.push(-alpha[a]! * y[a]!); // sign flipped to the class-1-positive convention
    }
  }
  const model: SvmModelData = { kind: 'svm', kernel, C, gamma, nFeatures: rows[0]!.length, supportVectors, dualCoef, intercept: rho, platt: null };
  if (weights[0] !== 1 || weights[1] !== 1) model.classWeight = [...weights];
  return model;
}

/** Decision values f(x) of a fitted SVM (plain data, e.g. after a JSON round trip); f > 0 ⇒ class 1. */
export function svmDecisionFunction(model: SvmModelData, X: ArrayLike<ArrayLike<number>>): number[] {
  const rows = toMatrix(X, 'svmDecisionFunction: X');
  if (rows[0]!.length !== model.nFeatures) throw new Error(`svmDecisionFunction: X has ${rows[0]!.length} columns, the model ${model.nFeatures}`);
  // the model may come from a file (model.json): its arrays must agree before the loops read them
  if (model.dualCoef.length !== model.supportVectors.length || model.supportVectors.some((sv) => sv.length !== model.nFeatures)) {
    throw new Error(`svmDecisionFunction: the model's ${model.supportVectors.length} support vectors, ${model.dualCoef.length} dual coefficients and ${model.nFeatures} features do not match`);
  }
  const kf = kernelFn(model.kernel, model.gamma);
  return rows.map((r) => {
    let s = model.intercept;
    for (let k = 0; k < model.supportVectors.length; k++) s += model.dualCoef[k]! * kf(model.supportVectors[k]!, r);
    return s;
  });
}

/** P(class 1) from the Platt sigmoid, clipped to [1e-7, 1 − 1e-7] as libsvm does. */
export function svmPredictProba(model: SvmModelData, X: ArrayLike<ArrayLike<number>>): number[] {
  if (!model.platt) throw new Error('svmPredictProba: the model was trained without probability = true');
  const { A, B } = model.platt;
  return svmDecisionFunction(model, X).map((f) => {
    const fApB = A * f + B;
    const p = fApB >= 0 ? Math.exp(-fApB) / (1 + Math.exp(-fApB)) : 1 / (1 + Math.exp(fApB));
    return Math.min(1 - 1e-7, Math.max(1e-7, p));
  });
}

/**
 * Platt's sigmoid P(y = 1 | f) = 1/(1 + exp(A·f + B)) by regularised maximum likelihood
 * with targets (N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2), solved by Newton's method with
 * backtracking (Lin, Lin & Weng 2007, Algorithm 1), to a gradient norm of 1e-10.
 */
export function plattScaling(decisionValues: ArrayLike<number>, labels: ArrayLike<number>): { A: number; B: number } {
  const l = decisionValues.length;
  if (labels.length !== l) throw new Error(`plattScaling: ${labels.length} labels for ${l} decision values`);
  let prior1 = 0;
  for (let i = 0; i < l; i++) prior1 += labels[i] === 1 ? 1 : 0;
  const prior0 = l - prior1;
  const hi = (prior1 + 1) / (prior1 + 2);
  const lo = 1 / (prior0 + 2);
  const t = Float64Array.from({ length: l }, (_, i) => (labels[i] === 1 ? hi : lo));
  const f = Float64Array.from(decisionValues);
  const objective = (A: number, B: number) => {
    let v = 0;
    for (let i = 0; i < l; i++) {
      const z = f[i]! * A + B;
      v += z >= 0 ? t[i]! * z + Math.log1p(Math.exp(-z)) : (t[i]! - 1) * z + Math.log1p(Math.exp(z));
    }
    return v;
  };
  let A = 0;
  let B = Math.log((prior0 + 1) / (prior1 + 1));
  let fval = objective(A, B);
  const sigma = 1e-12;
  for (let iter = 0; iter < 200; iter++) {
    let h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
    for (let i = 0; i < l; i++) {
      const z = f[i]! * A + B;
      const p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
      const q = 1 - p;
      const d2 = p * q;
      h11 += f[i]! * f[i]! * d2;
      h22 += d2;
      h21 += f[i]! * d2;
      const d1 = t[i]! - p;
      g1 += f[i]! * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-10 && Math.abs(g2) < 1e-10) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= 1e-10) {
      const nA = A + step * dA;
      const nB = B + step * dB;
      const nf = objective(nA, nB);
      if (nf < fval + 1e-4 * step * gd) {
        A = nA;
        B = nB;
        fval = nf;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return { A, B };
}

function attach(data: SvmModelData): SvmModel {
  const model = data as SvmModel;
  // methods are non-enumerable so the model still serialises as plain data
  Object.defineProperty(model, 'decisionFunction', { value: (X: ArrayLike<ArrayLike<number>>) => svmDecisionFunction(data, X), enumerable: false });
  Object.defineProperty(model, 'predictProba', { value: (X: ArrayLike<ArrayLike<number>>) => svmPredictProba(data, X), enumerable: false });
  return model;
}

/** Re-attach `decisionFunction` / `predictProba` to plain SVM data (e.g. loaded from a study bundle). */
export function restoreSvm(data: SvmModelData): SvmModel {
  if (data.kind !== 'svm') throw new Error(`restoreSvm: not an SVM model (kind = ${String((data as { kind?: unknown }).kind)})`);
  return attach({ ...data });
}

/** Train a binary SVM (labels 0/1) with a linear or RBF kernel. */
export function trainSvm(X: ArrayLike<ArrayLike<number>>, y: ArrayLike<number>, opts: SvmOptions = {}): SvmModel {
  const rows = toMatrix(X, 'trainSvm: X');
  const labels = toBinary(y, 'trainSvm: y', rows.length);
  const kernel = opts.kernel ?? 'rbf';
  if (kernel !== 'linear' && kernel !== 'rbf') throw new Error(`trainSvm: unknown kernel "${String(kernel)}"`);
  const C = opts.C ?? 1;
  if (!(C > 0)) throw new Error(`trainSvm: C must be positive (got ${C})`);
  let gamma: number;
  if (opts.gamma === undefined || opts.gamma === 'scale') {
    let s = 0, s2 = 0;
    const count = rows.length * rows[0]!.length;
    for (const r of rows) for (const v of r) { s += v; s2 += v * v; }
    const m = s / count;
    const v = s2 / count - m * m;
    gamma = v > 0 ? 1 / (rows[0]!.length * v) : 1;
  } else {
    gamma = opts.gamma;
    if (!(gamma > 0)) throw new Error(`trainSvm: gamma must be positive (got ${gamma})`);
  }
  const tol = opts.tol ?? 1e-3;
  let weights: [number, number] = [1, 1];
  if (opts.classWeight === 'balanced') {
    const n1 = labels.reduce((a, v) => a + v, 0);
    const n0 = labels.length - n1;
    weights = [labels.length / (2 * n0), labels.length / (2 * n1)];
  } else if (Array.isArray(opts.classWeight)) {
    weights = [opts.classWeight[0], opts.classWeight[1]];
    if (!(weights[0] > 0 && weights[1] > 0)) throw new Error(`trainSvm: class weights must be positive (got ${weights.join(', ')})`);
  }
  const model = fitDecision(rows, labels, kernel, C, gamma, tol, weights);
  if (opts.probability ?? true) {
    const k = opts.plattFolds ?? 5;
    const folds = stratifiedFolds(labels, Math.min(k, rows.length), deriveSeed(opts.seed ?? 1, 'platt'));
    const dec = new Array<number>(rows.length);
    for (let f = 0; f < Math.min(k, rows.length); f++) {
      const trainIdx = [...labels.keys()].filter((i) => folds[i] !== f);
      const testIdx = [...labels.keys()].filter((i) => folds[i] === f);
      const yTrain = trainIdx.map((i) => labels[i]!);
      const pos = yTrain.reduce((s, v) => s + v, 0);
      if (pos === 0 || pos === yTrain.length) {
        // one class only in this training part: libsvm assigns ±1
        for (const i of testIdx) dec[i] = pos > 0 ? 1 : -1;
        continue;
      }
      const m = fitDecision(trainIdx.map((i) => rows[i]!), yTrain, kernel, C, gamma, tol, weights);
      const d = svmDecisionFunction(m, testIdx.map((i) => rows[i]!));
      testIdx.forEach((i, r) => { dec[i] = d[r]!; });
    }
    model.platt = plattScaling(dec, labels);
  }
  return attach(model);
}

