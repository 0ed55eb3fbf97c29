/**
 * Shapiro–Wilk W test of normality by Royston's algorithm AS R94 (Royston 1995,
 * Applied Statistics 44:547), the algorithm behind scipy `shapiro` and R
 * `shapiro.test`: approximate normalised coefficients aᵢ from normal order-statistic
 * scores with polynomial corrections for the two extreme ones, W as the squared
 * correlation of the sorted sample with a, and p from Royston's normalising
 * transformation of log(1 − W) (exact for n = 3).
 */
import { normalCdf, normalQuantile } from './distributions.js';
import { toArray, type NumericArray } from './validate.js';
import { shapiroWilkSinglePrecision } from './shapiro-wilk-f32.js';

export interface ShapiroWilkResult {
  w: number;
  p: number;
}

/** c₀ + c₁x + c₂x² + … (AS R94 `poly`). */
function poly(c: readonly number[], x: number): number {
  let r = 0;
  for (let i = c.length - 1; i >= 0; i--) r = r * x + c[i]!;
  return r;
}

// AS R94 polynomial coefficients.
const C1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
const C2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
const C3 = [0.544, -0.39978, 0.025054, -6.714e-4];
const C4 = [1.3822, -0.77857, 0.062767, -0.0020322];
const C5 = [-1.5861, -0.31082, -0.083751, 0.0038915];
const C6 = [-0.4803, -0.082676, 0.0030302];
const G = [-2.273, 0.459];

/**
 * The n/2 coefficients a_n, a_{n−1}, … (positive, largest first) of AS R94: Royston's
 * polynomial approximations for the two most extreme, the rest m_i/√(m'm) rescaled.
 */
function coefficients(n: number): Float64Array {
  const half = Math.floor(n / 2);
  const a = new Float64Array(half);
  if (n === 3) {
    a[0] = Math.SQRT1_2;
    return a;
  }
  const an25 = n + 0.25;
  let summ2 = 0;
  for (let i = 0; i < half; i++) {
    a[i] = normalQuantile((i + 1 - 0.375) / an25); // m_i < 0 for the lower half
    summ2 += a[i]! * a[i]!;
  }
  summ2 *= 2;
  const ssumm2 = Math.sqrt(summ2);
  const rsn = 1 / Math.sqrt(n);
  const a1 = poly(C1, rsn) - a[0]! / ssumm2;
  let i1: number;
  let fac: number;
  if (n > 5) {
    i1 = 2;
    const a2 = -a[1]! / ssumm2 + poly(C2, rsn);
    fac = Math.sqrt((summ2 - 2 * a[0]! * a[0]! - 2 * a[1]! * a[1]!) / (1 - 2 * a1 * a1 - 2 * a2 * a2));
    a[1] = a2;
  } else {
    i1 = 1;
    fac = Math.sqrt((summ2 - 2 * a[0]! * a[0]!) / (1 - 2 * a1 * a1));
  }
  a[0] = a1;
  for (let i = i1; i < half; i++) a[i]! /= -fac;
  return a;
}

function checkSize(n: number): void {
  if (n < 3) throw new Error(`shapiroWilk: needs at least 3 values (got ${n})`);
  if (n > 5000) throw new Error(`shapiroWilk: AS R94 is valid for n ≤ 5000 (got ${n})`);
}

/** The median of a sorted sample: scipy centres the sample at it, to limit rounding for data far from zero. */
function sortedMedian(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/** The sample as a sorted copy (Float64Array order). */
function sortedCopy(x: NumericArray): Float64Array {
  const v = toArray(x, 'shapiroWilk: x');
  checkSize(v.length);
  return Float64Array.from(v).sort();
}

/** Sorted sample centred at its median. */
function sortedCentred(x: NumericArray): Float64Array {
  const sorted = sortedCopy(x);
  const median = sortedMedian(sorted);
  for (let i = 0; i < sorted.length; i++) sorted[i]! -= median;
  return sorted;
}

/**
 * Shapiro–Wilk test for 3 ≤ n ≤ 5000, as scipy.stats.shapiro computes it (AS R94 in
 * single precision; shapiro-wilk-f32.ts): the API contract's reference. Constant data
 * (zero range) have no defined W and raise an error.
 */
export function shapiroWilk(x: NumericArray): ShapiroWilkResult {
  return shapiroWilkSorted(sortedCopy(x));
}

/**
 * `shapiroWilk` of finite values already sorted ascending (as `Float64Array.sort`
 * orders them; the caller guarantees both): the same W and p to the bit, without a
 * copy or a sort (the univariate screen of learn/selection.ts).
 */
export function shapiroWilkSorted(sorted: ArrayLike<number>): ShapiroWilkResult {
  checkSize(sorted.length);
  return shapiroWilkSinglePrecision(sorted, sortedMedian(sorted));
}

/** The same test in double precision throughout, as R's shapiro.test. */
export function shapiroWilkDouble(x: NumericArray): ShapiroWilkResult {
  const sorted = sortedCentred(x);
  const n = sorted.length;
  const range = sorted[n - 1]! - sorted[0]!;
  if (!(range > 1e-19)) throw new Error('shapiroWilk: all values are identical; W is undefined');
  const half = coefficients(n);
  // full coefficient vector: −a for the lower half, +a mirrored, 0 in the middle
  const coef = new Float64Array(n);
  for (let i = 0; i < half.length; i++) {
    coef[i] = -half[i]!;
    coef[n - 1 - i] = half[i]!;
  }
  let sa = 0;
  let sx = 0;
  for (let i = 0; i < n; i++) {
    sa += coef[i]!;
    sx += sorted[i]! / range;
  }
  sa /= n;
  sx /= n;
  let ssa = 0;
  let ssx = 0;
  let sax = 0;
  for (let i = 0; i < n; i++) {
    const asa = coef[i]! - sa;
    const xsx = sorted[i]! / range - sx;
    ssa += asa * asa;
    ssx += xsx * xsx;
    sax += asa * xsx;
  }
  // 1 − W computed directly to avoid cancellation when W is near 1 (AS R94)
  const ssassx = Math.sqrt(ssa * ssx);
  const w1 = ((ssassx - sax) * (ssassx + sax)) / (ssa * ssx);
  const w = 1 - w1;
  if (n === 3) {
    const pi6 = 6 / Math.PI;
    const stqr = Math.PI / 3;
    const p = Math.max(0, pi6 * (Math.asin(Math.sqrt(w)) - stqr));
    return { w, p: Math.min(1, p) };
  }
  let y = Math.log(w1);
  const lnN = Math.log(n);
  let m: number;
  let s: number;
  if (n <= 11) {
    const gamma = poly(G, n);
    if (y >= gamma) return { w, p: 1e-99 };
    y = -Math.log(gamma - y);
    m = poly(C3, n);
    s = Math.exp(poly(C4, n));
  } else {
    m = poly(C5, lnN);
    s = Math.exp(poly(C6, lnN));
  }
  return { w, p: normalCdf(-(y - m) / s) };
}
