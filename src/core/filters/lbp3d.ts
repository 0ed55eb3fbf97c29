/**
 * PyRadiomics 3.1's `LBP3D` image type: rotation-invariant 3-D local binary patterns
 * from spherical harmonics (Banerjee, Moelker, Niessen & van Walsum, ACCV 2012
 * workshops, LNCS 7728, doi:10.1007/978-3-642-37410-4_3), computed for the masked
 * voxels only, as radiomics/imageoperations.py getLBP3DImage does it:
 *
 * 1. sample the image at each voxel + the vertices of trimesh's icosphere
 *    (`lbp3DIcosphereSubdivision`, `lbp3DIcosphereRadius`) with scipy's
 *    `map_coordinates(order=3)` (cubic B-spline, mirror prefilter, 0 outside the
 *    image, samples stored in the image's voxel type: integer images round);
 * 2. the spherical kurtosis of the samples (scipy.stats.kurtosis: Fisher, biased,
 *    NaN for a constant sphere) → `lbp-3D-k`;
 * 3. threshold the samples at the centre voxel (≥ → 1), expand in spherical harmonics
 *    Y_n^m up to degree `lbp3DLevels` − 1 (scipy's `sph_harm(m, n, θ, φ)` called with
 *    PyRadiomics' arguments: θ = arccos(v₂/R) as the azimuth, φ = atan2(v₁, v₀) as
 *    the polar angle), and for each degree n the norm over the vertices of
 *    Σ_m c_{n,m} Y_n^m → `lbp-3D-m<n+1>` (the real part of the complex square root,
 *    as numpy computes it).
 * Vertex offsets are added to the numpy (z, y, x) index, i.e. v₀ moves along z.
 * Voxels outside the mask are 0 (PyRadiomics leaves them uninitialised).
 */
import { withData, type Vec3, type Volume, type VoxelArray } from '../image/volume.js';
import type { DerivedImage } from './log.js';

export interface Lbp3DOptions {
  /** lbp3DLevels: number of spherical-harmonic degrees (default 2 → m1, m2). */
  levels?: number;
  /** lbp3DIcosphereRadius in voxels (default 1). */
  icosphereRadius?: number;
  /** lbp3DIcosphereSubdivision (default 1 → 42 vertices). */
  icosphereSubdivision?: number;
  /** Mask label (default 1). */
  label?: number;
}

// trimesh's unit icosahedron (trimesh/resources/creation.json): cyclic permutations
// of (±A, ±B, 0), with B printed to 14 digits there.
const ICO_A = 0.5257311121191336;
const ICO_B = 0.85065080835204;

/** Project vertices on the sphere of `radius` as trimesh does (v + v̂·(r − |v|)). */
function projectToSphere(v: Vec3[], radius: number): Vec3[] {
  return v.map(([x, y, z]) => {
    const s = Math.sqrt(x * x + y * y + z * z);
    const k = radius - s;
    return [x + (x / s) * k, y + (y / s) * k, z + (z / s) * k];
  });
}

/**
 * Vertices of trimesh's `icosphere(subdivisions, radius)` (each subdivision adds the
 * edge midpoints and re-projects on the sphere). Order differs from trimesh's; the
 * LBP 3D sums over vertices do not depend on it.
 */
