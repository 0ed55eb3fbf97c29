/** IBSI 1 grey level run length matrix (GLRLM, TP0I). */
import type { DiscreteGrid } from './roi.js';
import {
  addCount,
  directionalAggregations,
  emptySizeMatrix,
  mergeSizeMatrices,
  sizeMatrixFeatures,
  sizeMatrixTotal,
  tagFeatures,
  type SizeMatrix,
} from './texture-common.js';

/**
 * Runs of equal grey level along `dir`, in slice `slice` (2D) or the whole volume (null).
 * A run starts at an ROI voxel whose predecessor (voxel − dir) is outside the grid, outside the ROI
 * or of another level. N_v is the number of ROI voxels considered.
 */
export function glrlmMatrix(g: DiscreteGrid, dir: readonly [number, number, number], slice: number | null): SizeMatrix {
  const [nx, ny, nz] = g.size;
  const [dx, dy, dz] = dir;
  const m = emptySizeMatrix();
  const k0 = slice ?? 0;
  const k1 = slice ?? nz - 1;
  const inside = (i: number, j: number, k: number) => i >= 0 && i < nx && j >= 0 && j < ny && k >= k0 && k <= k1;
  for (let k = k0; k <= k1; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const a = g.levels[i + nx * (j + ny * k)];
        if (!a) continue;
        m.nv++;
        const pi = i - dx, pj = j - dy, pk = k - dz;
        if (inside(pi, pj, pk) && g.levels[pi + nx * (pj + ny * pk)] === a) continue;
        let len = 1;
        let ci = i + dx, cj = j + dy, ck = k + dz;
        while (inside(ci, cj, ck) && g.levels[ci + nx * (cj + ny * ck)] === a) {
          len++;
          ci += dx;
          cj += dy;
          ck += dz;
        }
        addCount(m, a, len);
      }
  return m;
}

const NAMES = {
  se: 'sre', le: 'lre', lg: 'lgre', hg: 'hgre', slg: 'srlge', shg: 'srhge', llg: 'lrlge', lhg: 'lrhge',
  glnu: 'glnu', glnu_norm: 'glnu_norm', jnu: 'rlnu', jnu_norm: 'rlnu_norm', perc: 'r_perc',
  gl_var: 'gl_var', j_var: 'rl_var', entr: 'rl_entr',
};

/** All GLRLM features under their workbook tags (`rlm_<name>_<aggregation>`). */
export function glrlmFamily(g: DiscreteGrid, which: { twoD: boolean; threeD: boolean }): Record<string, number> {
  const agg = directionalAggregations(
    g,
    (d, k) => glrlmMatrix(g, d, k),
    mergeSizeMatrices,
    (m) => sizeMatrixTotal(m) === 0,
    sizeMatrixFeatures,
    which,
  );
  const out: Record<string, number> = {};
  for (const [suffix, f] of Object.entries(agg)) Object.assign(out, tagFeatures(f, 'rlm', NAMES, '_' + suffix));
  return out;
}
