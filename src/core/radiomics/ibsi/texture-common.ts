/**
 * Pieces shared by the IBSI 1 texture families (their directions are in `kernels/neighbours.ts`): the sparse
 * "grey level × size" matrices of GLRLM / GLSZM / GLDZM / NGLDM, their common features,
 * and the 2D / 2.5D / 3D aggregation methods (IBSI 1 §3.6, Table 3.1).
 */
import { DIRECTIONS_2D, DIRECTIONS_3D } from '../kernels/neighbours.js';
import type { DiscreteGrid } from './roi.js';

/** Column stride of the sparse matrix key: key = j·KEY + i (grey level i < KEY). */
const KEY = 1 << 14;

/** Sparse count matrix M(i, j): grey level i (1…ng) × run length / zone size / distance / dependence j. */
export interface SizeMatrix {
  counts: Map<number, number>;
  /** Number of voxels the matrix was built from (N_v, for the percentage features). */
  nv: number;
}

export function emptySizeMatrix(): SizeMatrix {
  return { counts: new Map(), nv: 0 };
}

export function addCount(m: SizeMatrix, i: number, j: number, c = 1): void {
  const key = j * KEY + i;
  m.counts.set(key, (m.counts.get(key) ?? 0) + c);
}

/** Merge matrices by summing counts and voxel numbers (the "merged" aggregations). */
export function mergeSizeMatrices(ms: SizeMatrix[]): SizeMatrix {
  const out = emptySizeMatrix();
  for (const m of ms) {
    for (const [key, c] of m.counts) out.counts.set(key, (out.counts.get(key) ?? 0) + c);
    out.nv += m.nv;
  }
  return out;
}

/**
 * Features with the same formula in GLRLM (TP0I), GLSZM (9SAK), GLDZM (VMDZ) and NGLDM (REK0):
 * emphases, non-uniformities, percentage, variances, entropy and energy of M(i, j) (IBSI 1 §3.7–3.11).
 * Keys are generic: s/l = small/large j, lg/hg = low/high grey level, jnu = j non-uniformity.
 */
export function sizeMatrixFeatures(m: SizeMatrix): Record<string, number> {
  let ns = 0;
  for (const c of m.counts.values()) ns += c;
  const ri = new Map<number, number>();
  const rj = new Map<number, number>();
  let se = 0, le = 0, lg = 0, hg = 0, slg = 0, shg = 0, llg = 0, lhg = 0;
  let mi = 0, mj = 0, entr = 0, energy = 0;
  for (const [key, c] of m.counts) {
    const i = key % KEY;
    const j = (key - i) / KEY;
    ri.set(i, (ri.get(i) ?? 0) + c);
    rj.set(j, (rj.get(j) ?? 0) + c);
    const i2 = i * i;
    const j2 = j * j;
    se += c / j2;
    le += c * j2;
    lg += c / i2;
    hg += c * i2;
    slg += c / (i2 * j2);
    shg += (c * i2) / j2;
    llg += (c * j2) / i2;
    lhg += c * i2 * j2;
    const p = c / ns;
    mi += i * p;
    mj += j * p;
    entr -= p * Math.log2(p);
    energy += p * p;
  }
  let glVar = 0;
  let jVar = 0;
  for (const [key, c] of m.counts) {
    const i = key % KEY;
    const j = (key - i) / KEY;
    glVar += (i - mi) ** 2 * (c / ns);
    jVar += (j - mj) ** 2 * (c / ns);
  }
  let glnu = 0;
  for (const c of ri.values()) glnu += c * c;
  let jnu = 0;
  for (const c of rj.values()) jnu += c * c;
  return {
    se: se / ns,
    le: le / ns,
    lg: lg / ns,
    hg: hg / ns,
    slg: slg / ns,
    shg: shg / ns,
    llg: llg / ns,
    lhg: lhg / ns,
    glnu: glnu / ns,
    glnu_norm: glnu / (ns * ns),
    jnu: jnu / ns,
    jnu_norm: jnu / (ns * ns),
    perc: ns / m.nv,
    gl_var: glVar,
    j_var: jVar,
    entr,
    energy,
  };
}

