/**
 * Deriche's recursive (IIR) Gaussian and its first and second derivatives along one
 * voxel axis, with the same coefficients, normalisation and border handling as ITK's
 * `RecursiveGaussianImageFilter` (the filter behind SimpleITK's
 * `LaplacianRecursiveGaussianImageFilter`, hence PyRadiomics' LoG image type).
 *
 * Definition: R. Deriche, "Recursively implementing the Gaussian and its derivatives",
 * INRIA RR-1893 (1993), 4th-order causal + anti-causal recursion; the fitted
 * constants (a, b, ω, λ per order) are those of Farnebäck & Westin (2006), Table 1,
 * as ITK uses them. ITK normalises each order so that the discrete kernel has the
 * exact moment of the continuous one (zero order: sum 1; second order: second
 * moment 2), computed in closed form from the recursion coefficients.
 */

export type GaussianOrder = 0 | 1 | 2;

/** Recursion coefficients of one axis (ITK's m_N*, m_D*, m_M*, m_BN*, m_BM*). */
export interface DericheCoefficients {
  n0: number;
  n1: number;
  n2: number;
  n3: number;
  d1: number;
  d2: number;
  d3: number;
  d4: number;
  m1: number;
  m2: number;
  m3: number;
  m4: number;
  bn1: number;
  bn2: number;
  bn3: number;
  bn4: number;
  bm1: number;
  bm2: number;
  bm3: number;
  bm4: number;
}

/** One value per derivative order (index: `GaussianOrder`). */
type PerOrder = readonly [number, number, number];

// Farnebäck & Westin (2006), Table 1: amplitude a and b per derivative order, and
// the two pole pairs (ω, λ) shared by all orders.
const A1: PerOrder = [1.353, -0.6724, -1.3563];
const B1: PerOrder = [1.8151, -3.4327, 5.2318];
const W1 = 0.6681;
const L1 = -1.3932;
const A2: PerOrder = [-0.3531, 0.6724, 0.3446];
const B2: PerOrder = [0.0902, 0.61, -2.2355];
const W2 = 2.0787;
const L2 = -1.3732;

interface NumeratorSums {
  n: [number, number, number, number];
  sn: number;
  dn: number;
  en: number;
}

function numerator(sigmad: number, order: GaussianOrder): NumeratorSums {
  const a1 = A1[order];
  const b1 = B1[order];
  const a2 = A2[order];
  const b2 = B2[order];
  const sin1 = Math.sin(W1 / sigmad);
  const sin2 = Math.sin(W2 / sigmad);
  const cos1 = Math.cos(W1 / sigmad);
  const cos2 = Math.cos(W2 / sigmad);
  const exp1 = Math.exp(L1 / sigmad);
  const exp2 = Math.exp(L2 / sigmad);
  const n0 = a1 + a2;
  let n1 = exp2 * (b2 * sin2 - (a2 + 2 * a1) * cos2);
  n1 += exp1 * (b1 * sin1 - (a1 + 2 * a2) * cos1);
  let n2 = (a1 + a2) * cos2 * cos1;
  n2 -= b1 * cos2 * sin1 + b2 * cos1 * sin2;
  n2 *= 2 * exp1 * exp2;
  n2 += a2 * exp1 * exp1 + a1 * exp2 * exp2;
  let n3 = exp2 * exp1 * exp1 * (b2 * sin2 - a2 * cos2);
  n3 += exp1 * exp2 * exp2 * (b1 * sin1 - a1 * cos1);
  return {
    n: [n0, n1, n2, n3],
    sn: n0 + n1 + n2 + n3,
    dn: n1 + 2 * n2 + 3 * n3,
    en: n1 + 4 * n2 + 9 * n3,
  };
}

/**
 * Coefficients for a Gaussian of width `sigma` (mm) along an axis with voxel
 * `spacing` (mm). `normalizeAcrossScale` multiplies the first derivative by σ and
 * the second by σ² (Lindeberg's γ-normalised derivatives), as ITK does.
 */
