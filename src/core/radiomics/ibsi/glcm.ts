/** IBSI 1 grey level co-occurrence matrix (GLCM, LFYI): symmetric, Chebyshev distance 1. */
import type { DiscreteGrid } from './roi.js';
import { directionalAggregations } from './texture-common.js';

export interface Glcm {
  ng: number;
  /** Counts, row-major (i − 1)·ng + (j − 1). */
  counts: Float64Array;
}

/**
 * Co-occurrence counts for one direction, over slice `slice` (2D) or the whole volume (null).
 * Both orderings of each neighbour pair are counted, which makes the matrix symmetric (IBSI 1 §3.6).
 */
export function glcmMatrix(g: DiscreteGrid, dir: readonly [number, number, number], slice: number | null): Glcm {
  const [nx, ny, nz] = g.size;
  const ng = g.ng;
  const counts = new Float64Array(ng * ng);
  const [dx, dy, dz] = dir;
  const k0 = slice ?? 0;
  const k1 = slice ?? nz - 1;
  for (let k = k0; k <= k1; k++) {
    const kk = k + dz;
    if (kk < 0 || kk >= nz) continue;
    for (let j = 0; j < ny; j++) {
      const jj = j + dy;
      if (jj < 0 || jj >= ny) continue;
      for (let i = 0; i < nx; i++) {
        const ii = i + dx;
        if (ii < 0 || ii >= nx) continue;
        const a = g.levels[i + nx * (j + ny * k)];
        if (!a) continue;
        const b = g.levels[ii + nx * (jj + ny * kk)];
        if (!b) continue;
        counts[(a - 1) * ng + (b - 1)]!++;
        counts[(b - 1) * ng + (a - 1)]!++;
      }
    }
  }
  return { ng, counts };
}

export function mergeGlcm(ms: Glcm[]): Glcm {
  const ng = ms[0]!.ng;
  const counts = new Float64Array(ng * ng);
  for (const m of ms) for (let t = 0; t < counts.length; t++) counts[t]! += m.counts[t]!;
  return { ng, counts };
}

function glcmTotal(m: Glcm): number {
  let s = 0;
  for (let t = 0; t < m.counts.length; t++) s += m.counts[t]!;
  return s;
}

