/**
 * Grey Level Dependence Matrix (PyRadiomics C `calculate_gldm`): for each ROI
 * voxel, count the neighbours (all offsets at the requested distances, both
 * directions, inside the ROI) whose grey level differs by at most α (`gldm_a`);
 * P(i, j) counts voxels of grey level i with j dependent neighbours, the column
 * for j holding dependence j + 1 in the feature formulas as in PyRadiomics.
 * IBSI 1 §3.10 (NGLDM).
 */
import { buildAngles } from '../angles.js';
import type { DiscretisedRoi } from '../discretise.js';
import { excludedDimension, levelIndex, maxDistance, offsetSteps, paddedLevels } from '../texture-common.js';
import { compactColumns, type ZoneCountMatrix } from '../glszm/matrix.js';

export interface GldmOptions {
  distances: number[];
  force2D: boolean;
  force2Ddimension: number;
  gldm_a: number;
}

export function gldmMatrix(roi: DiscretisedRoi, opts: GldmOptions): ZoneCountMatrix {
  const angles = buildAngles(roi.size, opts.distances, true, excludedDimension(opts.force2D, opts.force2Ddimension));
  const nAngles = angles.length / 3;
  const ng = roi.grayLevels.length;
  const idx = levelIndex(roi.grayLevels, roi.Ng);
  const maxDep = nAngles + 1;
  const dense = new Float64Array(ng * maxDep);
  // grey levels on a padded grid (−1 outside the ROI, −2 padding), visited ROI voxel by ROI voxel
  const { size, levels: rows, voxels } = paddedLevels(roi, maxDistance(angles));
  const steps = offsetSteps(angles, size);
  const alpha = opts.gldm_a;
  for (let v = 0; v < voxels.length; v++) {
    const j = voxels[v];
    const gl = rows[j];
    let dep = 0;
    for (let a = 0; a < nAngles; a++) {
      const r = rows[j + steps[a]];
      if (r >= 0 && Math.abs(gl - r) <= alpha) dep++;
    }
    dense[idx[gl] * maxDep + dep]++;
  }
  // PyRadiomics numbers the dependence columns 1 … (jvector = column + 1)
  return compactColumns(dense, ng, maxDep, Float64Array.from(roi.grayLevels), (c) => c + 1);
}
