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

/**
 * glmnet.control() factory defaults: fitted probabilities are pinned to 0/1 beyond
 * |η| > log(1/pmin − 1); the IRLS stops when the total weight Σwᵢpᵢ(1 − pᵢ) falls to
 * (1 + pmin)·pmin·(1 − pmin); a computed path stops once the deviance ratio exceeds
 * devmax or gains less than fdev from one λ to the next (never before mnlam λs).
 */
const PMIN = 1e-9;
const FMAX = Math.log(1 / PMIN - 1);
const VMIN = (1 + PMIN) * PMIN * (1 - PMIN);
const BIG = 9.9e35;
const DEVMAX = 0.999;
const FDEV = 1e-5;
const MNLAM = 5;
const EPS_RATIO = 1e-6;

/** Why a path ended before its last λ. */
export type PathStop =
  /** A λ did not converge within `maxit` passes: the path is kept up to the last good λ (glmnet warns). */
  | 'maxit'
  /** The fit saturated (deviance ratio > 0.999 or the IRLS weights vanished, as near separation). */
  | 'saturated'
  /** The deviance ratio gained less than 1e-5 from one λ to the next. */
  | 'flat';

interface PathFit {
  lambdas: number[];
  intercepts: number[];
  /** One dense coefficient vector per λ. */
  betas: Float64Array[];
  devRatio: number[];
  /** Coordinate-descent passes over all λ (glmnet `npasses`). */
  passes: number;
  /** Set when the path ended before the last λ asked for. */
  stop: { reason: PathStop; index: number } | null;
}

export interface LassoControl {
  /**
   * glmnet's `thresh`: each coordinate-descent loop runs until the largest weighted
   * squared change xvⱼ·Δβⱼ² of any coefficient (the intercept with the total
   * weight) is below thresh × the null deviance per observation / 2 (default 1e-7).
   */
  thresh?: number;
  /** glmnet's `maxit`: coordinate-descent passes over all λ values (default 1e5). */
  maxit?: number;
}

class MaxPasses extends Error {}

function isConstant(c: Float64Array): boolean {
  for (let i = 1; i < c.length; i++) if (c[i] !== c[0]) return false;
  return true;
}

/** |xⱼᵀ(y − ȳ)|/n of every non-constant column: the null model's gradient (λ_max is its largest entry). */
function nullGradient(cols: Float64Array[], y: Float64Array): Float64Array {
  const n = y.length;
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i]!;
  ybar /= n;
  return Float64Array.from(cols, (c) => {
    if (isConstant(c)) return 0;
    let g = 0;
    for (let i = 0; i < n; i++) g += (1 / n) * (y[i]! - ybar) * c[i]!;
    return Math.abs(g);
  });
}

/**
 * λ_max: the smallest λ at which all βⱼ = 0, max_j |xⱼᵀ(y − ȳ)|/n over non-constant
 * columns; glmnet's default path is 100 values from λ_max down to ratio·λ_max, each
 * the previous times ratio^(1/(nλ−1)), ratio = 1e-4 when n ≥ p and 0.01 when n < p
 * (`lambda.min.ratio`). When no column can enter (p = 0, every column constant or
 * orthogonal to y − ȳ) the path is the single λ = 0, where the intercept-only model
 * is the solution.
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
  const ratio = Math.max(EPS_RATIO, opts.minRatio ?? (n < p ? 0.01 : 1e-4));
  let lmax = 0;
  for (const g of nullGradient(cols, y)) lmax = Math.max(lmax, g);
  if (!(lmax > 0)) return [0];
  const alf = Math.pow(ratio, 1 / (nLambda - 1));
  const out = [lmax];
  for (let k = 1; k < nLambda; k++) out.push(out[k - 1]! * alf);
  return out;
}

/**
 * Coordinate-descent path fit on column-major data, λ decreasing; the steps of
 * glmnet's two-class solver (glmnetpp, glmnet 4.1): observation weights 1/n;
 * constant columns excluded; per λ the sequential strong set, then IRLS rounds of
 * (full coordinate pass over the strong set, passes over the active set until
 * converged, repeated until a full pass converges), new weights, and — once the
 * intercept and active coefficients moved less than the threshold — a KKT check of
 * the features outside the strong set. `computed` marks glmnet's own path (λ_max
 * downwards): only then may the path stop early on saturation or a flat deviance.
 * A λ that does not converge within `maxit` passes ends the path at the previous λ.
 */
