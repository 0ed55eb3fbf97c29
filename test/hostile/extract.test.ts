/**
 * The extractor on hostile and edge-case input: geometry mismatches, empty and
 * one-voxel masks, NaN/Inf voxels, and the valid edge cases (constant image,
 * flat region), which must give PyRadiomics' answers: the `<case>_flatRegion`
 * columns of PyRadiomics' baselines (binWidth 5000, so every ROI voxel falls in
 * one bin, which is exactly what a constant image gives).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVolume } from '../../src/core/image/io-node.js';
import { withData, type Volume } from '../../src/core/image/volume.js';
import { extractFeatures } from '../../src/core/radiomics/extractor.js';
import { validateParams } from '../../src/core/radiomics/params.js';
import { PYRAD } from '../shared-data.js';
import { readBaseline, relativeDifference } from '../radiomics/baseline.js';
import { boxMask, image, nii, niiGz, write } from './files.js';
import { runCliText } from '../cli/run-cli.js';

const named = { imageName: 'image.nii.gz', maskName: 'mask.nii.gz' };
const firstorderOnly = validateParams({ featureClass: { firstorder: null } });

describe('extract: refused input, one line naming the file', () => {
  const img = image();
  it.each([
    ['spacing', { spacing: [1, 1, 3] }, 'spacing 1×1×2 vs 1×1×3'],
    ['origin', { origin: [-5, 3, 12.5] }, 'origin -5×3×10 vs -5×3×12.5'],
    ['direction', { direction: Float64Array.from([0, 1, 0, 1, 0, 0, 0, 0, 1]) }, 'direction 1×0×0×0×1×0×0×0×1 vs 0×1×0×1×0×0×0×0×1'],
  ])('image and mask of different %s', (_, change, how) => {
    const mask = { ...boxMask(img), ...change } as Volume;
    expect(() => extractFeatures(img, mask, named)).toThrow(
      `mask.nii.gz: geometry differs from image.nii.gz (${how}); set correctMask: true to resample the mask onto the image`,
    );
  });

  it('image and mask of different size', () => {
    const other = image([12, 10, 5]);
    expect(() => extractFeatures(img, boxMask(other), named)).toThrow(/^mask\.nii\.gz: geometry differs from image\.nii\.gz \(size 12×10×6 vs 12×10×5\)/);
  });

  it('empty mask, mask of NaN, absent label, one-voxel mask', () => {
    expect(() => extractFeatures(img, boxMask(img, [0, 0, 0], [-1, -1, -1]), named)).toThrow('mask.nii.gz: the mask is empty (no voxel is labelled)');
    // NaN mask voxels are background, as SimpleITK's cast to UInt32 makes them
    const nanMask = withData(img, new Float32Array(img.data.length).fill(NaN));
    expect(() => extractFeatures(img, nanMask, named)).toThrow('mask.nii.gz: the mask is empty (no voxel is labelled)');
    expect(() => extractFeatures(img, boxMask(img, [3, 3, 1], [8, 7, 4], 2), named)).toThrow('mask.nii.gz: label 1 is not present in the mask (labels: 2)');
    expect(() => extractFeatures(img, boxMask(img, [4, 4, 2], [4, 4, 2]), named)).toThrow('mask.nii.gz: the ROI is a single voxel; cannot extract features');
  });

  it('NaN or Inf inside the ROI is refused; outside it, ignored unless the whole image is used', () => {
    const mask = boxMask(img);
    const inside = withData(img, Float32Array.from(img.data));
    inside.data[5 + 12 * (5 + 10 * 2)] = NaN;
    expect(() => extractFeatures(inside, mask, named)).toThrow('image.nii.gz: 1 voxel is NaN or infinite inside the ROI (label 1); fix the image or the mask');
    const outside = withData(img, Float32Array.from(img.data));
    outside.data[0] = Infinity;
    outside.data[1] = NaN;
    const ref = extractFeatures(img, mask, { ...named, params: firstorderOnly });
    const got = extractFeatures(outside, mask, { ...named, params: firstorderOnly });
    for (const k of Object.keys(ref).filter((k) => k.startsWith('original_'))) expect(got[k]).toBe(ref[k]);
    const withLoG = validateParams({ imageType: { Original: {}, LoG: { sigma: [1.0] } }, featureClass: { firstorder: null } });
    expect(() => extractFeatures(outside, mask, { ...named, params: withLoG })).toThrow(
      /^image\.nii\.gz: 2 voxels are NaN or infinite outside the ROI, and normalisation, resampling or a filter would spread them into it/,
    );
  });

  it('NaN/Inf in a NIfTI file are kept (ITK 5 NiftiImageIO reads them as 0; readVolume puts them back), as NRRD keeps them, and refused inside the ROI', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hw-nan-'));
    const v = withData(img, Float32Array.from(img.data));
    v.data[7] = NaN;
    v.data[8] = -Infinity;
    const back = await readVolume(write(dir, 'nan.nii', nii(v)));
    expect([back.data[7], back.data[8], back.data[9]]).toEqual([NaN, -Infinity, v.data[9]]);
    const all = withData(back, new Uint8Array(back.data.length).fill(1));
    expect(() => extractFeatures(back, all, named)).toThrow('image.nii.gz: 2 voxels are NaN or infinite inside the ROI (label 1); fix the image or the mask');
    const { writeVolume } = await import('../../src/core/image/io-node.js');
    await writeVolume(v, path.join(dir, 'nan.nrrd'));
    const nrrd = await readVolume(path.join(dir, 'nan.nrrd'));
    expect([nrrd.data[7], nrrd.data[8]]).toEqual([NaN, -Infinity]);
  });
});

describe('extract: constant image and flat region give PyRadiomics answers', () => {
  const classes = ['glcm', 'glrlm', 'glszm', 'gldm', 'ngtdm'];
  const texture = validateParams({ featureClass: Object.fromEntries(classes.map((c) => [c, null])) });

  it.each(['brain1', 'breast1'])('%s made constant matches its _flatRegion baseline columns', async (c) => {
    const img = await readVolume(path.join(PYRAD, `${c}_image.nrrd`));
    const mask = await readVolume(path.join(PYRAD, `${c}_label.nrrd`));
    const constant = withData(img, new Int16Array(img.data.length).fill(300));
    const f = extractFeatures(constant, mask, { params: texture });
    let compared = 0;
    let worst = 0;
    for (const cls of classes) {
      const base = readBaseline(cls).get(`${c}_flatRegion`)!;
      for (const [key, text] of base) {
        if (!key.startsWith('original_')) continue;
        const want = Number(text);
        const got = f[key] as number;
        expect(typeof got, key).toBe('number');
        // PyRadiomics' own rule: exact where the baseline is 0, else within 3 % (measured: see worst below)
        if (want === 0) expect(got, key).toBe(0);
        else expect(relativeDifference(got, want), key).toBeLessThan(1e-9);
        worst = Math.max(worst, relativeDifference(got, want));
        compared++;
      }
    }
    expect(compared).toBe(24 + 16 + 16 + 14 + 5);
    expect(worst).toBeLessThan(1e-9);
  });

  it('first order on a constant ROI: PyRadiomics firstorder.py definitions (flat-region guards for skewness and kurtosis)', () => {
    const img = image();
    const c = 37.5;
    const constant = withData(img, new Float32Array(img.data.length).fill(c));
    const mask = boxMask(img); // 6×5×4 = 120 voxels of 1×1×2 mm
    const f = extractFeatures(constant, mask, { params: firstorderOnly });
    const n = 120;
    const eps = 2.220446049250313e-16; // numpy.spacing(1): entropy = −Σ p log2(p + eps) with p = 1
    const expected: Record<string, number> = {
      Energy: n * c * c,
      TotalEnergy: n * c * c * 2,
      Entropy: -Math.log2(1 + eps),
      Minimum: c,
      '10Percentile': c,
      '90Percentile': c,
      Maximum: c,
      Mean: c,
      Median: c,
      InterquartileRange: 0,
      Range: 0,
      MeanAbsoluteDeviation: 0,
      RobustMeanAbsoluteDeviation: 0,
      RootMeanSquared: c,
      Skewness: 0,
      Kurtosis: 0,
      Variance: 0,
      Uniformity: 1,
    };
    for (const [k, v] of Object.entries(expected)) expect(f[`original_firstorder_${k}`], k).toBeCloseTo(v, 12);
  });

  it('a constant image gives the same texture answers whatever its value, and no NaN anywhere', () => {
    const img = image();
    const mask = boxMask(img);
    const all = validateParams({});
    const a = extractFeatures(withData(img, new Float32Array(img.data.length).fill(3)), mask, { params: all });
    const b = extractFeatures(withData(img, new Float32Array(img.data.length).fill(2500)), mask, { params: all });
    for (const [k, v] of Object.entries(a)) {
      if (typeof v !== 'number') continue;
      expect(Number.isFinite(v), k).toBe(true);
      if (/_(glcm|glrlm|glszm|gldm|ngtdm|shape)_/.test(k)) expect(b[k], k).toBe(v);
    }
  });
});

describe('habitat extract on the command line: exit code 1, one line on stderr, no stack trace', () => {
  it.each([
    ['a missing image', (d: string) => [path.join(d, 'nope.nii.gz'), path.join(d, 'mask.nii.gz')], /^habitat: .*nope\.nii\.gz: no such file or folder$/],
    ['a mask of another grid', (d: string) => [path.join(d, 'image.nii.gz'), path.join(d, 'mask3.nii.gz')], /^habitat: .*mask3\.nii\.gz: geometry differs from .*image\.nii\.gz \(spacing 1×1×2 vs 1×1×3\); set correctMask: true/],
    ['a malformed parameter file', (d: string) => [path.join(d, 'image.nii.gz'), path.join(d, 'mask.nii.gz'), '--params', path.join(d, 'bad.yaml')], /^habitat: bad\.yaml: unknown setting setting\.binwidth$/],
  ])('%s', (_, args, re) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hw-cli-'));
    const img = image();
    write(dir, 'image.nii.gz', niiGz(img));
    write(dir, 'mask.nii.gz', niiGz(boxMask(img)));
    write(dir, 'mask3.nii.gz', niiGz(boxMask(image([12, 10, 6], [1, 1, 3]))));
    write(dir, 'bad.yaml', 'setting:\n  binwidth: 25\n');
    const r = runCliText(['extract', ...args(dir)]);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n').filter((l) => !/WARNING|NiftiImageIO|^$/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(re);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
