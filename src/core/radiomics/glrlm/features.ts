/**
 * GLRLM features (PyRadiomics `glrlm`), computed per direction and averaged
 * (numpy.nanmean). P(i,j) counts runs of grey level i and length j, N_r the number
 * of runs, N_p the number of voxels (Σ j P(i,j)), p(i,j) = P(i,j)/N_r.
 */
import { nanMean, type FeatureFamily } from '../family.js';
import { emphasisSums, marginalVariance, sumOfSquares, type EmphasisSums } from '../zone-features.js';
import { glrlmMatrix, type GlrlmMatrix } from './matrix.js';

export interface GlrlmDirection {
  P: Float64Array;
  /** Runs per grey level, Σ_j P(i,j). */
  pg: Float64Array;
  /** Runs per run length, Σ_i P(i,j). */
  pr: Float64Array;
  Nr: number;
  sums: EmphasisSums;
}

export interface GlrlmContext {
  m: GlrlmMatrix;
  dirs: GlrlmDirection[];
}

export function glrlmCoefficients(m: GlrlmMatrix): GlrlmContext {
  const { ng, nr } = m;
  const dirs: GlrlmDirection[] = [];
  for (let a = 0; a < m.na; a++) {
    const P = m.P.subarray(a * ng * nr, (a + 1) * ng * nr);
    const pg = new Float64Array(ng);
    const pr = new Float64Array(nr);
    let Nr = 0;
    for (let i = 0; i < ng; i++)
      for (let j = 0; j < nr; j++) {
        const v = P[i * nr + j]!;
        pg[i]! += v;
        pr[j]! += v;
        Nr += v;
      }
    const total = Nr === 0 ? NaN : Nr;
    dirs.push({ P, pg, pr, Nr: total, sums: emphasisSums(P, m.levels, m.runLengths, total) });
  }
  return { m, dirs };
}

type Ctx = GlrlmContext;
const avg = (c: Ctx, f: (d: GlrlmDirection, m: GlrlmMatrix) => number) => nanMean(c.dirs.map((d) => f(d, c.m)));
export const glrlmFamily: FeatureFamily<GlrlmContext> = {
  name: 'glrlm',
  title: 'Grey Level Run Length Matrix',
  description: 'Runs of consecutive voxels with the same grey level along each direction; computed per direction and averaged.',
  prepare: ({ binned, settings }) => glrlmCoefficients(glrlmMatrix(binned(), settings)),
  features: [
    { name: 'ShortRunEmphasis', ibsi: '22OV', formula: 'Σ P(i,j)/j² / N_r', compute: (c) => avg(c, (d) => d.sums.small) },
    { name: 'LongRunEmphasis', ibsi: 'W4KF', formula: 'Σ P(i,j) j² / N_r', compute: (c) => avg(c, (d) => d.sums.large) },
    { name: 'GrayLevelNonUniformity', ibsi: 'R5YN', formula: 'Σ_i (Σ_j P(i,j))² / N_r', compute: (c) => avg(c, (d) => sumOfSquares(d.pg) / d.Nr) },
    {
      name: 'GrayLevelNonUniformityNormalized',
      ibsi: 'OVBL',
      formula: 'Σ_i (Σ_j P(i,j))² / N_r²',
      compute: (c) => avg(c, (d) => sumOfSquares(d.pg) / (d.Nr * d.Nr)),
    },
    { name: 'RunLengthNonUniformity', ibsi: 'W92Y', formula: 'Σ_j (Σ_i P(i,j))² / N_r', compute: (c) => avg(c, (d) => sumOfSquares(d.pr) / d.Nr) },
    {
      name: 'RunLengthNonUniformityNormalized',
      ibsi: 'IC23',
      formula: 'Σ_j (Σ_i P(i,j))² / N_r²',
      compute: (c) => avg(c, (d) => sumOfSquares(d.pr) / (d.Nr * d.Nr)),
    },
    {
      name: 'RunPercentage',
      ibsi: '9ZK5',
      formula: 'N_r / N_p, N_p = Σ_j j Σ_i P(i,j)',
      compute: (c) =>
        avg(c, (d, m) => {
          let np = 0;
          for (let j = 0; j < m.nr; j++) np += d.pr[j]! * m.runLengths[j]!;
          return d.Nr / np;
        }),
    },
    { name: 'GrayLevelVariance', ibsi: '8CE5', formula: 'Σ p(i,j)(i − μ)², μ = Σ p(i,j) i', compute: (c) => avg(c, (d, m) => marginalVariance(d.pg, m.levels, d.Nr)) },
    { name: 'RunVariance', ibsi: 'SXLW', formula: 'Σ p(i,j)(j − μ)², μ = Σ p(i,j) j', compute: (c) => avg(c, (d, m) => marginalVariance(d.pr, m.runLengths, d.Nr)) },
    {
      name: 'RunEntropy',
      ibsi: 'HJ9O',
      formula: '−Σ p(i,j) log₂(p(i,j) + ε)',
      compute: (c) => avg(c, (d) => d.sums.entropy),
    },
    { name: 'LowGrayLevelRunEmphasis', ibsi: 'V3SW', formula: 'Σ P(i,j)/i² / N_r', compute: (c) => avg(c, (d) => d.sums.low) },
    { name: 'HighGrayLevelRunEmphasis', ibsi: 'G3QZ', formula: 'Σ P(i,j) i² / N_r', compute: (c) => avg(c, (d) => d.sums.high) },
    {
      name: 'ShortRunLowGrayLevelEmphasis',
      ibsi: 'HTZT',
      formula: 'Σ P(i,j)/(i² j²) / N_r',
      compute: (c) => avg(c, (d) => d.sums.smallLow),
    },
    {
      name: 'ShortRunHighGrayLevelEmphasis',
      ibsi: 'GD3A',
      formula: 'Σ P(i,j) i²/j² / N_r',
      compute: (c) => avg(c, (d) => d.sums.smallHigh),
    },
    {
      name: 'LongRunLowGrayLevelEmphasis',
      ibsi: 'IVPO',
      formula: 'Σ P(i,j) j²/i² / N_r',
      compute: (c) => avg(c, (d) => d.sums.largeLow),
    },
    {
      name: 'LongRunHighGrayLevelEmphasis',
      ibsi: '3KUM',
      formula: 'Σ P(i,j) i² j² / N_r',
      compute: (c) => avg(c, (d) => d.sums.largeHigh),
    },
  ],
};
