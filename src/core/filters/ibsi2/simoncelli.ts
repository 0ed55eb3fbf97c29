import type { Volume } from '../../image/volume.js';
import type { BoundaryMode } from '../../util/boundary.js';
import { dimsOf, responseVolume, type FilterBaseOptions } from './common.js';
import { applyTransferFunction, centredFrequency, cropVolume, padVolume, type Spectrum } from './fourier.js';
import { rieszMultiply } from './riesz.js';
import { toFloat64, type Dims } from './separable.js';

export interface SimoncelliOptions extends FilterBaseOptions {
  /** Decomposition level j ≥ 1. */
  level?: number;
  /** Riesz transform order (per axis i, j[, k]) applied to the wavelet; omitted = none. */
  rieszOrder?: number[] | null;
}

/**
 * Transfer function of the isotropic Simoncelli wavelet at level j (IBSI 2 manual,
 * section 3.6, non-separable wavelets): with ν = ‖ω‖ (1 = Nyquist) and ν_max = 2^{1−j},
 * ψ̂(ν) = cos(π/2 · log2(2ν/ν_max)) for ν_max/4 ≤ ν ≤ ν_max, else 0.
 * Sampled on the centred frequency grid (see `centredFrequency`).
 */
export function simoncelliTransfer(dims: Dims, axes: readonly number[], level: number): Spectrum {
  const n = axes.map((a) => dims[a]!);
  const size = n.reduce((p, q) => p * q, 1);
  const re = new Float64Array(size);
  const numax = 2 ** (1 - level);
  const f = n.map((len) => Float64Array.from({ length: len }, (_, k) => centredFrequency(k, len)));
  for (let t = 0; t < size; t++) {
    let r2 = 0;
    let rem = t;
    for (let a = 0; a < n.length; a++) {
      const k = rem % n[a]!;
      rem = Math.floor(rem / n[a]!);
      r2 += f[a]![k]! * f[a]![k]!;
    }
    const nu = Math.sqrt(r2);
    if (nu >= numax / 4 && nu <= numax) re[t] = Math.cos((Math.PI / 2) * Math.log2((2 * nu) / numax));
  }
  return { re, im: new Float64Array(size) };
}

/**
 * Simoncelli wavelet response map: the real part of the inverse FFT of the image
 * spectrum times ψ̂, optionally Riesz-transformed. The transform is periodic by
 * nature; with any other boundary condition the image is first padded by half its
 * size on each filtered axis.
 */
export function simoncelliData(x: Float64Array, dims: Dims, level: number, boundary: BoundaryMode, dimensions: 2 | 3, rieszOrder: number[] | null): Float64Array {
  if (!Number.isInteger(level) || level < 1) throw new Error(`Simoncelli filter: level must be a positive integer, got ${level}`);
  const axes = dimensions === 3 ? [0, 1, 2] : [0, 1];
  const pad = [0, 1, 2].map((a) => (boundary === 'periodic' || !axes.includes(a) ? 0 : Math.floor(dims[a]! / 2)));
  const p = padVolume(x, dims, pad, boundary);
  let h = simoncelliTransfer(p.dims, axes, level);
  if (rieszOrder) h = rieszMultiply(h, p.dims, axes, rieszOrder);
  const y = applyTransferFunction(p.data, p.dims, axes, h);
  return cropVolume(y, p.dims, dims, pad);
}

export function simoncelliFilter(vol: Volume, opts: SimoncelliOptions): Volume {
  const data = simoncelliData(toFloat64(vol.data), dimsOf(vol), opts.level ?? 1, opts.boundary ?? 'periodic', opts.dimensions ?? 3, opts.rieszOrder ?? null);
  return responseVolume(vol, data);
}
