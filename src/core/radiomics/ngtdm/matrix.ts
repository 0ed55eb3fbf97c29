/**
 * Neighbouring Grey Tone Difference Matrix (PyRadiomics C `calculate_ngtdm`):
 * for each ROI voxel, the mean grey level of its ROI neighbours (all offsets at
 * the requested distances, both directions) and s_i += |i − mean|; voxels with no
 * ROI neighbour add 0. Rows are the grey levels present: n_i, s_i, i. IBSI 1 §3.9.
 */
import { buildAngles } from '../angles.js';
import type { DiscretisedRoi } from '../discretise.js';
import { excludedDimension, forEachRoiVoxel } from '../texture-common.js';

export interface NgtdmOptions {
  distances: number[];
  force2D: boolean;
  force2Ddimension: number;
}

export interface NgtdmMatrix {
  /** Grey levels present. */
  ng: number;
  /** Voxel count n_i per grey level. */
  n: Float64Array;
  /** Sum of absolute differences s_i. */
  s: Float64Array;
  /** Grey level i. */
  levels: Float64Array;
}

export function ngtdmMatrix(roi: DiscretisedRoi, opts: NgtdmOptions): NgtdmMatrix {
  const angles = buildAngles(roi.size, opts.distances, true, excludedDimension(opts.force2D, opts.force2Ddimension));
  const voxelCount = new Float64Array(roi.Ng + 1);
  const sum = new Float64Array(roi.Ng + 1);
  const { levels } = roi;
  forEachRoiVoxel(roi.size, roi.mask, levels, angles, (gl, nb, count) => {
    let s = 0;
    for (let k = 0; k < count; k++) s += nb[k];
    voxelCount[gl]++;
    sum[gl] += count === 0 ? 0 : Math.abs(gl - s / count);
  });
  const present: number[] = [];
  for (let l = 1; l <= roi.Ng; l++) if (voxelCount[l] > 0) present.push(l);
  return {
    ng: present.length,
    n: Float64Array.from(present, (l) => voxelCount[l]),
    s: Float64Array.from(present, (l) => sum[l]),
    levels: Float64Array.from(present),
  };
}