export function dericheCoefficients(
  sigma: number,
  spacing: number,
  order: GaussianOrder,
  normalizeAcrossScale: boolean,
): DericheCoefficients {
  if (!(sigma > 0)) throw new Error(`recursive Gaussian: sigma must be > 0, got ${sigma}`);
  let direction = 1;
  if (spacing < 0) {
    direction = -1;
    spacing = -spacing;
  }
  if (spacing < 1e-8) throw new Error(`recursive Gaussian: spacing ${spacing} is too small`);
  const sigmad = sigma / spacing;

  // Denominator (shared by every order).
  const cos1 = Math.cos(W1 / sigmad);
  const cos2 = Math.cos(W2 / sigmad);
  const exp1 = Math.exp(L1 / sigmad);
  const exp2 = Math.exp(L2 / sigmad);
  const d4 = exp1 * exp1 * exp2 * exp2;
  let d3 = -2 * cos1 * exp1 * exp2 * exp2;
  d3 += -2 * cos2 * exp2 * exp1 * exp1;
  let d2 = 4 * cos2 * cos1 * exp1 * exp2;
  d2 += exp1 * exp1 + exp2 * exp2;
  const d1 = -2 * (exp2 * cos2 + exp1 * cos1);
  const sd = 1 + d1 + d2 + d3 + d4;
  const dd = d1 + 2 * d2 + 3 * d3 + 4 * d4;
  const ed = d1 + 4 * d2 + 9 * d3 + 16 * d4;

  let n: [number, number, number, number];
  let symmetric: boolean;
  if (order === 0) {
    const z = numerator(sigmad, 0);
    const alpha0 = (2 * z.sn) / sd - z.n[0];
    n = z.n.map((c) => c / alpha0) as typeof n;
    symmetric = true;
  } else if (order === 1) {
    const scale = normalizeAcrossScale ? sigma : 1;
    const f = numerator(sigmad, 1);
    const alpha1 = ((2 * (f.sn * dd - f.dn * sd)) / (sd * sd)) * direction;
    n = f.n.map((c) => (c * scale) / alpha1) as typeof n;
    symmetric = false;
  } else {
    const scale = normalizeAcrossScale ? sigma * sigma : 1;
    const z = numerator(sigmad, 0);
    const s = numerator(sigmad, 2);
    // Mix in the zero-order kernel so the second-derivative kernel sums to zero.
    const beta = -(2 * s.sn - sd * s.n[0]) / (2 * z.sn - sd * z.n[0]);
    const nn = s.n.map((c, i) => c + beta * z.n[i]!) as typeof n;
    const sn = s.sn + beta * z.sn;
    const dn = s.dn + beta * z.dn;
    const en = s.en + beta * z.en;
    const alpha2 = (en * sd * sd - ed * sn * sd - 2 * dn * dd * sd + 2 * dd * dd * sn) / (sd * sd * sd);
    n = nn.map((c) => (c * scale) / alpha2) as typeof n;
    symmetric = true;
  }

  const [n0, n1, n2, n3] = n;
  const sign = symmetric ? 1 : -1;
  const m1 = sign * (n1 - d1 * n0);
  const m2 = sign * (n2 - d2 * n0);
  const m3 = sign * (n3 - d3 * n0);
  const m4 = sign * -d4 * n0;
  const sN = n0 + n1 + n2 + n3;
  const sM = m1 + m2 + m3 + m4;
  const sD = 1 + d1 + d2 + d3 + d4;
  return {
    n0, n1, n2, n3, d1, d2, d3, d4, m1, m2, m3, m4,
    bn1: (d1 * sN) / sD,
    bn2: (d2 * sN) / sD,
    bn3: (d3 * sN) / sD,
    bn4: (d4 * sN) / sD,
    bm1: (d1 * sM) / sD,
    bm2: (d2 * sM) / sD,
    bm3: (d3 * sM) / sD,
    bm4: (d4 * sM) / sD,
  };
}

/**
 * The Deriche recursion on `w` interleaved lines at once (element t of sample i at
 * `i * w + t`): the same arithmetic per line, with contiguous inner loops, so lines
 * along the strided axes (y, z) are filtered without cache misses. Lines have length ≥ 4;
 * double precision: causal pass into `out`, anti-causal pass into `s` (the caller adds them as it
 * stores the result). The borders are
 * initialised as if the line continued with its end values for ever (ITK's steady-state start:
 * the B-terms are the response of the recursion to a constant), so a constant line stays
 * constant under the zero-order kernel.
 */
