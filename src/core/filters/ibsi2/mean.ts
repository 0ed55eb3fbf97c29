import type { Volume } from '../../image/volume.js';
import { dimsOf, responseVolume, type FilterBaseOptions } from './common.js';
import { convolveSeparable, toFloat64 } from './separable.js';

export interface MeanFilterOptions extends FilterBaseOptions {
  /** Support M (voxels, odd): the filter averages an M×M (2D) or M×M×M (3D) neighbourhood. */
  support: number;
}

/**
 * Mean filter (IBSI 2 manual, section 3.1, S60F): the average of the M^d voxels
 * centred on each voxel. Separable: a 1D box of weight 1/M along each filtered axis.
 */
export function meanFilter(vol: Volume, opts: MeanFilterOptions): Volume {
  const m = opts.support;
  if (!Number.isInteger(m) || m < 1 || m % 2 !== 1) throw new Error(`mean filter: support must be an odd positive integer, got ${m}`);
  const data = meanFilterData(toFloat64(vol.data), dimsOf(vol), m, opts.boundary ?? 'mirror', opts.dimensions ?? 3);
  return responseVolume(vol, data);
}

/** The mean filter on raw voxel data (shared with the Laws energy map). */
export function meanFilterData(
  x: Float64Array,
  dims: readonly [number, number, number],
  support: number,
  boundary: NonNullable<FilterBaseOptions['boundary']>,
  dimensions: 2 | 3,
): Float64Array {
  const box = new Float64Array(support).fill(1 / support);
  return convolveSeparable(x, dims, { i: box, j: box, k: dimensions === 3 ? box : null }, boundary);
}
