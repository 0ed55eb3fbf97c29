/**
 * Gaussian mixture models with full covariance matrices fitted by EM, and the
 * Bayesian Information Criterion used to choose the number of habitats
 * (Wu et al. 2025, "Habitat generation": GMM + BIC over k = 1…8).
 *
 * The procedure follows scikit-learn's `GaussianMixture(covariance_type="full")`
 * so that `.bic` agrees: responsibilities initialised from the labels of a
 * k-means++-seeded K-means (init_params="kmeans"), `reg_covar` added to the
 * diagonal of every covariance, EM stopped when the change of the mean
 * log-likelihood per sample is below `tol` or after `max_iter` iterations, the
 * best of `n_init` initialisations kept (default 5: a single start stops in a
 * poor local optimum on skewed samples, e.g. two modes with a long tail), and
 *   BIC = −2·logL + p·ln(n),  p = k·d + k·d(d+1)/2 + (k − 1)
 * (means, covariance entries, free mixing weights).
 */
import { deriveSeed, createRng } from '../util/random.js';
import { kmeansPlusPlusSeeds, lloydRefine } from './kmeans.js';
import { toFlatPoints, type PointSet } from './points.js';

export interface GmmOptions {
  seed?: number;
  /**
   * Initialisations per k, each a K-means from its own k-means++ seeds; the highest
   * final log-likelihood bound wins (default 5, as scikit-learn's n_init=5; scikit-learn's
   * own default is 1). The first start is the same for every nInit, so more starts only
   * replace it when they reach a higher bound.
   */
  nInit?: number;
  /** Added to the covariance diagonals (default 1e-6). */
  regCovar?: number;
  /** Convergence threshold on the change of the mean log-likelihood (default 1e-3). */
  tol?: number;
  /** EM iterations per initialisation (default 100). */
  maxIter?: number;
}

export interface GmmBicOptions extends GmmOptions {
  /**
   * When set and the data have more points, EM is run on a seeded uniform
   * subsample of this many points (without replacement); the BIC is still the
   * log-likelihood of the fitted model over ALL points with p·ln(n) for the
   * full n. Unset: EM on all points.
   */
  maxFitPoints?: number;
  /**
   * With `maxFitPoints`: EM iterations on all points that follow the subsample
   * fit (default 2). The subsample's parameter error costs the full-data
   * log-likelihood about p/2 · (n/m) nats, more for more components, which
   * would bias the BIC towards small k; a couple of full-data EM steps from
   * the subsample optimum remove most of it.
   */
  refineIterations?: number;
}

export interface GaussianMixture {
  k: number;
  dim: number;
  weights: number[];
  /** k rows of dim values. */
  means: number[][];
  /** k row-major dim × dim covariance matrices (regularised). */
  covariances: number[][];
  converged: boolean;
  nIter: number;
}

/** EM starts per k (GmmOptions.nInit's default). */
export const DEFAULT_GMM_STARTS = 5;

const LOG_2PI = Math.log(2 * Math.PI);
/** scikit-learn adds 10·machine-epsilon to the component masses to avoid division by zero. */
const MASS_EPS = 10 * Number.EPSILON;

/** Lower Cholesky factor (row-major) of a symmetric positive-definite matrix. */
function cholesky(a: ArrayLike<number>, d: number, k: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c <= r; c++) {
      let s = a[r * d + c]!;
      for (let m = 0; m < c; m++) s -= l[r * d + m]! * l[c * d + m]!;
      if (r === c) {
        if (!(s > 0)) {
          throw new Error(
            `gmm: the covariance of component ${k} is not positive definite (collapsed samples); increase regCovar or lower k`,
          );
        }
        l[r * d + r] = Math.sqrt(s);
      } else l[r * d + c] = s / l[c * d + c]!;
    }
  }
  return l;
}

interface Factorised {
  logWeights: Float64Array;
  /** Per component: Cholesky factor of the covariance, row-major d × d. */
  chol: Float64Array[];
  /** Per component: −Σ ln L_ii − d/2·ln 2π. */
  logNorm: Float64Array;
}

