import { boundaryIndex, type BoundaryMode } from '../../util/boundary.js';

/** Grid dimensions (i, j, k) of a voxel array stored with i fastest. */
export type Dims = readonly [number, number, number];

/**
 * Discrete convolution of every line along `axis` (0 = i, 1 = j, 2 = k) with the
 * 1D kernel `w`: y[n] = Σ_m w[m] · x[n − m + c], c = (len − 1) / 2, the boundary
 * handled by `mode` — the convolution of IBSI 2 (arXiv:2006.05470, eq. 2.1),
 * identical to scipy.ndimage.convolve1d for odd kernels. Even kernels must be
 * extended first (see `oddKernel`).
 */
export function convolveAxis(
  x: Float64Array,
  dims: Dims,
  axis: 0 | 1 | 2,
  w: ArrayLike<number>,
  mode: BoundaryMode,
): Float64Array {
  const len = w.length;
  if (len % 2 !== 1) throw new Error(`convolveAxis: kernel length ${len} is even; extend it with oddKernel()`);
  const c = (len - 1) / 2;
  const [nx, ny] = dims;
  const n = dims[axis];
  const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
  const out = new Float64Array(x.length);
  // The padded line: positions −c … n − 1 + c stored at 0 … n − 1 + 2c.
  const line = new Float64Array(n + 2 * c);
  const src = new Int32Array(n + 2 * c);
  for (let p = 0; p < n + 2 * c; p++) src[p] = boundaryIndex(p - c, n, mode);
  // Reversed kernel so the inner loop is a forward dot product: y[n] = Σ_t wr[t] · line[n + t].
  const wr = new Float64Array(len);
  for (let t = 0; t < len; t++) wr[t] = w[len - 1 - t]!;
  const lines = x.length / n;
  for (let l = 0; l < lines; l++) {
    let base: number;
    if (axis === 0) base = l * nx;
    else if (axis === 1) base = (l % nx) + Math.floor(l / nx) * nx * ny;
    else base = l;
    for (let p = 0; p < n + 2 * c; p++) {
      const s = src[p]!;
      line[p] = s < 0 ? 0 : x[base + s * stride]!;
    }
    for (let q = 0; q < n; q++) {
      let acc = 0;
      for (let t = 0; t < len; t++) acc += wr[t]! * line[q + t]!;
      out[base + q * stride] = acc;
    }
  }
  return out;
}

/** A kernel of odd length: even kernels get a trailing zero, as MIRP and the IBSI 2 consensus do. */
export function oddKernel(w: ArrayLike<number>): Float64Array {
  const a = Float64Array.from(w as ArrayLike<number>);
  if (a.length % 2 === 1) return a;
  const b = new Float64Array(a.length + 1);
  b.set(a);
  return b;
}

/** Per-axis kernels of a separable filter; `k` null for a 2D (in-slice) filter. */
export interface SeparableKernels {
  i: Float64Array;
  j: Float64Array;
  k: Float64Array | null;
}

/** Apply a separable filter (k first, then j, then i; the order is immaterial in exact arithmetic). */
export function convolveSeparable(x: Float64Array, dims: Dims, kern: SeparableKernels, mode: BoundaryMode): Float64Array {
  let y = x;
  if (kern.k) y = convolveAxis(y, dims, 2, kern.k, mode);
  y = convolveAxis(y, dims, 1, kern.j, mode);
  return convolveAxis(y, dims, 0, kern.i, mode);
}

/** Voxel data as Float64Array (copied). */
export function toFloat64(data: ArrayLike<number>): Float64Array {
  return Float64Array.from(data as ArrayLike<number>);
}