/** Total count of a size matrix. */
export function sizeMatrixTotal(m: SizeMatrix): number {
  let ns = 0;
  for (const c of m.counts.values()) ns += c;
  return ns;
}

/** Mean of each feature over a list of feature records (IBSI "averaged" aggregation). */
export function averageFeatures(list: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (list.length === 0) return out;
  for (const key of Object.keys(list[0]!)) {
    let s = 0;
    for (const r of list) s += r[key]!;
    out[key] = s / list.length;
  }
  return out;
}

/** Rename generic keys to workbook tags: `${prefix}_${names[key]}${suffix}`. */
export function tagFeatures(
  f: Record<string, number>,
  prefix: string,
  names: Record<string, string>,
  suffix: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, name] of Object.entries(names)) if (key in f) out[`${prefix}_${name}${suffix}`] = f[key]!;
  return out;
}

/** Slice indices k (0-based) that hold at least one ROI voxel. */
export function occupiedSlices(g: DiscreteGrid): number[] {
  const [nx, ny, nz] = g.size;
  const out: number[] = [];
  for (let k = 0; k < nz; k++) {
    const off = nx * ny * k;
    for (let v = 0; v < nx * ny; v++)
      if (g.levels[off + v]! > 0) {
        out.push(k);
        break;
      }
  }
  return out;
}

/**
 * The six directional aggregations of GLCM and GLRLM (IBSI 1 Table 3.1):
 * 2D_avg (per slice and direction), 2D_comb (directions merged per slice), 2_5D_avg (slices merged
 * per direction), 2_5D_comb (all merged), 3D_avg (per 3D direction) and 3D_comb (all 13 merged).
 * Matrices whose `isEmpty` is true are left out of averages.
 */
export function directionalAggregations<M>(
  g: DiscreteGrid,
  build: (dir: readonly [number, number, number], slice: number | null) => M,
  merge: (ms: M[]) => M,
  isEmpty: (m: M) => boolean,
  features: (m: M) => Record<string, number>,
  which: { twoD: boolean; threeD: boolean },
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const avg = (ms: M[]) => averageFeatures(ms.filter((m) => !isEmpty(m)).map(features));
  if (which.twoD) {
    const slices = occupiedSlices(g);
    const perSlice = slices.map((k) => DIRECTIONS_2D.map((d) => build(d, k)));
    out['2D_avg'] = avg(perSlice.flat());
    out['2D_comb'] = avg(perSlice.map((ms) => merge(ms)));
    const perDir = DIRECTIONS_2D.map((_, di) => merge(perSlice.map((ms) => ms[di]!)));
    out['2_5D_avg'] = avg(perDir);
    out['2_5D_comb'] = features(merge(perDir));
  }
  if (which.threeD) {
    const perDir = DIRECTIONS_3D.map((d) => build(d, null));
    out['3D_avg'] = avg(perDir);
    out['3D_comb'] = features(merge(perDir));
  }
  return out;
}

/**
 * The three aggregations of the rotation-invariant families (GLSZM, GLDZM, NGTDM, NGLDM):
 * 2D (per slice, averaged), 2_5D (slices merged) and 3D (one volume matrix).
 */
export function sliceAggregations<M>(
  g: DiscreteGrid,
  build: (slice: number | null) => M,
  merge: (ms: M[]) => M,
  isEmpty: (m: M) => boolean,
  features: (m: M) => Record<string, number>,
  which: { twoD: boolean; threeD: boolean },
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  if (which.twoD) {
    const ms = occupiedSlices(g).map((k) => build(k));
    out['2D'] = averageFeatures(ms.filter((m) => !isEmpty(m)).map(features));
    out['2_5D'] = features(merge(ms));
  }
  if (which.threeD) out['3D'] = features(build(null));
  return out;
}
