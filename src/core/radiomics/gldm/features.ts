/**
 * GLDM features (PyRadiomics `gldm`). P(i,j): voxels of grey level i with j − 1
 * dependent neighbours; N_z = N_p voxels, p(i,j) = P(i,j)/N_z.
 */
import type { FeatureFamily } from '../family.js';
import { marginalVariance, sumOfSquares, zoneContext, type ZoneContext } from '../zone-features.js';
import { gldmMatrix } from './matrix.js';

export const gldmFamily: FeatureFamily<ZoneContext> = {
  name: 'gldm',
  title: 'Grey Level Dependence Matrix',
  description: 'Number of neighbours within distance δ whose grey level differs by at most α (gldm_a) from the centre voxel.',
  prepare: ({ binned, settings }) => zoneContext(gldmMatrix(binned(), settings)),
  features: [
    { name: 'SmallDependenceEmphasis', ibsi: 'SODN', formula: 'Σ P(i,j)/j² / N_z', compute: (c) => c.sums.small },
    { name: 'LargeDependenceEmphasis', ibsi: 'IMOQ', formula: 'Σ P(i,j) j² / N_z', compute: (c) => c.sums.large },
    { name: 'GrayLevelNonUniformity', ibsi: 'FP8K', formula: 'Σ_i (Σ_j P(i,j))² / N_z', compute: (c) => sumOfSquares(c.pg) / c.Nz },
    {
      name: 'GrayLevelNonUniformityNormalized',
      formula: 'equal to firstorder Uniformity (removed)',
      deprecated: true,
      removed: true,
      compute: () => NaN,
    },
    { name: 'DependenceNonUniformity', ibsi: 'Z87G', formula: 'Σ_j (Σ_i P(i,j))² / N_z', compute: (c) => sumOfSquares(c.pc) / c.Nz },
    {
      name: 'DependenceNonUniformityNormalized',
      ibsi: 'OKJI',
      formula: 'Σ_j (Σ_i P(i,j))² / N_z²',
      compute: (c) => sumOfSquares(c.pc) / (c.Nz * c.Nz),
    },
    { name: 'GrayLevelVariance', ibsi: '1PFV', formula: 'Σ p(i,j)(i − μ)², μ = Σ p(i,j) i', compute: (c) => marginalVariance(c.pg, c.m.levels, c.Nz) },
    { name: 'DependenceVariance', ibsi: 'DNX2', formula: 'Σ p(i,j)(j − μ)², μ = Σ p(i,j) j', compute: (c) => marginalVariance(c.pc, c.m.columns, c.Nz) },
    { name: 'DependenceEntropy', ibsi: 'FCBV', formula: '−Σ p(i,j) log₂(p(i,j) + ε)', compute: (c) => c.sums.entropy },
    { name: 'DependencePercentage', formula: 'always 1 (removed)', deprecated: true, removed: true, compute: () => NaN },
    { name: 'LowGrayLevelEmphasis', ibsi: 'TL9H', formula: 'Σ P(i,j)/i² / N_z', compute: (c) => c.sums.low },
    { name: 'HighGrayLevelEmphasis', ibsi: 'OAE7', formula: 'Σ P(i,j) i² / N_z', compute: (c) => c.sums.high },
    {
      name: 'SmallDependenceLowGrayLevelEmphasis',
      ibsi: 'EQ3F',
      formula: 'Σ P(i,j)/(i² j²) / N_z',
      compute: (c) => c.sums.smallLow,
    },
    {
      name: 'SmallDependenceHighGrayLevelEmphasis',
      ibsi: 'JA6D',
      formula: 'Σ P(i,j) i²/j² / N_z',
      compute: (c) => c.sums.smallHigh,
    },
    {
      name: 'LargeDependenceLowGrayLevelEmphasis',
      ibsi: 'NBZI',
      formula: 'Σ P(i,j) j²/i² / N_z',
      compute: (c) => c.sums.largeLow,
    },
    {
      name: 'LargeDependenceHighGrayLevelEmphasis',
      ibsi: '9QMG',
      formula: 'Σ P(i,j) i² j² / N_z',
      compute: (c) => c.sums.largeHigh,
    },
  ],
};
