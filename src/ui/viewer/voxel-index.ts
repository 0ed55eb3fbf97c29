/**
 * The voxel (i, j, k) of the displayed file under the crosshair. NiiVue
 * reports voxels of its RAS-reoriented copy of the volume; `permRAS` says,
 * for each RAS axis, which file axis it is (1-based) and whether it is flipped
 * (negative). Mapping NiiVue's own voxel back (rather than recomputing it from
 * millimetres) keeps index and intensity the same voxel even on a boundary.
 */
export function fileVoxelFromRas(
  rasVoxel: ArrayLike<number>,
  permRAS: readonly number[],
  fileSize: readonly number[],
): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  for (let r = 0; r < 3; r++) {
    const axis = Math.abs(permRAS[r]) - 1;
    out[axis] = permRAS[r] < 0 ? fileSize[axis] - 1 - rasVoxel[r] : rasVoxel[r];
  }
  return out;
}
