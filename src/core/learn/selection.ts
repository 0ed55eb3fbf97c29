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
import { mannWhitneySorted, tTest, unitCentred, unitCorrelation, unitCorrelations4 } from '../stats/hypothesis-tests.js';
import { shapiroWilkSorted } from '../stats/shapiro-wilk.js';
import { lassoLogistic, lassoLogisticCV, type LassoCvResult } from './lasso.js';
import { assertMatrix, toBinary, toMatrix } from './linalg.js';
import { scalerOfRows, type ScalerData } from './scaler.js';

export interface UnivariateResult {
  name: string;
  index: number;
  /** Both groups passed Shapiro–Wilk (p > 0.05). */
  normal: boolean;
  test: 't-test' | 'mann-whitney' | 'constant';
  p: number;
}

/**
 * Where the rows of a matrix come from, so that a screen repeated on row subsets of
 * one matrix (folds, bootstrap resamples, permuted runs) need not sort every column
 * again: row i of X is row `rowOf[i]` of a base matrix (a base row may appear more
 * than once, as in a bootstrap resample), and `orders[j]` lists the base rows in
 * ascending order of column j of X there (`columnOrders`). A hint only: each group's
 * values read off in that order are checked to be sorted, and sorted afresh when they
 * are not (a column whose values changed, e.g. imputed), so results never depend on it.
 */
export interface RowOrigin {
  rowOf: ArrayLike<number>;
  orders: readonly Int32Array[];
}

/** Each column's rows in ascending order of its values (non-finite values last), for `RowOrigin.orders`. */
export function columnOrders(X: readonly ArrayLike<number>[]): Int32Array[] {
  const n = X.length;
  const p = n > 0 ? X[0]!.length : 0;
  const col = new Float64Array(n);
  const out: Int32Array[] = [];
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) {
      const v = X[i]![j]!;
      col[i] = Number.isFinite(v) ? v : Infinity;
    }
    out.push(Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => col[a]! - col[b]! || a - b));
  }
  return out;
}

/** Sorted as `Float64Array.prototype.sort` sorts (−0 before +0). */
function isSorted(v: Float64Array): boolean {
  for (let i = 1; i < v.length; i++) {
    const a = v[i - 1]!;
    const b = v[i]!;
    if (!(a <= b) || (a === 0 && b === 0 && 1 / a > 1 / b)) return false;
  }
  return true;
}

function shapiroPasses(sorted: Float64Array): boolean {
  if (sorted.length < 3) return false;
  try {
    return shapiroWilkSorted(sorted).p > 0.05;
  } catch {
    return false; // constant group
  }
}

/**
 * The univariate test of every column (the rule of the module comment), column j's
 * values being `(X[i][j] − mean[j]) / sd[j]` with `scale`, else X[i][j]; X and y
 * validated by the caller. Each outcome group's values are sorted once (or read off
 * `origin`'s orders) and both Shapiro–Wilk and the Mann–Whitney ranks come from the
 * sorted groups: the same p as the tests on unsorted samples, to the bit.
 */
