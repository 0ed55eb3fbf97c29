/**
 * The voxel (i, j, k) of the displayed image under an LPS point. NiiVue
 * reports voxels of its RAS-reoriented copy, which differ from the file's own
 * indices when an axis is flipped; the core's geometry gives the file's.
 */
import { physicalToIndex, type Volume } from '../../core/image/volume.js';
import type { VolumeSummary } from '../../../workers/image-reader-api.js';

export function voxelIndexAt(summary: VolumeSummary, lps: readonly number[]): [number, number, number] {
  // Geometry only: physicalToIndex reads origin, spacing and direction, never the voxels.
  const geometry: Volume = {
    size: summary.size,
    spacing: summary.spacing,
    origin: summary.origin,
    direction: Float64Array.from(summary.direction),
    data: new Uint8Array(0),
  };
  const [i, j, k] = physicalToIndex(geometry, lps);
  return [Math.round(i), Math.round(j), Math.round(k)];
}
