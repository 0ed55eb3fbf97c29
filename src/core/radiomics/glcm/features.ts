/**
 * GLCM features (PyRadiomics `glcm`): each feature is computed per direction on
 * the normalised matrix p(i, j) and averaged over the directions kept
 * (numpy.nanmean). i, j are grey levels (bin indices), N_g the largest level,
 * p_x, p_y the marginals, μ_x, μ_y their means, σ_x, σ_y their deviations,
 * p_{x+y}(k) = Σ_{i+j=k} p(i,j), p_{x−y}(k) = Σ_{|i−j|=k} p(i,j), ε = numpy.spacing(1).
 */
import { symmetricEigenvalues } from '../eigen.js';
import { EPS, nanMean, type FeatureFamily } from '../family.js';
import { glcmMatrix, type GlcmMatrix } from './matrix.js';

/** Per-direction coefficients (PyRadiomics `_calculateCoefficients`). */
export interface GlcmDirection {
  p: Float64Array;
  px: Float64Array;
  py: Float64Array;
  ux: number;
  uy: number;
  /** p_{x+y}(k) for k = 2 … 2N_g at index k − 2. */
  pSum: Float64Array;
  /** p_{x−y}(k) for k = 0 … N_g − 1. */
  pDiff: Float64Array;
  hxy: number;
  /** Σ p(i,j)·g(i,j) for the g that the features need, computed in one pass. */
  sums: {
    autocorrelation: number;
    contrast: number;
    clusterTendency: number;
    clusterShade: number;
    clusterProminence: number;
    sumSquaresX: number;
    sumSquaresY: number;
    covariance: number;
    energy: number;
    maximum: number;
    hxy1: number;
    hxy2: number;
  };
}

export interface GlcmContext {
  m: GlcmMatrix;
  dirs: GlcmDirection[];
}

export function glcmCoefficients(m: GlcmMatrix): GlcmContext {
  const { ng, levels, Ng } = m;
  const dirs: GlcmDirection[] = [];
  for (let a = 0; a < m.na; a++) {
    const p = m.P.subarray(a * ng * ng, (a + 1) * ng * ng);
    const px = new Float64Array(ng);
    const py = new Float64Array(ng);
    const pSum = new Float64Array(2 * Ng - 1);
    const pDiff = new Float64Array(Ng);
    let ux = 0;
    let uy = 0;
    let hxy = 0;
    for (let i = 0; i < ng; i++)
      for (let j = 0; j < ng; j++) {
        const v = p[i * ng + j]!;
        px[i]! += v;
        py[j]! += v;
        ux += levels[i]! * v;
        uy += levels[j]! * v;
        pSum[levels[i]! + levels[j]! - 2]! += v;
        pDiff[Math.abs(levels[i]! - levels[j]!)]! += v;
        hxy -= v * Math.log2(v + EPS);
      }
    const sums = {
      autocorrelation: 0,
      contrast: 0,
      clusterTendency: 0,
      clusterShade: 0,
      clusterProminence: 0,
      sumSquaresX: 0,
      sumSquaresY: 0,
      covariance: 0,
      energy: 0,
      maximum: -Infinity,
      hxy1: 0,
      hxy2: 0,
    };
    for (let i = 0; i < ng; i++) {
      const li = levels[i]!;
      for (let j = 0; j < ng; j++) {
        const q = px[i]! * py[j]!;
        const logQ = Math.log2(q + EPS);
        sums.hxy2 -= q * logQ;
        const v = p[i * ng + j]!;
        if (v > sums.maximum) sums.maximum = v;
        if (v === 0) continue;
        const lj = levels[j]!;
        sums.autocorrelation += v * li * lj;
        sums.contrast += v * (li - lj) * (li - lj);
        const t = li + lj - ux - uy;
        const t2 = t * t;
        sums.clusterTendency += v * t2;
        sums.clusterShade += v * t2 * t;
        sums.clusterProminence += v * t2 * t2;
        sums.sumSquaresX += v * (li - ux) * (li - ux);
        sums.sumSquaresY += v * (lj - uy) * (lj - uy);
        sums.covariance += v * (li - ux) * (lj - uy);
        sums.energy += v * v;
        sums.hxy1 -= v * logQ;
      }
    }
    dirs.push({ p, px, py, ux, uy, pSum, pDiff, hxy, sums });
  }
  return { m, dirs };
}

