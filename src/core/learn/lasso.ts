/**
 * L1-penalised logistic regression with the objective and path of R glmnet
 * (Friedman, Hastie & Tibshirani 2010, J Stat Softw 33(1)):
 *
 *   minimise −(1/n)·Σ[yᵢ·ηᵢ − log(1 + e^ηᵢ)] + λ·Σⱼ|βⱼ|,  ηᵢ = β₀ + xᵢᵀβ,
 *
 * intercept unpenalised, no internal standardisation (glmnet `standardize = FALSE`).
 * Solved by proximal Newton: an outer quadratic (IRLS) approximation and cyclic
 * coordinate descent with soft-thresholding inside, warm starts along a decreasing
 * λ path, and the sequential strong rule (Tibshirani et al. 2012, JRSS-B 74:245) to
 * restrict the coordinates visited, followed by a KKT check on all features.
 */
import { createRng, deriveSeed } from '../util/random.js';
import { sigmoid, toBinary, toColumns, toMatrix } from './linalg.js';

/** Fitted values are kept inside [PMIN, 1 − PMIN] for the IRLS weights (glmnet.control pmin). */
const PMIN = 1e-9;

interface PathFit {
  lambdas: number[];
  intercepts: number[];
  /** One dense coefficient vector per λ. */
  betas: Float64Array[];
  devRatio: number[];
}

interface PathOptions {
  /**
   * Convergence threshold on the largest weighted squared coordinate change
   * wⱼ·Δβⱼ², relative to the null deviance per observation (glmnet's `thresh`,
   * default there 1e-7).
   */
  tol?: number;
  /** glmnet's early stop of a computed path (deviance ratio > 0.999 or < 1e-5 gain over 5 λ). */
  earlyStop?: boolean;
  maxPasses?: number;
}

function nullDeviance(y: Float64Array): number {
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += y[i];
  const p = s / n;
  return -2 * (s * Math.log(p) + (n - s) * Math.log(1 - p));
}

function deviance(y: Float64Array, eta: Float64Array): number {
  let d = 0;
  for (let i = 0; i < y.length; i++) {
    // −2·loglik with log(1 + e^η) evaluated stably
    const e = eta[i];
    const softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    d += 2 * (softplus - y[i] * e);
  }
  return d;
}

/**
 * λ_max: the smallest λ at which all βⱼ = 0, max_j |xⱼᵀ(y − ȳ)|/n; glmnet's default path
 * is 100 values log-spaced from λ_max down to ratio·λ_max, ratio = 1e-4 when n ≥ p and
 * 0.01 when n < p (`lambda.min.ratio`).
 */
export function lassoLambdaPath(X: ArrayLike<ArrayLike<number>>, y: ArrayLike<number>, opts: { nLambda?: number; minRatio?: number } = {}): number[] {
  const rows = toMatrix(X, 'lassoLambdaPath: X');
  const labels = toBinary(y, 'lassoLambdaPath: y', rows.length);
  return lambdaPathFromColumns(toColumns(rows), Float64Array.from(labels), opts);
}

function lambdaPathFromColumns(cols: Float64Array[], y: Float64Array, opts: { nLambda?: number; minRatio?: number }): number[] {
  const n = y.length;
  const p = cols.length;
  const nLambda = opts.nLambda ?? 100;
  const ratio = opts.minRatio ?? (n < p ? 0.01 : 1e-4);
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i];
  ybar /= n;
  let lmax = 0;
  for (const c of cols) {
    let g = 0;
    for (let i = 0; i < n; i++) g += c[i] * (y[i] - ybar);
    lmax = Math.max(lmax, Math.abs(g) / n);
  }
  if (!(lmax > 0)) throw new Error('lassoLambdaPath: every feature is constant or uncorrelated with the labels (λ_max = 0)');
  // glmnet: λ_k = λ_max · ratio^(k/(nλ−1)), computed as exp of a log-linear sequence
  const out: number[] = [];
  for (let k = 0; k < nLambda; k++) out.push(lmax * Math.exp((k / (nLambda - 1)) * Math.log(ratio)));
  return out;
}