function fitPath(rawCols: Float64Array[], y: Float64Array, lambdas: number[], computed: boolean, ctl: LassoControl = {}): PathFit {
  const n = y.length;
  const p = rawCols.length;
  const w = 1 / n;
  const maxit = ctl.maxit ?? 1e5;
  const ju = Uint8Array.from(rawCols, (c) => (isConstant(c) ? 0 : 1));
  // glmnet centres every used column on its weighted mean (then moves the intercept back);
  // column j lives at X[j·n .. j·n + n) (constant columns stay 0: they are never read)
  const xm = new Float64Array(p);
  const X = new Float64Array(p * n);
  for (let j = 0; j < p; j++) {
    if (!ju[j]) continue;
    const c = rawCols[j]!;
    let m = 0;
    for (let i = 0; i < n; i++) m += w * c[i]!;
    xm[j] = m;
    const off = j * n;
    for (let i = 0; i < n; i++) X[off + i] = c[i]! - m;
  }
  let q0 = 0;
  for (let i = 0; i < n; i++) q0 += w * y[i]!;
  const bz = Math.log(q0 / (1 - q0));
  const dev1 = -(bz * q0 + Math.log(1 - q0));
  const dev0 = dev1; // binary y adds Σ w y log y = 0
  const thr = (ctl.thresh ?? 1e-7) * dev0;
  let b0 = bz;
  const beta = new Float64Array(p);
  const bs = new Float64Array(p);
  const xv = new Float64Array(p);
  const v = new Float64Array(n).fill(w * q0 * (1 - q0));
  const r = Float64Array.from(y, (yi) => w * (yi - q0));
  const q = new Float64Array(n).fill(q0);
  const eta = new Float64Array(n);
  let xmz = q0 * (1 - q0);
  const ga = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (!ju[j]) continue;
    const off = j * n;
    let g = 0;
    for (let i = 0; i < n; i++) g += r[i]! * X[off + i]!;
    ga[j] = Math.abs(g);
  }
  const strong = new Uint8Array(p);
  /** The strong set in increasing column order (the order of a full pass), and the active set in order of entry. */
  const strongList = new Int32Array(p);
  let nStrong = 0;
  const listStrong = (): void => {
    nStrong = 0;
    for (let j = 0; j < p; j++) if (strong[j]) strongList[nStrong++] = j;
  };
  const isActive = new Uint8Array(p);
  const active = new Int32Array(p);
  let nActive = 0;
  let nlp = 0;
  let dlx = 0;

  // Covariance updates (as glmnet's Gaussian `type.gaussian = "covariance"` does them;
  // its binomial solver reads the residual afresh instead): within an IRLS round the
  // weights v are fixed, so the gradient gₐ = xₐᵀr of every strong column a (by its
  // position in strongList) and the residual's sum s0 are kept up to date from inner
  // products instead of being summed over the patients at every coordinate:
  // moving βₖ by d changes gₐ by −d·xₐᵀ(v∘xₖ) and s0 by −d·xₖᵀv; moving the intercept
  // by d changes gₐ by −d·xₐᵀv and s0 by −d·Σv. The inner products with xₖ are formed
  // when βₖ first moves in the round (C's column for k); r itself is updated once,
  // after the round's passes. Same iterations as reading r each time; the sums differ
  // in their last bits.
  const g = new Float64Array(p);
  const xvS = new Float64Array(p); // xₐᵀv by strong position
  const posOf = new Int32Array(p);
  const colOf = new Int32Array(p).fill(-1); // C's column of a strong column in this round, or −1
  let C = new Float64Array(0);
  let nCols = 0;
  let s0 = 0;
  const vx = new Float64Array(n);
  /** The round's start: gradient, xᵀv and the residual's sum from r and v; C emptied. */
  const startRound = (): void => {
    for (let a = 0; a < nStrong; a++) {
      const j = strongList[a]!;
      posOf[j] = a;
      colOf[j] = -1;
      const off = j * n;
      let gj = 0;
      let sv = 0;
      let sxx = 0;
      for (let i = 0; i < n; i++) {
        const xi = X[off + i]!;
        const vi = v[i]!;
        gj += r[i]! * xi;
        sv += vi * xi;
        sxx += vi * xi * xi;
      }
      g[a] = gj;
      xvS[a] = sv;
      xv[j] = sxx;
    }
    let sr = 0;
    for (let i = 0; i < n; i++) sr += r[i]!;
    s0 = sr;
    nCols = 0;
    if (C.length < nStrong * nStrong) C = new Float64Array(nStrong * nStrong);
  };
  /** C's column for strong column k (xₐᵀ(v∘xₖ) for every strong a), formed once per round. */
  const column = (k: number): number => {
    let c = colOf[k]!;
    if (c >= 0) return c;
    c = nCols++ * nStrong;
    colOf[k] = c;
    const offk = k * n;
    for (let i = 0; i < n; i++) vx[i] = v[i]! * X[offk + i]!;
    for (let a = 0; a < nStrong; a++) {
      const off = strongList[a]! * n;
      let sa = 0;
      for (let i = 0; i < n; i++) sa += vx[i]! * X[off + i]!;
      C[c + a] = sa;
    }
    return c;
  };
  /** One coordinate-descent pass over the strong set (full) or the active set, then the intercept; true when it converged. */
  const pass = (lambda: number, full: boolean): boolean => {
    nlp++;
    const list = full ? strongList : active;
    const m = full ? nStrong : nActive;
    // locals: the loops below read no closure variable
    const gg = g;
    const xs = xvS;
    const bb = beta;
    const ns = nStrong;
    let dl = 0;
    let sr = s0;
    for (let a = 0; a < m; a++) {
      const k = list[a]!;
      const pos = full ? a : posOf[k]!;
      const old = bb[k]!;
      const xk = xv[k]!;
      const u = gg[pos]! + old * xk;
      const vv = Math.abs(u) - lambda;
      // glmnet divides by xvⱼ even when it is 0 (then clips to ±big); such a column has no
      // weight left on any patient and carries no information, so it stays where it is.
      let nb = 0;
      if (vv > 0) nb = xk > 0 ? Math.max(-BIG, Math.min(BIG, (u < 0 ? -vv : vv) / xk)) : old;
      if (nb === old) continue;
      if (full && !isActive[k]) {
        isActive[k] = 1;
        active[nActive++] = k;
      }
      const d = nb - old;
      bb[k] = nb;
      const ch = xk * d * d;
      if (ch > dl) dl = ch;
      const c = column(k);
      const cc = C;
      for (let b = 0; b < ns; b++) gg[b]! -= d * cc[c + b]!;
      sr -= d * xs[pos]!;
    }
    const d = sr / xmz;
    if (d !== 0) {
      b0 += d;
      const ch = xmz * d * d;
      if (ch > dl) dl = ch;
      for (let b = 0; b < ns; b++) gg[b]! -= d * xs[b]!;
      sr -= d * xmz;
    }
    s0 = sr;
    dlx = dl;
    if (dlx < thr) return true;
    if (nlp > maxit) throw new MaxPasses();
    return false;
  };
  /** The round's moves applied to r: r −= v∘(Δβ₀ + Σₖ Δβₖxₖ) (the weights of the round). */
  const updateResidual = (bs0: number): void => {
    eta.fill(b0 - bs0);
    for (let a = 0; a < nActive; a++) {
      const k = active[a]!;
      const d = beta[k]! - bs[k]!;
      if (d === 0) continue;
      const off = k * n;
      for (let i = 0; i < n; i++) eta[i]! += d * X[off + i]!;
    }
    for (let i = 0; i < n; i++) r[i]! -= v[i]! * eta[i]!;
  };

  const out: PathFit = { lambdas: [], intercepts: [], betas: [], devRatio: [], passes: 0, stop: null };
  let prevLambda = 0;
  for (let m = 0; m < lambdas.length; m++) {
    const lambda = lambdas[m]!;
    const tlam = 2 * lambda - prevLambda;
    prevLambda = lambda;
    for (let j = 0; j < p; j++) if (!strong[j] && ju[j] && ga[j]! > tlam) strong[j] = 1;
    listStrong();
    try {
      for (;;) {
        if (nlp > maxit) throw new MaxPasses();
        // weighted least squares at the current expansion point
        const bs0 = b0;
        for (let a = 0; a < nActive; a++) bs[active[a]!] = beta[active[a]!]!;
        startRound();
        try {
          while (!pass(lambda, true)) while (!pass(lambda, false));
        } finally {
          updateResidual(bs0);
        }
        // new expansion point: ηᵢ = b0 + Σ βₖxᵢₖ over the active set in order of entry
        eta.fill(b0);
        for (let a = 0; a < nActive; a++) {
          const bk = beta[active[a]!]!;
          const off = active[a]! * n;
          for (let i = 0; i < n; i++) eta[i]! += bk * X[off + i]!;
        }
        for (let i = 0; i < n; i++) {
          const fi = eta[i]!;
          q[i] = fi < -FMAX ? 0 : fi > FMAX ? 1 : 1 / (1 + Math.exp(-fi));
        }
        xmz = 0;
        for (let i = 0; i < n; i++) {
          v[i] = w * q[i]! * (1 - q[i]!);
          xmz += v[i]!;
        }
        if (xmz <= VMIN) break;
        for (let i = 0; i < n; i++) r[i] = w * (y[i]! - q[i]!);
        const d0 = b0 - bs0;
        let moved = xmz * d0 * d0 > thr;
        for (let a = 0; !moved && a < nActive; a++) {
          const k = active[a]!;
          const d = beta[k]! - bs[k]!;
          moved = xv[k]! * d * d > thr;
        }
        if (moved) continue;
        let kktPassed = true;
        for (let j = 0; j < p; j++) {
          if (strong[j] || !ju[j]) continue;
          const off = j * n;
          let g = 0;
          for (let i = 0; i < n; i++) g += r[i]! * X[off + i]!;
          ga[j] = Math.abs(g);
          if (ga[j]! > lambda) {
            strong[j] = 1;
            kktPassed = false;
          }
        }
        if (kktPassed) break;
        listStrong();
      }
    } catch (e) {
      if (!(e instanceof MaxPasses)) throw e;
      out.stop = { reason: 'maxit', index: m };
      break;
    }
    out.lambdas.push(lambda);
    let a0 = b0;
    for (let a = 0; a < nActive; a++) a0 -= beta[active[a]!]! * xm[active[a]!]!;
    out.intercepts.push(a0);
    out.betas.push(Float64Array.from(beta));
    let devi = 0;
    for (let i = 0; i < n; i++) {
      const pi = Math.min(Math.max(PMIN, q[i]!), 1 - PMIN);
      devi -= w * (y[i]! * Math.log(pi) + (1 - y[i]!) * Math.log(1 - pi));
    }
    const dr = (dev1 - devi) / dev0;
    const prev = m === 0 ? 0 : out.devRatio[m - 1];
    out.devRatio.push(dr);
    if (m + 1 < MNLAM || !computed || m === lambdas.length - 1) continue;
    if (dr > DEVMAX || xmz <= VMIN) {
      out.stop = { reason: 'saturated', index: m + 1 };
      break;
    }
    if (dr - prev! < FDEV) {
      out.stop = { reason: 'flat', index: m + 1 };
      break;
    }
  }
  out.passes = nlp;
  return out;
}

