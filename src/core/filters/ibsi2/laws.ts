import type { Volume } from '../../image/volume.js';
import { dimsOf, responseVolume, type FilterBaseOptions } from './common.js';
import { meanFilterData } from './mean.js';
import { PoolAccumulator, rotateSeparableSet, type Pooling } from './rotations.js';
import { convolveAxis, toFloat64, type Dims } from './separable.js';
import type { BoundaryMode } from '../../util/boundary.js';

/** Laws' 1D kernels (IBSI 2 manual, section 3.3, table 3.1), before normalisation. */
export const LAWS_KERNELS: Record<string, readonly number[]> = {
  L3: [1, 2, 1],
  E3: [-1, 0, 1],
  S3: [-1, 2, -1],
  L5: [1, 4, 6, 4, 1],
  E5: [-1, -2, 0, 2, 1],
  S5: [-1, 0, 2, 0, -1],
  W5: [-1, 2, 0, -2, 1],
  R5: [1, -4, 6, -4, 1],
};

export interface LawsFilterOptions extends FilterBaseOptions {
  /** Kernel name, e.g. "E5L5S5" (3D) or "L5S5" (2D): the 1st kernel acts along i (x), the 2nd along j (y), the 3rd along k (z). */
  kernel: string;
  rotationInvariant?: boolean;
  pooling?: Pooling;
  /** Compute the texture energy map with Chebyshev distance δ (neighbourhood 2δ+1). */
  energyDelta?: number | null;
}

/** The per-axis kernels of a Laws name, each normalised to unit L2 norm (as in the manual). */
export function parseLawsKernel(name: string): Float64Array[] {
  const parts = name.toUpperCase().match(/[LESWR][35]/g) ?? [];
  if (parts.join('') !== name.toUpperCase() || parts.length < 2 || parts.length > 3) {
    throw new Error(`Laws filter: cannot parse kernel "${name}" (e.g. E5L5S5 or L5S5)`);
  }
  return parts.map((p) => {
    const w = LAWS_KERNELS[p];
    if (!w) throw new Error(`Laws filter: unknown 1D kernel "${p}"`);
    const norm = Math.sqrt(w.reduce((s, v) => s + v * v, 0));
    return Float64Array.from(w, (v) => v / norm);
  });
}

/**
 * Laws kernels (IBSI 2 manual section 3.3, JTXT): separable convolution with the
 * normalised 1D kernels; optionally pooled over right-angle rotations; optionally
 * followed by the texture energy E = mean of |response| over a (2δ+1)^d neighbourhood,
 * computed with the same boundary condition.
 */
export function lawsFilterData(
  x: Float64Array,
  dims: Dims,
  kernel: string,
  boundary: BoundaryMode,
  rotationInvariant: boolean,
  pooling: Pooling,
  energyDelta: number | null,
): Float64Array {
  const ks = parseLawsKernel(kernel);
  const d = ks.length as 2 | 3;
  const base = { axes: [ks[0]!, ks[1]!, d === 3 ? ks[2]! : null] };
  const sets = rotationInvariant ? rotateSeparableSet(base) : [base];
  const pool = new PoolAccumulator(pooling);
  for (const s of sets) {
    let y = x;
    for (let a = d - 1; a >= 0; a--) y = convolveAxis(y, dims, a as 0 | 1 | 2, s.axes[a] as Float64Array, boundary);
    pool.add(y);
  }
  let r = pool.result();
  if (energyDelta !== null && energyDelta !== undefined) {
    if (!Number.isInteger(energyDelta) || energyDelta < 0) throw new Error(`Laws filter: energy distance δ must be a non-negative integer, got ${energyDelta}`);
    const abs = r.map(Math.abs);
    r = meanFilterData(abs, dims, 2 * energyDelta + 1, boundary, d);
  }
  return r;
}

export function lawsFilter(vol: Volume, opts: LawsFilterOptions): Volume {
  const d = parseLawsKernel(opts.kernel).length;
  if (opts.dimensions && opts.dimensions !== d) {
    throw new Error(`Laws filter: kernel "${opts.kernel}" is ${d}D but dimensions=${opts.dimensions}`);
  }
  const data = lawsFilterData(
    toFloat64(vol.data),
    dimsOf(vol),
    opts.kernel,
    opts.boundary ?? 'mirror',
    opts.rotationInvariant ?? false,
    opts.pooling ?? 'max',
    opts.energyDelta ?? null,
  );
  return responseVolume(vol, data);
}
