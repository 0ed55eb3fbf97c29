/**
 * PyRadiomics 3.1 with the paper's settings (reference-3.1/brain1_paper.csv):
 * every original_* feature recomputed from the image and mask PyRadiomics
 * actually used (brain1 after 1 mm B-spline resampling and cropping,
 * brain1-images/resampled_{image,mask}.nii.gz), with the settings parsed from
 * paper.yaml (resampling already applied), checked against the CSV's own
 * diagnostics_Configuration_Settings; then all 1130 features end to end from
 * the NRRD files (resampling, LoG and wavelet from the filters module).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVolume } from '../../src/core/node.js';
import { extractFeatures } from '../../src/core/radiomics/extractor.js';
import { parseParams } from '../../src/core/radiomics/params.js';
import { PYRAD } from '../shared-data.js';
import { relativeDifference, splitCsvLine } from './baseline.js';
import { parsePythonLiteral } from './python-literal.js';

const REF = path.join(PYRAD, 'reference-3.1');

const rows = new Map(
  readFileSync(path.join(REF, 'brain1_paper.csv'), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => splitCsvLine(l) as [string, string]),
);

describe('PyRadiomics 3.1 paper settings, brain1 (original image type)', () => {
  it('matches every original_* feature to 1e-9 relative', async () => {
    // paper.yaml as PyRadiomics read it, minus the resampling (its output is the input here)
    // and minus the filtered image types (held to the reference by the filters' tests)
    const params = parseParams(readFileSync(path.join(REF, 'paper.yaml'), 'utf8'), 'paper.yaml');
    params.imageType = { Original: {} };
    params.setting.resampledPixelSpacing = null;
    // the settings PyRadiomics recorded agree with the parsed file
    const recorded = parsePythonLiteral(rows.get('diagnostics_Configuration_Settings')!) as Record<string, unknown>;
    for (const [k, v] of Object.entries(recorded))
      if (k !== 'resampledPixelSpacing') expect(params.setting[k], k).toEqual(v);
    const image = await readVolume(path.join(REF, 'brain1-images', 'resampled_image.nii.gz'));
    const mask = await readVolume(path.join(REF, 'brain1-images', 'resampled_mask.nii.gz'));
    const features = extractFeatures(image, mask, { params });
    const keys = [...rows.keys()].filter((k) => k.startsWith('original_'));
    expect(keys.length).toBe(107);
    const ours = Object.keys(features).filter((k) => k.startsWith('original_'));
    // same names in the same order as PyRadiomics' CSV
    expect(ours).toEqual(keys);
    let worst = 0;
    for (const k of keys) {
      const d = relativeDifference(features[k] as number, Number(rows.get(k)));
      if (!(d < 1e-9)) expect.fail(`${k}: ${features[k]} vs ${rows.get(k)}`);
      worst = Math.max(worst, d);
    }
    console.log(`largest relative difference over ${keys.length} features: ${worst.toExponential(2)}`);
  });

  it('all 1130 features of paper.yaml (Original, LoG σ 1/3/5, 8 wavelet bands) end to end, within 1e-9, in PyRadiomics order', async () => {
    const params = parseParams(readFileSync(path.join(REF, 'paper.yaml'), 'utf8'), 'paper.yaml');
    const image = await readVolume(path.join(PYRAD, 'brain1_image.nrrd'));
    const mask = await readVolume(path.join(PYRAD, 'brain1_label.nrrd'));
    const features = extractFeatures(image, mask, { params });
    expect(features['diagnostics_Image-interpolated_Size']).toBe(rows.get('diagnostics_Image-interpolated_Size'));
    expect(features['diagnostics_Mask-interpolated_VoxelNum']).toBe(Number(rows.get('diagnostics_Mask-interpolated_VoxelNum')));
    expect(features['diagnostics_Mask-interpolated_BoundingBox']).toBe(rows.get('diagnostics_Mask-interpolated_BoundingBox'));
    const keys = [...rows.keys()].filter((k) => !k.startsWith('diagnostics_'));
    expect(keys.length).toBe(1130);
    expect(Object.keys(features).filter((k) => !k.startsWith('diagnostics_'))).toEqual(keys);
    let worst = 0;
    for (const k of keys) {
      const d = relativeDifference(features[k] as number, Number(rows.get(k)));
      if (!(d < 1e-9)) expect.fail(`${k}: ${features[k]} vs ${rows.get(k)}`);
      worst = Math.max(worst, d);
    }
    console.log(`all image types, largest relative difference: ${worst.toExponential(2)}`);
  });
});
