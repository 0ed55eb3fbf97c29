/**
 * Feature selection on the training cohort (../shared/SPEC.md §5 (Feature selection)): z-score → univariate filter →
 * redundancy filter → LASSO with 10-fold CV → Rad-score.
 *
 * Documented rules:
 * - Univariate test: Shapiro–Wilk in each outcome group; when both have p > 0.05 the
 *   groups are compared by Student's t-test (equal variances), otherwise by the
 *   Mann–Whitney U test. A group with fewer than 3 values or no spread counts as
 *   non-normal. A feature with no spread at all gets p = 1. Kept: p < alpha (0.05).
 * - Redundancy: pairs with |Pearson r| > 0.85 are visited from the most to the least
 *   correlated; of a pair whose members are both still kept, the one with the higher
 *   univariate p is dropped (the less discriminative); on equal p, the one with the
 *   larger mean |r| to the other kept features; on a further tie, the later column.
 * - LASSO: see `lassoLogisticCV`; selected features are those with a non-zero
 *   coefficient at λ.min (default) or λ.1se. Like glmnet it never fails on valid
 *   data: a path cut short or saturated is kept up to its last good λ and reported
 *   in `notes`; the counts after each step are always the true ones.
 */
import { mannWhitneyU, pearsonR, tTest } from '../stats/hypothesis-tests.js';
import { shapiroWilk } from '../stats/shapiro-wilk.js';
import { lassoLogistic, lassoLogisticCV, type LassoCvResult } from './lasso.js';
import { toBinary, toMatrix } from './linalg.js';
import { fitScaler, transformScaler, type ScalerData } from './scaler.js';

export interface UnivariateResult {
  name: string;
  index: number;
  /** Both groups passed Shapiro–Wilk (p > 0.05). */
  normal: boolean;
  test: 't-test' | 'mann-whitney' | 'constant';
  p: number;
}

function shapiroPasses(v: number[]): boolean {
  if (v.length < 3) return false;
  try {
    return shapiroWilk(v).p > 0.05;
  } catch {
    return false; // constant group
  }
}

/** Univariate filter: per-feature test between outcome groups, keep p < alpha. */
export function univariateFilter(
  X: ArrayLike<ArrayLike<number>>, y: ArrayLike<number>, names: string[], opts: { alpha?: number } = {},
): { results: UnivariateResult[]; kept: number[] } {
  const rows = toMatrix(X, 'univariateFilter: X');
  const labels = toBinary(y, 'univariateFilter: y', rows.length);
  if (names.length !== rows[0].length) throw new Error(`univariateFilter: ${names.length} names for ${rows[0].length} columns`);
  const alpha = opts.alpha ?? 0.05;
  const results: UnivariateResult[] = names.map((name, j) => {
    const g0: number[] = [];
    const g1: number[] = [];
    rows.forEach((r, i) => (labels[i] === 1 ? g1 : g0).push(r[j]));
    const normal = shapiroPasses(g0) && shapiroPasses(g1);
    try {
      if (normal) return { name, index: j, normal, test: 't-test' as const, p: tTest(g1, g0, { equalVar: true }).p };
      return { name, index: j, normal, test: 'mann-whitney' as const, p: mannWhitneyU(g1, g0).p };
    } catch {
      return { name, index: j, normal, test: 'constant' as const, p: 1 };
    }
  });
  return { results, kept: results.filter((r) => r.p < alpha).map((r) => r.index) };
}

export interface CorrelationDrop {
  name: string;
  index: number;
  correlatedWith: string;
  r: number;
}

/**
 * Redundancy filter over the candidate columns (see the module comment for the rule).
 * `pValues[j]` is the univariate p of column j (optional).
 */