function dericheFilterTile(
  c: DericheCoefficients,
  data: Float64Array,
  out: Float64Array,
  s: Float64Array,
  ln: number,
  w: number,
): void {
  const { n0, n1, n2, n3, d1, d2, d3, d4, m1, m2, m3, m4, bn1, bn2, bn3, bn4, bm1, bm2, bm3, bm4 } = c;
  for (let t = 0; t < w; t++) {
    const v1 = data[t]!;
    const x1 = data[w + t]!;
    const x2 = data[2 * w + t]!;
    const x3 = data[3 * w + t]!;
    let o0 = v1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
    let o1 = x1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
    let o2 = x2 * n0 + x1 * n1 + v1 * n2 + v1 * n3;
    let o3 = x3 * n0 + x2 * n1 + x1 * n2 + v1 * n3;
    o0 -= v1 * bn1 + v1 * bn2 + v1 * bn3 + v1 * bn4;
    o1 -= o0 * d1 + v1 * bn2 + v1 * bn3 + v1 * bn4;
    o2 -= o1 * d1 + o0 * d2 + v1 * bn3 + v1 * bn4;
    o3 -= o2 * d1 + o1 * d2 + o0 * d3 + v1 * bn4;
    out[t] = o0;
    out[w + t] = o1;
    out[2 * w + t] = o2;
    out[3 * w + t] = o3;
  }
  for (let i = 4; i < ln; i++) {
    const r = i * w;
    for (let t = 0; t < w; t++) {
      const p = r + t;
      let o = data[p]! * n0 + data[p - w]! * n1 + data[p - 2 * w]! * n2 + data[p - 3 * w]! * n3;
      o -= out[p - w]! * d1 + out[p - 2 * w]! * d2 + out[p - 3 * w]! * d3 + out[p - 4 * w]! * d4;
      out[p] = o;
    }
  }
  const e = (ln - 1) * w;
  for (let t = 0; t < w; t++) {
    const v2 = data[e + t]!;
    const y1 = data[e - w + t]!;
    const y2 = data[e - 2 * w + t]!;
    let s1 = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
    let s2 = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
    let s3 = y1 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
    let s4 = y2 * m1 + y1 * m2 + v2 * m3 + v2 * m4;
    s1 -= v2 * bm1 + v2 * bm2 + v2 * bm3 + v2 * bm4;
    s2 -= s1 * d1 + v2 * bm2 + v2 * bm3 + v2 * bm4;
    s3 -= s2 * d1 + s1 * d2 + v2 * bm3 + v2 * bm4;
    s4 -= s3 * d1 + s2 * d2 + s1 * d3 + v2 * bm4;
    s[e + t] = s1;
    s[e - w + t] = s2;
    s[e - 2 * w + t] = s3;
    s[e - 3 * w + t] = s4;
  }
  for (let i = ln - 4; i > 0; i--) {
    const r = (i - 1) * w;
    for (let t = 0; t < w; t++) {
      const q = r + t;
      const p = q + w;
      let v = data[p]! * m1 + data[p + w]! * m2 + data[p + 2 * w]! * m3 + data[p + 3 * w]! * m4;
      v -= s[p]! * d1 + s[p + w]! * d2 + s[p + 2 * w]! * d3 + s[p + 3 * w]! * d4;
      s[q] = v;
    }
  }
}

/** Lines filtered together along the strided axes. */
const TILE = 256;

/** Scratch for `recursiveGaussianAlongAxis` along any axis of a volume of `size`. */
export function recursiveGaussianWork(size: readonly number[]): Float64Array {
  return new Float64Array(3 * Math.max(...size) * TILE);
}
/** Rows along x filtered together (gathered from and scattered back to the rows). */
const X_TILE = 16;

/**
 * Apply a recursive Gaussian (of the given derivative order) along voxel axis
 * `axis` of a 3-D array, writing float32 like ITK's `Image<float>` intermediates
 * (the rounding between passes is part of what SimpleITK returns).
 *
 * With `lines`, only the lines through that box are filtered (each over its whole
 * length, so with the same values as without it); the rest of `dst` is left as it was.
 * `work` is scratch (3 · size[axis] · TILE values, see `recursiveGaussianWork`), for
 * callers that run many passes.
 */
