/**
 * Two-sample tests, correlation and the χ² test of independence, matching
 * scipy 1.10 (`mannwhitneyu`, `ttest_ind`, `pearsonr`, `chi2_contingency`).
 */
import { chiSquareSf, normalCdf, tTwoSidedP } from './distributions.js';
import { mean, toArray, type NumericArray } from './validate.js';

/** Mid-ranks (1-based) of the pooled sample, and Σ(t³ − t) over tie groups. */
export function midRanks(values: ArrayLike<number>): { ranks: Float64Array; tieTerm: number } {
  const n = values.length;
  // Fast path (finite values): a native sort of a copy, then each value's run of ties by
  // binary search. The same ranks and tie term as sorting indices by comparator, below.
  const sorted = Float64Array.from(values).sort();
  if (n === 0 || !Number.isFinite(sorted[0]) || !Number.isFinite(sorted[n - 1])) return midRanksByIndex(values);
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[i]) j++;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const ranks = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = values[k]!;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    hi = n;
    while (end < hi) {
      const mid = (end + hi) >> 1;
      if (sorted[mid]! <= v) end = mid + 1;
      else hi = mid;
    }
    // ties occupy sorted positions lo … end − 1 (0-based): mid-rank (lo + end − 1 + 2) / 2
    ranks[k] = (lo + end + 1) / 2;
  }
  return { ranks, tieTerm };
}

function midRanksByIndex(values: ArrayLike<number>): { ranks: Float64Array; tieTerm: number } {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]!] = r;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  return { ranks, tieTerm };
}

export interface MannWhitneyResult {
  /** U statistic of x: R₁ − n₁(n₁ + 1)/2. */
  u: number;
  p: number;
}

/**
 * Mann–Whitney U test, two-sided, normal approximation with tie correction and
 * continuity correction (scipy `mannwhitneyu(method="asymptotic")`):
 * z = (max(U₁, U₂) − n₁n₂/2 − ½) / σ, σ² = n₁n₂/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1))),
 * p = 2·(1 − Φ(z)) clipped to [0, 1].
 */
export function mannWhitneyU(x: NumericArray, y: NumericArray): MannWhitneyResult {
  const a = toArray(x, 'mannWhitneyU: x');
  const b = toArray(y, 'mannWhitneyU: y');
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new Error(`mannWhitneyU: both samples must be non-empty (got ${n1} and ${n2})`);
  const { ranks, tieTerm } = midRanks(a.concat(b));
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  return mannWhitneyFromRanks(r1, tieTerm, n1, n2);
}

/**
 * `mannWhitneyU(x, y)` of samples given sorted ascending (as `Float64Array.sort`
 * orders them): the pooled mid-ranks come from one merge of the two, with the same
 * tie groups (equal by ===) and, since ranks are half-integers, the same r₁ and
 * Σ(t³ − t) to the bit. The caller guarantees the order and finite values.
 */
export function mannWhitneySorted(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new Error(`mannWhitneyU: both samples must be non-empty (got ${n1} and ${n2})`);
  let i = 0;
  let k = 0;
  let before = 0;
  let r1 = 0;
  let tieTerm = 0;
  while (i < n1 || k < n2) {
    const v = i < n1 && (k >= n2 || x[i]! <= y[k]!) ? x[i] : y[k];
    let c1 = 0;
    while (i < n1 && x[i] === v) { i++; c1++; }
    let c2 = 0;
    while (k < n2 && y[k] === v) { k++; c2++; }
    const t = c1 + c2;
    // the tie group holds pooled positions before … before + t − 1 (0-based): mid-rank (2·before + t + 1) / 2
    r1 += (c1 * (2 * before + t + 1)) / 2;
    tieTerm += t * t * t - t;
    before += t;
  }
  return mannWhitneyFromRanks(r1, tieTerm, n1, n2);
}

/**
 * The test of `mannWhitneyU` from the rank sum r₁ of x's n₁ values in the pooled
 * sample and the pooled sample's Σ(t³ − t) over tie groups (for a caller that has
 * the groups' sorted values already, e.g. the univariate screen of learn/selection.ts).
 */
export function mannWhitneyFromRanks(r1: number, tieTerm: number, n1: number, n2: number): MannWhitneyResult {
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const n = n1 + n2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (!(sigma > 0)) throw new Error('mannWhitneyU: all values are identical; the test is undefined');
  const z = (Math.max(u1, u2) - (n1 * n2) / 2 - 0.5) / sigma;
  const p = Math.min(1, Math.max(0, 2 * normalCdf(-z)));
  return { u: u1, p };
}

export interface TTestResult {
  t: number;
  df: number;
  p: number;
}

/**
 * Two-sample t-test, two-sided (scipy `ttest_ind`): Student's pooled-variance test
 * by default, Welch's test with Welch–Satterthwaite df when `equalVar` is false.
 */
export function tTest(x: NumericArray, y: NumericArray, opts: { equalVar?: boolean } = {}): TTestResult {
  const equalVar = opts.equalVar ?? true;
  const a = toArray(x, 'tTest: x');
  const b = toArray(y, 'tTest: y');
  const n1 = a.length;
  const n2 = b.length;
  if (n1 < 2 || n2 < 2) throw new Error(`tTest: each sample needs at least 2 values (got ${n1} and ${n2})`);
  const m1 = mean(a);
  const m2 = mean(b);
  let ss1 = 0;
  for (const v of a) ss1 += (v - m1) * (v - m1);
  let ss2 = 0;
  for (const v of b) ss2 += (v - m2) * (v - m2);
  const v1 = ss1 / (n1 - 1);
  const v2 = ss2 / (n2 - 1);
  let df: number;
  let denom: number;
  if (equalVar) {
    df = n1 + n2 - 2;
    const svar = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
    denom = Math.sqrt(svar * (1 / n1 + 1 / n2));
  } else {
    const vn1 = v1 / n1;
    const vn2 = v2 / n2;
    df = ((vn1 + vn2) * (vn1 + vn2)) / ((vn1 * vn1) / (n1 - 1) + (vn2 * vn2) / (n2 - 1));
    denom = Math.sqrt(vn1 + vn2);
  }
  if (!(denom > 0)) throw new Error('tTest: both samples have zero variance; the test is undefined');
  const t = (m1 - m2) / denom;
  return { t, df, p: tTwoSidedP(t, df) };
}