/** Coordinate-descent path fit on column-major data; λ must be decreasing. */
function fitPath(cols: Float64Array[], y: Float64Array, lambdas: number[], opts: PathOptions = {}): PathFit {
  const n = y.length;
  const p = cols.length;
  const dev0 = nullDeviance(y);
  // glmnet's scaling: threshold × null deviance per observation
  const tol = (opts.tol ?? 1e-13) * (dev0 / n);
  const maxPasses = opts.maxPasses ?? 200000;
  const beta = new Float64Array(p);
  const eta = new Float64Array(n);
  const w = new Float64Array(n);
  const r = new Float64Array(n); // weighted working residual wᵢ(zᵢ − ηᵢ) = (yᵢ − pᵢ)/n at the expansion point
  const xv = new Float64Array(p);
  const xvStamp = new Int32Array(p).fill(-1);
  const grad = new Float64Array(p); // |xⱼᵀ(y − p)|/n at the last solution, for the strong rule
  const inStrong = new Uint8Array(p);
  const ever = new Uint8Array(p);
  let b0 = 0;
  {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i];
    const ybar = s / n;
    b0 = Math.log(ybar / (1 - ybar));
    eta.fill(b0);
    for (let j = 0; j < p; j++) {
      const c = cols[j];
      let g = 0;
      for (let i = 0; i < n; i++) g += c[i] * (y[i] - ybar);
      grad[j] = Math.abs(g) / n;
    }
  }
  const out: PathFit = { lambdas: [], intercepts: [], betas: [], devRatio: [] };
  let passes = 0;
  let outerStamp = 0;
  let prevLambda = lambdas[0];

  for (let k = 0; k < lambdas.length; k++) {
    const lambda = lambdas[k];
    // sequential strong rule: discard j when |gⱼ(λ_{k−1})| < 2λ_k − λ_{k−1}
    const cut = 2 * lambda - (k === 0 ? Math.max(lambda, prevLambda) : prevLambda);
    for (let j = 0; j < p; j++) if (ever[j] || grad[j] >= cut) inStrong[j] = 1;
    for (;;) {
      // proximal-Newton outer loop on the strong set
      for (let outer = 0; outer < 500; outer++) {
        outerStamp++;
        let wsum = 0;
        for (let i = 0; i < n; i++) {
          let pi = sigmoid(eta[i]);
          const pc = pi < PMIN ? PMIN : pi > 1 - PMIN ? 1 - PMIN : pi;
          w[i] = (pc * (1 - pc)) / n;
          r[i] = (y[i] - pi) / n;
          wsum += w[i];
          pi = 0;
        }
        const betaOld = Float64Array.from(beta);
        const b0Old = b0;
        // coordinate descent on the quadratic approximation
        let fullPass = true;
        for (;;) {
          let maxChange = 0;
          for (let j = 0; j < p; j++) {
            if (!inStrong[j]) continue;
            if (!fullPass && beta[j] === 0) continue;
            const c = cols[j];
            if (xvStamp[j] !== outerStamp) {
              let s = 0;
              for (let i = 0; i < n; i++) s += w[i] * c[i] * c[i];
              xv[j] = s;
              xvStamp[j] = outerStamp;
            }
            if (xv[j] <= 0) continue;
            let g = 0;
            for (let i = 0; i < n; i++) g += c[i] * r[i];
            const bj = beta[j];
            const u = g + xv[j] * bj;
            const nb = Math.abs(u) > lambda ? (u - Math.sign(u) * lambda) / xv[j] : 0;
            const d = nb - bj;
            if (d !== 0) {
              beta[j] = nb;
              for (let i = 0; i < n; i++) r[i] -= w[i] * c[i] * d;
              const ch = xv[j] * d * d;
              if (ch > maxChange) maxChange = ch;
              ever[j] = 1;
            }
          }
          // unpenalised intercept
          let rs = 0;
          for (let i = 0; i < n; i++) rs += r[i];
          const d0 = rs / wsum;
          if (d0 !== 0) {
            b0 += d0;
            for (let i = 0; i < n; i++) r[i] -= w[i] * d0;
            const ch = wsum * d0 * d0;
            if (ch > maxChange) maxChange = ch;
          }
          passes++;
          if (passes > maxPasses) throw new Error(`lasso: coordinate descent did not converge in ${maxPasses} passes`);
          if (maxChange < tol) {
            if (fullPass) break;
            fullPass = true; // converged on the active set: confirm with a pass over the strong set
          } else {
            fullPass = false;
          }
        }
        // new expansion point
        let outerChange = (b0 - b0Old) * (b0 - b0Old) * wsum;
        for (let j = 0; j < p; j++) {
          if (!inStrong[j]) continue;
          const d = beta[j] - betaOld[j];
          if (d !== 0) outerChange = Math.max(outerChange, xv[j] * d * d);
        }
        eta.fill(b0);
        for (let j = 0; j < p; j++) {
          const bj = beta[j];
          if (bj === 0) continue;
          const c = cols[j];
          for (let i = 0; i < n; i++) eta[i] += c[i] * bj;
        }
        if (outerChange < tol) break;
      }
      // KKT check on every feature outside the strong set: |xⱼᵀ(y − p)|/n ≤ λ
      let violations = 0;
      const resid = new Float64Array(n);
      for (let i = 0; i < n; i++) resid[i] = y[i] - sigmoid(eta[i]);
      for (let j = 0; j < p; j++) {
        // strong-set features satisfy the KKT conditions by convergence and stay in the set
        if (inStrong[j]) continue;
        const c = cols[j];
        let g = 0;
        for (let i = 0; i < n; i++) g += c[i] * resid[i];
        grad[j] = Math.abs(g) / n;
        if (grad[j] > lambda * (1 + 1e-9)) {
          inStrong[j] = 1;
          violations++;
        }
      }
      if (violations === 0) break;
    }
    out.lambdas.push(lambda);
    out.intercepts.push(b0);
    out.betas.push(Float64Array.from(beta));
    const dr = 1 - deviance(y, eta) / dev0;
    out.devRatio.push(dr);
    prevLambda = lambda;
    if (opts.earlyStop) {
      const m = out.devRatio.length;
      if (dr > 0.999) break;
      if (m >= 5 && dr - out.devRatio[m - 5] < 1e-5) break;
    }
  }
  return out;
}

