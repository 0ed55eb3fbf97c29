/**
 * Fourier-domain filtering for the IBSI 2 filters defined by their transfer function
 * (Simoncelli wavelet, Riesz transforms): pad with the boundary condition, FFT,
 * multiply by the transfer function, inverse FFT, keep the real part, crop.
 */
import { boundaryIndex, type BoundaryMode } from '../../util/boundary.js';
import { fftAxes } from '../../util/fft.js';
import type { Dims } from './separable.js';

/** Pad a volume by `pad[a]` voxels on both sides of each axis with the boundary condition. */
export function padVolume(x: Float64Array, dims: Dims, pad: readonly number[], mode: BoundaryMode): { data: Float64Array; dims: Dims } {
  const pd: Dims = [dims[0] + 2 * pad[0]!, dims[1] + 2 * pad[1]!, dims[2] + 2 * pad[2]!];
  const out = new Float64Array(pd[0] * pd[1] * pd[2]);
  const src = [0, 1, 2].map((a) => Int32Array.from({ length: pd[a]! }, (_, p) => boundaryIndex(p - pad[a]!, dims[a]!, mode)));
  for (let k = 0; k < pd[2]; k++) {
    const sk = src[2]![k]!;
    for (let j = 0; j < pd[1]; j++) {
      const sj = src[1]![j]!;
      const o = pd[0] * (j + pd[1] * k);
      for (let i = 0; i < pd[0]; i++) {
        const si = src[0]![i]!;
        out[o + i] = sk < 0 || sj < 0 || si < 0 ? 0 : x[si + dims[0] * (sj + dims[1] * sk)]!;
      }
    }
  }
  return { data: out, dims: pd };
}

/** The central `dims` block of a padded volume. */
export function cropVolume(x: Float64Array, padded: Dims, dims: Dims, pad: readonly number[]): Float64Array {
  const out = new Float64Array(dims[0] * dims[1] * dims[2]);
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++)
        out[i + dims[0] * (j + dims[1] * k)] = x[i + pad[0]! + padded[0] * (j + pad[1]! + padded[1] * (k + pad[2]!))]!;
  return out;
}

/**
 * Frequency coordinate of FFT bin `k` of an n-point transform on the reference
 * implementation's centred grid: the bins are laid out centrically (fftshift) and
 * mapped linearly onto [−1, 1] (index 0 → −1, index n−1 → +1), 1 standing for the
 * Nyquist frequency. For even n the zero-frequency bin thus sits half a bin off zero;
 * the IBSI 2 consensus maps for the Simoncelli filters follow this grid.
 */
export function centredFrequency(k: number, n: number): number {
  if (n === 1) return 0;
  const c = (n - 1) / 2;
  return (((k + Math.floor(n / 2)) % n) - c) / c;
}

/** Complex transfer function sampled on an FFT grid (first index fastest). */
export interface Spectrum {
  re: Float64Array;
  im: Float64Array;
}

/** Forward FFT of a real volume along `axes`. */
export function spectrumOf(x: Float64Array, dims: Dims, axes: readonly number[]): Spectrum {
  const re = Float64Array.from(x);
  const im = new Float64Array(x.length);
  fftAxes(re, im, dims, axes);
  return { re, im };
}

/**
 * Real part of IFFT(FFT(x) · H) along `axes`; H is either a full-size spectrum or, for
 * 2D filtering (axes 0, 1), one plane broadcast over the slices.
 */
export function applyTransferFunction(x: Float64Array, dims: Dims, axes: readonly number[], h: Spectrum): Float64Array {
  const s = spectrumOf(x, dims, axes);
  const plane = h.re.length;
  for (let n = 0; n < s.re.length; n++) {
    const t = n % plane;
    const a = s.re[n]!;
    const b = s.im[n]!;
    s.re[n] = a * h.re[t]! - b * h.im[t]!;
    s.im[n] = a * h.im[t]! + b * h.re[t]!;
  }
  fftAxes(s.re, s.im, dims, axes, true);
  return s.re;
}
