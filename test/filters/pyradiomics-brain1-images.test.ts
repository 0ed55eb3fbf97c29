/**
 * PyRadiomics 3.1 parity of the LoG and wavelet image types, voxel by voxel, on the
 * images PyRadiomics itself computed for brain1 with the paper's settings
 * (reference-3.1/brain1-images: SimpleITK 2.1 / ITK 5.2.1 LoG, PyWavelets 1.1.1 swtn,
 * both from the resampled, cropped image `resampled_image.nii.gz`, 48×66×57 voxels).
 *
 * Agreement reached (docs/filters.md):
 * - LoG σ 1, 3, 5 mm: bit-identical float32 (max |Δ| = 0 on all 180,576 voxels);
 *   asserted below as max |Δ| ≤ 1e-6 · max |reference|.
 * - wavelet coif1 LLH … LLL: bit-identical float64 (terms summed in PyWavelets' order;
 *   max |reference| 176 … 5377); asserted exactly (max |Δ| = 0).
 * Both inside and outside the mask.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { readVolume } from '../../src/core/node.js';
import type { Volume } from '../../src/core/image/volume.js';
import { laplacianRecursiveGaussian, logImages } from '../../src/core/filters/log.js';
import { pyradiomicsWaveletImages } from '../../src/core/filters/wavelet.js';
import { sharedPath } from '../shared-data.js';

const dir = sharedPath('pyradiomics-data', 'reference-3.1', 'brain1-images');
const have = existsSync(dir);

interface Agreement {
  maxAbsInside: number;
  maxAbsOutside: number;
  maxRef: number;
}

function agreement(got: Volume, ref: Volume, mask: Volume): Agreement {
  expect(got.size).toEqual(ref.size);
  let maxAbsInside = 0;
  let maxAbsOutside = 0;
  let maxRef = 0;
  for (let i = 0; i < ref.data.length; i++) {
    const d = Math.abs(got.data[i]! - ref.data[i]!);
    if (mask.data[i]) maxAbsInside = Math.max(maxAbsInside, d);
    else maxAbsOutside = Math.max(maxAbsOutside, d);
    maxRef = Math.max(maxRef, Math.abs(ref.data[i]!));
  }
  return { maxAbsInside, maxAbsOutside, maxRef };
}

describe.skipIf(!have)('PyRadiomics 3.1 brain1 filtered images (reference-3.1/brain1-images)', () => {
  let image: Volume;
  let mask: Volume;
  beforeAll(async () => {
    image = await readVolume(`${dir}/resampled_image.nii.gz`);
    mask = await readVolume(`${dir}/resampled_mask.nii.gz`);
  });

  it.each([1, 3, 5])('LoG σ %i mm equals SimpleITK LaplacianRecursiveGaussian (bit-identical float32)', async (sigma) => {
    const ref = await readVolume(`${dir}/log-sigma-${sigma}-0-mm-3D.nii.gz`);
    const got = laplacianRecursiveGaussian(image, sigma, true);
    expect(got.data).toBeInstanceOf(Float32Array);
    const a = agreement(got, ref, mask);
    expect(a.maxRef).toBeGreaterThan(100);
    expect(a.maxAbsInside).toBeLessThanOrEqual(1e-6 * a.maxRef);
    expect(a.maxAbsOutside).toBeLessThanOrEqual(1e-6 * a.maxRef);
  });

  it('logImages names and yields the three paper images', () => {
    const { images, skipped } = logImages(image, { sigma: [1, 3, 5] });
    expect(images.map((x) => x.prefix)).toEqual(['log-sigma-1-0-mm-3D', 'log-sigma-3-0-mm-3D', 'log-sigma-5-0-mm-3D']);
    expect(skipped).toEqual([]);
  });

  it('wavelet coif1 level 1: 8 sub-bands bit-identical to PyWavelets swtn', async () => {
    const images = pyradiomicsWaveletImages(image, { wavelet: 'coif1' });
    expect(images.map((x) => x.prefix)).toEqual([
      'wavelet-LLH', 'wavelet-LHL', 'wavelet-LHH', 'wavelet-HLL',
      'wavelet-HLH', 'wavelet-HHL', 'wavelet-HHH', 'wavelet-LLL',
    ]);
    for (const { prefix, volume } of images) {
      const ref = await readVolume(`${dir}/${prefix}.nii.gz`);
      const a = agreement(volume, ref, mask);
      expect(a.maxRef, prefix).toBeGreaterThan(100);
      expect(a.maxAbsInside, prefix).toBe(0);
      expect(a.maxAbsOutside, prefix).toBe(0);
    }
  });
});

describe.skipIf(!have)('brain1 derived images reproduce brain1_paper.csv first-order Minimum / Maximum / Mean', () => {
  it('for the 3 LoG and 8 wavelet images, from resampled_image.nii.gz', async () => {
    const csv = readFileSync(sharedPath('pyradiomics-data', 'reference-3.1', 'brain1_paper.csv'), 'utf8');
    const row = (key: string) => {
      const line = csv.split('\n').find((l) => l.startsWith(`${key},`));
      if (!line) throw new Error(`brain1_paper.csv has no row ${key}`);
      return Number(line.slice(key.length + 1));
    };
    const image = await readVolume(`${dir}/resampled_image.nii.gz`);
    const mask = await readVolume(`${dir}/resampled_mask.nii.gz`);
    const images = [...logImages(image, { sigma: [1, 3, 5] }).images, ...pyradiomicsWaveletImages(image)];
    expect(images).toHaveLength(11);
    for (const { prefix, volume } of images) {
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      let n = 0;
      volume.data.forEach((v, i) => {
        if (!mask.data[i]) return;
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
        n++;
      });
      expect(min, prefix).toBe(row(`${prefix}_firstorder_Minimum`));
      expect(max, prefix).toBe(row(`${prefix}_firstorder_Maximum`));
      // PyRadiomics' mean sums in the image's precision (float32 for LoG), so compare to 1e-6.
      expect(Math.abs(sum / n - row(`${prefix}_firstorder_Mean`)), prefix).toBeLessThanOrEqual(1e-6 * Math.abs(row(`${prefix}_firstorder_Mean`)));
    }
  });
});
