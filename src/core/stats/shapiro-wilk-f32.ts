/**
 * Shapiro–Wilk as scipy computes it (scipy.stats.shapiro, up to at least 1.10):
 * Royston's AS R94 in single precision (Fortran REAL), with the AS 111 normal
 * quantile and the AS 66 normal tail area. The API contract (../shared/API.md)
 * names scipy as the reference to 1e-4, so `shapiroWilk` follows this arithmetic:
 * every single-precision operation is rounded to float32 here (Math.fround).
 * The double-precision algorithm (as R's shapiro.test) is `shapiroWilkDouble`.
 */
const f = Math.fround;

/** AS 181.2 polynomial c₁ + c₂x + … evaluated in single precision, in the routine's order. */
function polyF(c: readonly number[], x: number): number {
  const n = c.length;
  let r = f(c[0]!);
  if (n === 1) return r;
  let p = f(x * f(c[n - 1]!));
  for (let j = n - 2; j >= 1; j--) p = f(f(p + f(c[j]!)) * x);
  r = f(r + p);
  return r;
}

/** AS 111 normal deviate for lower tail area p, single precision. */
function ppnd(p: number): number {
  const q = f(p - 0.5);
  if (Math.abs(q) <= f(0.42)) {
    const r = f(q * q);
    const num = f(q * f(f(f(f(f(f(f(-25.44106049637) * r) + f(41.39119773534)) * r) + f(-18.61500062529)) * r) + f(2.50662823884)));
    const den = f(f(f(f(f(f(f(f(f(3.13082909833) * r) + f(-21.06224101826)) * r) + f(23.08336743743)) * r) + f(-8.4735109309)) * r) + 1);
    return f(num / den);
  }
  let r = q > 0 ? f(1 - p) : f(p);
  if (r <= 0) return 0;
  r = f(Math.sqrt(f(-f(Math.log(r)))));
  let v = f(
    f(f(f(f(f(f(f(2.32121276858) * r) + f(4.85014127135)) * r) + f(-2.29796479134)) * r) + f(-2.78718931138)) /
      f(f(f(f(f(1.63706781897) * r) + f(3.54388924762)) * r) + 1),
  );
  if (q < 0) v = -v;
  return v;
}

/** AS 66 upper tail area of the standard normal (double precision, as scipy's ALNORM). */
function alnormUpper(x: number): number {
  let up = true;
  let z = x;
  if (z < 0) {
    up = false;
    z = -z;
  }
  let a: number;
  if (!(z <= 7 || (up && z <= 38))) a = 0;
  else {
    const y = 0.5 * z * z;
    if (z <= 1.28) {
      a = 0.5 - z * (0.398942280444 - (0.399903438504 * y) / (y + 5.75885480458 - 29.8213557808 / (y + 2.62433121679 + 48.6959930692 / (y + 5.92885724438))));
    } else {
      a =
        (0.398942280385 * Math.exp(-y)) /
        (z - 3.8052e-8 + 1.00000615302 / (z + 3.98064794e-4 + 1.98615381364 / (z - 0.151679116635 + 5.29330324926 / (z + 4.8385912808 - 15.1508972451 / (z + 0.742380924027 + 30.789933034 / (z + 3.99019417011))))));
    }
  }
  return up ? a : 1 - a;
}

/**
 * The part of the test that depends on n alone (AS R94's coefficients a, and the
 * mean sa and sum of squares ssa of the full coefficient vector), in the
 * single-precision arithmetic and order of the routine; kept per n, since a
 * univariate screen tests thousands of samples of the same sizes.
 */
interface Coefficients {
  a: Float32Array;
  sa: number;
  ssa: number;
}
const coefficientCache = new Map<number, Coefficients>();