function univariateScreen(
  X: ArrayLike<ArrayLike<number>>, labels: readonly number[], names: string[], alpha: number, scale: ScalerData | null, origin: RowOrigin | null,
): { results: UnivariateResult[]; kept: number[] } {
  const n = X.length;
  let n1 = 0;
  for (let i = 0; i < n; i++) n1 += labels[i]!;
  const n0 = n - n1;
  const z = new Float64Array(n);
  const s0 = new Float64Array(n0);
  const s1 = new Float64Array(n1);
  // the rows of X grouped by base row (CSR), for reading a group off a column order
  let start: Int32Array | null = null;
  let list: Int32Array | null = null;
  if (origin) {
    let base = 0;
    for (let i = 0; i < n; i++) base = Math.max(base, origin.rowOf[i]! + 1);
    start = new Int32Array(base + 1);
    for (let i = 0; i < n; i++) start[origin.rowOf[i]! + 1]!++;
    for (let b = 0; b < base; b++) start[b + 1]! += start[b]!;
    list = new Int32Array(n);
    const fill = start.slice(0, base);
    for (let i = 0; i < n; i++) list[fill[origin.rowOf[i]!]!++] = i;
  }
  const fromOrder = (order: Int32Array): boolean => {
    let k0 = 0;
    let k1 = 0;
    const last = start!.length - 1;
    for (let q = 0; q < order.length; q++) {
      const b = order[q]!;
      if (b >= last) continue;
      for (let t = start![b]!; t < start![b + 1]!; t++) {
        const i = list![t]!;
        if (labels[i] === 1) s1[k1++] = z[i]!; // a write past the end (a bad hint) is dropped and caught by the count
        else s0[k0++] = z[i]!;
      }
    }
    return k0 === n0 && k1 === n1 && isSorted(s0) && isSorted(s1);
  };
  const results: UnivariateResult[] = new Array(names.length);
  const kept: number[] = [];
  for (let j = 0; j < names.length; j++) {
    if (scale) {
      const m = scale.mean[j]!;
      const sd = scale.sd[j]!;
      for (let i = 0; i < n; i++) z[i] = (X[i]![j]! - m) / sd;
    } else for (let i = 0; i < n; i++) z[i] = X[i]![j]!;
    if (!(origin && origin.orders[j] && fromOrder(origin.orders[j]!))) {
      let k0 = 0;
      let k1 = 0;
      for (let i = 0; i < n; i++) {
        if (labels[i] === 1) s1[k1++] = z[i]!;
        else s0[k0++] = z[i]!;
      }
      s0.sort();
      s1.sort();
    }
    const name = names[j]!;
    const normal = shapiroPasses(s0) && shapiroPasses(s1);
    let r: UnivariateResult;
    try {
      if (normal) {
        // the t-test's sums run over each group in row order
        const g0: number[] = [];
        const g1: number[] = [];
        for (let i = 0; i < n; i++) (labels[i] === 1 ? g1 : g0).push(z[i]!);
        r = { name, index: j, normal, test: 't-test', p: tTest(g1, g0, { equalVar: true }).p };
      } else r = { name, index: j, normal, test: 'mann-whitney', p: mannWhitneySorted(s1, s0).p };
    } catch {
      r = { name, index: j, normal, test: 'constant', p: 1 };
    }
    results[j] = r;
    if (r.p < alpha) kept.push(j);
  }
  return { results, kept };
}

/** Univariate filter: per-feature test between outcome groups, keep p < alpha. */
export function univariateFilter(
  X: ArrayLike<ArrayLike<number>>, y: ArrayLike<number>, names: string[], opts: { alpha?: number; origin?: RowOrigin } = {},
): { results: UnivariateResult[]; kept: number[] } {
  const rows = toMatrix(X, 'univariateFilter: X');
  const labels = toBinary(y, 'univariateFilter: y', rows.length);
  if (names.length !== rows[0]!.length) throw new Error(`univariateFilter: ${names.length} names for ${rows[0]!.length} columns`);
  return univariateScreen(rows, labels, names, opts.alpha ?? 0.05, null, opts.origin ?? null);
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
  return correlationScreen(candidates.map((j) => Float64Array.from(rows, (r) => r[j]!)), candidates, names, opts.threshold ?? 0.85, opts.pValues);
}