/**
 * The LASSO path of glmnet(family = "binomial", standardize = FALSE): on glmnet's own
 * λ sequence (`nLambda`, `minRatio`) with its early stops, or on the given
 * decreasing `lambdas` without them. Never throws on valid data: a λ that does not
 * converge within `maxit` passes ends the path (glmnet's warning is in `warning`).
 * The first λ of a computed path is reported, as glmnet does, extrapolated from the
 * next two on the log scale.
 */
export function lassoPath(
  X: ArrayLike<ArrayLike<number>>,
  y: ArrayLike<number>,
  opts: LassoControl & { lambdas?: number[]; nLambda?: number; minRatio?: number } = {},
): { lambdas: number[]; intercepts: number[]; coefficients: number[][]; devRatio: number[]; passes: number; stop: PathFit['stop']; warning: string | null } {
  const rows = toMatrix(X, 'lassoPath: X');
  const labels = Float64Array.from(toBinary(y, 'lassoPath: y', rows.length));
  const cols = toColumns(rows);
  const fit = opts.lambdas ? fitPath(cols, labels, checkLambdas(opts.lambdas, 'lassoPath'), false, opts) : fitPath(cols, labels, lambdaPathFromColumns(cols, labels, opts), true, opts);
  const lambdas = [...fit.lambdas];
  if (!opts.lambdas && lambdas.length > 2) lambdas[0] = Math.exp(2 * Math.log(lambdas[1]!) - Math.log(lambdas[2]!));
  return {
    lambdas, intercepts: fit.intercepts, coefficients: fit.betas.map((b) => Array.from(b)), devRatio: fit.devRatio,
    passes: fit.passes, stop: fit.stop, warning: pathWarning(fit, opts.maxit ?? 1e5),
  };
}

