/**
 * Intraclass correlation for a subjects × raters table (Shrout & Fleiss 1979,
 * Psychol Bull 86:420), single-rater forms, with the F tests and 95% confidence
 * bounds computed as R `psych::ICC` does (McGraw & Wong 1996 for ICC(2,1)'s bounds).
 */
import { fQuantile, fSf } from './distributions.js';

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

export type IccType = '1,1' | '2,1' | '3,1';

export interface IccResult {
  type: IccType;
  icc: number;
  /** F statistic of the test ICC = 0, its degrees of freedom and p-value. */
  f: number;
  df1: number;
  df2: number;
  p: number;
  /**
   * 95% confidence bounds; null where psych would give NaN (an F quantile with
   * non-positive Satterthwaite df, possible for ICC(2,1) with very few subjects).
   */
  lower: number | null;
  upper: number | null;
}

/**
 * ICC(1,1) one-way random, ICC(2,1) two-way random absolute agreement, ICC(3,1)
 * two-way mixed consistency, from the two-way ANOVA mean squares: MSR (subjects),
 * MSC (raters), MSW (within subjects), MSE (residual). Needs complete data, at
 * least 2 subjects and 2 raters, and some residual variation.
 */
export function icc(ratings: ArrayLike<number>[], type: IccType): IccResult {
  const n = ratings.length;
  if (n < 2) throw new Error(`icc: needs at least 2 subjects (got ${n})`);
  const k = ratings[0]!.length;
  if (k < 2) throw new Error(`icc: needs at least 2 raters (got ${k})`);
  let grand = 0;
  const rowMean = new Float64Array(n);
  const colMean = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    if (ratings[i]!.length !== k) throw new Error(`icc: subject ${i} has ${ratings[i]!.length} ratings, expected ${k}`);
    for (let j = 0; j < k; j++) {
      const v = ratings[i]![j]!;
      if (!Number.isFinite(v)) throw new Error(`icc: rating [${i}][${j}] is not a finite number (${v})`);
      rowMean[i]! += v / k;
      colMean[j]! += v / n;
      grand += v;
    }
  }
  grand /= n * k;
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += k * (rowMean[i]! - grand) ** 2;
  let ssc = 0;
  for (let j = 0; j < k; j++) ssc += n * (colMean[j]! - grand) ** 2;
  let sst = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) sst += (ratings[i]![j]! - grand) ** 2;
  const sse = sst - ssr - ssc;
  const msr = ssr / (n - 1);
  const msc = ssc / (k - 1);
  const msw = (sst - ssr) / (n * (k - 1));
  const mse = sse / ((n - 1) * (k - 1));
  if (!(msw > 0) || !(mse > 0)) throw new Error('icc: no variation within subjects (all raters agree exactly); ICC is undefined');
  const alpha = 0.05;
  if (type === '1,1') {
    const value = (msr - msw) / (msr + (k - 1) * msw);
    const f = msr / msw;
    const df1 = n - 1;
    const df2 = n * (k - 1);
    const fl = f / fQuantile(1 - alpha / 2, df1, df2);
    const fu = f * fQuantile(1 - alpha / 2, df2, df1);
    return { type, icc: value, f, df1, df2, p: fSf(f, df1, df2), lower: finiteOrNull((fl - 1) / (fl + (k - 1))), upper: finiteOrNull((fu - 1) / (fu + (k - 1))) };
  }
  const f = msr / mse;
  const df1 = n - 1;
  const df2 = (n - 1) * (k - 1);
  const p = fSf(f, df1, df2);
  if (type === '3,1') {
    const value = (msr - mse) / (msr + (k - 1) * mse);
    const fl = f / fQuantile(1 - alpha / 2, df1, df2);
    const fu = f * fQuantile(1 - alpha / 2, df2, df1);
    return { type, icc: value, f, df1, df2, p, lower: finiteOrNull((fl - 1) / (fl + (k - 1))), upper: finiteOrNull((fu - 1) / (fu + (k - 1))) };
  }
  if (type === '2,1') {
    const value = (msr - mse) / (msr + (k - 1) * mse + (k * (msc - mse)) / n);
    if (!Number.isFinite(value)) throw new Error('icc: ICC(2,1) is undefined here (its denominator MSR + (k−1)MSE + k(MSC − MSE)/n is zero)');
    // Satterthwaite df for the bounds of ICC(2,1) (McGraw & Wong 1996, Table 7)
    const fj = msc / mse;
    const a = k * value * fj + n * (1 + (k - 1) * value) - k * value;
    const vn = (k - 1) * (n - 1) * a * a;
    const vd = (n - 1) * k * k * value * value * fj * fj + (n * (1 + (k - 1) * value) - k * value) ** 2;
    const v = vn / vd;
    const fu = fQuantile(1 - alpha / 2, n - 1, v);
    const fl = fQuantile(1 - alpha / 2, v, n - 1);
    const denomBase = k * msc + (k * n - k - n) * mse;
    const lower = (n * (msr - fu * mse)) / (fu * denomBase + n * msr);
    const upper = (n * (fl * msr - mse)) / (denomBase + n * fl * msr);
    return { type, icc: value, f, df1, df2, p, lower: finiteOrNull(lower), upper: finiteOrNull(upper) };
  }
  throw new Error(`icc: unknown type "${String(type)}" (expected "1,1", "2,1" or "3,1")`);
}
