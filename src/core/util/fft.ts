/**
 * A small complex FFT for the Fourier-domain IBSI 2 filters (Gabor, Simoncelli,
 * Riesz): iterative radix-2 for powers of two, Bluestein's chirp-z for other lengths,
 * and n-dimensional transforms of arrays stored with the first index fastest.
 * Forward: X[k] = Σ x[n] e^{−2πikn/N}; inverse includes the 1/N factor.
 */

interface Radix2Plan {
  n: number;
  rev: Uint32Array;
  cos: Float64Array;
  sin: Float64Array;
}

interface BluesteinPlan {
  n: number;
  m: number;
  inner: Radix2Plan;
  /** chirp w[k] = e^{−iπk²/n} */
  wr: Float64Array;
  wi: Float64Array;
  /** FFT of the conjugate chirp, zero-padded and wrapped to length m. */
  br: Float64Array;
  bi: Float64Array;
}

const radix2Plans = new Map<number, Radix2Plan>();
const bluesteinPlans = new Map<number, BluesteinPlan>();

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function radix2Plan(n: number): Radix2Plan {
  let p = radix2Plans.get(n);
  if (p) return p;
  const bits = Math.round(Math.log2(n));
  const rev = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
    rev[i] = r;
  }
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  p = { n, rev, cos, sin };
  radix2Plans.set(n, p);
  return p;
}

/** In-place forward radix-2 FFT (no scaling). */
function radix2(re: Float64Array, im: Float64Array, p: Radix2Plan): void {
  const n = p.n;
  const rev = p.rev;
  for (let i = 0; i < n; i++) {
    const j = rev[i]!;
    if (j > i) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0, t = 0; k < half; k++, t += step) {
        const wr = p.cos[t]!;
        const wi = p.sin[t]!;
        const a = start + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a]! += xr;
        im[a]! += xi;
      }
    }
  }
}

function bluesteinPlan(n: number): BluesteinPlan {
  let p = bluesteinPlans.get(n);
  if (p) return p;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const inner = radix2Plan(m);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k² mod 2n keeps the angle accurate for large k.
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    wr[k] = Math.cos(a);
    wi[k] = -Math.sin(a);
  }
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  br[0] = wr[0]!;
  bi[0] = -wi[0]!;
  for (let k = 1; k < n; k++) {
    br[k] = br[m - k] = wr[k]!;
    bi[k] = bi[m - k] = -wi[k]!;
  }
  radix2(br, bi, inner);
  p = { n, m, inner, wr, wi, br, bi };
  bluesteinPlans.set(n, p);
  return p;
}

function bluestein(re: Float64Array, im: Float64Array, p: BluesteinPlan): void {
  const { n, m, wr, wi, br, bi, inner } = p;
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    ar[k] = re[k]! * wr[k]! - im[k]! * wi[k]!;
    ai[k] = re[k]! * wi[k]! + im[k]! * wr[k]!;
  }
  radix2(ar, ai, inner);
  for (let k = 0; k < m; k++) {
    const r = ar[k]! * br[k]! - ai[k]! * bi[k]!;
    const i = ar[k]! * bi[k]! + ai[k]! * br[k]!;
    // conjugate for the inverse transform via the forward one
    ar[k] = r;
    ai[k] = -i;
  }
  radix2(ar, ai, inner);
  for (let k = 0; k < n; k++) {
    const r = ar[k]! / m;
    const i = -ai[k]! / m;
    re[k] = r * wr[k]! - i * wi[k]!;
    im[k] = r * wi[k]! + i * wr[k]!;
  }
}

/** In-place 1D FFT of (re, im) of any length; `inverse` applies the conjugate transform and 1/N. */
export function fft1d(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n <= 1) return;
  if (inverse) for (let k = 0; k < n; k++) im[k] = -im[k]!;
  if (isPowerOfTwo(n)) radix2(re, im, radix2Plan(n));
  else bluestein(re, im, bluesteinPlan(n));
  if (inverse) {
    for (let k = 0; k < n; k++) {
      re[k]! /= n;
      im[k] = -im[k]! / n;
    }
  }
}

/**
 * In-place FFT along the listed axes of a complex array with dimensions `dims`
 * (first index fastest). Used for 3D transforms (axes 0,1,2) and for stacks of 2D
 * transforms (axes 0,1).
 */
export function fftAxes(re: Float64Array, im: Float64Array, dims: readonly number[], axes: readonly number[], inverse = false): void {
  const total = re.length;
  for (const axis of axes) {
    const n = dims[axis];
    if (n === undefined) throw new Error(`fftAxes: axis ${axis} is not one of the ${dims.length} dimensions`);
    if (n <= 1) continue;
    let stride = 1;
    for (let a = 0; a < axis; a++) stride *= dims[a]!;
    const lr = new Float64Array(n);
    const li = new Float64Array(n);
    const lines = total / n;
    if (stride === 1) {
      // Contiguous lines: transform in place through views.
      for (let l = 0; l < lines; l++) fft1d(re.subarray(l * n, (l + 1) * n), im.subarray(l * n, (l + 1) * n), inverse);
      continue;
    }
    for (let l = 0; l < lines; l++) {
      const base = (l % stride) + Math.floor(l / stride) * stride * n;
      for (let q = 0, p = base; q < n; q++, p += stride) {
        lr[q] = re[p]!;
        li[q] = im[p]!;
      }
      fft1d(lr, li, inverse);
      for (let q = 0, p = base; q < n; q++, p += stride) {
        re[p] = lr[q]!;
        im[p] = li[q]!;
      }
    }
  }
}