function checkLambdas(lambdas: number[], who: string): number[] {
  if (lambdas.length === 0 || lambdas.some((l) => !(l >= 0) || !Number.isFinite(l))) throw new Error(`${who}: lambdas must be finite numbers ≥ 0`);
  return [...lambdas].sort((a, b) => b - a);
}

function pathWarning(fit: PathFit, maxit: number): string | null {
  if (fit.stop?.reason !== 'maxit') return null;
  return `convergence for the ${fit.stop.index + 1}th λ not reached after ${maxit} passes; solutions for larger λ kept`;
}

export interface LassoModel {
  kind: 'lasso-logistic';
  lambda: number;
  intercept: number;
  coefficients: number[];
  /** Set when the path toward λ was cut: the model is then the one at `lambda`, the last λ that converged. */
  warning?: string;
}

/**
 * LASSO logistic regression at one λ (glmnet `family = "binomial"`, `standardize =
 * FALSE`). Solved along a short path from λ_max down to λ with warm starts, which
 * is faster and more stable than starting at zero for small λ. When that path is
 * cut (a λ did not converge), the fit at the last λ that did is returned with a warning.
 */
export function lassoLogistic(X: ArrayLike<ArrayLike<number>>, y: ArrayLike<number>, lambda: number, ctl: LassoControl = {}): LassoModel {
  if (!(lambda > 0) || !Number.isFinite(lambda)) throw new Error(`lassoLogistic: lambda must be a positive number (got ${lambda})`);
  const rows = toMatrix(X, 'lassoLogistic: X');
  const labels = Float64Array.from(toBinary(y, 'lassoLogistic: y', rows.length));
  const cols = toColumns(rows);
  const path = lambdaPathFromColumns(cols, labels, { nLambda: 30 }).filter((l) => l > lambda);
  path.push(lambda);
  const fit = fitPath(cols, labels, path, false, { thresh: 1e-13, ...ctl });
  const last = fit.betas.length - 1;
  if (last < 0) throw new Error(`lassoLogistic: no λ converged within ${ctl.maxit} passes`); // only with maxit < 1
  const model: LassoModel = { kind: 'lasso-logistic', lambda: fit.lambdas[last]!, intercept: fit.intercepts[last]!, coefficients: Array.from(fit.betas[last]!) };
  const warning = pathWarning(fit, ctl.maxit ?? 1e5);
  if (warning) model.warning = warning;
  return model;
}

