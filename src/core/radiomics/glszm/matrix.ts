/**
 * Grey Level Size Zone Matrix (PyRadiomics C `calculate_glszm`): a zone is a set
 * of ROI voxels of one grey level connected through the neighbour offsets — all
 * 26 in 3D, the 8 in-plane ones with force2D — found by flood fill with an
 * explicit stack. P(i, s) counts zones of grey level i and size s; absent grey
 * levels and sizes are removed. IBSI 1 §3.8.
 */
import { buildAngles, offsetSteps } from '../kernels/neighbours.js';
import type { DiscretisedRoi } from '../discretise.js';
import { excludedDimension, levelIndex, paddedLevels } from '../texture-common.js';

export interface GlszmOptions {
  force2D: boolean;
  force2Ddimension: number;
}

export interface ZoneCountMatrix {
  ng: number;
  /** Number of columns (zone sizes / dependence counts that occur). */
  ns: number;
  /** P[i·ns + s]. */
  P: Float64Array;
  levels: Float64Array;
  /** The size (or count) that each column stands for. */
  columns: Float64Array;
}

/** Reduce a dense (ng × maxCol) count table to the columns that occur; `colValue(c)` names column c. */
export function compactColumns(
  dense: Float64Array,
  ng: number,
  maxCol: number,
  levels: Float64Array,
  colValue: (c: number) => number,
): ZoneCountMatrix {
  const used: number[] = [];
  for (let c = 0; c < maxCol; c++) {
    for (let g = 0; g < ng; g++)
      if (dense[g * maxCol + c] !== 0) {
        used.push(c);
        break;
      }
  }
  const ns = used.length;
  const P = new Float64Array(ng * ns);
  for (let g = 0; g < ng; g++) for (let k = 0; k < ns; k++) P[g * ns + k] = dense[g * maxCol + used[k]!]!;
  return { ng, ns, P, levels, columns: Float64Array.from(used, colValue) };
}

export function glszmMatrix(roi: DiscretisedRoi, opts: GlszmOptions): ZoneCountMatrix {
  const angles = buildAngles(roi.size, [1], true, excludedDimension(opts.force2D, opts.force2Ddimension));
  const ng = roi.grayLevels.length;
  const idx = levelIndex(roi.grayLevels, roi.Ng);
  // grey levels on a grid padded by one voxel (−1 outside the ROI, −2 padding); a private copy
  // from which visited voxels are cleared
  const padded = paddedLevels(roi, 1);
  const psize = padded.size;
  const voxels = padded.voxels;
  const levels = padded.levels.slice();
  const nVox = voxels.length;
  const steps = offsetSteps(angles, psize);
  // zones as (grey-level row, size) pairs; the matrix keeps only the sizes that occur
  const zoneRow = new Int32Array(nVox);
  const zoneSize = new Int32Array(nVox);
  const nZones = findZones(levels, voxels, steps, idx, zoneRow, zoneSize);
  let maxSize = 0;
  for (let z = 0; z < nZones; z++) if (zoneSize[z]! > maxSize) maxSize = zoneSize[z]!;
  const column = new Int32Array(maxSize + 1).fill(-1);
  for (let z = 0; z < nZones; z++) column[zoneSize[z]!] = 0;
  const sizes: number[] = [];
  for (let sz = 1; sz <= maxSize; sz++) if (column[sz] === 0) column[sz] = sizes.push(sz) - 1;
  const ns = sizes.length;
  const P = new Float64Array(ng * ns);
  for (let z = 0; z < nZones; z++) P[zoneRow[z]! * ns + column[zoneSize[z]!]!]!++;
  return { ng, ns, P, levels: Float64Array.from(roi.grayLevels), columns: Float64Array.from(sizes) };
}

/**
 * Flood-fill the zones (connected by `steps`, one grey level each) from the ROI voxels in order,
 * clearing visited voxels in `levels` (a private copy): zone z's row idx[level] into zoneRow[z],
 * its size into zoneSize[z]; returns the number of zones. A function of typed arrays of its own,
 * so that a fresh process optimises it once instead of recompiling glszmMatrix.
 */
function findZones(levels: Int32Array, voxels: Int32Array, steps: Int32Array, idx: Int32Array, zoneRow: Int32Array, zoneSize: Int32Array): number {
  const nAngles = steps.length;
  const stack = new Int32Array(voxels.length);
  let nZones = 0;
  for (let v = 0; v < voxels.length; v++) {
    const start = voxels[v]!;
    const gl = levels[start]!;
    if (gl < 0) continue; // already in a zone
    let top = 0;
    stack[top++] = start;
    levels[start] = -1;
    let size = 0;
    while (top > 0) {
      const k = stack[--top]!;
      size++;
      for (let a = 0; a < nAngles; a++) {
        const j = k + steps[a]!;
        if (levels[j] === gl) {
          levels[j] = -1;
          stack[top++] = j;
        }
      }
    }
    zoneRow[nZones] = idx[gl]!;
    zoneSize[nZones++] = size;
  }
  return nZones;
}
