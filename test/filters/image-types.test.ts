/**
 * The image type registry: PyRadiomics 3.1's names, prefixes and skip rules
 * (radiomics/imageoperations.py getLoGImage / getWaveletImage …), and the `filter`
 * CLI writing the same voxels as the brain1 PyRadiomics reference.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createVolume } from '../../src/core/image/volume.js';
import { imageTypeByName, imageTypeNames, imageTypes, logImageName, logImages } from '../../src/core/filters/index.js';
import { filterCommand } from '../../src/cli/commands/filter.js';
import { readVolume } from '../../src/core/node.js';
import { sharedPath } from '../shared-data.js';

function ramp(size: [number, number, number], spacing: [number, number, number] = [1, 1, 1]) {
  const n = size[0] * size[1] * size[2];
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = ((i * 37) % 101) - 20;
  return createVolume(size, { data, spacing });
}

describe('imageTypes registry (PyRadiomics names and prefixes)', () => {
  const vol = ramp([10, 9, 8]);
  it('knows the PyRadiomics image types', () => {
    expect(imageTypeNames()).toEqual(['Original', 'LoG', 'Wavelet', 'Square', 'SquareRoot', 'Logarithm', 'Exponential', 'Gradient', 'LBP2D', 'LBP3D']);
    expect(() => imageTypeByName('Laws')).toThrow(/Laws/);
    expect(() => imageTypes.LBP3D!(vol, null, {})).toThrow(/mask/);
  });

  it.each([
    ['Original', {}, ['original']],
    ['LoG', { sigma: [1.0, 2.5] }, ['log-sigma-1-0-mm-3D', 'log-sigma-2-5-mm-3D']],
    ['Wavelet', {}, ['wavelet-LLH', 'wavelet-LHL', 'wavelet-LHH', 'wavelet-HLL', 'wavelet-HLH', 'wavelet-HHL', 'wavelet-HHH', 'wavelet-LLL']],
    ['Wavelet', { level: 2, wavelet: 'haar' }, [
      'wavelet-LLH', 'wavelet-LHL', 'wavelet-LHH', 'wavelet-HLL', 'wavelet-HLH', 'wavelet-HHL', 'wavelet-HHH',
      'wavelet2-LLH', 'wavelet2-LHL', 'wavelet2-LHH', 'wavelet2-HLL', 'wavelet2-HLH', 'wavelet2-HHL', 'wavelet2-HHH', 'wavelet2-LLL',
    ]],
    ['Wavelet', { force2D: true, force2Ddimension: 0 }, ['wavelet-LH', 'wavelet-HL', 'wavelet-HH', 'wavelet-LL']],
    ['Square', {}, ['square']],
    ['SquareRoot', {}, ['squareroot']],
    ['Logarithm', {}, ['logarithm']],
    ['Exponential', {}, ['exponential']],
    ['Gradient', {}, ['gradient']],
    ['LBP2D', {}, ['lbp-2D']],
    ['LBP3D', {}, ['lbp-3D-m1', 'lbp-3D-m2', 'lbp-3D-k']],
    ['LBP3D', { lbp3DLevels: 3 }, ['lbp-3D-m1', 'lbp-3D-m2', 'lbp-3D-m3', 'lbp-3D-k']],
  ] as const)('%s %j → %j', (name, settings, prefixes) => {
    const mask = createVolume(vol.size, { data: new Uint8Array(vol.data.length).fill(1) });
    const images = imageTypes[name]!(vol, mask, settings);
    expect(images.map((x) => x.prefix)).toEqual(prefixes);
    for (const im of images) {
      expect(im.volume.size).toEqual(vol.size);
      expect(im.volume.origin).toEqual(vol.origin);
    }
  });

  it('Wavelet with cropToMask: same values inside the mask, NaN far from it', () => {
    const big = ramp([30, 28, 20]);
    const m = new Uint8Array(big.data.length);
    m[15 + 30 * (14 + 28 * 10)] = 1;
    const mask = createVolume(big.size, { data: m });
    const full = imageTypes.Wavelet!(big, mask, {});
    const part = imageTypes.Wavelet!(big, mask, { cropToMask: true });
    const p = 15 + 30 * (14 + 28 * 10);
    part.forEach((im, b) => {
      expect(im.prefix).toBe(full[b]!.prefix);
      expect(im.volume.data[p]).toBe(full[b]!.volume.data[p]);
      expect(im.volume.data[0]).toBeNaN();
    });
  });

  it('LoG names follow Python str(): float 3.0 → 3-0, YAML integer "3" → 3', () => {
    expect(logImageName(3)).toBe('log-sigma-3-0-mm-3D');
    expect(logImageName('3')).toBe('log-sigma-3-mm-3D');
    expect(logImageName(0.5)).toBe('log-sigma-0-5-mm-3D');
  });

  it('LoG skips σ ≤ 0 and σ too large for the image (size ≥ ⌈σ/spacing⌉ + 1), and tiny images', () => {
    const v = ramp([6, 6, 5], [1, 1, 2]);
    // z: 5 voxels of 2 mm → σ = 8 needs 5 ≥ 4 + 1 (ok); σ = 9 needs 5 ≥ 5 + 1 (skip); x: σ 5 needs 6 ≥ 6 (ok).
    const r = logImages(v, { sigma: [0, 5, 5.5, -1] });
    expect(r.images.map((x) => x.prefix)).toEqual(['log-sigma-5-0-mm-3D']);
    expect(r.skipped).toHaveLength(3);
    expect(logImages(ramp([3, 10, 10]), { sigma: [1] }).images).toEqual([]);
  });
});

const dir = sharedPath('pyradiomics-data', 'reference-3.1', 'brain1-images');
describe.skipIf(!existsSync(dir))('habitat filter CLI on brain1 (PyRadiomics reference)', () => {
  it('writes LoG σ 3 and wavelet HHL identical to PyRadiomics', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'habitat-filter-'));
    try {
      const input = `${dir}/resampled_image.nii.gz`;
      const log = console.log;
      console.log = () => {};
      try {
        expect(await filterCommand([input, '--type', 'log', '--sigma', '3', '--out', `${tmp}/log.nii.gz`])).toBe(0);
        expect(await filterCommand([input, '--type', 'wavelet', '--band', 'HHL', '--out', `${tmp}/w.nii.gz`])).toBe(0);
      } finally {
        console.log = log;
      }
      for (const [got, ref, tol] of [['log', 'log-sigma-3-0-mm-3D', 0], ['w', 'wavelet-HHL', 0]] as const) {
        const a = await readVolume(`${tmp}/${got}.nii.gz`);
        const b = await readVolume(`${dir}/${ref}.nii.gz`);
        let m = 0;
        for (let i = 0; i < b.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
        expect(m, ref).toBeLessThanOrEqual(tol);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('rejects unknown types and a missing σ with one-line errors', async () => {
    await expect(filterCommand(['x.nii.gz', '--type', 'nope', '--out', 'y.nii.gz'])).rejects.toThrow(/not available/);
    // a name of Object.prototype (the plain-object table matched it: "imageTypes[pyName] is not a function")
    await expect(filterCommand(['x.nii.gz', '--type', 'constructor', '--out', 'y.nii.gz'])).rejects.toThrow(/not available/);
    await expect(filterCommand(['x.nii.gz', '--type', 'log', '--out', 'y.nii.gz'])).rejects.toThrow(/--sigma/);
  });
});
