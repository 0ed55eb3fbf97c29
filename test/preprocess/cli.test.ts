import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { preprocessCommand } from '../../src/cli/commands/preprocess.js';
import { readVolume } from '../../src/core/image/io-node.js';
import { labelBoundingBox } from '../../src/core/image/crop.js';
import { PYRAD } from '../shared-data.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'hw-preprocess-'));
const image = path.join(PYRAD, 'breast1_image.nrrd'); // 45×120×21, 0.664 × 0.664 × 2.1 mm
const label = path.join(PYRAD, 'breast1_label.nrrd');

describe('habitat preprocess (CLI)', () => {
  it('N4 → min–max with clipping → 1 mm B-spline resampling, with the mask carried along and a sidecar of settings', async () => {
    const out = path.join(tmp, 'b.nii.gz');
    const maskOut = path.join(tmp, 'b_mask.nii.gz');
    const code = await preprocessCommand([image, '--mask', label, '--n4', '--normalize', 'minmax', '--clip', '1,99', '--resample', '1,1,1', '--out', out, '--mask-out', maskOut]);
    expect(code).toBe(0);
    const v = await readVolume(out);
    const m = await readVolume(maskOut);
    // corner-aligned 1 mm grid covering the 29.9 × 79.7 × 44.1 mm volume
    expect(v.size).toEqual([30, 80, 45]);
    expect(v.spacing.map((s) => +s.toFixed(6))).toEqual([1, 1, 1]);
    expect(m.size).toEqual(v.size);
    expect(labelBoundingBox(m, 1)).not.toBeNull();
    const side = JSON.parse(readFileSync(`${out}.json`, 'utf8'));
    expect(side.files.mask).toBe(label);
    expect(side.record.steps.map((s: { step: string }) => s.step)).toEqual(['n4', 'normalise', 'resample']);
    const [n4, norm, res] = side.record.steps;
    expect(n4.masked).toBe(true);
    expect(n4.maximumIterations).toEqual([50, 50, 50, 50]);
    expect(norm.method).toBe('minmax');
    expect(norm.clipPercentiles).toEqual([1, 99]);
    expect(norm.voxels).toBe(143); // the breast1 ROI
    expect(res.interpolator).toBe('bspline');
    expect(res.size).toEqual([30, 80, 45]);
    expect(side.record.output.size).toEqual([30, 80, 45]);
  });

  it('z-score only keeps the grid', async () => {
    const out = path.join(tmp, 'z.nii.gz');
    expect(await preprocessCommand([image, '--normalize', 'zscore', '--out', out])).toBe(0);
    const v = await readVolume(out);
    expect(v.size).toEqual([45, 120, 21]);
    let s = 0;
    for (const x of v.data) s += x;
    expect(Math.abs(s / v.data.length)).toBeLessThan(1e-4); // whole-volume statistics: mean 0
  });

  it('--register-to puts the series on the fixed grid and records the elastix transform', async () => {
    const out = path.join(tmp, 'r.nii.gz');
    const fixed = path.join(tmp, 'z.nii.gz'); // the z-scored copy written above: same anatomy, other grid values
    expect(await preprocessCommand([image, '--normalize', 'minmax', '--register-to', fixed, '--out', out])).toBe(0);
    const v = await readVolume(out);
    expect(v.size).toEqual([45, 120, 21]);
    const side = JSON.parse(readFileSync(`${out}.json`, 'utf8'));
    expect(side.files.registeredTo).toBe(fixed);
    const reg = side.record.steps[1];
    expect(reg.step).toBe('register');
    expect(reg.parameterMap.Transform).toEqual(['EulerTransform']);
    expect(reg.transformParameters).toHaveLength(6);
    // the two images are the same anatomy on the same grid: the transform stays near identity
    for (const a of reg.transformParameters.slice(0, 3)) expect(Math.abs(a)).toBeLessThan(0.02); // radians
    for (const t of reg.transformParameters.slice(3)) expect(Math.abs(t)).toBeLessThan(0.5); // mm
  });

  it('reports bad options as one-line usage errors', async () => {
    const out = path.join(tmp, 'x.nii.gz');
    await expect(preprocessCommand([image, '--out', out])).rejects.toThrow(/nothing to do/);
    await expect(preprocessCommand([image, '--normalize', 'robust', '--out', out])).rejects.toThrow(/minmax or zscore/);
    await expect(preprocessCommand([image, '--normalize', 'minmax', '--clip', '99,1', '--out', out])).rejects.toThrow(/increasing percentiles/);
    await expect(preprocessCommand([image, '--resample', '1,1', '--out', out])).rejects.toThrow(/needs 3 comma-separated numbers/);
    await expect(preprocessCommand([image, '--resample', '1,1,1', '--interpolator', 'cubic', '--out', out])).rejects.toThrow(/bspline, linear or nearest/);
    await expect(preprocessCommand([image, '--normalize', 'minmax', '--mask', path.join(PYRAD, 'brain1_label.nrrd'), '--out', out])).rejects.toThrow(/not on the grid/);
    expect(existsSync(out)).toBe(false);
  });
});
