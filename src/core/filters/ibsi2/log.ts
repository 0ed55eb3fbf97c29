import type { Volume } from '../../image/volume.js';
import { dimsOf, responseVolume, type FilterBaseOptions } from './common.js';
import { convolveAxis, toFloat64, type Dims } from './separable.js';
import type { BoundaryMode } from '../../util/boundary.js';

export interface LogFilterOptions extends FilterBaseOptions {
  /** Gaussian scale σ in mm. */
  sigma: number;
  /** Kernel truncation in units of σ (IBSI 2 uses 4): half-width = floor(truncate·σ/spacing + 0.5) voxels. */
  truncate?: number;
}

/** Half-width (voxels) of the truncated LoG kernel along an axis. */
export function logHalfWidth(sigmaMm: number, spacing: number, truncate: number): number {
  return Math.floor((truncate * sigmaMm) / spacing + 0.5);
}

/**
 * The 1D factors of the LoG kernel along one axis, in voxel units (σv = σ/spacing):
 * g(x) = exp(−x²/2σv²)/(√(2π)σv) and h(x) = (x²/σv² − 1)/σv² · g(x).
 */
export function logFactors(sigmaVoxels: number, halfWidth: number): { g: Float64Array; h: Float64Array } {
  const n = 2 * halfWidth + 1;
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const s2 = sigmaVoxels * sigmaVoxels;
  for (let t = 0; t < n; t++) {
    const x = t - halfWidth;
    g[t] = Math.exp(-(x * x) / (2 * s2)) / (Math.sqrt(2 * Math.PI) * sigmaVoxels);
    h[t] = ((x * x) / s2 - 1) / s2 * g[t]!;
  }
  return { g, h };
}

/**
 * Laplacian of Gaussian (IBSI 2 manual, section 3.2, L6PA):
 * h(x) = −1/σ² · (2πσ²)^(−d/2) · (d − ‖x‖²/σ²) · exp(−‖x‖²/2σ²), sampled on the voxel grid
 * (σ in voxel units) and truncated to a cube of half-width floor(4σ + 0.5).
 * The truncated cube kernel equals Σ_a h_a(x_a) Π_{b≠a} g_b(x_b) exactly, so it is applied
 * as d separable passes instead of one (2·4σ+1)^d convolution.
 */
export function logFilterData(
  x: Float64Array,
  dims: Dims,
  spacing: readonly number[],
  sigma: number,
  truncate: number,
  boundary: BoundaryMode,
  dimensions: 2 | 3,
): Float64Array {
  if (!(sigma > 0)) throw new Error(`LoG filter: sigma must be positive (mm), got ${sigma}`);
  const axes: (0 | 1 | 2)[] = dimensions === 3 ? [0, 1, 2] : [0, 1];
  const f = axes.map((a) => {
    const sv = sigma / spacing[a]!;
    return logFactors(sv, logHalfWidth(sigma, spacing[a]!, truncate));
  });
  const out = new Float64Array(x.length);
  for (const a of axes) {
    let y = x;
    for (const b of axes) y = convolveAxis(y, dims, b, b === a ? f[b]!.h : f[b]!.g, boundary);
    for (let n = 0; n < out.length; n++) out[n]! += y[n]!;
  }
  return out;
}

export function logFilter(vol: Volume, opts: LogFilterOptions): Volume {
  const data = logFilterData(
    toFloat64(vol.data),
    dimsOf(vol),
    vol.spacing,
    opts.sigma,
    opts.truncate ?? 4,
    opts.boundary ?? 'mirror',
    opts.dimensions ?? 3,
  );
  return responseVolume(vol, data);
}
