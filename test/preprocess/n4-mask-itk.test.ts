/**
 * N4's default foreground mask against ITK 5.2.1 (issue 16): a synthetic head
 * (115 × 115 × 120 mm, 35 % air, three tissue classes, smooth multiplicative bias)
 * corrected by ITK's N4BiasFieldCorrectionImageFilter with the mask of SimpleITK's N4
 * example (OtsuThresholdImageFilter, 200 bins) and without a mask
 * (scripts/fixtures/preprocess_n4_head_itk.py, scripts/fixtures/n4-itk/n4_itk.cxx).
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readVolume } from '../../src/core/image/io-node.js';
import { otsuForegroundMask, otsuThreshold } from '../../src/core/image/otsu.js';
import { preprocessVolume } from '../../src/core/image/preprocess.js';
import { preprocessCommand } from '../../src/cli/commands/preprocess.js';
import type { Volume } from '../../src/core/image/volume.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/preprocess/n4-head');
const itk = JSON.parse(readFileSync(path.join(dir, 'itk.json'), 'utf8')) as {
  otsuThreshold: number;
  otsuForegroundVoxels: number;
  backgroundFraction: number;
  cv: Record<'input' | 'itkNone' | 'itkOtsu', { perClass: number[]; mean: number }>;
};
const read = (name: string) => readVolume(path.join(dir, name));

/** Mean over the three tissue classes of sd / mean (population sd, as numpy's std). */
function classCv(image: Volume, tissue: Volume): number {
  let total = 0;
  for (const c of [1, 2, 3]) {
    let n = 0;
    let s = 0;
    let ss = 0;
    for (let v = 0; v < tissue.data.length; v++) {
      if (tissue.data[v] !== c) continue;
      const x = image.data[v]!;
      n++;
      s += x;
      ss += x * x;
    }
    const mean = s / n;
    total += Math.sqrt(ss / n - mean * mean) / mean;
  }
  return total / 3;
}

describe('N4 foreground mask against ITK 5.2.1 on a synthetic head with air', async () => {
  const image = await read('image.mha');
  const tissue = await read('tissue.mha');

  it('the phantom is as described: 35 % air, a bias ITK removes to the noise floor with the Otsu mask', () => {
    expect(itk.backgroundFraction).toBeGreaterThan(0.33);
    expect(itk.backgroundFraction).toBeLessThan(0.37);
    expect(classCv(image, tissue)).toBeCloseTo(itk.cv.input.mean, 5); // our CV = the script's
    expect(itk.cv.itkOtsu.mean).toBeLessThan(0.016); // 1.5 % noise
    expect(itk.cv.itkNone.mean).toBeGreaterThan(1.2 * itk.cv.itkOtsu.mean);
  });

  it('Otsu threshold and foreground mask equal ITK’s OtsuThresholdImageFilter (200 bins)', async () => {
    // ITK prints the float32 threshold with 9 significant digits, enough to round-trip
    expect(otsuThreshold(image.data, 200).threshold).toBe(Math.fround(itk.otsuThreshold));
    const fg = otsuForegroundMask(image);
    const ref = await read('itk-otsu-mask.mha');
    let diff = 0;
    for (let v = 0; v < ref.data.length; v++) if (fg.mask.data[v] !== ref.data[v]) diff++;
    expect(diff).toBe(0);
    expect(fg.voxels).toBe(itk.otsuForegroundVoxels);
  });

  it('preprocess --n4 (default Otsu mask) gives ITK’s Otsu-masked N4 and its coefficient of variation; the sidecar records the mask', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'hw-n4-mask-'));
    const out = path.join(tmp, 'head.nii.gz');
    expect(await preprocessCommand([path.join(dir, 'image.mha'), '--n4', '--out', out])).toBe(0);
    const side = JSON.parse(readFileSync(`${out}.json`, 'utf8'));
    const n4 = side.record.steps[0];
    expect(n4.n4Mask).toEqual({ method: 'otsu', bins: 200, threshold: Math.fround(itk.otsuThreshold), voxels: itk.otsuForegroundVoxels });
    expect(n4.masked).toBe(true);
    const mine = await readVolume(out);
    const ref = await read('itk-n4-otsu.mha');
    let maxRel = 0;
    for (let v = 0; v < ref.data.length; v++) if (tissue.data[v]) maxRel = Math.max(maxRel, Math.abs(mine.data[v]! / ref.data[v]! - 1));
    // measured 3.5e-3: ITK's last level stops after 2 iterations at a convergence of
    // 0.00099, ours (float64 against ITK's float32) after 3 — the 0.001 threshold is crossed
    // between them; the tissue classes' CV agrees to 1 %
    expect(maxRel).toBeLessThan(5e-3);
    const cv = classCv(mine, tissue);
    expect(Math.abs(cv / itk.cv.itkOtsu.mean - 1)).toBeLessThan(0.01);
  }, 300_000);

  it('--n4-mask none fits over the air too, as ITK without a mask, and leaves more of the bias', async () => {
    const r = await preprocessVolume(image, { n4: true, n4Mask: 'none' });
    const n4 = r.record.steps[0]!;
    expect(n4.step === 'n4' && n4.n4Mask).toEqual({ method: 'none' });
    const cv = classCv(r.image, tissue);
    expect(Math.abs(cv / itk.cv.itkNone.mean - 1)).toBeLessThan(0.02);
    expect(cv).toBeGreaterThan(1.2 * itk.cv.itkOtsu.mean);
  }, 300_000);
});