export function correlationFilter(
  X: ArrayLike<ArrayLike<number>>, candidates: number[], names: string[], opts: { threshold?: number; pValues?: number[] } = {},
): { kept: number[]; dropped: CorrelationDrop[] } {
  const rows = toMatrix(X, 'correlationFilter: X');
  const threshold = opts.threshold ?? 0.85;
  const m = candidates.length;
  const cols = candidates.map((j) => Float64Array.from(rows, (r) => r[j]));
  const absR: number[][] = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const pairs: [number, number, number][] = [];
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const r = pearsonR(cols[a], cols[b]);
      const v = Number.isNaN(r) ? 0 : Math.abs(r); // a constant column correlates with nothing
      absR[a][b] = v;
      absR[b][a] = v;
      if (v > threshold) pairs.push([a, b, Number.isNaN(r) ? 0 : r]);
    }
  }
  pairs.sort((u, v) => Math.abs(v[2]) - Math.abs(u[2]) || u[0] - v[0] || u[1] - v[1]);
  const alive = new Array<boolean>(m).fill(true);
  const meanAbs = (a: number) => {
    let s = 0;
    let k = 0;
    for (let b = 0; b < m; b++) if (b !== a && alive[b]) { s += absR[a][b]; k++; }
    return k ? s / k : 0;
  };
  const dropped: CorrelationDrop[] = [];
  for (const [a, b, r] of pairs) {
    if (!alive[a] || !alive[b]) continue;
    const pa = opts.pValues?.[candidates[a]] ?? 0;
    const pb = opts.pValues?.[candidates[b]] ?? 0;
    let drop: number;
    if (pa !== pb) drop = pa > pb ? a : b;
    else {
      const ma = meanAbs(a);
      const mb = meanAbs(b);
      drop = ma > mb ? a : mb > ma ? b : b;
    }
    const keep = drop === a ? b : a;
    alive[drop] = false;
    dropped.push({ name: names[candidates[drop]], index: candidates[drop], correlatedWith: names[candidates[keep]], r });
  }
  return { kept: candidates.filter((_, k) => alive[k]), dropped };
}

/** The Rad-score as plain data: standardisation of the selected features and their LASSO coefficients. */
export interface RadScoreModel {
  kind: 'rad-score';
  names: string[];
  mean: number[];
  sd: number[];
  coefficients: number[];
  intercept: number;
}

/**
 * Rad-score = intercept + Σ coefficient × standardised feature (../shared/SPEC.md §5.5 (Feature selection)). `X` rows
 * hold the features listed in `columns` (default: exactly `model.names`, in order).
 */
export function radScore(model: RadScoreModel, X: ArrayLike<ArrayLike<number>>, columns?: string[]): number[] {
  const rows = toMatrix(X, 'radScore: X');
  const cols = columns ?? model.names;
  if (rows[0].length !== cols.length) throw new Error(`radScore: X has ${rows[0].length} columns but ${cols.length} column names`);
  const idx = model.names.map((nm) => {
    const k = cols.indexOf(nm);
    if (k < 0) throw new Error(`radScore: feature "${nm}" of the model is missing from the data`);
    return k;
  });
  return rows.map((r) => idx.reduce((s, k, f) => s + model.coefficients[f] * ((r[k] - model.mean[f]) / model.sd[f]), model.intercept));
}

export interface FunnelOptions {
  alpha?: number;
  correlationThreshold?: number;
  folds?: number;
  seed?: number;
  /** Which λ defines the selected features (default "min"). */
  lambdaRule?: 'min' | '1se';
  /** A fixed λ instead of one chosen by cross-validation (then `cv` is null); e.g. inside an outer CV. */
  lambda?: number;
}

export interface SelectionFunnel {
  counts: { input: number; univariate: number; correlation: number; lasso: number };
  scaler: ScalerData;
  univariate: UnivariateResult[];
  correlationDropped: CorrelationDrop[];
  /** Names entering the LASSO (after both filters). */
  lassoInput: string[];
  cv: LassoCvResult | null;
  lambda: number | null;
  selected: { name: string; index: number; coefficient: number }[];
  radScore: RadScoreModel;
  /**
   * What the LASSO reported, glmnet-style, for the report: its path on all training
   * data was cut (a λ did not converge) or stopped on saturation (as near separation),
   * a λ of a fold fit did not converge. The counts above are true either way.
   */
  notes: string[];
}