function factorise(g: GaussianMixture): Factorised {
  const { k, dim } = g;
  const chol: Float64Array[] = [];
  const logNorm = new Float64Array(k);
  const logWeights = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const l = cholesky(g.covariances[j]!, dim, j);
    chol.push(l);
    let s = 0;
    for (let f = 0; f < dim; f++) s += Math.log(l[f * dim + f]!);
    logNorm[j] = -s - 0.5 * dim * LOG_2PI;
    logWeights[j] = Math.log(g.weights[j]!);
  }
  return { logWeights, chol, logNorm };
}

/**
 * Sufficient statistics of the M-step, accumulated during the E-step so the
 * n × k responsibility matrix is never stored: Σr, Σr·x, Σr·x·xᵀ per component.
 */
interface MixtureStats {
  nk: Float64Array;
  sx: Float64Array;
  sxx: Float64Array;
}

function emptyStats(k: number, dim: number): MixtureStats {
  return { nk: new Float64Array(k), sx: new Float64Array(k * dim), sxx: new Float64Array(k * dim * dim) };
}

function accumulate(st: MixtureStats, data: Float64Array, o: number, dim: number, j: number, r: number): void {
  st.nk[j]! += r;
  for (let a = 0; a < dim; a++) {
    const ra = r * data[o + a]!;
    st.sx[j * dim + a]! += ra;
    for (let b = 0; b <= a; b++) st.sxx[(j * dim + a) * dim + b]! += ra * data[o + b]!;
  }
}

/** w[j] ← exp(w[j] − mx) for j < k; returns their sum (the log-sum-exp step). */
function expInPlace(w: Float64Array, k: number, mx: number): number {
  let se = 0;
  for (let j = 0; j < k; j++) {
    const e = Math.exp(w[j]! - mx);
    w[j] = e;
    se += e;
  }
  return se;
}

/**
 * ln(w_j · N(x | μ_j, Σ_j)) of the point at data[o…o+dim) for every component j,
 * into `wlp`; returns their maximum. `z` is scratch of length dim.
 */
function weightedLogDensities(data: Float64Array, o: number, g: GaussianMixture, fz: Factorised, wlp: Float64Array, z: Float64Array): number {
  const { k, dim } = g;
  let mx = -Infinity;
  for (let j = 0; j < k; j++) {
    const mu = g.means[j]!;
    const l = fz.chol[j]!;
    // Mahalanobis term |L⁻¹(x − μ)|² by forward substitution.
    let q = 0;
    for (let r = 0; r < dim; r++) {
      let v = data[o + r]! - mu[r]!;
      for (let m = 0; m < r; m++) v -= l[r * dim + m]! * z[m]!;
      v /= l[r * dim + r]!;
      z[r] = v;
      q += v * v;
    }
    const w = fz.logWeights[j]! + fz.logNorm[j]! - 0.5 * q;
    wlp[j] = w;
    if (w > mx) mx = w;
  }
  return mx;
}

/**
 * E-step: Σ ln p(x_s) over the points (returned) and, when `stats` is given,
 * the responsibility-weighted sums of the M-step.
 */
function expectation(
  data: Float64Array,
  n: number,
  g: GaussianMixture,
  stats: MixtureStats | null,
): number {
  const { k, dim } = g;
  const fz = factorise(g);
  if (dim === 1) return expectation1d(data, n, g, fz, stats);
  const wlp = new Float64Array(k);
  const z = new Float64Array(dim);
  let total = 0;
  for (let s = 0; s < n; s++) {
    const o = s * dim;
    const mx = weightedLogDensities(data, o, g, fz, wlp, z);
    const se = expInPlace(wlp, k, mx);
    total += mx + Math.log(se);
    if (stats) for (let j = 0; j < k; j++) accumulate(stats, data, o, dim, j, wlp[j]! / se);
  }
  return total;
}

/**
 * The E-step for one feature (pooled voxel intensities, the common case and
 * the benchmark's): the same arithmetic as `expectation` with the per-component
 * constants hoisted and the sufficient statistics accumulated inline.
 */
