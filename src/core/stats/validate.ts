/** Input checks shared by the statistics functions: one-line errors naming the argument. */
export type NumericArray = ArrayLike<number>;

export function toArray(x: NumericArray, name: string): number[] {
  const out = Array.from(x);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new Error(`${name}: value at index ${i} is not a finite number (${out[i]})`);
  }
  return out;
}

export function toLabels(labels: NumericArray, name = 'labels'): number[] {
  const out = Array.from(labels);
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== 0 && out[i] !== 1) throw new Error(`${name}: value at index ${i} is ${out[i]}, expected 0 or 1`);
  }
  return out;
}

export function sameLength(a: { length: number }, b: { length: number }, what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: lengths differ (${a.length} vs ${b.length})`);
}

export function bothClasses(labels: number[], what: string): { nPos: number; nNeg: number } {
  let nPos = 0;
  for (const l of labels) nPos += l;
  const nNeg = labels.length - nPos;
  if (nPos === 0 || nNeg === 0) throw new Error(`${what}: needs both classes (got ${nPos} positive, ${nNeg} negative)`);
  return { nPos, nNeg };
}

/** Arithmetic mean. */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Sample variance (n − 1 denominator), two-pass. */
export function variance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) * (x[i]! - m);
  return s / (x.length - 1);
}

/**
 * Quantile of R's default type 7 (linear interpolation of order statistics), with
 * R's exact arithmetic (`quantile.default`: index = 1 + (n − 1)·p, then
 * (1 − h)·x[lo] + h·x[hi]) so that break points agree bit for bit.
 */
export function quantileType7(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('quantileType7: no values');
  const index = 1 + Math.max(n - 1, 0) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = sorted[lo - 1]!;
  if (index > lo && sorted[hi - 1] !== qs) {
    const h = index - lo;
    return (1 - h) * qs + h * sorted[hi - 1]!;
  }
  return qs;
}