type Dir = GlcmDirection;
/** Average a per-direction value over the directions, as numpy.nanmean. */
function perDirection(ctx: GlcmContext, f: (d: Dir, m: GlcmMatrix) => number): number {
  return nanMean(ctx.dirs.map((d) => f(d, ctx.m)));
}
function entropy(x: Float64Array): number {
  let s = 0;
  for (const v of x) s -= v * Math.log2(v + EPS);
  return s;
}
function diffSum(d: Dir, g: (k: number) => number): number {
  let s = 0;
  for (let k = 0; k < d.pDiff.length; k++) s += d.pDiff[k]! * g(k);
  return s;
}

function maximalCorrelationCoefficient(d: Dir, m: GlcmMatrix): number {
  // Q(i,j) = Σ_k p(i,k) p(j,k) / (p_x(i) p_y(k)); Q = D_x⁻¹ P D_y⁻¹ Pᵀ is similar to the
  // symmetric M Mᵀ with M = D_x^{-1/2} P D_y^{-1/2}, so its eigenvalues are real and ≥ 0.
  const { ng } = m;
  if (ng < 2) return 1;
  const rows = presentRows(d.px, ng);
  const n = rows.length;
  const S = gramOfRows(scaledRows(d.p, d.px, d.py, rows, ng), n, ng);
  const ev = Array.from(symmetricEigenvalues(S, n));
  while (ev.length < ng) ev.unshift(0);
  ev.sort((x, y) => x - y);
  return Math.sqrt(ev[ng - 2]!);
}

// The steps of maximalCorrelationCoefficient are functions of typed arrays of their own, so
// that a fresh process optimises each loop once instead of recompiling the whole function
// whenever it reaches a part it had not yet run.

/** The rows i with p_x(i) > 0. */
function presentRows(px: Float64Array, ng: number): Int32Array {
  let n = 0;
  for (let i = 0; i < ng; i++) if (px[i]! > 0) n++;
  const rows = new Int32Array(n);
  for (let i = 0, r = 0; i < ng; i++) if (px[i]! > 0) rows[r++] = i;
  return rows;
}

/** M(r, k) = p(rows[r], k) / √(p_x(rows[r]) p_y(k) + ε) where p_y(k) > 0, else +0. */
function scaledRows(p: Float64Array, px: Float64Array, py: Float64Array, rows: Int32Array, ng: number): Float64Array {
  const M = new Float64Array(rows.length * ng);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    for (let k = 0; k < ng; k++) if (py[k]! > 0) M[r * ng + k] = p[i * ng + k]! / Math.sqrt(px[i]! * py[k]! + EPS);
  }
  return M;
}

/**
 * S = M Mᵀ (n × n) of the n rows of M (n × ng). The entries of M are ≥ +0, so with all of them
 * finite a term with M(r,k) = +0 is +0 and adding it changes no sum: each row's sums run over
 * its non-zero columns only (ascending, the same additions in the same order as over all columns).
 */
function gramOfRows(M: Float64Array, n: number, ng: number): Float64Array {
  let finite = true;
  for (let t = 0; t < M.length && finite; t++) finite = Number.isFinite(M[t]!);
  const nzStart = new Int32Array(n + 1);
  const nzCol = new Int32Array(n * ng);
  for (let r = 0, e = 0; r < n; r++) {
    nzStart[r] = e;
    for (let k = 0; k < ng; k++) if (!finite || M[r * ng + k] !== 0) nzCol[e++] = k;
    nzStart[r + 1] = e;
  }
  const S = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    const e0 = nzStart[r]!;
    const e1 = nzStart[r + 1]!;
    const ro = r * ng;
    for (let c = r; c < n; c++) {
      const co = c * ng;
      let s = 0;
      for (let e = e0; e < e1; e++) {
        const k = nzCol[e]!;
        s += M[ro + k]! * M[co + k]!;
      }
      S[r * n + c] = s;
      S[c * n + r] = s;
    }
  }
  return S;
}