function expectation1d(
  data: Float64Array,
  n: number,
  g: GaussianMixture,
  fz: Factorised,
  stats: MixtureStats | null,
): number {
  const k = g.k;
  const mu = new Float64Array(k);
  const invSd = new Float64Array(k);
  const c0 = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    mu[j] = g.means[j]![0]!;
    invSd[j] = 1 / fz.chol[j]![0]!;
    c0[j] = fz.logWeights[j]! + fz.logNorm[j]!;
  }
  const w = new Float64Array(k);
  let total = 0;
  for (let s = 0; s < n; s++) {
    const x = data[s]!;
    let mx = -Infinity;
    for (let j = 0; j < k; j++) {
      const t = (x - mu[j]!) * invSd[j]!;
      const v = c0[j]! - 0.5 * t * t;
      w[j] = v;
      if (v > mx) mx = v;
    }
    const se = expInPlace(w, k, mx);
    total += mx + Math.log(se);
    if (stats) {
      const inv = 1 / se;
      for (let j = 0; j < k; j++) {
        const r = w[j]! * inv;
        const rx = r * x;
        stats.nk[j]! += r;
        stats.sx[j]! += rx;
        stats.sxx[j]! += rx * x;
      }
    }
  }
  return total;
}

/**
 * M-step: weights, means and full covariances (scikit-learn's estimators, with
 * the covariance as Σr·x·xᵀ/n_k − μμᵀ; the descriptors are standardised, so the
 * cancellation is harmless) plus `regCovar` on the diagonal.
 */
function maximisation(st: MixtureStats, dim: number, k: number, regCovar: number): GaussianMixture {
  const means: number[][] = [];
  const covariances: number[][] = [];
  const weights: number[] = [];
  let total = 0;
  for (let j = 0; j < k; j++) total += st.nk[j]! + MASS_EPS;
  for (let j = 0; j < k; j++) {
    const nk = st.nk[j]! + MASS_EPS;
    const mu = Array.from(st.sx.subarray(j * dim, (j + 1) * dim), (v) => v / nk);
    const cv = new Array<number>(dim * dim);
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b <= a; b++) {
        const v = st.sxx[(j * dim + a) * dim + b]! / nk - mu[a]! * mu[b]!;
        cv[a * dim + b] = v;
        cv[b * dim + a] = v;
      }
      cv[a * dim + a]! += regCovar;
    }
    means.push(mu);
    covariances.push(cv);
    weights.push(nk / total);
  }
  return { k, dim, weights, means, covariances, converged: false, nIter: 0 };
}

function fitFlat(data: Float64Array, n: number, dim: number, k: number, opts: GmmOptions): GaussianMixture {
  if (!Number.isInteger(k) || k < 1) throw new Error(`gmm: k must be a positive integer, got ${k}`);
  if (k > n) throw new Error(`gmm: k = ${k} exceeds the number of points (${n})`);
  const seed = opts.seed ?? 0;
  const nInit = opts.nInit ?? DEFAULT_GMM_STARTS;
  if (!Number.isInteger(nInit) || nInit < 1) throw new Error(`gmm: nInit must be a positive integer, got ${nInit}`);
  const regCovar = opts.regCovar ?? 1e-6;
  const tol = opts.tol ?? 1e-3;
  const maxIter = opts.maxIter ?? 100;
  let best: GaussianMixture | null = null;
  let bestBound = -Infinity;
  for (let init = 0; init < nInit; init++) {
    // init_params="kmeans": one-hot responsibilities from a single k-means++ K-means run.
    const centres = kmeansPlusPlusSeeds(data, n, dim, k, deriveSeed(seed, 'gmm-init', k, init));
    const labels = new Int32Array(n);
    lloydRefine(data, n, dim, centres, labels, 300);
    let st = emptyStats(k, dim);
    for (let s = 0; s < n; s++) accumulate(st, data, s * dim, dim, labels[s]!, 1);
    let g = maximisation(st, dim, k, regCovar);
    let bound = -Infinity;
    let converged = false;
    let it = 0;
    for (it = 1; it <= maxIter; it++) {
      const prev = bound;
      st = emptyStats(k, dim);
      bound = expectation(data, n, g, st) / n;
      g = maximisation(st, dim, k, regCovar);
      if (Math.abs(bound - prev) < tol) {
        converged = true;
        break;
      }
    }
    g.converged = converged;
    g.nIter = Math.min(it, maxIter);
    if (!best || bound > bestBound) {
      best = g;
      bestBound = bound;
    }
  }
  return best as GaussianMixture;
}

