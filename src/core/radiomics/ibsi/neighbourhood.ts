/**
 * IBSI 1 neighbourhood grey tone difference matrix (NGTDM, IPET) and neighbouring grey level
 * dependence matrix (NGLDM, REK0), Chebyshev distance δ = 1: the 8 in-slice neighbours (2D)
 * or 26 neighbours (3D); only neighbours inside the ROI count.
 */
import { chebyshevNeighbourhood } from '../kernels/neighbours.js';
import type { DiscreteGrid } from './roi.js';
import {
  addCount,
  emptySizeMatrix,
  mergeSizeMatrices,
  sizeMatrixFeatures,
  sizeMatrixTotal,
  sliceAggregations,
  tagFeatures,
  type SizeMatrix,
} from './texture-common.js';

/** Visit each ROI voxel of a slice (or the volume) with the levels of its in-ROI neighbours. */
function eachNeighbourhood(
  g: DiscreteGrid,
  slice: number | null,
  visit: (level: number, neighbours: number[]) => void,
): void {
  const [nx, ny, nz] = g.size;
  const offs = chebyshevNeighbourhood(slice !== null);
  const k0 = slice ?? 0;
  const k1 = slice ?? nz - 1;
  const nb: number[] = [];
  for (let k = k0; k <= k1; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const a = g.levels[i + nx * (j + ny * k)];
        if (!a) continue;
        nb.length = 0;
        for (const [dx, dy, dz] of offs) {
          const p = i + dx, q = j + dy, r = k + dz;
          if (p < 0 || p >= nx || q < 0 || q >= ny || r < 0 || r >= nz) continue;
          const b = g.levels[p + nx * (q + ny * r)];
          if (b) nb.push(b);
        }
        visit(a, nb);
      }
}

export interface Ngtdm {
  ng: number;
  /** s_i: sum of |i − mean neighbour level| over voxels of level i with at least one neighbour. */
  s: Float64Array;
  /** n_i: number of such voxels. */
  n: Float64Array;
}

/** NGTDM (IBSI 1 §3.10); voxels without any neighbour in the ROI are left out. */
export function ngtdmMatrix(g: DiscreteGrid, slice: number | null): Ngtdm {
  const s = new Float64Array(g.ng + 1);
  const n = new Float64Array(g.ng + 1);
  eachNeighbourhood(g, slice, (a, nb) => {
    if (nb.length === 0) return;
    let sum = 0;
    for (const b of nb) sum += b;
    s[a]! += Math.abs(a - sum / nb.length);
    n[a]!++;
  });
  return { ng: g.ng, s, n };
}

export function mergeNgtdm(ms: Ngtdm[]): Ngtdm {
  const ng = ms[0]!.ng;
  const s = new Float64Array(ng + 1);
  const n = new Float64Array(ng + 1);
  for (const m of ms)
    for (let i = 0; i <= ng; i++) {
      s[i]! += m.s[i]!;
      n[i]! += m.n[i]!;
    }
  return { ng, s, n };
}

function ngtdmTotal(m: Ngtdm): number {
  let t = 0;
  for (const c of m.n) t += c;
  return t;
}

/** NGTDM features (IBSI 1 §3.10.1–3.10.5). */
export function ngtdmFeatures(m: Ngtdm): Record<string, number> {
  const nvc = ngtdmTotal(m);
  const levels: number[] = [];
  for (let i = 1; i <= m.ng; i++) if (m.n[i]! > 0) levels.push(i);
  const p = (i: number) => m.n[i]! / nvc;
  let sumPs = 0;
  let sumS = 0;
  for (const i of levels) {
    sumPs += p(i) * m.s[i]!;
    sumS += m.s[i]!;
  }
  const ngp = levels.length;
  let contrastA = 0, busyDen = 0, complexity = 0, strengthNum = 0;
  for (const i of levels)
    for (const j of levels) {
      const pi = p(i), pj = p(j);
      contrastA += pi * pj * (i - j) ** 2;
      busyDen += Math.abs(i * pi - j * pj);
      complexity += (Math.abs(i - j) * (pi * m.s[i]! + pj * m.s[j]!)) / (pi + pj);
      strengthNum += (pi + pj) * (i - j) ** 2;
    }
  return {
    coarseness: sumPs === 0 ? 1e6 : 1 / sumPs,
    contrast: ngp > 1 ? (contrastA / (ngp * (ngp - 1))) * (sumS / nvc) : 0,
    busyness: busyDen === 0 ? 0 : sumPs / busyDen,
    complexity: complexity / nvc,
    strength: sumS === 0 ? 0 : strengthNum / sumS,
  };
}

/**
 * NGLDM (IBSI 1 §3.11), coarseness α = 0: row = grey level, column = 1 + number of in-ROI
 * neighbours with the same level. Every ROI voxel counts.
 */
export function ngldmMatrix(g: DiscreteGrid, slice: number | null): SizeMatrix {
  const m = emptySizeMatrix();
  eachNeighbourhood(g, slice, (a, nb) => {
    let dep = 1;
    for (const b of nb) if (b === a) dep++;
    addCount(m, a, dep);
    m.nv++;
  });
  return m;
}

const NGL_NAMES = {
  se: 'lde', le: 'hde', lg: 'lgce', hg: 'hgce', slg: 'ldlge', shg: 'ldhge', llg: 'hdlge', lhg: 'hdhge',
  glnu: 'glnu', glnu_norm: 'glnu_norm', jnu: 'dcnu', jnu_norm: 'dcnu_norm', perc: 'dc_perc',
  gl_var: 'gl_var', j_var: 'dc_var', entr: 'dc_entr', energy: 'dc_energy',
};

export function ngtdmFamily(g: DiscreteGrid, which: { twoD: boolean; threeD: boolean }): Record<string, number> {
  const agg = sliceAggregations(g, (k) => ngtdmMatrix(g, k), mergeNgtdm, (m) => ngtdmTotal(m) === 0, ngtdmFeatures, which);
  const out: Record<string, number> = {};
  for (const [suffix, f] of Object.entries(agg)) for (const [name, v] of Object.entries(f)) out[`ngt_${name}_${suffix}`] = v;
  return out;
}

export function ngldmFamily(g: DiscreteGrid, which: { twoD: boolean; threeD: boolean }): Record<string, number> {
  const agg = sliceAggregations(g, (k) => ngldmMatrix(g, k), mergeSizeMatrices, (m) => sizeMatrixTotal(m) === 0, sizeMatrixFeatures, which);
  const out: Record<string, number> = {};
  for (const [suffix, f] of Object.entries(agg)) Object.assign(out, tagFeatures(f, 'ngl', NGL_NAMES, '_' + suffix));
  return out;
}