export function icosphereVertices(subdivisions: number, radius: number): Vec3[] {
  let verts: Vec3[] = [];
  for (const sa of [-1, 1])
    for (const sb of [-1, 1]) {
      verts.push([sa * ICO_A, sb * ICO_B, 0], [0, sa * ICO_A, sb * ICO_B], [sb * ICO_B, 0, sa * ICO_A]);
    }
  // Faces: triples of mutually adjacent vertices (edge length 2A; next distance is 2B·… ≫).
  const d2 = (p: Vec3, q: Vec3) => (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2;
  const adjacent = (i: number, j: number) => d2(verts[i]!, verts[j]!) < 1.5 * 4 * ICO_A * ICO_A;
  let faces: Array<[number, number, number]> = [];
  for (let i = 0; i < 12; i++)
    for (let j = i + 1; j < 12; j++)
      for (let k = j + 1; k < 12; k++) if (adjacent(i, j) && adjacent(j, k) && adjacent(i, k)) faces.push([i, j, k]);
  for (let s = 0; s < subdivisions; s++) {
    const mid = new Map<string, number>();
    const midpoint = (a: number, b: number) => {
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      let m = mid.get(key);
      if (m === undefined) {
        const p = verts[a]!;
        const q = verts[b]!;
        m = verts.length;
        verts.push([(p[0] + q[0]) / 2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2]);
        mid.set(key, m);
      }
      return m;
    };
    const next: Array<[number, number, number]> = [];
    for (const [a, b, c] of faces) {
      const ab = midpoint(a, b);
      const bc = midpoint(b, c);
      const ca = midpoint(c, a);
      next.push([a, ab, ca], [b, bc, ab], [c, ca, bc], [ab, bc, ca]);
    }
    faces = next;
    verts = projectToSphere(verts, radius);
  }
  if (subdivisions <= 0) verts = projectToSphere(verts, radius);
  return verts;
}

// Cubic B-spline pole (Unser, Aldroubi & Eden 1991): √3 − 2, written out to full
// precision as scipy does (Math.sqrt(3) − 2 loses the last bits in the subtraction).
const POLE = -0.267949192431122706472553658494127633;

/** In-place cubic B-spline prefilter of one line with scipy's mirror boundary initialisation. */
function splineFilterLine(c: Float64Array, n: number): void {
  if (n <= 1) return;
  const z = POLE;
  const gain = (1 - z) * (1 - 1 / z);
  for (let i = 0; i < n; i++) c[i]! *= gain;
  // Causal initialisation for a whole-sample symmetric (mirror) extension.
  let zi = z;
  const zn1 = Math.pow(z, n - 1);
  c[0] = c[0]! + zn1 * c[n - 1]!;
  for (let i = 1; i < n - 1; i++) {
    c[0] += zi * (c[i]! + zn1 * c[n - 1 - i]!);
    zi *= z;
  }
  c[0] /= 1 - zn1 * zn1;
  for (let i = 1; i < n; i++) c[i]! += z * c[i - 1]!;
  c[n - 1] = ((z * c[n - 2]! + c[n - 1]!) * z) / (z * z - 1);
  for (let i = n - 2; i >= 0; i--) c[i] = z * (c[i + 1]! - c[i]!);
}

/**
 * Cubic B-spline coefficients of a 3-D image (scipy.ndimage.spline_filter(order=3),
 * applied along numpy axes 0, 1, 2 = z, y, x in that order).
 */
export function cubicSplineCoefficients(data: ArrayLike<number>, size: readonly [number, number, number]): Float64Array {
  const [nx, ny, nz] = size;
  const c = Float64Array.from(data as ArrayLike<number>);
  for (const axis of [2, 1, 0] as const) {
    const n = size[axis];
    const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
    const line = new Float64Array(n);
    const lines = (nx * ny * nz) / n;
    for (let r = 0; r < lines; r++) {
      const s0 = axis === 0 ? r * nx : axis === 1 ? (r % nx) + Math.floor(r / nx) * nx * ny : r;
      for (let i = 0, p = s0; i < n; i++, p += stride) line[i] = c[p]!;
      splineFilterLine(line, n);
      for (let i = 0, p = s0; i < n; i++, p += stride) c[p] = line[i]!;
    }
  }
  return c;
}

/** scipy's mirror index map for spline coefficients outside [0, len). */
function mirrorIndex(idx: number, len: number): number {
  if (len <= 1) return 0;
  const sz2 = 2 * len - 2;
  if (idx < 0) {
    let v = sz2 * Math.trunc(-idx / sz2) + idx;
    v = v <= 1 - len ? v + sz2 : -v;
    return v;
  }
  if (idx > len - 1) {
    let v = idx - sz2 * Math.trunc(idx / sz2);
    if (v >= len) v = sz2 - v;
    return v;
  }
  return idx;
}

function cubicWeights(cc: number, w: Float64Array): number {
  const start = Math.floor(cc);
  const x = cc - start;
  const z = 1 - x;
  w[1] = (x * x * (x - 2) * 3 + 4) / 6;
  w[2] = (z * z * (z - 2) * 3 + 4) / 6;
  w[0] = (z * z * z) / 6;
  w[3] = 1 - w[0] - w[1] - w[2];
  return start - 1;
}

/**
 * Value of the cubic spline with coefficients `coef` at numpy coordinates
 * (c0, c1, c2) = (z, y, x); 0 when any coordinate lies outside [0, len − 1]
 * (scipy map_coordinates mode "constant", cval 0).
 */
export function cubicSplineAt(
  coef: Float64Array,
  size: readonly [number, number, number],
  c0: number,
  c1: number,
  c2: number,
  scratch: CubicScratch = cubicScratch(),
): number {
  const dims = [size[2], size[1], size[0]];
  const strides = [size[0] * size[1], size[0], 1];
  const cs = [c0, c1, c2];
  for (let a = 0; a < 3; a++) {
    const cc = cs[a]!;
    const len = dims[a]!;
    if (!(cc >= 0 && cc <= len - 1)) return 0;
    const start = cubicWeights(cc, scratch.w[a]!);
    for (let l = 0; l < 4; l++) scratch.idx[a]![l] = mirrorIndex(start + l, len) * strides[a]!;
  }
  const [w0, w1, w2] = scratch.w;
  const [i0, i1, i2] = scratch.idx;
  let t = 0;
  for (let f0 = 0; f0 < 4; f0++)
    for (let f1 = 0; f1 < 4; f1++)
      for (let f2 = 0; f2 < 4; f2++) t += coef[i0[f0]! + i1[f1]! + i2[f2]!]! * w0[f0]! * w1[f1]! * w2[f2]!;
  return t;
}

/** Per-axis weights and flat index offsets of the 4 × 4 × 4 spline support (z, y, x). */
interface CubicScratch {
  w: [Float64Array, Float64Array, Float64Array];
  idx: [Int32Array, Int32Array, Int32Array];
}

function cubicScratch(): CubicScratch {
  return {
    w: [new Float64Array(4), new Float64Array(4), new Float64Array(4)],
    idx: [new Int32Array(4), new Int32Array(4), new Int32Array(4)],
  };
}

/** Store a sample as numpy stores it in an array of the image's dtype. */
function castLike(data: VoxelArray): (t: number) => number {
  if (data instanceof Float64Array) return (t) => t;
  if (data instanceof Float32Array) return Math.fround;
  const bits = data.BYTES_PER_ELEMENT * 8;
  const signed = data instanceof Int8Array || data instanceof Int16Array || data instanceof Int32Array;
  const lo = signed ? -(2 ** (bits - 1)) : 0;
  const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  if (lo === 0) return (t) => Math.trunc(Math.min(hi, Math.max(0, t > 0 ? t + 0.5 : 0)));
  // scipy: t > 0 ? t + 0.5 : t − 0.5, clipped, then C truncation.
  return (t) => Math.trunc(Math.min(hi, Math.max(lo, t > 0 ? t + 0.5 : t - 0.5)));
}

/** (n − m)! / (n + m)! style Pochhammer ratio poch(a, k) = Γ(a + k)/Γ(a) for integer k. */
function poch(a: number, k: number): number {
  let r = 1;
  if (k >= 0) for (let i = 0; i < k; i++) r *= a + i;
  else for (let i = 1; i <= -k; i++) r /= a - i;
  return r;
}

/** Associated Legendre P_n^m(x), m ≥ 0, with the Condon–Shortley phase (scipy lpmv). */
function legendreP(m: number, n: number, x: number): number {
  let pmm = 1;
  const s = Math.sqrt((1 - x) * (1 + x));
  for (let i = 1; i <= m; i++) pmm *= -(2 * i - 1) * s;
  if (n === m) return pmm;
  let pm1 = x * (2 * m + 1) * pmm;
  if (n === m + 1) return pm1;
  let p = 0;
  for (let l = m + 2; l <= n; l++) {
    p = ((2 * l - 1) * x * pm1 - (l + m - 1) * pmm) / (l - m);
    pmm = pm1;
    pm1 = p;
  }
  return p;
}

/** scipy.special.sph_harm(m, n, theta, phi): theta azimuth, phi polar; [re, im]. */
export function sphericalHarmonic(m: number, n: number, theta: number, phi: number): [number, number] {
  const mp = Math.abs(m);
  let val = legendreP(mp, n, Math.cos(phi));
  if (m < 0) val *= (mp % 2 ? -1 : 1) * poch(n + mp + 1, -2 * mp);
  val *= Math.sqrt((2 * n + 1) / 4 / Math.PI);
  val *= Math.sqrt(poch(n + m + 1, -2 * m));
  return [val * Math.cos(m * theta), val * Math.sin(m * theta)];
}

/**
 * numpy's pairwise summation (`pairwise_sum`, used by `np.add.reduce` along a
 * contiguous axis): 8 interleaved partial sums for 8 ≤ n ≤ 128, halves beyond.
 * `round` is Math.fround for float32 arrays, identity for float64.
 */
function numpySum(a: Float64Array, from: number, n: number, round: (x: number) => number): number {
  if (n < 8) {
    let r = 0;
    for (let i = 0; i < n; i++) r = round(r + a[from + i]!);
    return r;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let q = 0; q < 8; q++) r[q] = a[from + q]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let q = 0; q < 8; q++) r[q] = round(r[q]! + a[from + i + q]!);
    let res = round(round(round(r[0]! + r[1]!) + round(r[2]! + r[3]!)) + round(round(r[4]! + r[5]!) + round(r[6]! + r[7]!)));
    for (; i < n; i++) res = round(res + a[from + i]!);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return round(numpySum(a, from, n2, round) + numpySum(a, from + n2, n - n2, round));
}

