/**
 * GLSZM features (PyRadiomics `glszm`). P(i,j): zones of grey level i and size j;
 * N_z zones, N_p voxels, p(i,j) = P(i,j)/N_z.
 */
import type { FeatureFamily } from '../family.js';
import { zoneContext, zoneFeatures, type ZoneContext } from '../zone-features.js';
import { glszmMatrix } from './matrix.js';

export const glszmFamily: FeatureFamily<ZoneContext> = {
  name: 'glszm',
  title: 'Grey Level Size Zone Matrix',
  description: 'Zones of connected voxels (26-connectivity in 3D, 8 in 2D) sharing a grey level, counted by grey level and zone size.',
  prepare: ({ binned, settings }) => zoneContext(glszmMatrix(binned(), settings)),
  features: zoneFeatures([
    ['SmallAreaEmphasis', '5QRC', 'small'],
    ['LargeAreaEmphasis', '48P8', 'large'],
    ['GrayLevelNonUniformity', 'JNSA', 'grayNonUniformity'],
    ['GrayLevelNonUniformityNormalized', 'Y1RO', 'grayNonUniformityNormalized'],
    ['SizeZoneNonUniformity', '4JP3', 'columnNonUniformity'],
    ['SizeZoneNonUniformityNormalized', 'VB3A', 'columnNonUniformityNormalized'],
    ['ZonePercentage', 'P30P', 'percentage'],
    ['GrayLevelVariance', 'BYLV', 'grayVariance'],
    ['ZoneVariance', '3NSA', 'columnVariance'],
    ['ZoneEntropy', 'GU8N', 'entropy'],
    ['LowGrayLevelZoneEmphasis', 'XMSY', 'low'],
    ['HighGrayLevelZoneEmphasis', '5GN9', 'high'],
    ['SmallAreaLowGrayLevelEmphasis', '5RAI', 'smallLow'],
    ['SmallAreaHighGrayLevelEmphasis', 'HW1V', 'smallHigh'],
    ['LargeAreaLowGrayLevelEmphasis', 'YH51', 'largeLow'],
    ['LargeAreaHighGrayLevelEmphasis', 'J17V', 'largeHigh'],
  ]),
};