/** Plain sentences for the report from a LASSO CV result or a single-λ fit. */
function lassoNotes(cv: LassoCvResult | null, fixedWarning: string | undefined): string[] {
  const out: string[] = [];
  if (cv?.pathStop === 'saturated') {
    out.push(`LASSO path stopped after ${cv.lambdas.length} λ values: the fit saturated (deviance ratio > 0.999, as near separation); λ chosen on the path up to there`);
  }
  if (cv?.pathStop === 'maxit') out.push(`LASSO path cut after ${cv.lambdas.length} λ values: the next λ did not converge; λ chosen on the path up to there`);
  for (const w of cv?.warnings ?? []) out.push(`LASSO ${w}`);
  if (fixedWarning) out.push(`LASSO ${fixedWarning}`);
  return out;
}

/**
 * The whole selection of ../shared/SPEC.md §5 (Feature selection) on the training cohort: returns the counts after
 * each step (the funnel figure), the fitted scaler, per-step details, the LASSO CV
 * curve and path, and the selected features with their coefficients as a Rad-score.
 */
export function selectionFunnel(Xtrain: ArrayLike<ArrayLike<number>>, ytrain: ArrayLike<number>, names: string[], opts: FunnelOptions = {}): SelectionFunnel {
  const rows = toMatrix(Xtrain, 'selectionFunnel: X');
  const labels = toBinary(ytrain, 'selectionFunnel: y', rows.length);
  if (names.length !== rows[0].length) throw new Error(`selectionFunnel: ${names.length} names for ${rows[0].length} columns`);
  const scaler = fitScaler(rows);
  const Z = transformScaler(scaler, rows);
  const uni = univariateFilter(Z, labels, names, { alpha: opts.alpha });
  const pValues = uni.results.map((r) => r.p);
  const corr = correlationFilter(Z, uni.kept, names, { threshold: opts.correlationThreshold, pValues });
  const lassoIdx = corr.kept;
  const plain: ScalerData = { kind: 'zscore', mean: scaler.mean, sd: scaler.sd };
  const notes: string[] = [];
  const empty = (cv: LassoCvResult | null, lambda: number | null): SelectionFunnel => ({
    counts: { input: names.length, univariate: uni.kept.length, correlation: lassoIdx.length, lasso: 0 },
    scaler: plain, univariate: uni.results, correlationDropped: corr.dropped, lassoInput: lassoIdx.map((j) => names[j]),
    cv, lambda, selected: [], radScore: { kind: 'rad-score', names: [], mean: [], sd: [], coefficients: [], intercept: 0 }, notes,
  });
  if (lassoIdx.length === 0) return empty(null, null);
  const Zsel = Z.map((r) => lassoIdx.map((j) => r[j]));
  let cv: LassoCvResult | null = null;
  let coef: ArrayLike<number>;
  let intercept: number;
  let lambda: number;
  if (opts.lambda !== undefined) {
    const m = lassoLogistic(Zsel, labels, opts.lambda);
    ({ coefficients: coef, intercept, lambda } = m);
    notes.push(...lassoNotes(null, m.warning));
  } else {
    cv = lassoLogisticCV(Zsel, labels, { folds: opts.folds ?? 10, seed: opts.seed ?? 1 });
    const rule = opts.lambdaRule ?? 'min';
    coef = rule === 'min' ? cv.coefficientsMin : cv.coefficients1se;
    intercept = rule === 'min' ? cv.interceptMin : cv.intercept1se;
    lambda = rule === 'min' ? cv.lambdaMin : cv.lambda1se;
    notes.push(...lassoNotes(cv, undefined));
  }
  const selected = lassoIdx.map((j, k) => ({ name: names[j], index: j, coefficient: coef[k] })).filter((s) => s.coefficient !== 0);
  if (selected.length === 0) {
    const out = empty(cv, lambda);
    out.radScore.intercept = intercept;
    return out;
  }
  return {
    counts: { input: names.length, univariate: uni.kept.length, correlation: lassoIdx.length, lasso: selected.length },
    scaler: plain,
    univariate: uni.results,
    correlationDropped: corr.dropped,
    lassoInput: lassoIdx.map((j) => names[j]),
    cv,
    lambda,
    selected,
    radScore: {
      kind: 'rad-score',
      names: selected.map((s) => s.name),
      mean: selected.map((s) => scaler.mean[s.index]),
      sd: selected.map((s) => scaler.sd[s.index]),
      coefficients: selected.map((s) => s.coefficient),
      intercept,
    },
    notes,
  };
}