/** Linear predictor β₀ + xᵀβ of a LASSO model (the Rad-score when X is standardised). */
export function lassoLinearPredictor(model: Pick<LassoModel, 'intercept' | 'coefficients'>, X: ArrayLike<ArrayLike<number>>): number[] {
  const rows = toMatrix(X, 'lassoLinearPredictor: X');
  if (rows[0]!.length !== model.coefficients.length) throw new Error(`lassoLinearPredictor: X has ${rows[0]!.length} columns, the model ${model.coefficients.length}`);
  return rows.map((r) => r.reduce((s, v, j) => s + v * model.coefficients[j]!, model.intercept));
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
      [idx[i]!, idx[j]!] = [idx[j]!, idx[i]!];
    }
    // deal the class round-robin, continuing where the previous class stopped so fold sizes stay balanced
    idx.forEach((i, r) => { fold[i] = (offset + r) % k; });
    offset = (offset + idx.length) % k;
  }
  return fold;
}

/** The fit at path index k (null when the path is empty). */
function coefficientsAt(fit: PathFit, k: number): { intercept: number; beta: Float64Array; nonzero: number[] } | null {
  if (k < 0) return null;
  const beta = fit.betas[k]!;
  const nonzero: number[] = [];
  for (let j = 0; j < beta.length; j++) if (beta[j] !== 0) nonzero.push(j);
  return { intercept: fit.intercepts[k]!, beta, nonzero };
}