export interface PearsonResult {
  r: number;
  p: number;
}

/**
 * Pearson's r with the two-sided p-value of t = r·√((n − 2)/(1 − r²)) on n − 2 df
 * (scipy `pearsonr`; identical to its beta-distribution form). r is computed from
 * unit-normalised centred vectors, as scipy does, and clipped to [−1, 1].
 */
export function pearson(x: NumericArray, y: NumericArray): PearsonResult {
  const a = toArray(x, 'pearson: x');
  const b = toArray(y, 'pearson: y');
  const n = a.length;
  if (n !== b.length) throw new Error(`pearson: lengths differ (${n} vs ${b.length})`);
  if (n < 2) throw new Error(`pearson: needs at least 2 pairs (got ${n})`);
  const r = pearsonR(a, b);
  if (Number.isNaN(r)) throw new Error('pearson: an input is constant; the correlation is undefined');
  if (n === 2 || Math.abs(r) === 1) return { r, p: n === 2 ? 1 : 0 };
  const t = r * Math.sqrt((n - 2) / ((1 - r) * (1 + r)));
  return { r, p: tTwoSidedP(t, n - 2) };
}

/** Pearson's r alone (NaN when an input is constant). */
export function pearsonR(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const u = unitCentred(a);
  const v = unitCentred(b);
  return u && v ? unitCorrelation(u, v) : NaN;
}

/**
 * x centred at its mean and scaled to unit length, as `pearsonR` computes it (null
 * for a constant x): the correlation filter prepares each column once and then
 * correlates every pair with `unitCorrelation`, the same r to the bit.
 */
export function unitCentred(x: ArrayLike<number>): Float64Array | null {
  const n = x.length;
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - m) * (x[i]! - m);
  const norm = Math.sqrt(ss);
  if (norm === 0) return null;
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = (x[i]! - m) / norm;
  return u;
}

/** Pearson's r of two `unitCentred` vectors of one length, clipped to [−1, 1]. */
export function unitCorrelation(u: Float64Array, v: Float64Array): number {
  let r = 0;
  for (let i = 0; i < u.length; i++) r += u[i]! * v[i]!;
  return clipR(r);
}

/**
 * `unitCorrelation(u, v[k])` for k = 0…3 into out[0…3]: the four sums run side by
 * side, each over i in order (the same r to the bit), so the processor overlaps them.
 */
export function unitCorrelations4(u: Float64Array, v0: Float64Array, v1: Float64Array, v2: Float64Array, v3: Float64Array, out: Float64Array): void {
  let r0 = 0;
  let r1 = 0;
  let r2 = 0;
  let r3 = 0;
  for (let i = 0; i < u.length; i++) {
    const x = u[i]!;
    r0 += x * v0[i]!;
    r1 += x * v1[i]!;
    r2 += x * v2[i]!;
    r3 += x * v3[i]!;
  }
  out[0] = clipR(r0);
  out[1] = clipR(r1);
  out[2] = clipR(r2);
  out[3] = clipR(r3);
}

const clipR = (r: number) => Math.max(-1, Math.min(1, r));

export interface ChiSquareResult {
  chi2: number;
  df: number;
  p: number;
}

/**
 * Pearson χ² test of independence on an r × c table of counts (scipy
 * `chi2_contingency`). Yates' continuity correction (each |O − E| reduced by up to
 * ½) is applied only when asked and only when df = 1. A table with a zero row or
 * column total has zero expected counts and is rejected, as scipy does.
 */
export function chiSquare(table: ArrayLike<number>[], opts: { yates?: boolean } = {}): ChiSquareResult {
  const rows = table.length;
  if (rows === 0) throw new Error('chiSquare: empty table');
  const cols = table[0]!.length;
  const obs = table.map((row, i) => {
    if (row.length !== cols) throw new Error(`chiSquare: row ${i} has ${row.length} columns, expected ${cols}`);
    return toArray(row, `chiSquare: row ${i}`);
  });
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    if (obs[i]![j]! < 0) throw new Error(`chiSquare: negative count at [${i}][${j}]`);
  }
  const rowSum = obs.map((r) => r.reduce((s, v) => s + v, 0));
  const colSum = Array.from({ length: cols }, (_, j) => obs.reduce((s, r) => s + r[j]!, 0));
  const total = rowSum.reduce((s, v) => s + v, 0);
  rowSum.forEach((v, i) => { if (v === 0) throw new Error(`chiSquare: row ${i} sums to zero (zero expected frequency)`); });
  colSum.forEach((v, j) => { if (v === 0) throw new Error(`chiSquare: column ${j} sums to zero (zero expected frequency)`); });
  const df = (rows - 1) * (cols - 1);
  if (df === 0) return { chi2: 0, df: 0, p: 1 };
  const yates = (opts.yates ?? false) && df === 1;
  let chi2 = 0;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    const e = (rowSum[i]! * colSum[j]!) / total;
    let o = obs[i]![j]!;
    if (yates) {
      const d = e - o;
      o += Math.sign(d) * Math.min(0.5, Math.abs(d));
    }
    chi2 += ((o - e) * (o - e)) / e;
  }
  return { chi2, df, p: chiSquareSf(chi2, df) };
}