/** GLCM features (IBSI 1 §3.6.1–3.6.25) of one matrix; grey levels are 1…ng. */
export function glcmFeatures(m: Glcm): Record<string, number> {
  const ng = m.ng;
  const total = glcmTotal(m);
  const p = m.counts.map((c) => c / total);
  const px = new Float64Array(ng);
  const py = new Float64Array(ng);
  const pSum = new Float64Array(2 * ng + 1); // index k = i + j (2…2ng)
  const pDiff = new Float64Array(ng); // index k = |i − j|
  let jointMax = 0, jointAvg = 0, jointEntr = 0, energy = 0, contrast = 0, dissim = 0;
  let invDiff = 0, invDiffNorm = 0, invDiffMom = 0, invDiffMomNorm = 0, invVar = 0, autoCorr = 0;
  for (let i = 1; i <= ng; i++)
    for (let j = 1; j <= ng; j++) {
      const q = p[(i - 1) * ng + (j - 1)]!;
      if (q === 0) continue;
      px[i - 1]! += q;
      py[j - 1]! += q;
      pSum[i + j]! += q;
      const d = Math.abs(i - j);
      pDiff[d]! += q;
      if (q > jointMax) jointMax = q;
      jointAvg += i * q;
      jointEntr -= q * Math.log2(q);
      energy += q * q;
      contrast += d * d * q;
      dissim += d * q;
      invDiff += q / (1 + d);
      invDiffNorm += q / (1 + d / ng);
      invDiffMom += q / (1 + d * d);
      invDiffMomNorm += q / (1 + (d * d) / (ng * ng));
      if (d > 0) invVar += q / (d * d);
      autoCorr += i * j * q;
    }
  let jointVar = 0;
  let mux = 0;
  let muy = 0;
  for (let i = 1; i <= ng; i++) {
    mux += i * px[i - 1]!;
    muy += i * py[i - 1]!;
  }
  let sx = 0;
  let sy = 0;
  for (let i = 1; i <= ng; i++) {
    sx += (i - mux) ** 2 * px[i - 1]!;
    sy += (i - muy) ** 2 * py[i - 1]!;
  }
  let corrNum = 0, clustTend = 0, clustShade = 0, clustProm = 0, hxy1 = 0, hxy2 = 0;
  for (let i = 1; i <= ng; i++)
    for (let j = 1; j <= ng; j++) {
      const q = p[(i - 1) * ng + (j - 1)]!;
      const pp = px[i - 1]! * py[j - 1]!;
      if (pp > 0) {
        hxy2 -= pp * Math.log2(pp);
        if (q > 0) hxy1 -= q * Math.log2(pp);
      }
      if (q === 0) continue;
      jointVar += (i - jointAvg) ** 2 * q;
      corrNum += (i - mux) * (j - muy) * q;
      const c = i + j - mux - muy;
      clustTend += c * c * q;
      clustShade += c * c * c * q;
      clustProm += c * c * c * c * q;
    }
  let hx = 0;
  let hy = 0;
  for (let i = 0; i < ng; i++) {
    if (px[i]! > 0) hx -= px[i]! * Math.log2(px[i]!);
    if (py[i]! > 0) hy -= py[i]! * Math.log2(py[i]!);
  }
  let diffAvg = 0, diffEntr = 0;
  for (let k = 0; k < ng; k++) {
    diffAvg += k * pDiff[k]!;
    if (pDiff[k]! > 0) diffEntr -= pDiff[k]! * Math.log2(pDiff[k]!);
  }
  let diffVar = 0;
  for (let k = 0; k < ng; k++) diffVar += (k - diffAvg) ** 2 * pDiff[k]!;
  let sumAvg = 0, sumEntr = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    sumAvg += k * pSum[k]!;
    if (pSum[k]! > 0) sumEntr -= pSum[k]! * Math.log2(pSum[k]!);
  }
  let sumVar = 0;
  for (let k = 2; k <= 2 * ng; k++) sumVar += (k - sumAvg) ** 2 * pSum[k]!;
  return {
    joint_max: jointMax,
    joint_avg: jointAvg,
    joint_var: jointVar,
    joint_entr: jointEntr,
    diff_avg: diffAvg,
    diff_var: diffVar,
    diff_entr: diffEntr,
    sum_avg: sumAvg,
    sum_var: sumVar,
    sum_entr: sumEntr,
    energy,
    contrast,
    dissimilarity: dissim,
    inv_diff: invDiff,
    inv_diff_norm: invDiffNorm,
    inv_diff_mom: invDiffMom,
    inv_diff_mom_norm: invDiffMomNorm,
    inv_var: invVar,
    corr: corrNum / Math.sqrt(sx * sy),
    auto_corr: autoCorr,
    clust_tend: clustTend,
    clust_shade: clustShade,
    clust_prom: clustProm,
    info_corr1: (jointEntr - hxy1) / Math.max(hx, hy),
    info_corr2: Math.sqrt(Math.max(0, 1 - Math.exp(-2 * (hxy2 - jointEntr)))),
  };
}

/** All GLCM features under their workbook tags (`cm_<name>_<aggregation>`). */
export function glcmFamily(g: DiscreteGrid, which: { twoD: boolean; threeD: boolean }): Record<string, number> {
  const agg = directionalAggregations(g, (d, k) => glcmMatrix(g, d, k), mergeGlcm, (m) => glcmTotal(m) === 0, glcmFeatures, which);
  const out: Record<string, number> = {};
  for (const [suffix, f] of Object.entries(agg)) for (const [name, v] of Object.entries(f)) out[`cm_${name}_${suffix}`] = v;
  return out;
}