/** Number of free parameters of a full-covariance mixture (scikit-learn's `_n_parameters`). */
export function gmmParameterCount(k: number, dim: number): number {
  return k * dim + (k * dim * (dim + 1)) / 2 + k - 1;
}

/** Seeded uniform subsample of m of the n rows, without replacement (rows keep their order). */
export function subsampleRows(
  data: Float64Array,
  n: number,
  dim: number,
  m: number,
  seed: number,
): Float64Array {
  if (m >= n) return data;
  // Partial Fisher–Yates over row indices, then sorted so the subsample is in input order.
  const idx = new Int32Array(n);
  for (let s = 0; s < n; s++) idx[s] = s;
  const rng = createRng(seed);
  for (let s = 0; s < m; s++) {
    const t = s + rng.int(n - s);
    const tmp = idx[s]!;
    idx[s] = idx[t]!;
    idx[t] = tmp;
  }
  const chosen = idx.subarray(0, m).sort();
  const out = new Float64Array(m * dim);
  for (let s = 0; s < m; s++) for (let f = 0; f < dim; f++) out[s * dim + f] = data[chosen[s]! * dim + f]!;
  return out;
}

export interface GmmBicResult {
  /** The k values tried, in the order given. */
  ks: number[];
  /** BIC of each k (same order as ks). */
  bic: number[];
  /** The k with the lowest BIC. */
  best: number;
  /** Total log-likelihood of each k over all points. */
  logLikelihood: number[];
  /**
   * ICL of each k (Biernacki, Celeux & Govaert 2000, in mclust's form): BIC −
   * 2·Σ ln max_j t_sj, where t_sj are the fitted responsibilities — the BIC
   * plus a penalty for points the mixture cannot assign clearly. Lower is better.
   */
  icl: number[];
  /** The k with the lowest ICL. */
  bestIcl: number;
}

/**
 * Σ_s ln max_j t_sj: log of the largest posterior class probability of every
 * point under the mixture (≤ 0; 0 when every point is assigned with certainty).
 */
export function gmmMapLogSum(g: GaussianMixture, points: PointSet): number {
  const { data, n, dim } = toFlatPoints(points);
  const { k } = g;
  const fz = factorise(g);
  const wlp = new Float64Array(k);
  const z = new Float64Array(dim);
  let total = 0;
  for (let s = 0; s < n; s++) {
    const mx = weightedLogDensities(data, s * dim, g, fz, wlp, z);
    // ln max_j t_sj = max_j ln(w_j p_j) − ln Σ_j w_j p_j
    total -= Math.log(expInPlace(wlp, k, mx));
  }
  return total;
}

/** BIC curve of full-covariance GMMs over the given k values; `best` is the k of the minimum. */
export function gmmBic(points: PointSet, ks: readonly number[], opts: GmmBicOptions = {}): GmmBicResult {
  if (ks.length === 0) throw new Error('gmmBic: no k values given');
  const { data, n, dim } = toFlatPoints(points);
  const seed = opts.seed ?? 0;
  const fitData =
    opts.maxFitPoints !== undefined && n > opts.maxFitPoints
      ? subsampleRows(data, n, dim, opts.maxFitPoints, deriveSeed(seed, 'gmm-subsample'))
      : data;
  const nFit = fitData.length / dim;
  const bic: number[] = [];
  const icl: number[] = [];
  const logLikelihood: number[] = [];
  const refine = fitData === data ? 0 : (opts.refineIterations ?? 2);
  const regCovar = opts.regCovar ?? 1e-6;
  for (const k of ks) {
    let g = fitFlat(fitData, nFit, dim, k, opts);
    for (let it = 0; it < refine; it++) {
      const st = emptyStats(k, dim);
      expectation(data, n, g, st);
      g = maximisation(st, dim, k, regCovar);
    }
    const ll = expectation(data, n, g, null);
    logLikelihood.push(ll);
    const b = -2 * ll + gmmParameterCount(k, dim) * Math.log(n);
    bic.push(b);
    icl.push(b - 2 * gmmMapLogSum(g, { data, dim }));
  }
  const argmin = (v: number[]) => v.reduce((bi, x, i) => (x < v[bi]! ? i : bi), 0);
  return { ks: [...ks], bic, best: ks[argmin(bic)]!, logLikelihood, icl, bestIcl: ks[argmin(icl)]! };
}
