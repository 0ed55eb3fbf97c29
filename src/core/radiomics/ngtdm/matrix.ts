/**
 * Neighbouring Grey Tone Difference Matrix (PyRadiomics C `calculate_ngtdm`):
 * for each ROI voxel, the mean grey level of its ROI neighbours (all offsets at
 * the requested distances, both directions) and s_i += |i − mean|; voxels with no
 * ROI neighbour add 0. Rows are the grey levels present: n_i, s_i, i. IBSI 1 §3.9.
 */
import { buildAngles, maxDistance, offsetSteps } from '../kernels/neighbours.js';
import type { DiscretisedRoi } from '../discretise.js';
import { excludedDimension, paddedLevels } from '../texture-common.js';

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
  // grey levels on a padded grid (−1 outside the ROI, −2 padding), visited ROI voxel by ROI voxel
  const { size, levels: rows, voxels } = paddedLevels(roi, maxDistance(angles));
  const steps = offsetSteps(angles, size);
  for (let v = 0; v < voxels.length; v++) {
    const j = voxels[v]!;
    const gl = rows[j]!;
    let s = 0;
    let count = 0;
    for (let a = 0; a < steps.length; a++) {
      const r = rows[j + steps[a]!]!;
      if (r >= 0) {
        s += r;
        count++;
      }
    }
    voxelCount[gl]!++;
    sum[gl]! += count === 0 ? 0 : Math.abs(gl - s / count);
  }
  const present: number[] = [];
  for (let l = 1; l <= roi.Ng; l++) if (voxelCount[l]! > 0) present.push(l);
  return {
    ng: present.length,
    n: Float64Array.from(present, (l) => voxelCount[l]!),
    s: Float64Array.from(present, (l) => sum[l]!),
    levels: Float64Array.from(present),
  };
}
