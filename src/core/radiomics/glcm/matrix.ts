/**
 * Grey Level Co-occurrence Matrix as PyRadiomics computes it (C extension
 * `calculate_glcm` + `RadiomicsGLCM._calculateMatrix`): for each of the 13 (3D)
 * or 4 (2D) mono-directional offsets and each requested distance, count pairs
 * (centre level i, neighbour level j) with both voxels in the ROI; keep only the
 * grey levels present; add the transpose when symmetrical; optionally merge the
 * directions with a distance weight; drop directions with no pairs; normalise
 * each direction to sum 1. IBSI 1 §3.6.
 */
import { buildAngles, maxDistance, offsetSteps } from '../kernels/neighbours.js';
import type { DiscretisedRoi } from '../discretise.js';
import type { WeightingNorm } from '../family.js';
import { combineDirections, excludedDimension, glcmWeight, levelIndex, paddedLevels } from '../texture-common.js';

export interface GlcmOptions {
  distances: number[];
  force2D: boolean;
  force2Ddimension: number;
  symmetricalGLCM: boolean;
  weightingNorm: WeightingNorm;
}

export interface GlcmMatrix {
  /** Number of grey levels present (matrix side). */
  ng: number;
  /** Number of directions kept. */
  na: number;
  /** P[(a·ng + i)·ng + j], each direction normalised to sum 1. */
  P: Float64Array;
  /** Grey level (bin index) of each row/column. */
  levels: Float64Array;
  /** Largest grey level present (PyRadiomics `Ng`). */
  Ng: number;
}

export function glcmMatrix(roi: DiscretisedRoi, opts: GlcmOptions): GlcmMatrix {
  const angles = buildAngles(roi.size, opts.distances, false, excludedDimension(opts.force2D, opts.force2Ddimension));
  const nAngles = angles.length / 3;
  const ng = roi.grayLevels.length;
  const idx = levelIndex(roi.grayLevels, roi.Ng);
  const counts = new Float64Array(nAngles * ng * ng);
  // pairs from the ROI voxels (padded grid: a neighbour outside the ROI or the box has level < 0)
  const { size: psize, levels, voxels } = paddedLevels(roi, maxDistance(angles));
  const steps = offsetSteps(angles, psize);
  countPairs(counts, levels, voxels, idx, steps, ng);
  if (opts.symmetricalGLCM) symmetrise(counts, nAngles, ng);
  const perDirection: Float64Array[] = [];
  for (let a = 0; a < nAngles; a++) perDirection.push(counts.subarray(a * ng * ng, (a + 1) * ng * ng));
  const norm = opts.weightingNorm;
  const mats = combineDirections(perDirection, norm == null ? null : (a) => glcmWeight(norm, angles, a, roi.spacing));
  const sums = mats.map((m) => m.reduce((s, v) => s + v, 0));
  const P = new Float64Array(mats.length * ng * ng);
  mats.forEach((m, k) => {
    const s = sums[k] === 0 ? NaN : sums[k]!;
    for (let t = 0; t < ng * ng; t++) P[k * ng * ng + t] = m[t]! / s;
  });
  return { ng, na: mats.length, P, levels: Float64Array.from(roi.grayLevels), Ng: roi.Ng };
}

// The voxel loops are functions of typed arrays and numbers of their own, so that a fresh
// process optimises each once, on its own feedback, instead of recompiling glcmMatrix
// whenever it reaches a part it had not yet run.

/** Count the pairs (centre level, neighbour level) of each offset into `counts` (nAngles · ng · ng). */
function countPairs(counts: Float64Array, levels: Int32Array, voxels: Int32Array, idx: Int32Array, steps: Int32Array, ng: number): void {
  for (let a = 0; a < steps.length; a++) {
    const step = steps[a]!;
    const base = a * ng * ng;
    for (let v = 0; v < voxels.length; v++) {
      const j = voxels[v]!;
      const l = levels[j + step]!;
      if (l >= 0) counts[base + idx[levels[j]!]! * ng + idx[l]!]!++;
    }
  }
}

/** Add each direction's matrix to its transpose, in place. */
function symmetrise(counts: Float64Array, nAngles: number, ng: number): void {
  for (let a = 0; a < nAngles; a++) {
    const b = a * ng * ng;
    for (let i = 0; i < ng; i++)
      for (let j = i; j < ng; j++) {
        const s = counts[b + i * ng + j]! + counts[b + j * ng + i]!;
        counts[b + i * ng + j] = s;
        counts[b + j * ng + i] = s;
      }
  }
}