export interface LassoModel {
  kind: 'lasso-logistic';
  lambda: number;
  intercept: number;
  coefficients: number[];
}

/**
 * LASSO logistic regression at one λ (glmnet `family = "binomial"`, `standardize =
 * FALSE`). Solved along a short path from λ_max down to λ with warm starts, which
 * is faster and more stable than starting at zero for small λ.
 */
export function lassoLogistic(X: ArrayLike<ArrayLike<number>>, y: ArrayLike<number>, lambda: number): LassoModel {
  if (!(lambda > 0) || !Number.isFinite(lambda)) throw new Error(`lassoLogistic: lambda must be a positive number (got ${lambda})`);
  const rows = toMatrix(X, 'lassoLogistic: X');
  const labels = Float64Array.from(toBinary(y, 'lassoLogistic: y', rows.length));
  const cols = toColumns(rows);
  const path = lambdaPathFromColumns(cols, labels, { nLambda: 30 }).filter((l) => l > lambda);
  path.push(lambda);
  const fit = fitPath(cols, labels, path);
  const last = fit.betas.length - 1;
  return { kind: 'lasso-logistic', lambda, intercept: fit.intercepts[last], coefficients: Array.from(fit.betas[last]) };
}

/** Linear predictor β₀ + xᵀβ of a LASSO model (the Rad-score when X is standardised). */
export function lassoLinearPredictor(model: Pick<LassoModel, 'intercept' | 'coefficients'>, X: ArrayLike<ArrayLike<number>>): number[] {
  const rows = toMatrix(X, 'lassoLinearPredictor: X');
  if (rows[0].length !== model.coefficients.length) throw new Error(`lassoLinearPredictor: X has ${rows[0].length} columns, the model ${model.coefficients.length}`);
  return rows.map((r) => r.reduce((s, v, j) => s + v * model.coefficients[j], model.intercept));
}

/** Stratified k-fold assignment (fold ids 0..k−1), shuffled within each class by a seeded PRNG. */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, seed: number): number[] {
  const n = labels.length;
  if (!Number.isInteger(k) || k < 2) throw new Error(`stratifiedFolds: k must be an integer ≥ 2 (got ${k})`);
  if (k > n) throw new Error(`stratifiedFolds: ${k} folds for ${n} samples`);
  const rng = createRng(deriveSeed(seed, 'stratified-folds'));
  const fold = new Array<number>(n);
  let offset = 0;
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (labels[i] === cls) idx.push(i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    // deal the class round-robin, continuing where the previous class stopped so fold sizes stay balanced
    idx.forEach((i, r) => { fold[i] = (offset + r) % k; });
    offset = (offset + idx.length) % k;
  }
  return fold;
}

export interface LassoCvResult {
  kind: 'lasso-logistic-cv';
  lambdas: number[];
  /** Mean cross-validated binomial deviance per λ, and its standard error. */
  cvMean: number[];
  cvSe: number[];
  lambdaMin: number;
  lambda1se: number;
  indexMin: number;
  index1se: number;
  /** Fit on all data at λ.min and λ.1se. */
  interceptMin: number;
  coefficientsMin: number[];
  intercept1se: number;
  coefficients1se: number[];
  /** Coefficient path on all data (one row per λ), for plotting; intercepts alongside. */
  path: { intercepts: number[]; coefficients: number[][]; nonzero: number[]; devRatio: number[] };
  foldId: number[];
}

/**
 * Cross-validated LASSO logistic regression as R `cv.glmnet(type.measure =
 * "deviance")`: λ path from all data (or the given `lambdas`), each fold refitted on
 * the same λs, held-out binomial deviance −2[y log p + (1 − y) log(1 − p)] with p
 * clipped to [1e-5, 1 − 1e-5]; per-fold means weighted by fold size give cvMean, their
 * spread cvSe = √(Σ_f n_f (m_f − m)² / Σ n_f / (K − 1)). λ.min is the largest λ with the
 * smallest cvMean, λ.1se the largest λ with cvMean ≤ min + its SE. Folds are
 * stratified and seeded unless `foldId` is given.
 */