function coefficientsOf(n: number): Coefficients {
  const hit = coefficientCache.get(n);
  if (hit) return hit;
  const an = f(n);
  const half = Math.floor(n / 2);
  const a = new Float32Array(half);
  if (n === 3) a[0] = f(0.70711);
  else {
    const an25 = f(an + 0.25);
    let summ2 = 0;
    for (let i = 0; i < half; i++) {
      a[i] = ppnd(f(f(f(i + 1) - f(0.375)) / an25));
      summ2 = f(summ2 + f(a[i]! * a[i]!));
    }
    summ2 = f(summ2 * 2);
    const ssumm2 = f(Math.sqrt(summ2));
    const rsn = f(1 / f(Math.sqrt(an)));
    const c1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
    const c2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
    const a1 = f(polyF(c1, rsn) - f(a[0]! / ssumm2));
    let i1: number;
    let fac: number;
    if (n > 5) {
      i1 = 2;
      const a2 = f(f(-a[1]! / ssumm2) + polyF(c2, rsn));
      fac = f(Math.sqrt(f(f(f(summ2 - f(2 * f(a[0]! * a[0]!))) - f(2 * f(a[1]! * a[1]!))) / f(f(1 - f(2 * f(a1 * a1))) - f(2 * f(a2 * a2))))));
      a[0] = a1;
      a[1] = a2;
    } else {
      i1 = 1;
      fac = f(Math.sqrt(f(f(summ2 - f(2 * f(a[0]! * a[0]!))) / f(1 - f(2 * f(a1 * a1))))));
      a[0] = a1;
    }
    for (let i = i1; i < half; i++) a[i] = f(-a[i]! / fac);
  }
  let sa = f(-a[0]);
  for (let i = 1; i < n; i++) {
    const j = n - 1 - i;
    if (i !== j) sa = f(sa + (i < j ? -a[i]! : a[j]!));
  }
  sa = f(sa / n);
  let ssa = 0;
  for (let i = 0; i < n; i++) {
    const asa = f(coefficient(a, n, i) - sa);
    ssa = f(ssa + f(asa * asa));
  }
  const out = { a, sa, ssa };
  if (coefficientCache.size < 10_000) coefficientCache.set(n, out);
  return out;
}

/** The coefficient of sorted position i (0-based): −a for the lower half, +a mirrored, 0 in the middle. */
function coefficient(a: Float32Array, n: number, i: number): number {
  const j = n - 1 - i;
  if (i === j) return 0;
  return i < j ? -a[i]! : a[j]!;
}

/** The single-precision sample, reused between calls (a screen tests thousands of samples). */
let scratch = new Float32Array(64);

/**
 * W and p of sorted data (length ≥ 3) centred at `centre` (scipy centres at the
 * median: x − centre is rounded to single precision, as scipy's float32 copy of the
 * centred sample), exactly as scipy's single-precision AS R94.
 */
export function shapiroWilkSinglePrecision(sorted: ArrayLike<number>, centre = 0): { w: number; p: number } {
  const n = sorted.length;
  if (scratch.length < n) scratch = new Float32Array(Math.max(n, 2 * scratch.length));
  const x = scratch;
  for (let i = 0; i < n; i++) x[i] = sorted[i]! - centre;
  const an = f(n);
  const { a, sa, ssa } = coefficientsOf(n);
  const range = f(x[n - 1]! - x[0]!);
  if (!(range >= 1e-19)) throw new Error('shapiroWilk: all values are identical; W is undefined');
  let sx = f(x[0]! / range);
  for (let i = 1; i < n; i++) sx = f(sx + f(x[i]! / range));
  sx = f(sx / n);
  let ssx = 0;
  let sax = 0;
  for (let i = 0; i < n; i++) {
    const asa = f(coefficient(a, n, i) - sa);
    const xsx = f(f(x[i]! / range) - sx);
    ssx = f(ssx + f(xsx * xsx));
    sax = f(sax + f(asa * xsx));
  }
  const ssassx = f(Math.sqrt(f(ssa * ssx)));
  const w1 = f(f(f(ssassx - sax) * f(ssassx + sax)) / f(ssa * ssx));
  const w = f(1 - w1);
  if (n === 3) {
    const p = f(f(1.909859) * f(f(Math.asin(f(Math.sqrt(w)))) - f(1.047198)));
    return { w, p: Math.min(1, Math.max(0, p)) };
  }
  let y = f(Math.log(w1));
  const xx = f(Math.log(an));
  let m: number;
  let s: number;
  if (n <= 11) {
    const gamma = polyF([-2.273, 0.459], an);
    if (y >= gamma) return { w, p: f(1e-19) };
    y = f(-f(Math.log(f(gamma - y))));
    m = polyF([0.544, -0.39978, 0.025054, -6.714e-4], an);
    s = f(Math.exp(polyF([1.3822, -0.77857, 0.062767, -0.0020322], an)));
  } else {
    m = polyF([-1.5861, -0.31082, -0.083751, 0.0038915], xx);
    s = f(Math.exp(polyF([-0.4803, -0.082676, 0.0030302], xx)));
  }
  return { w, p: f(alnormUpper(f(f(y - m) / s))) };
}