/**
 * scipy.stats.kurtosis(f) (Fisher, biased) as scipy 1.10 evaluates it with numpy:
 * m₄/m₂² − 3 from central moments, NaN when m₂ ≤ (resolution·mean)²; in float32
 * arithmetic for float32 samples (resolution 1e-6), else float64 (1e-15).
 */
function sphericalKurtosis(f: Float64Array, single: boolean, work: Float64Array): number {
  const n = f.length;
  const round = single ? Math.fround : (x: number) => x;
  const mean = round(numpySum(f, 0, n, round) / n);
  for (let v = 0; v < n; v++) {
    const d = round(f[v]! - mean);
    work[v] = round(d * d);
  }
  const m2 = round(numpySum(work, 0, n, round) / n);
  for (let v = 0; v < n; v++) work[v] = round(work[v]! * work[v]!);
  const m4 = round(numpySum(work, 0, n, round) / n);
  const resolution = single ? Math.fround(1e-6) : 1e-15;
  const limit = round(round(resolution * mean) ** 2);
  if (m2 <= limit) return NaN;
  return round(round(m4 / round(m2 * m2)) - 3);
}

/** PyRadiomics getLBP3DImage: images `lbp-3D-m1` … `lbp-3D-m<levels>` and `lbp-3D-k`. */
export function lbp3DImages(volume: Volume, mask: Volume, options: Lbp3DOptions = {}): DerivedImage[] {
  const levels = options.levels ?? 2;
  const R = options.icosphereRadius ?? 1;
  const subdivision = options.icosphereSubdivision ?? 1;
  const label = options.label ?? 1;
  if (!Number.isInteger(levels) || levels < 1) throw new Error(`LBP3D: lbp3DLevels must be an integer ≥ 1, got ${levels}`);
  if (!(R > 0)) throw new Error(`LBP3D: lbp3DIcosphereRadius must be > 0, got ${R}`);
  if (mask.data.length !== volume.data.length) throw new Error('LBP3D: mask and image sizes differ');
  const size = volume.size;
  const verts = icosphereVertices(subdivision, R);
  const Nv = verts.length;

  // Spherical harmonics per vertex, columns (n, m) in PyRadiomics' order.
  const degree: number[] = [0];
  const orders: number[] = [0];
  for (let n = 1; n < levels; n++) for (let m = -n; m <= n; m++) (degree.push(n), orders.push(m));
  const X = degree.length;
  const yRe = new Float64Array(Nv * X);
  const yIm = new Float64Array(Nv * X);
  verts.forEach(([v0, v1, v2], v) => {
    const theta = Math.acos(v2 / R);
    const phi = Math.atan2(v1, v0);
    for (let x = 0; x < X; x++) {
      const [re, im] = sphericalHarmonic(orders[x]!, degree[x]!, theta, phi);
      yRe[v * X + x] = re;
      yIm[v * X + x] = im;
    }
  });

  const coef = cubicSplineCoefficients(volume.data, size);
  const cast = castLike(volume.data);
  const single = volume.data instanceof Float32Array;
  const work = new Float64Array(Nv);
  const scratch = cubicScratch();
  const n = volume.data.length;
  const outs = Array.from({ length: levels }, () => new Float64Array(n));
  const kurt = new Float64Array(n);
  const f = new Float64Array(Nv);
  const bits = new Uint8Array(Nv);
  const cRe = new Float64Array(X);
  const cIm = new Float64Array(X);
  const [nx, ny] = size;
  for (let p = 0; p < n; p++) {
    if (mask.data[p] !== label) continue;
    const i = p % nx;
    const j = Math.floor(p / nx) % ny;
    const k = Math.floor(p / (nx * ny));
    for (let v = 0; v < Nv; v++) {
      const [v0, v1, v2] = verts[v]!;
      f[v] = cast(cubicSplineAt(coef, size, k + v0, j + v1, i + v2, scratch));
    }
    kurt[p] = sphericalKurtosis(f, single, work);

    const centre = volume.data[p]!;
    for (let v = 0; v < Nv; v++) bits[v] = f[v]! >= centre ? 1 : 0;
    cRe.fill(0);
    cIm.fill(0);
    for (let v = 0; v < Nv; v++) {
      if (!bits[v]) continue;
      for (let x = 0; x < X; x++) {
        cRe[x]! += yRe[v * X + x]!;
        cIm[x]! += yIm[v * X + x]!;
      }
    }
    for (let level = 0; level < levels; level++) {
      // Σ_v (Σ_m c_{n,m} Y_{n,m}(v))², complex.
      let sRe = 0;
      let sIm = 0;
      for (let v = 0; v < Nv; v++) {
        let fr = 0;
        let fi = 0;
        for (let x = 0; x < X; x++) {
          if (degree[x] !== level) continue;
          const a = cRe[x]!;
          const b = cIm[x]!;
          const c = yRe[v * X + x]!;
          const d = yIm[v * X + x]!;
          fr += a * c - b * d;
          fi += a * d + b * c;
        }
        sRe += fr * fr - fi * fi;
        sIm += 2 * fr * fi;
      }
      // Real part of the principal square root.
      outs[level]![p] = Math.sqrt((Math.hypot(sRe, sIm) + sRe) / 2);
    }
  }
  const images: DerivedImage[] = outs.map((o, l) => ({ prefix: `lbp-3D-m${l + 1}`, volume: withData(volume, o) }));
  images.push({ prefix: 'lbp-3D-k', volume: withData(volume, kurt) });
  return images;
}