/** R's approx(x, y, v) for increasing x, y = 1..k: the (fractional) 1-based position of v. */
function approxIndex(x: number[], v: number): number {
  let i = 0;
  let j = x.length - 1;
  if (v <= x[i]!) return 1;
  if (v >= x[j]!) return j + 1;
  while (i < j - 1) {
    const ij = (i + j) >> 1;
    if (v < x[ij]!) j = ij;
    else i = ij;
  }
  if (v === x[j]) return j + 1;
  if (v === x[i]) return i + 1;
  return i + 1 + (v - x[i]!) / (x[j]! - x[i]!);
}

/**
 * Coefficients of a path at λ = s as predict.glmnet gives them (lambda.interp): linear
 * interpolation in λ between the two neighbouring path λs, and the path's end when s
 * lies outside it.
 */
function interpolateAt(fit: PathFit, lam: number[], s: number): { intercept: number; beta: Float64Array; nonzero: number[] } | null {
  const k = lam.length;
  if (k === 0) return null;
  if (k === 1) return coefficientsAt(fit, 0);
  const span = lam[0]! - lam[k - 1]!;
  const norm = lam.map((l) => (lam[0]! - l) / span);
  const sfrac0 = Math.min(Math.max((lam[0]! - s) / span, norm[0]!), norm[k - 1]!);
  const coord = approxIndex(norm, sfrac0);
  const left = Math.floor(coord) - 1;
  const right = Math.ceil(coord) - 1;
  let frac = (sfrac0 - norm[right]!) / (norm[left]! - norm[right]!);
  if (left === right || Math.abs(lam[left]! - lam[right]!) < Number.EPSILON) frac = 1;
  const bl = fit.betas[left]!;
  const br = fit.betas[right]!;
  const beta = Float64Array.from(bl, (v, j) => v * frac + br[j]! * (1 - frac));
  const nonzero: number[] = [];
  for (let j = 0; j < beta.length; j++) if (beta[j] !== 0) nonzero.push(j);
  return { intercept: fit.intercepts[left]! * frac + fit.intercepts[right]! * (1 - frac), beta, nonzero };
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
  /**
   * How the path on all data ended before its last λ, if it did: `saturated` (deviance
   * ratio > 0.999 or vanishing IRLS weights, as near separation), `flat` (< 1e-5 gain)
   * or `maxit` (a λ failed to converge; the path is kept up to the last λ that did).
   */
  pathStop: PathStop | null;
  /** glmnet-style warnings: a λ of the full path or of a fold fit did not converge, a fold's training part had one class. */
  warnings: string[];
}

