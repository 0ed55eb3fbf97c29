import { rasAxes, type Size3 } from './voi-bitmap.js';

/**
 * The voxel (i, j, k) of the displayed file under the crosshair. NiiVue
 * reports voxels of its RAS-reoriented copy of the volume; `permRAS` says,
 * for each RAS axis, which file axis it is (1-based) and whether it is flipped
 * (negative). Mapping NiiVue's own voxel back (rather than recomputing it from
 * millimetres) keeps index and intensity the same voxel even on a boundary.
 */
export function fileVoxelFromRas(rasVoxel: readonly [number, number, number], permRAS: readonly number[], fileSize: Size3): [number, number, number] {
  const axes = rasAxes(permRAS);
  const out: [number, number, number] = [0, 0, 0];
  for (const r of [0, 1, 2] as const) {
    const { axis, flip } = axes[r];
    out[axis] = flip ? fileSize[axis] - 1 - rasVoxel[r] : rasVoxel[r];
  }
  return out;
}
