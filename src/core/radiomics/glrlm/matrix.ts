/**
 * Grey Level Run Length Matrix as PyRadiomics computes it (C `calculate_glrlm` +
 * `RadiomicsGLRLM._calculateMatrix`): along each of the 13 (3D) / 4 (2D)
 * directions, every line through the ROI's bounding box is walked from its start;
 * consecutive ROI voxels of equal grey level form a run, a voxel outside the ROI
 * ends it. A direction in which no line holds more than one ROI voxel is dropped
 * (the ROI is flat along it). Absent grey levels and run lengths that never occur
 * are removed. IBSI 1 §3.7.
 */
import { buildAngles } from '../angles.js';
import type { DiscretisedRoi } from '../discretise.js';
import type { WeightingNorm } from '../family.js';
import { combineDirections, excludedDimension, glrlmWeight, levelIndex } from '../texture-common.js';

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
  const counts = new Float64Array(nAngles * ng * maxRun);
  const { levels, mask } = roi;
  for (let a = 0; a < nAngles; a++) {
    const dx = angles[3 * a];
    const dy = angles[3 * a + 1];
    const dz = angles[3 * a + 2];
    const step = dx + nx * (dy + ny * dz);
    const base = a * ng * maxRun;
    let multiElement = false;
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) {
          // a line starts where stepping back leaves the box
          const px = x - dx;
          const py = y - dy;
          const pz = z - dz;
          if (px >= 0 && px < nx && py >= 0 && py < ny && pz >= 0 && pz < nz) continue;
          // voxels on this line: until the first axis runs out of the box
          let length = Infinity;
          if (dx > 0) length = Math.min(length, nx - x);
          else if (dx < 0) length = Math.min(length, x + 1);
          if (dy > 0) length = Math.min(length, ny - y);
          else if (dy < 0) length = Math.min(length, y + 1);
          if (dz > 0) length = Math.min(length, nz - z);
          else if (dz < 0) length = Math.min(length, z + 1);
          let i = x + nx * (y + ny * z);
          let gl = -1;
          let run = 0;
          let elements = 0;
          for (let k = 0; k < length; k++, i += step) {
            if (mask[i]) {
              elements++;
              const l = idx[levels[i]];
              if (l === gl) run++;
              else {
                if (gl >= 0) counts[base + gl * maxRun + run - 1]++;
                gl = l;
                run = 1;
              }
            } else if (gl >= 0) {
              counts[base + gl * maxRun + run - 1]++;
              gl = -1;
              run = 0;
            }
          }
          if (gl >= 0) counts[base + gl * maxRun + run - 1]++;
          if (elements > 1) multiElement = true;
        }
    if (!multiElement) counts.fill(0, base, base + ng * maxRun);
  }
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
    for (let g = 0; g < ng; g++) for (let c = 0; c < nr; c++) P[(k * ng + g) * nr + c] = m[g * maxRun + usedRuns[c]];
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
