/**
 * Neighbouring Grey Tone Difference Matrix (PyRadiomics C `calculate_ngtdm`):
 * for each ROI voxel, the mean grey level of its ROI neighbours (all offsets at
 * the requested distances, both directions) and s_i += |i − mean|; voxels with no
 * ROI neighbour add 0. Rows are the grey levels present: n_i, s_i, i. IBSI 1 §3.9.
 */
import { buildAngles } from '../angles.js';
import type { DiscretisedRoi } from '../discretise.js';
import { excludedDimension } from '../texture-common.js';

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
  const [nx, ny, nz] = roi.size;
  const angles = buildAngles(roi.size, opts.distances, true, excludedDimension(opts.force2D, opts.force2Ddimension));
  const nAngles = angles.length / 3;
  const count = new Float64Array(roi.Ng + 1);
  const sum = new Float64Array(roi.Ng + 1);
  const { levels, mask } = roi;
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (!mask[i]) continue;
        let c = 0;
        let s = 0;
        for (let a = 0; a < nAngles; a++) {
          const xx = x + angles[3 * a];
          const yy = y + angles[3 * a + 1];
          const zz = z + angles[3 * a + 2];
          if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || zz < 0 || zz >= nz) continue;
          const j = xx + nx * (yy + ny * zz);
          if (mask[j]) {
            c++;
            s += levels[j];
          }
        }
        const gl = levels[i];
        count[gl]++;
        sum[gl] += c === 0 ? 0 : Math.abs(gl - s / c);
      }
  const present: number[] = [];
  for (let l = 1; l <= roi.Ng; l++) if (count[l] > 0) present.push(l);
  return {
    ng: present.length,
    n: Float64Array.from(present, (l) => count[l]),
    s: Float64Array.from(present, (l) => sum[l]),
    levels: Float64Array.from(present),
  };
}