/**
 * Cross-validated LASSO logistic regression as R `cv.glmnet(type.measure =
 * "deviance")`: λ path from all data (glmnet's own, with its early stops, or the
 * given `lambdas`), each fold refitted on the same λs, held-out binomial deviance
 * −2[y log p + (1 − y) log(1 − p)] with p clipped to [1e-5, 1 − 1e-5]; per-fold means
 * weighted by fold size give cvMean, their spread cvSe = √(Σ_f n_f (m_f − m)² / Σ n_f
 * / (K − 1)). λ.min is the largest λ with the smallest cvMean, λ.1se the largest λ
 * with cvMean ≤ min + its SE. Folds are stratified and seeded unless `foldId` is
 * given. A fold fit cut short predicts its smaller λs from its last converged λ (as
 * cv.glmnet's prediction matrix does); a fold whose training part has one class
 * predicts that class (clipped). Nothing here throws on valid data.
 */
export function lassoLogisticCV(
  X: ArrayLike<ArrayLike<number>>,
  y: ArrayLike<number>,
  opts: { folds?: number; seed?: number; lambdas?: number[]; foldId?: number[]; nLambda?: number; tol?: number; maxit?: number } = {},
): LassoCvResult {
  const rows = toMatrix(X, 'lassoLogisticCV: X');
  const n = rows.length;
  const labels = Float64Array.from(toBinary(y, 'lassoLogisticCV: y', n));
  const cols = toColumns(rows);
  const k = opts.folds ?? 10;
  const foldId = opts.foldId ?? stratifiedFolds(labels, k, opts.seed ?? 1);
  if (foldId.length !== n) throw new Error(`lassoLogisticCV: foldId has ${foldId.length} entries for ${n} samples`);
  const nFolds = Math.max(...foldId) + 1;
  const warnings: string[] = [];
  const full = opts.lambdas
    ? fitPath(cols, labels, checkLambdas(opts.lambdas, 'lassoLogisticCV'), false, { thresh: 1e-10, maxit: opts.maxit })
    : fitPath(cols, labels, lambdaPathFromColumns(cols, labels, { nLambda: opts.nLambda }), true, { thresh: 1e-10, maxit: opts.maxit });
  const fullWarning = pathWarning(full, opts.maxit ?? 1e5);
  if (fullWarning) warnings.push(`all data: ${fullWarning}`);
  const lambdas = [...full.lambdas];
  // glmnet reports the first λ of its own path extrapolated from the next two (fix.lam)
  if (!opts.lambdas && lambdas.length > 2) lambdas[0] = Math.exp(2 * Math.log(lambdas[1]!) - Math.log(lambdas[2]!));
  const L = lambdas.length;
  const foldMeans: number[][] = [];
  const foldSizes: number[] = [];
  const clipDev = (pi: number, yi: number) => {
    const pc = Math.min(1 - 1e-5, Math.max(1e-5, pi));
    return yi === 1 ? -2 * Math.log(pc) : -2 * Math.log(1 - pc);
  };
  for (let f = 0; f < nFolds; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let i = 0; i < n; i++) (foldId[i] === f ? testIdx : trainIdx).push(i);
    if (testIdx.length === 0) throw new Error(`lassoLogisticCV: fold ${f} is empty`);
    const yTrain = Float64Array.from(trainIdx, (i) => labels[i]!);
    const nPos = yTrain.reduce((s, v) => s + v, 0);
    const means = new Array<number>(L).fill(0);
    if (nPos === 0 || nPos === yTrain.length) {
      warnings.push(`fold ${f}: the training part has one class; its patients are predicted as that class`);
      const s = testIdx.reduce((acc, i) => acc + clipDev(nPos === 0 ? 0 : 1, labels[i]!), 0);
      means.fill(s / testIdx.length);
    } else {
      const trainCols = cols.map((c) => Float64Array.from(trainIdx, (i) => c[i]!));
      const ctl = { thresh: opts.tol ?? 1e-7, maxit: opts.maxit };
      // cv.glmnet: a fold fits its own path when none was given, and is read at the full
      // path's λs by interpolation; on a given path, a fold cut short predicts the smaller
      // λs from its last converged λ
      const fit = opts.lambdas ? fitPath(trainCols, yTrain, lambdas, false, ctl) : fitPath(trainCols, yTrain, lambdaPathFromColumns(trainCols, yTrain, { nLambda: opts.nLambda }), true, ctl);
      const w = pathWarning(fit, opts.maxit ?? 1e5);
      if (w) warnings.push(`fold ${f}: ${w}`);
      const q0 = nPos / yTrain.length;
      const foldLambdas = [...fit.lambdas];
      if (!opts.lambdas && foldLambdas.length > 2) foldLambdas[0] = Math.exp(2 * Math.log(foldLambdas[1]!) - Math.log(foldLambdas[2]!));
      for (let l = 0; l < L; l++) {
        const at = opts.lambdas ? coefficientsAt(fit, Math.min(l, fit.betas.length - 1)) : interpolateAt(fit, foldLambdas, lambdas[l]!);
        let s = 0;
        for (const i of testIdx) {
          let e = at ? at.intercept : Math.log(q0 / (1 - q0)); // no λ converged: the null model
          if (at) for (const j of at.nonzero) e += cols[j]![i]! * at.beta[j]!;
          s += clipDev(sigmoid(e), labels[i]!);
        }
        means[l] = s / testIdx.length;
      }
    }
    foldMeans.push(means);
    foldSizes.push(testIdx.length);
  }
  const wTotal = foldSizes.reduce((s, v) => s + v, 0);
  const cvMean = new Array<number>(L);
  const cvSe = new Array<number>(L);
  for (let l = 0; l < L; l++) {
    let m = 0;
    for (let f = 0; f < nFolds; f++) m += foldSizes[f]! * foldMeans[f]![l]!;
    m /= wTotal;
    let v = 0;
    for (let f = 0; f < nFolds; f++) v += foldSizes[f]! * (foldMeans[f]![l]! - m) ** 2;
    cvMean[l] = m;
    cvSe[l] = Math.sqrt(v / wTotal / (nFolds - 1));
  }
  let minVal = Infinity;
  for (const v of cvMean) minVal = Math.min(minVal, v);
  const indexMin = cvMean.findIndex((v) => v <= minVal); // λ decreasing: first = largest λ
  if (indexMin < 0) throw new Error(`lassoLogisticCV: no λ of the path (${L} λ) has a finite cross-validated deviance`); // an empty path: its first λ did not converge
  const bound = cvMean[indexMin]! + cvSe[indexMin]!;
  const index1se = cvMean.findIndex((v) => v <= bound);
  if (index1se < 0) throw new Error(`lassoLogisticCV: the cross-validated deviance has no standard error with ${nFolds} fold(s)`); // one fold: 0/0
  return {
    kind: 'lasso-logistic-cv',
    lambdas,
    cvMean,
    cvSe,
    lambdaMin: lambdas[indexMin]!,
    lambda1se: lambdas[index1se]!,
    indexMin,
    index1se,
    interceptMin: full.intercepts[indexMin]!,
    coefficientsMin: Array.from(full.betas[indexMin]!),
    intercept1se: full.intercepts[index1se]!,
    coefficients1se: Array.from(full.betas[index1se]!),
    path: {
      intercepts: full.intercepts,
      coefficients: full.betas.map((b) => Array.from(b)),
      nonzero: full.betas.map((b) => b.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0)),
      devRatio: full.devRatio,
    },
    foldId,
    pathStop: full.stop?.reason ?? null,
    warnings,
  }
}
