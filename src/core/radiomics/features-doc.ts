/**
 * docs/features.md, generated from the feature registry (`habitat extract --docs`).
 */
import { DEFAULT_SETTINGS } from './params.js';
import { FEATURE_FAMILIES, orderedFeatures } from './registry.js';

/** What each parameter-file setting does (PyRadiomics' meaning). */
const SETTING_DOCS: Record<string, string> = {
  binWidth: 'fixed bin width of the grey-level discretisation (edges from ⌊min/w⌋·w)',
  binCount: 'fixed number of bins instead of binWidth',
  label: 'mask value of the ROI',
  label_channel: 'channel of a vector mask (not used: masks are scalar here)',
  distances: 'neighbour distances (infinity norm) of GLCM, GLDM and NGTDM',
  force2D: 'texture in 2D: offsets within the planes normal to force2Ddimension (matrices summed over slices)',
  force2Ddimension: '0 = axial (z), 1 = coronal (y), 2 = sagittal (x)',
  symmetricalGLCM: 'add the transposed GLCM (counts both directions)',
  weightingNorm: 'merge GLCM/GLRLM directions weighted by offset length (manhattan, euclidean, infinity, no_weighting)',
  gldm_a: 'GLDM dependence: |i − j| ≤ α',
  voxelArrayShift: 'c added to intensities in Energy, TotalEnergy, RootMeanSquared',
  minimumROIDimensions: 'fewest axes the ROI must span (1–3)',
  minimumROISize: 'fewest ROI voxels (exclusive)',
  normalize: 'z-score the whole image first ((x − μ)/σ, σ with N − 1)',
  normalizeScale: 'multiply the normalised image',
  removeOutliers: 'clip the normalised image at ±this many σ',
  resampledPixelSpacing: 'resample image (interpolator) and mask (nearest) to this spacing; 0 keeps an axis',
  interpolator: 'sitkBSpline, sitkLinear or sitkNearestNeighbor',
  preCrop: 'crop to the ROI box + padDistance before filtering (without resampling)',
  padDistance: 'voxels kept around the ROI box when resampling / pre-cropping',
  resegmentRange: 'keep ROI voxels with intensity in [low, high] (one value: low only)',
  resegmentMode: 'absolute values, relative to the ROI maximum, or mean ± k·σ (sigma)',
  resegmentShape: 'use the re-segmented mask for shape too',
  additionalInfo: 'add the diagnostics_* keys',
  correctMask: 'resample a mask on another grid onto the image grid (nearest neighbour)',
  geometryTolerance: 'tolerance of the image–mask grid comparison (default 1e-5)',
};

const escapeCell = (s: string) => s.replace(/\|/g, '\\|');

export function featuresMarkdown(): string {
  const lines: string[] = [
    '# Radiomic features (PyRadiomics-compatible mode)',
    '',
    '<!-- Generated from src/core/radiomics/registry.ts by `npm run -s habitat -- extract --docs`; do not edit. -->',
    '',
    'Names, definitions and defaults follow PyRadiomics 3.1; a feature is reported as',
    '`<image type>_<class>_<feature>` (e.g. `original_glcm_Contrast`, `wavelet-LHL_glszm_ZoneEntropy`).',
    'Texture features are computed per direction and averaged unless `weightingNorm` merges the directions.',
    'ε = numpy.spacing(1) ≈ 2.2·10⁻¹⁶. IBSI codes are those of the IBSI 1 reference manual where the',
    'PyRadiomics feature has an IBSI counterpart (definitions can differ in detail, e.g. Kurtosis is not',
    'excess kurtosis); the IBSI 1 mode (`--standard ibsi`) follows IBSI exactly.',
    '',
    'Deprecated features are computed only when named in the parameter file; removed ones are listed for completeness.',
    '',
  ];
  lines.push('## Settings (`setting:` in a parameter file) and their defaults', '', '| setting | default | meaning |', '|---|---|---|');
  for (const [k, v] of Object.entries(DEFAULT_SETTINGS))
    lines.push(`| \`${k}\` | ${v === null ? '—' : `\`${JSON.stringify(v)}\``} | ${escapeCell(SETTING_DOCS[k] ?? '')} |`);
  lines.push(
    '',
    'Image types (`imageType:`): Original, LoG (`sigma` in mm), Wavelet (`wavelet`, `start_level`, `level`), Square, SquareRoot,',
    'Logarithm, Exponential, Gradient, LBP2D, LBP3D — see docs/filters.md. Filters see the whole preprocessed image; features',
    'are computed on each derived image cropped to the ROI.',
    '',
    '`voxelSetting:` (kernelRadius, maskedKernel, initValue, voxelBatch) is validated but voxel-based extraction (feature maps)',
    'is not implemented: extraction is always segment-based, as `pyradiomics` without `--mode voxel`.',
    '',
  );
  for (const fam of FEATURE_FAMILIES) {
    lines.push(`## ${fam.title} (\`${fam.name}\`)`, '', fam.description, '', '| feature | IBSI | definition |', '|---|---|---|');
    for (const f of orderedFeatures(fam)) {
      const note = f.removed ? ' (removed)' : f.deprecated ? ' (deprecated)' : '';
      lines.push(`| \`${f.name}\`${note} | ${f.ibsi ?? '—'} | ${escapeCell(f.formula)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
