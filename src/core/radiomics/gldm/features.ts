/**
 * GLDM features (PyRadiomics `gldm`). P(i,j): voxels of grey level i with j − 1
 * dependent neighbours; N_z = N_p voxels, p(i,j) = P(i,j)/N_z.
 */
import type { FeatureFamily } from '../family.js';
import { zoneContext, zoneFeatures, type ZoneContext } from '../zone-features.js';
import { gldmMatrix } from './matrix.js';

export const gldmFamily: FeatureFamily<ZoneContext> = {
  name: 'gldm',
  title: 'Grey Level Dependence Matrix',
  description: 'Number of neighbours within distance δ whose grey level differs by at most α (gldm_a) from the centre voxel.',
  prepare: ({ binned, settings }) => zoneContext(gldmMatrix(binned(), settings)),
  features: [
    ...zoneFeatures([
      ['SmallDependenceEmphasis', 'SODN', 'small'],
      ['LargeDependenceEmphasis', 'IMOQ', 'large'],
      ['GrayLevelNonUniformity', 'FP8K', 'grayNonUniformity'],
      ['DependenceNonUniformity', 'Z87G', 'columnNonUniformity'],
      ['DependenceNonUniformityNormalized', 'OKJI', 'columnNonUniformityNormalized'],
      ['GrayLevelVariance', '1PFV', 'grayVariance'],
      ['DependenceVariance', 'DNX2', 'columnVariance'],
      ['DependenceEntropy', 'FCBV', 'entropy'],
      ['LowGrayLevelEmphasis', 'TL9H', 'low'],
      ['HighGrayLevelEmphasis', 'OAE7', 'high'],
      ['SmallDependenceLowGrayLevelEmphasis', 'EQ3F', 'smallLow'],
      ['SmallDependenceHighGrayLevelEmphasis', 'JA6D', 'smallHigh'],
      ['LargeDependenceLowGrayLevelEmphasis', 'NBZI', 'largeLow'],
      ['LargeDependenceHighGrayLevelEmphasis', '9QMG', 'largeHigh'],
    ]),
    {
      name: 'GrayLevelNonUniformityNormalized',
      formula: 'equal to firstorder Uniformity (removed)',
      deprecated: true,
      removed: true,
      compute: () => NaN,
    },
    { name: 'DependencePercentage', formula: 'always 1 (removed)', deprecated: true, removed: true, compute: () => NaN },
  ],
};