/** `correlationFilter` of the candidates' columns (`cols[k]` holds column `candidates[k]`). */
function correlationScreen(cols: Float64Array[], candidates: number[], names: string[], threshold: number, pValues: number[] | undefined): { kept: number[]; dropped: CorrelationDrop[] } {
  const m = candidates.length;
  // each column centred and scaled once; every pair's r is then one dot product (pearsonR's r to the bit)
  const units = cols.map(unitCentred);
  const absR: Float64Array[] = Array.from({ length: m }, () => new Float64Array(m));
  const pairs: [number, number, number][] = [];
  const record = (a: number, b: number, r: number) => {
    const v = Number.isNaN(r) ? 0 : Math.abs(r); // a constant column correlates with nothing
    absR[a]![b] = v;
    absR[b]![a] = v;
    if (v > threshold) pairs.push([a, b, Number.isNaN(r) ? 0 : r]);
  };
  const r4 = new Float64Array(4);
  for (let a = 0; a < m; a++) {
    const ua = units[a];
    let b = a + 1;
    // four partners at a time while all four vary (pairs' order is irrelevant: they are sorted below)
    for (; ua && b + 3 < m; b += 4) {
      const u0 = units[b];
      const u1 = units[b + 1];
      const u2 = units[b + 2];
      const u3 = units[b + 3];
      if (!u0 || !u1 || !u2 || !u3) break;
      unitCorrelations4(ua, u0, u1, u2, u3, r4);
      for (let k = 0; k < 4; k++) record(a, b + k, r4[k]!);
    }
    for (; b < m; b++) {
      const ub = units[b];
      record(a, b, ua && ub ? unitCorrelation(ua, ub) : NaN);
    }
  }
  pairs.sort((u, v) => Math.abs(v[2]) - Math.abs(u[2]) || u[0] - v[0] || u[1] - v[1]);
  const alive = new Array<boolean>(m).fill(true);
  const meanAbs = (a: number) => {
    let s = 0;
    let k = 0;
    for (let b = 0; b < m; b++) if (b !== a && alive[b]) { s += absR[a]![b]!; k++; }
    return k ? s / k : 0;
  };
  const dropped: CorrelationDrop[] = [];
  for (const [a, b, r] of pairs) {
    if (!alive[a] || !alive[b]) continue;
    const pa = pValues?.[candidates[a]!] ?? 0;
    const pb = pValues?.[candidates[b]!] ?? 0;
    let drop: number;
    if (pa !== pb) drop = pa > pb ? a : b;
    else {
      const ma = meanAbs(a);
      const mb = meanAbs(b);
      drop = ma > mb ? a : mb > ma ? b : b;
    }
    const keep = drop === a ? b : a;
    alive[drop] = false;
    dropped.push({ name: names[candidates[drop]!]!, index: candidates[drop]!, correlatedWith: names[candidates[keep]!]!, r });
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
  if (rows[0]!.length !== cols.length) throw new Error(`radScore: X has ${rows[0]!.length} columns but ${cols.length} column names`);
  const nf = model.names.length;
  if (model.coefficients.length !== nf || model.mean.length !== nf || model.sd.length !== nf) {
    throw new Error(`radScore: the model has ${nf} names, ${model.coefficients.length} coefficients, ${model.mean.length} means and ${model.sd.length} SDs`);
  }
  const idx = model.names.map((nm) => {
    const k = cols.indexOf(nm);
    if (k < 0) throw new Error(`radScore: feature "${nm}" of the model is missing from the data`);
    return k;
  });
  return rows.map((r) => idx.reduce((s, k, f) => s + model.coefficients[f]! * ((r[k]! - model.mean[f]!) / model.sd[f]!), model.intercept));
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
  /** Where X's rows come from (`RowOrigin`): spares the univariate screen its sorts; the results are the same without it. */
  origin?: RowOrigin;
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
  const rows = Xtrain;
  assertMatrix(rows, 'selectionFunnel: X');
  const labels = toBinary(ytrain, 'selectionFunnel: y', rows.length);
  if (names.length !== rows[0]!.length) throw new Error(`selectionFunnel: ${names.length} names for ${rows[0]!.length} columns`);
  // the standardised matrix is never built whole: each step standardises the columns it reads
  const scaler = scalerOfRows(rows);
  const { mean, sd } = scaler;
  const standardised = (j: number, into: Float64Array) => {
    const m = mean[j]!;
    const s = sd[j]!;
    for (let i = 0; i < into.length; i++) into[i] = (rows[i]![j]! - m) / s;
    return into;
  };
  const uni = univariateScreen(rows, labels, names, opts.alpha ?? 0.05, scaler, opts.origin ?? null);
  const pValues = uni.results.map((r) => r.p);
  const candidateColumns = uni.kept.map((j) => standardised(j, new Float64Array(rows.length)));
  const corr = correlationScreen(candidateColumns, uni.kept, names, opts.correlationThreshold ?? 0.85, pValues);
  const lassoIdx = corr.kept;
  const plain: ScalerData = { kind: 'zscore', mean, sd };
  const notes: string[] = [];
  const empty = (cv: LassoCvResult | null, lambda: number | null): SelectionFunnel => ({
    counts: { input: names.length, univariate: uni.kept.length, correlation: lassoIdx.length, lasso: 0 },
    scaler: plain, univariate: uni.results, correlationDropped: corr.dropped, lassoInput: lassoIdx.map((j) => names[j]!),
    cv, lambda, selected: [], radScore: { kind: 'rad-score', names: [], mean: [], sd: [], coefficients: [], intercept: 0 }, notes,
  });
  if (lassoIdx.length === 0) return empty(null, null);
  const columnOf = new Map(uni.kept.map((j, k) => [j, candidateColumns[k]!]));
  const selectedColumns = lassoIdx.map((j) => columnOf.get(j)!);
  const Zsel = Array.from({ length: rows.length }, (_, i) => selectedColumns.map((z) => z[i]!));
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
  const selected = lassoIdx.map((j, k) => ({ name: names[j]!, index: j, coefficient: coef[k]! })).filter((s) => s.coefficient !== 0);
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
    lassoInput: lassoIdx.map((j) => names[j]!),
    cv,
    lambda,
    selected,
    radScore: {
      kind: 'rad-score',
      names: selected.map((s) => s.name),
      mean: selected.map((s) => scaler.mean[s.index]!),
      sd: selected.map((s) => scaler.sd[s.index]!),
      coefficients: selected.map((s) => s.coefficient),
      intercept,
    },
    notes,
  };
}