export function recursiveGaussianAlongAxis(
  src: ArrayLike<number>,
  size: readonly [number, number, number],
  axis: 0 | 1 | 2,
  coefficients: DericheCoefficients,
  dst: Float32Array = new Float32Array(size[0] * size[1] * size[2]),
  lines?: { lower: readonly number[]; upper: readonly number[] },
  work: Float64Array = new Float64Array(3 * size[axis] * TILE),
): Float32Array {
  const ln = size[axis];
  if (ln < 4) {
    throw new Error(`recursive Gaussian: ${ln} voxels along axis ${axis}, at least 4 are needed`);
  }
  const [nx, ny, nz] = size;
  const lo = lines ? lines.lower : [0, 0, 0];
  const hi = lines ? lines.upper : [nx - 1, ny - 1, nz - 1];
  // tiles: input, causal, anti-causal (from `work`, ≥ 3·ln·TILE values)
  if (work.length < 3 * ln * TILE) throw new Error(`recursive Gaussian: work buffer of ${work.length} values, ${3 * ln * TILE} needed`);
  const data = work.subarray(0, ln * TILE);
  const out = work.subarray(ln * TILE, 2 * ln * TILE);
  const scratch = work.subarray(2 * ln * TILE, 3 * ln * TILE);
  const pass: Pass = { src, size, lo, hi, coefficients, dst, data, out, scratch };
  if (axis === 0) filterRows(pass);
  else filterStrided(pass, axis);
  return dst;
}

/** One pass: `src` filtered into `dst` over the lines through [lo, hi], with the tiles of `work`. */
interface Pass {
  src: ArrayLike<number>;
  size: readonly [number, number, number];
  lo: readonly number[];
  hi: readonly number[];
  coefficients: DericheCoefficients;
  dst: Float32Array;
  data: Float64Array;
  out: Float64Array;
  scratch: Float64Array;
}

// The two layouts are separate functions so that V8 optimises each on its own
// feedback: in one function, the branch a fresh process has not yet run has no
// feedback and throws the optimised code away when first taken (a recompile of
// the whole pass, measured as the largest compile cost of a cold `extract`).

/**
 * Rows along x, gathered X_TILE at a time so the recursions of neighbouring rows
 * interleave (independent chains instead of one serial recursion per row).
 */
function filterRows(pass: Pass): void {
  const { src, size, lo, hi, coefficients, dst, data, out, scratch } = pass;
  const [nx, ny] = size;
  const ln = nx;
  const rows: number[] = [];
  for (let z = lo[2]!; z <= hi[2]!; z++) for (let y = lo[1]!; y <= hi[1]!; y++) rows.push((y + ny * z) * nx);
  for (let r0 = 0; r0 < rows.length; r0 += X_TILE) {
    const w = Math.min(X_TILE, rows.length - r0);
    for (let t = 0; t < w; t++) {
      const s0 = rows[r0 + t]!;
      for (let i = 0; i < ln; i++) data[i * w + t] = src[s0 + i]!;
    }
    dericheFilterTile(coefficients, data, out, scratch, ln, w);
    for (let t = 0; t < w; t++) {
      const s0 = rows[r0 + t]!;
      for (let i = 0; i < ln; i++) dst[s0 + i] = out[i * w + t]! + scratch[i * w + t]!;
    }
  }
}

/**
 * Lines along y (or z) start at every x of a z-plane (or every x, y); the samples
 * of neighbouring lines are contiguous, so filter up to TILE of them together:
 * runs of lines with consecutive starts, of `width` lines from `first`.
 */
function filterStrided(pass: Pass, axis: 1 | 2): void {
  const { src, size, lo, hi, coefficients, dst, data, out, scratch } = pass;
  const [nx, ny] = size;
  const ln = size[axis];
  const stride = axis === 1 ? nx : nx * ny;
  const runs: [number, number][] = [];
  const cx = hi[0]! - lo[0]! + 1;
  if (axis === 1) for (let z = lo[2]!; z <= hi[2]!; z++) runs.push([lo[0]! + nx * ny * z, cx]);
  else if (cx === nx) runs.push([nx * lo[1]!, nx * (hi[1]! - lo[1]! + 1)]); // whole rows: one run
  else for (let y = lo[1]!; y <= hi[1]!; y++) runs.push([lo[0]! + nx * y, cx]);
  for (const [first, width] of runs) {
    for (let t0 = 0; t0 < width; t0 += TILE) {
      const w = Math.min(TILE, width - t0);
      for (let i = 0; i < ln; i++) {
        const from = first + i * stride + t0;
        for (let t = 0; t < w; t++) data[i * w + t] = src[from + t]!;
      }
      dericheFilterTile(coefficients, data, out, scratch, ln, w);
      for (let i = 0; i < ln; i++) {
        const to = first + i * stride + t0;
        for (let t = 0; t < w; t++) dst[to + t] = out[i * w + t]! + scratch[i * w + t]!;
      }
    }
  }
}
