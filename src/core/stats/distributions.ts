/**
 * Distribution functions used by the tests, wrapped from the @stdlib packages
 * (which implement Cephes/Boost-grade algorithms). Upper tails are computed
 * directly (not as 1 − CDF) so that small p-values keep their precision.
 */
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile';
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import fCdfImpl from '@stdlib/stats-base-dists-f-cdf';
import fQuantileImpl from '@stdlib/stats-base-dists-f-quantile';
import gammainc from '@stdlib/math-base-special-gammainc';

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return normalCdfImpl(x, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p). */
export function normalQuantile(p: number): number {
  return normalQuantileImpl(p, 0, 1);
}

/** Two-sided p-value of a standard normal statistic: 2·Φ(−|z|). */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/** Two-sided p-value of a Student t statistic with `df` degrees of freedom: 2·F(−|t|). */
export function tTwoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tCdfImpl(-Math.abs(t), df));
}

/** Upper tail of χ²(df): Q(df/2, x/2), the regularised upper incomplete gamma function. */
export function chiSquareSf(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammainc(x / 2, df / 2, true, true);
}

/** Upper tail of F(df1, df2). */
export function fSf(x: number, df1: number, df2: number): number {
  if (x <= 0) return 1;
  return 1 - fCdfImpl(x, df1, df2);
}

/** Quantile of F(df1, df2). */
export function fQuantile(p: number, df1: number, df2: number): number {
  return fQuantileImpl(p, df1, df2);
}
