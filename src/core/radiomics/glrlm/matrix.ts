/**
 * Grey Level Run Length Matrix as PyRadiomics computes it (C `calculate_glrlm` +
 * `RadiomicsGLRLM._calculateMatrix`): along each of the 13 (3D) / 4 (2D)
 * directions, consecutive ROI voxels of equal grey level on a line through the
 * ROI's bounding box form a run, a voxel outside the ROI ends it (each run is
 * walked from its first voxel, the same counts as walking the lines). A direction in which no line holds more than one ROI voxel is dropped
 * (the ROI is flat along it). Absent grey levels and run lengths that never occur
 * are removed. IBSI 1 §3.7.
 */
import { buildAngles, offsetSteps } from '../kernels/neighbours.js';
import type { DiscretisedRoi } from '../discretise.js';
import type { WeightingNorm } from '../family.js';
import { combineDirections, excludedDimension, glrlmWeight, levelIndex, paddedLevels } from '../texture-common.js';

export interface GlrlmOptions {
  force2D: boolean;
  force2Ddimension: number;
  weightingNorm: WeightingNorm;
}

export interface GlrlmMatrix {
  ng: number;
  /** Number of run-length columns kept. */
  nr: number;
  na: number;
  /** Run counts P[(a·ng + i)·nr + r]. */
  P: Float64Array;
  levels: Float64Array;
  /** Run length of each column. */
  runLengths: Float64Array;
}

export function glrlmMatrix(roi: DiscretisedRoi, opts: GlrlmOptions): GlrlmMatrix {
  const [nx, ny, nz] = roi.size;
  const angles = buildAngles(roi.size, [1], false, excludedDimension(opts.force2D, opts.force2Ddimension));
  const nAngles = angles.length / 3;
  const ng = roi.grayLevels.length;
  const maxRun = Math.max(nx, ny, nz);
  const idx = levelIndex(roi.grayLevels, roi.Ng);
  const runCounts = new Int32Array(nAngles * ng * maxRun);
  // runs per direction on the padded grid (−1 outside the ROI, −2 padding: never a grey level)
  const { size: psize, levels: rows, voxels } = paddedLevels(roi, 1);
  const steps = offsetSteps(angles, psize);
  for (let a = 0; a < nAngles; a++) {
    const step = steps[a]!;
    const base = a * ng * maxRun;
    // PyRadiomics drops a direction in which no line through the box holds two ROI voxels
    const multiElement = countRuns(runCounts, rows, voxels, idx, step, base, maxRun) || twoOnALine(rows, voxels, step);
    if (!multiElement) runCounts.fill(0, base, base + ng * maxRun);
  }
  const counts = Float64Array.from(runCounts);
  const perDirection: Float64Array[] = [];
  for (let a = 0; a < nAngles; a++) perDirection.push(counts.subarray(a * ng * maxRun, (a + 1) * ng * maxRun));
  const norm = opts.weightingNorm;
  const mats = combineDirections(perDirection, norm == null ? null : (a) => glrlmWeight(norm, angles, a, roi.spacing));
  const usedRuns: number[] = [];
  for (let r = 0; r < maxRun; r++) {
    let any = false;
    for (const m of mats) for (let g = 0; g < ng && !any; g++) if (m[g * maxRun + r] !== 0) any = true;
    if (any) usedRuns.push(r);
  }
  const nr = usedRuns.length;
  const P = new Float64Array(mats.length * ng * nr);
  mats.forEach((m, k) => {
    for (let g = 0; g < ng; g++) for (let c = 0; c < nr; c++) P[(k * ng + g) * nr + c] = m[g * maxRun + usedRuns[c]!]!;
  });
  return {
    ng,
    nr,
    na: mats.length,
    P,
    levels: Float64Array.from(roi.grayLevels),
    runLengths: Float64Array.from(usedRuns, (r) => r + 1),
  };
}

// The voxel loops are functions of typed arrays and numbers of their own, so that a fresh
// process optimises each once, on its own feedback, instead of recompiling glrlmMatrix
// whenever it reaches a part it had not yet run.

/**
 * Count the runs along the offset `step` into `runCounts` (row idx[level], column length − 1,
 * from `base`); true when some run is longer than one voxel. A run starts at a ROI voxel whose
 * predecessor along the direction has another level (the padding and voxels outside the ROI
 * have negative levels); it is walked to its end.
 */
function countRuns(runCounts: Int32Array, rows: Int32Array, voxels: Int32Array, idx: Int32Array, step: number, base: number, maxRun: number): boolean {
  let multiElement = false;
  for (let v = 0; v < voxels.length; v++) {
    const j = voxels[v]!;
    const l = rows[j]!;
    if (rows[j - step] === l) continue;
    let r = 1;
    for (let k = j + step; rows[k] === l; k += step) r++;
    runCounts[base + idx[l]! * maxRun + r - 1]!++;
    if (r > 1) multiElement = true;
  }
  return multiElement;
}

/** Whether two ROI voxels lie apart on a line along the offset `step` (the padding, −2, ends a line). */
function twoOnALine(rows: Int32Array, voxels: Int32Array, step: number): boolean {
  for (let v = 0; v < voxels.length; v++) {
    for (let k = voxels[v]! + step; rows[k] !== -2; k += step) if (rows[k]! >= 0) return true;
  }
  return false;
}
