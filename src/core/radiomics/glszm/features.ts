/**
 * GLSZM features (PyRadiomics `glszm`). P(i,j): zones of grey level i and size j;
 * N_z zones, N_p voxels, p(i,j) = P(i,j)/N_z.
 */
import type { FeatureFamily } from '../family.js';
import { marginalVariance, sumOfSquares, zoneContext, type ZoneContext } from '../zone-features.js';
import { glszmMatrix } from './matrix.js';

export const glszmFamily: FeatureFamily<ZoneContext> = {
  name: 'glszm',
  title: 'Grey Level Size Zone Matrix',
  description: 'Zones of connected voxels (26-connectivity in 3D, 8 in 2D) sharing a grey level, counted by grey level and zone size.',
  prepare: ({ binned, settings }) => zoneContext(glszmMatrix(binned(), settings)),
  features: [
    { name: 'SmallAreaEmphasis', ibsi: '5QRC', formula: 'Σ P(i,j)/j² / N_z', compute: (c) => c.sums.small },
    { name: 'LargeAreaEmphasis', ibsi: '48P8', formula: 'Σ P(i,j) j² / N_z', compute: (c) => c.sums.large },
    { name: 'GrayLevelNonUniformity', ibsi: 'JNSA', formula: 'Σ_i (Σ_j P(i,j))² / N_z', compute: (c) => sumOfSquares(c.pg) / c.Nz },
    {
      name: 'GrayLevelNonUniformityNormalized',
      ibsi: 'Y1RO',
      formula: 'Σ_i (Σ_j P(i,j))² / N_z²',
      compute: (c) => sumOfSquares(c.pg) / (c.Nz * c.Nz),
    },
    { name: 'SizeZoneNonUniformity', ibsi: '4JP3', formula: 'Σ_j (Σ_i P(i,j))² / N_z', compute: (c) => sumOfSquares(c.pc) / c.Nz },
    {
      name: 'SizeZoneNonUniformityNormalized',
      ibsi: 'VB3A',
      formula: 'Σ_j (Σ_i P(i,j))² / N_z²',
      compute: (c) => sumOfSquares(c.pc) / (c.Nz * c.Nz),
    },
    { name: 'ZonePercentage', ibsi: 'P30P', formula: 'N_z / N_p', compute: (c) => c.Nz / c.Np },
    { name: 'GrayLevelVariance', ibsi: 'BYLV', formula: 'Σ p(i,j)(i − μ)², μ = Σ p(i,j) i', compute: (c) => marginalVariance(c.pg, c.m.levels, c.Nz) },
    { name: 'ZoneVariance', ibsi: '3NSA', formula: 'Σ p(i,j)(j − μ)², μ = Σ p(i,j) j', compute: (c) => marginalVariance(c.pc, c.m.columns, c.Nz) },
    { name: 'ZoneEntropy', ibsi: 'GU8N', formula: '−Σ p(i,j) log₂(p(i,j) + ε)', compute: (c) => c.sums.entropy },
    { name: 'LowGrayLevelZoneEmphasis', ibsi: 'XMSY', formula: 'Σ P(i,j)/i² / N_z', compute: (c) => c.sums.low },
    { name: 'HighGrayLevelZoneEmphasis', ibsi: '5GN9', formula: 'Σ P(i,j) i² / N_z', compute: (c) => c.sums.high },
    {
      name: 'SmallAreaLowGrayLevelEmphasis',
      ibsi: '5RAI',
      formula: 'Σ P(i,j)/(i² j²) / N_z',
      compute: (c) => c.sums.smallLow,
    },
    {
      name: 'SmallAreaHighGrayLevelEmphasis',
      ibsi: 'HW1V',
      formula: 'Σ P(i,j) i²/j² / N_z',
      compute: (c) => c.sums.smallHigh,
    },
    {
      name: 'LargeAreaLowGrayLevelEmphasis',
      ibsi: 'YH51',
      formula: 'Σ P(i,j) j²/i² / N_z',
      compute: (c) => c.sums.largeLow,
    },
    {
      name: 'LargeAreaHighGrayLevelEmphasis',
      ibsi: 'J17V',
      formula: 'Σ P(i,j) i² j² / N_z',
      compute: (c) => c.sums.largeHigh,
    },
  ],
};