export const glcmFamily: FeatureFamily<GlcmContext> = {
  name: 'glcm',
  title: 'Grey Level Co-occurrence Matrix',
  description:
    'Second-order joint probability of grey levels i and j at distance δ along each direction. Symmetrical by default; features are computed per direction and averaged (or on one merged matrix with weightingNorm).',
  prepare: ({ binned, settings }) => glcmCoefficients(glcmMatrix(binned(), settings)),
  features: [
    { name: 'Autocorrelation', ibsi: 'QWB0', formula: 'Σ_i Σ_j p(i,j) i j', compute: (c) => perDirection(c, (d) => d.sums.autocorrelation) },
    { name: 'JointAverage', ibsi: '60VM', formula: 'μ_x = Σ_i Σ_j p(i,j) i', compute: (c) => nanMean(c.dirs.map((d) => d.ux)) },
    { name: 'ClusterProminence', ibsi: 'AE86', formula: 'Σ_i Σ_j (i + j − μ_x − μ_y)⁴ p(i,j)', compute: (c) => perDirection(c, (d) => d.sums.clusterProminence) },
    { name: 'ClusterShade', ibsi: '7NFM', formula: 'Σ_i Σ_j (i + j − μ_x − μ_y)³ p(i,j)', compute: (c) => perDirection(c, (d) => d.sums.clusterShade) },
    { name: 'ClusterTendency', ibsi: 'DG8W', formula: 'Σ_i Σ_j (i + j − μ_x − μ_y)² p(i,j)', compute: (c) => perDirection(c, (d) => d.sums.clusterTendency) },
    { name: 'Contrast', ibsi: 'ACUI', formula: 'Σ_i Σ_j (i − j)² p(i,j)', compute: (c) => perDirection(c, (d) => d.sums.contrast) },
    {
      name: 'Correlation',
      ibsi: 'NI2N',
      formula: '(Σ_i Σ_j p(i,j) i j − μ_x μ_y) / (σ_x σ_y + ε); 1 when σ_x σ_y = 0',
      compute: (c) =>
        perDirection(c, (d) => {
          const sx = Math.sqrt(d.sums.sumSquaresX);
          const sy = Math.sqrt(d.sums.sumSquaresY);
          if (sx * sy === 0) return 1;
          return d.sums.covariance / (sx * sy + EPS);
        }),
    },
    { name: 'DifferenceAverage', ibsi: 'TF7R', formula: 'Σ_k k p_{x−y}(k)', compute: (c) => perDirection(c, (d) => diffSum(d, (k) => k)) },
    { name: 'DifferenceEntropy', ibsi: 'NTRS', formula: '−Σ_k p_{x−y}(k) log₂(p_{x−y}(k) + ε)', compute: (c) => perDirection(c, (d) => entropy(d.pDiff)) },
    {
      name: 'DifferenceVariance',
      ibsi: 'D3YU',
      formula: 'Σ_k (k − DA)² p_{x−y}(k), DA = difference average',
      compute: (c) =>
        perDirection(c, (d) => {
          const da = diffSum(d, (k) => k);
          return diffSum(d, (k) => (k - da) ** 2);
        }),
    },
    { name: 'Dissimilarity', formula: 'equal to DifferenceAverage (removed)', deprecated: true, removed: true, compute: () => NaN },
    { name: 'JointEnergy', ibsi: '8ZQL', formula: 'Σ_i Σ_j p(i,j)²', compute: (c) => perDirection(c, (d) => d.sums.energy) },
    { name: 'JointEntropy', ibsi: 'TU9B', formula: 'HXY = −Σ_i Σ_j p(i,j) log₂(p(i,j) + ε)', compute: (c) => nanMean(c.dirs.map((d) => d.hxy)) },
    { name: 'Homogeneity1', formula: 'equal to Id (removed)', deprecated: true, removed: true, compute: () => NaN },
    { name: 'Homogeneity2', formula: 'equal to Idm (removed)', deprecated: true, removed: true, compute: () => NaN },
    {
      name: 'Imc1',
      ibsi: 'R8DG',
      formula: '(HXY − HXY1) / max(HX, HY); HXY1 = −Σ p(i,j) log₂(p_x(i) p_y(j) + ε); 0 when max(HX, HY) = 0',
      compute: (c) =>
        perDirection(c, (d) => {
          const div = Math.max(entropy(d.px), entropy(d.py));
          return div === 0 ? 0 : (d.hxy - d.sums.hxy1) / div;
        }),
    },
    {
      name: 'Imc2',
      ibsi: 'JN9H',
      formula: '√(1 − e^{−2(HXY2 − HXY)}); HXY2 = −Σ p_x(i) p_y(j) log₂(p_x(i) p_y(j) + ε); 0 when HXY2 = HXY',
      compute: (c) =>
        perDirection(c, (d) => {
          if (d.sums.hxy2 === d.hxy) return 0;
          return Math.sqrt(1 - Math.exp(-2 * (d.sums.hxy2 - d.hxy)));
        }),
    },
    { name: 'Idm', ibsi: 'WF0Z', formula: 'Σ_k p_{x−y}(k) / (1 + k²)', compute: (c) => perDirection(c, (d) => diffSum(d, (k) => 1 / (1 + k * k))) },
    {
      name: 'MCC',
      formula: '√(second largest eigenvalue of Q), Q(i,j) = Σ_k p(i,k) p(j,k) / (p_x(i) p_y(k)); 1 for a single grey level',
      compute: (c) => (c.m.ng < 2 ? 1 : perDirection(c, maximalCorrelationCoefficient)),
    },
    {
      name: 'Idmn',
      ibsi: '1QCO',
      formula: 'Σ_k p_{x−y}(k) / (1 + k²/N_g²)',
      compute: (c) => perDirection(c, (d, m) => diffSum(d, (k) => 1 / (1 + (k * k) / (m.Ng * m.Ng)))),
    },
    { name: 'Id', ibsi: 'IB1Z', formula: 'Σ_k p_{x−y}(k) / (1 + k)', compute: (c) => perDirection(c, (d) => diffSum(d, (k) => 1 / (1 + k))) },
    { name: 'Idn', ibsi: 'NDRX', formula: 'Σ_k p_{x−y}(k) / (1 + k/N_g)', compute: (c) => perDirection(c, (d, m) => diffSum(d, (k) => 1 / (1 + k / m.Ng))) },
    {
      name: 'InverseVariance',
      ibsi: 'E8JP',
      formula: 'Σ_{k≥1} p_{x−y}(k) / k²',
      compute: (c) => perDirection(c, (d) => diffSum(d, (k) => (k === 0 ? 0 : 1 / (k * k)))),
    },
    { name: 'MaximumProbability', ibsi: 'GYBY', formula: 'max p(i,j)', compute: (c) => perDirection(c, (d) => d.sums.maximum) },
    {
      name: 'SumAverage',
      ibsi: 'ZGXS',
      formula: 'Σ_k k p_{x+y}(k), k = 2 … 2N_g',
      compute: (c) =>
        perDirection(c, (d) => {
          let s = 0;
          for (let k = 0; k < d.pSum.length; k++) s += (k + 2) * d.pSum[k]!;
          return s;
        }),
    },
    { name: 'SumVariance', formula: 'equal to ClusterTendency (removed)', deprecated: true, removed: true, compute: () => NaN },
    { name: 'SumEntropy', ibsi: 'P6QZ', formula: '−Σ_k p_{x+y}(k) log₂(p_{x+y}(k) + ε)', compute: (c) => perDirection(c, (d) => entropy(d.pSum)) },
    { name: 'SumSquares', ibsi: 'UR99', formula: 'Σ_i Σ_j (i − μ_x)² p(i,j)', compute: (c) => perDirection(c, (d) => d.sums.sumSquaresX) },
  ],
};