export function lassoLogisticCV(
  X: ArrayLike<ArrayLike<number>>,
  y: ArrayLike<number>,
  opts: { folds?: number; seed?: number; lambdas?: number[]; foldId?: number[]; nLambda?: number; tol?: number } = {},
): LassoCvResult {
  const rows = toMatrix(X, 'lassoLogisticCV: X');
  const n = rows.length;
  const labels = Float64Array.from(toBinary(y, 'lassoLogisticCV: y', n));
  const cols = toColumns(rows);
  const k = opts.folds ?? 10;
  const foldId = opts.foldId ?? stratifiedFolds(labels, k, opts.seed ?? 1);
  if (foldId.length !== n) throw new Error(`lassoLogisticCV: foldId has ${foldId.length} entries for ${n} samples`);
  const nFolds = Math.max(...foldId) + 1;
  let full: PathFit;
  if (opts.lambdas) {
    const ls = [...opts.lambdas].sort((a, b) => b - a);
    if (ls.some((l) => !(l > 0))) throw new Error('lassoLogisticCV: lambdas must be positive');
    full = fitPath(cols, labels, ls, { tol: 1e-10 });
  } else {
    full = fitPath(cols, labels, lambdaPathFromColumns(cols, labels, { nLambda: opts.nLambda }), { earlyStop: true, tol: 1e-10 });
  }
  const lambdas = full.lambdas;
  const L = lambdas.length;
  const foldMeans: number[][] = [];
  const foldSizes: number[] = [];
  for (let f = 0; f < nFolds; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let i = 0; i < n; i++) (foldId[i] === f ? testIdx : trainIdx).push(i);
    if (testIdx.length === 0) throw new Error(`lassoLogisticCV: fold ${f} is empty`);
    const yTrain = Float64Array.from(trainIdx, (i) => labels[i]);
    const nPos = yTrain.reduce((s, v) => s + v, 0);
    if (nPos === 0 || nPos === yTrain.length) throw new Error(`lassoLogisticCV: the training part of fold ${f} has only one class`);
    const trainCols = cols.map((c) => {
      const out = new Float64Array(trainIdx.length);
      for (let r = 0; r < trainIdx.length; r++) out[r] = c[trainIdx[r]];
      return out;
    });
    const fit = fitPath(trainCols, yTrain, lambdas, { tol: opts.tol ?? 1e-7 });
    const means = new Array<number>(L).fill(0);
    for (let l = 0; l < L; l++) {
      const b = fit.betas[l];
      const nz: number[] = [];
      for (let j = 0; j < b.length; j++) if (b[j] !== 0) nz.push(j);
      let s = 0;
      for (const i of testIdx) {
        let e = fit.intercepts[l];
        for (const j of nz) e += cols[j][i] * b[j];
        const pi = Math.min(1 - 1e-5, Math.max(1e-5, sigmoid(e)));
        s += labels[i] === 1 ? -2 * Math.log(pi) : -2 * Math.log(1 - pi);
      }
      means[l] = s / testIdx.length;
    }
    foldMeans.push(means);
    foldSizes.push(testIdx.length);
  }
  const wTotal = foldSizes.reduce((s, v) => s + v, 0);
  const cvMean = new Array<number>(L);
  const cvSe = new Array<number>(L);
  for (let l = 0; l < L; l++) {
    let m = 0;
    for (let f = 0; f < nFolds; f++) m += foldSizes[f] * foldMeans[f][l];
    m /= wTotal;
    let v = 0;
    for (let f = 0; f < nFolds; f++) v += foldSizes[f] * (foldMeans[f][l] - m) ** 2;
    cvMean[l] = m;
    cvSe[l] = Math.sqrt(v / wTotal / (nFolds - 1));
  }
  let minVal = Infinity;
  for (const v of cvMean) minVal = Math.min(minVal, v);
  const indexMin = cvMean.findIndex((v) => v <= minVal); // λ decreasing: first = largest λ
  const bound = cvMean[indexMin] + cvSe[indexMin];
  const index1se = cvMean.findIndex((v) => v <= bound);
  return {
    kind: 'lasso-logistic-cv',
    lambdas,
    cvMean,
    cvSe,
    lambdaMin: lambdas[indexMin],
    lambda1se: lambdas[index1se],
    indexMin,
    index1se,
    interceptMin: full.intercepts[indexMin],
    coefficientsMin: Array.from(full.betas[indexMin]),
    intercept1se: full.intercepts[index1se],
    coefficients1se: Array.from(full.betas[index1se]),
    path: {
      intercepts: full.intercepts,
      coefficients: full.betas.map((b) => Array.from(b)),
      nonzero: full.betas.map((b) => b.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0)),
      devRatio: full.devRatio,
    },
    foldId,
  };
}
