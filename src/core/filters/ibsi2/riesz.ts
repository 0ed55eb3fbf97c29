import type { Volume } from '../../image/volume.js';
import type { BoundaryMode } from '../../util/boundary.js';
import { dimsOf, responseVolume, type FilterBaseOptions } from './common.js';
import { fftAxes } from '../../util/fft.js';
import { applyTransferFunction, centredFrequency, cropVolume, padVolume, type Spectrum } from './fourier.js';
import { logFactors, logHalfWidth } from './log.js';
import { toFloat64, type Dims } from './separable.js';

function factorial(n: number): number {
  let f = 1;
  for (let t = 2; t <= n; t++) f *= t;
  return f;
}

/**
 * Multiply a transfer function by the Riesz transform of order l = (l_1, …, l_d)
 * (IBSI 2 manual, section 3.7): R̂^(l)(ω) = (−i)^L · sqrt(L! / Π l_a!) · Π ω_a^{l_a} / ‖ω‖^L,
 * L = Σ l_a, with ω on the centred frequency grid. `order[c]` applies to axes[c]
 * (i, j, k). The zero frequency (only reached on odd grids) gets 0.
 */
export function rieszMultiply(h: Spectrum, dims: Dims, axes: readonly number[], order: readonly number[]): Spectrum {
  if (order.length !== axes.length) throw new Error(`Riesz transform: order has ${order.length} entries, the filter is ${axes.length}D`);
  if (order.some((o) => !Number.isInteger(o) || o < 0)) throw new Error(`Riesz transform: orders must be non-negative integers, got (${order.join(',')})`);
  const L = order.reduce((s, o) => s + o, 0);
  if (L === 0) return h;
  const norm = Math.sqrt(factorial(L) / order.reduce((p, o) => p * factorial(o), 1));
  // (−i)^L = cos(−πL/2) + i sin(−πL/2)
  const pr = Math.round(Math.cos((-Math.PI * L) / 2)) * norm;
  const pi = Math.round(Math.sin((-Math.PI * L) / 2)) * norm;
  const n = axes.map((a) => dims[a]!);
  const f = n.map((len) => Float64Array.from({ length: len }, (_, k) => centredFrequency(k, len)));
  const re = new Float64Array(h.re.length);
  const im = new Float64Array(h.re.length);
  for (let t = 0; t < h.re.length; t++) {
    let rem = t;
    let r2 = 0;
    let prod = 1;
    for (let a = 0; a < n.length; a++) {
      const k = rem % n[a]!;
      rem = Math.floor(rem / n[a]!);
      const w = f[a]![k]!;
      r2 += w * w;
      if (order[a]! > 0) prod *= w ** order[a]!;
    }
    if (r2 === 0) continue;
    const g = prod / Math.pow(r2, L / 2);
    const mr = pr * g;
    const mi = pi * g;
    re[t] = h.re[t]! * mr - h.im[t]! * mi;
    im[t] = h.re[t]! * mi + h.im[t]! * mr;
  }
  return { re, im };
}

export interface RieszLogOptions extends FilterBaseOptions {
  sigma: number;
  truncate?: number;
  /** Riesz order per axis (i, j[, k]). */
  order: number[];
}

/**
 * Riesz-transformed Laplacian of Gaussian: the truncated LoG kernel (as in `log.ts`)
 * is transformed to the Fourier domain on the padded grid (padding = kernel half-width,
 * boundary condition as given), multiplied by the Riesz transfer function, and applied
 * to the padded image; the real part is kept.
 */
export function rieszLogData(x: Float64Array, dims: Dims, spacing: readonly number[], sigma: number, truncate: number, order: number[], boundary: BoundaryMode, dimensions: 2 | 3): Float64Array {
  if (!(sigma > 0)) throw new Error(`Riesz LoG: sigma must be positive (mm), got ${sigma}`);
  const axes = dimensions === 3 ? [0, 1, 2] : [0, 1];
  const hw = [0, 1, 2].map((a) => (axes.includes(a) ? logHalfWidth(sigma, spacing[a]!, truncate) : 0));
  const p = padVolume(x, dims, hw, boundary);
  const pd = p.dims;
  const f = axes.map((a) => logFactors(sigma / spacing[a]!, hw[a]!));
  // LoG kernel centred at index 0 (wrapped) on the padded grid: Σ_a h_a Π_{b≠a} g_b.
  const planeDims: Dims = dimensions === 3 ? pd : [pd[0], pd[1], 1];
  const size = planeDims[0] * planeDims[1] * planeDims[2];
  const kre = new Float64Array(size);
  const kz = dimensions === 3 ? 2 * hw[2]! + 1 : 1;
  for (let c = 0; c < kz; c++) {
    for (let b = 0; b < 2 * hw[1]! + 1; b++) {
      for (let a = 0; a < 2 * hw[0]! + 1; a++) {
        const gi = f[0]!.g[a]!, gj = f[1]!.g[b]!;
        const hi = f[0]!.h[a]!, hj = f[1]!.h[b]!;
        let v: number;
        if (dimensions === 3) {
          const gk = f[2]!.g[c]!, hk = f[2]!.h[c]!;
          v = hi * gj * gk + gi * hj * gk + gi * gj * hk;
        } else v = hi * gj + gi * hj;
        const ii = (a - hw[0]! + pd[0]) % pd[0];
        const jj = (b - hw[1]! + pd[1]) % pd[1];
        const kk = dimensions === 3 ? (c - hw[2]! + pd[2]) % pd[2] : 0;
        kre[ii + planeDims[0] * (jj + planeDims[1] * kk)] = v;
      }
    }
  }
  const kim = new Float64Array(size);
  fftAxes(kre, kim, planeDims, axes);
  const h = rieszMultiply({ re: kre, im: kim }, planeDims, axes, order);
  const y = applyTransferFunction(p.data, pd, axes, h);
  return cropVolume(y, pd, dims, hw);
}

export function rieszLogFilter(vol: Volume, opts: RieszLogOptions): Volume {
  const data = rieszLogData(toFloat64(vol.data), dimsOf(vol), vol.spacing, opts.sigma, opts.truncate ?? 4, opts.order, opts.boundary ?? 'zero', opts.dimensions ?? 3);
  return responseVolume(vol, data);
}
