/**
 * Grey Level Dependence Matrix (PyRadiomics C `calculate_gldm`): for each ROI
 * voxel, count the neighbours (all offsets at the requested distances, both
 * directions, inside the ROI) whose grey level differs by at most α (`gldm_a`);
 * P(i, j) counts voxels of grey level i with j dependent neighbours, the column
 * for j holding dependence j + 1 in the feature formulas as in PyRadiomics.
 * IBSI 1 §3.10 (NGLDM).
 */
import { buildAngles, maxDistance, offsetSteps } from '../kernels/neighbours.js';
import type { DiscretisedRoi } from '../discretise.js';
import { excludedDimension, levelIndex, paddedLevels } from '../texture-common.js';
import { compactColumns, type ZoneCountMatrix } from '../glszm/matrix.js';

export interface GldmOptions {
  distances: number[];
  force2D: boolean;
  force2Ddimension: number;
  gldm_a: number;
}

export function gldmMatrix(roi: DiscretisedRoi, opts: GldmOptions): ZoneCountMatrix {
  const excluded = excludedDimension(opts.force2D, opts.force2Ddimension);
  const angles = buildAngles(roi.size, opts.distances, true, excluded);
  const nAngles = angles.length / 3;
  const ng = roi.grayLevels.length;
  const idx = levelIndex(roi.grayLevels, roi.Ng);
  const maxDep = nAngles + 1;
  const dense = new Float64Array(ng * maxDep);
  // grey levels on a padded grid (−1 outside the ROI, −2 padding), visited ROI voxel by ROI voxel
  const { size, levels: rows, voxels } = paddedLevels(roi, maxDistance(angles));
  // Dependence is symmetric: the offsets come in pairs ±a (the second half of the list is the
  // first half negated), so each pair of ROI neighbours is looked at once, through the first
  // half, and counted for both voxels. The counts are integers: the same as visiting all offsets.
  const steps = offsetSteps(buildAngles(roi.size, opts.distances, false, excluded), size);
  const alpha = opts.gldm_a;
  const dep = scratchInt32(rows.length);
  dependences(dep, rows, voxels, steps, alpha);
  for (let v = 0; v < voxels.length; v++) {
    const j = voxels[v]!;
    dense[idx[rows[j]!]! * maxDep + dep[j]!]!++;
  }
  // PyRadiomics numbers the dependence columns 1 … (jvector = column + 1)
  return compactColumns(dense, ng, maxDep, Float64Array.from(roi.grayLevels), (c) => c + 1);
}

// The voxel loops are functions of typed arrays and numbers of their own, so that a fresh
// process optimises each once, on its own feedback, instead of recompiling gldmMatrix
// whenever it reaches a part it had not yet run.

/**
 * Dependence of each ROI voxel into dep[j]. Each pair of neighbours is looked at once, through
 * the first half of the offsets, and counted for both voxels.
 */
function dependences(dep: Int32Array, rows: Int32Array, voxels: Int32Array, steps: Int32Array, alpha: number): void {
  for (let v = 0; v < voxels.length; v++) dep[voxels[v]!] = 0;
  for (let v = 0; v < voxels.length; v++) {
    const j = voxels[v]!;
    const gl = rows[j]!;
    let d = dep[j]!;
    // α = 0 (the default): dependent means equal (a neighbour outside the ROI has level < 0)
    if (alpha === 0) {
      for (let a = 0; a < steps.length; a++) {
        const k = j + steps[a]!;
        if (rows[k] === gl) {
          d++;
          dep[k]!++;
        }
      }
    } else {
      for (let a = 0; a < steps.length; a++) {
        const k = j + steps[a]!;
        const r = rows[k]!;
        if (r >= 0 && Math.abs(gl - r) <= alpha) {
          d++;
          dep[k]!++;
        }
      }
    }
    dep[j] = d;
  }
}

let intScratch = new Int32Array(0);
/**
 * Per-voxel scratch on the padded grid, reused between calls (a thread runs one matrix at a
 * time): only the entries a caller sets before use are meaningful.
 */
function scratchInt32(n: number): Int32Array {
  if (intScratch.length < n) intScratch = new Int32Array(n);
  return intScratch;
}
