/**
 * Extractor behaviour around the features: mask validation and its one-line
 * errors, label choice, correctMask, re-segmentation modes and the intensity
 * image types' prefixes.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVolume, readVolume, withData, type Volume } from '../../src/core/node.js';
import { extractFeatures } from '../../src/core/radiomics/extractor.js';
import { parseParams } from '../../src/core/radiomics/params.js';
import { PYRAD } from '../shared-data.js';

const load = async (c: string): Promise<[Volume, Volume]> => [
  await readVolume(path.join(PYRAD, `${c}_image.nrrd`)),
  await readVolume(path.join(PYRAD, `${c}_label.nrrd`)),
];
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('mask validation', () => {
  it('empty mask, single voxel, too few dimensions, too small: one-line errors naming the mask', async () => {
    const [image, mask] = await load('breast1');
    const empty = withData(mask, new Int16Array(mask.data.length));
    expect(errorOf(() => extractFeatures(image, empty, { maskName: 'm.nrrd' }))).toBe('m.nrrd: the mask is empty (no voxel is labelled)');
    const one = new Int16Array(mask.data.length);
    one[mask.data.findIndex((v) => v === 1)] = 1;
    expect(errorOf(() => extractFeatures(image, withData(mask, one), { maskName: 'm.nrrd' }))).toMatch(/^m\.nrrd: the ROI is a single voxel/);
    const line = new Int16Array(mask.data.length);
    const start = mask.data.findIndex((v) => v === 1);
    line[start] = line[start + 1] = 1;
    expect(errorOf(() => extractFeatures(image, withData(mask, line), { maskName: 'm.nrrd' }))).toMatch(/ROI has 1 dimension\(s\), minimumROIDimensions is 2/);
    const small = parseParams('setting:\n  minimumROISize: 500\n');
    expect(errorOf(() => extractFeatures(image, mask, { params: small, maskName: 'm.nrrd' }))).toMatch(/the ROI has 143 voxels, minimumROISize is 500/);
  });

  it('geometry mismatch is an error unless correctMask resamples the mask', async () => {
    const [image, mask] = await load('breast1');
    const shifted: Volume = { ...mask, origin: [mask.origin[0] + 0.664062, mask.origin[1], mask.origin[2]] };
    expect(errorOf(() => extractFeatures(image, shifted, { imageName: 'i.nrrd', maskName: 'm.nrrd' }))).toMatch(
      /^m\.nrrd: geometry differs from i\.nrrd \(origin .*\); set correctMask: true/,
    );
    const params = parseParams('setting:\n  correctMask: true\n');
    const f = extractFeatures(image, shifted, { params });
    // one voxel to the right: same voxel count, different intensities
    expect(f['original_shape_VoxelVolume']).toBeCloseTo(143 * 0.664062 * 0.664062 * 2.1, 3);
    expect(f['original_firstorder_Mean']).not.toBe(extractFeatures(image, mask)['original_firstorder_Mean']);
  });
});

describe('labels and re-segmentation', () => {
  it('extracts any label of a multi-label mask', async () => {
    const image = await readVolume(path.join(PYRAD, 'prostate_phantom_subvolume.nrrd'));
    const mask = await readVolume(path.join(PYRAD, 'prostate_phantom_subvolume-label.nrrd'));
    const f8 = extractFeatures(image, mask, { label: 8 });
    expect(f8['diagnostics_Mask-original_VoxelNum']).toBe(2997);
    expect(f8['original_shape_VoxelVolume']).toBeCloseTo(2997 * 0.5 * 0.5 * 3, 6);
    expect(errorOf(() => extractFeatures(image, mask, { label: 2, maskName: 'p.nrrd' }))).toBe('p.nrrd: label 2 is not present in the mask (labels: 1, 7, 8, 9)');
  });

  it('absolute and relative re-segmentation (sigma: see the baselines) keep the voxels in range; shape uses the original mask', async () => {
    const [image, mask] = await load('breast1');
    const base = extractFeatures(image, mask);
    const lo = base['original_firstorder_10Percentile'] as number;
    const abs = extractFeatures(image, mask, { params: parseParams(`setting:\n  resegmentRange: [${lo}]\n`) });
    expect(abs['original_firstorder_Minimum']).toBeGreaterThanOrEqual(lo);
    expect(abs['original_shape_VoxelVolume']).toBe(base['original_shape_VoxelVolume']);
    const max = base['original_firstorder_Maximum'] as number;
    const rel = extractFeatures(image, mask, { params: parseParams("setting:\n  resegmentRange: [0.5, 0.9]\n  resegmentMode: relative\n") });
    expect(rel['original_firstorder_Minimum']).toBeGreaterThanOrEqual(0.5 * max);
    expect(rel['original_firstorder_Maximum']).toBeLessThanOrEqual(0.9 * max);
    expect(errorOf(() => extractFeatures(image, mask, { params: parseParams(`setting:\n  resegmentRange: [${max + 1}]\n`) }))).toMatch(
      /re-segmentation excluded too many voxels with label 1 \(retained 0 voxel\(s\)\)/,
    );
  });
});

describe('image types', () => {
  it('Square, SquareRoot, Logarithm and Exponential prefixes as PyRadiomics', async () => {
    const [image, mask] = await load('breast1');
    const params = parseParams('imageType:\n  Original: {}\n  Square: {}\n  SquareRoot: {}\n  Logarithm: {}\n  Exponential: {}\nfeatureClass:\n  firstorder: [Mean]\n');
    const f = extractFeatures(image, mask, { params });
    const keys = Object.keys(f).filter((k) => !k.startsWith('diagnostics_'));
    expect(keys).toEqual([
      'original_firstorder_Mean',
      'square_firstorder_Mean',
      'squareroot_firstorder_Mean',
      'logarithm_firstorder_Mean',
      'exponential_firstorder_Mean',
    ]);
    // square: (x / √max|x|)², so the mean is the mean of x² over the image maximum
    let max = 0;
    for (const v of image.data) max = Math.max(max, Math.abs(v));
    let s = 0;
    let n = 0;
    mask.data.forEach((m, i) => {
      if (m === 1) {
        s += (image.data[i]! * image.data[i]!) / max;
        n++;
      }
    });
    expect(f['square_firstorder_Mean']).toBeCloseTo(s / n, 9);
  });

  it('an image type the build does not provide is a clear error', () => {
    const v = createVolume([4, 4, 4]);
    const m = withData(v, new Uint8Array(64).fill(1));
    expect(errorOf(() => extractFeatures(v, m, { params: parseParams('imageType:\n  LBP3D: {}\n'), imageTypes: {} }))).toMatch(
      /image type LBP3D is not available in this build/,
    );
  });
});
