/**
 * `habitat extract`: CSV laid out as `pyradiomics --format csv` (Image, Mask,
 * diagnostics…, features; one row), JSON as one object, one-line errors.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractCommand } from '../../src/cli/commands/extract.js';
import { PYRAD } from '../shared-data.js';
import { readBaseline, splitCsvLine, withinPyradiomicsTolerance } from './baseline.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'hw-extract-'));
const image = path.join(PYRAD, 'breast1_image.nrrd');
const mask = path.join(PYRAD, 'breast1_label.nrrd');

describe('habitat extract', () => {
  it('writes a PyRadiomics-style CSV whose values meet the baselines', async () => {
    const out = path.join(tmp, 'f.csv');
    expect(await extractCommand([image, mask, '--format', 'csv', '--out', out])).toBe(0);
    const [header, row, ...rest] = readFileSync(out, 'utf8').trim().split('\n').map(splitCsvLine);
    expect(rest).toHaveLength(0);
    expect(header!.slice(0, 2)).toEqual(['Image', 'Mask']);
    expect(row!.slice(0, 2)).toEqual([image, mask]);
    expect(header!.length).toBe(row!.length);
    const value = (k: string) => Number(row![header!.indexOf(k)]);
    expect(header!.indexOf('diagnostics_Mask-original_BoundingBox')).toBeLessThan(header!.indexOf('original_shape_Elongation'));
    expect(row![header!.indexOf('diagnostics_Mask-original_BoundingBox')]).toBe('(21, 64, 8, 9, 12, 3)');
    const glcm = readBaseline('glcm').get('breast1')!;
    for (const k of ['original_glcm_Contrast', 'original_glcm_JointEntropy', 'original_glcm_Idmn'])
      expect(withinPyradiomicsTolerance(value(k), Number(glcm.get(k)))).toBe(true);
    // default extraction: every class but shape2D, non-deprecated features only
    expect(header!.filter((k) => k.startsWith('original_')).length).toBe(107);
  });

  it('writes one JSON object with --params and --label', async () => {
    const out = path.join(tmp, 'f.json');
    const params = path.join(PYRAD, 'exampleSettings', 'Params.yaml');
    expect(await extractCommand([image, mask, '--params', params, '--label', '1', '--out', out])).toBe(0);
    const obj = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(typeof obj.original_firstorder_Mean).toBe('number');
    expect(obj.original_glcm_SumAverage).toBeUndefined(); // Params.yaml leaves it out
    expect(obj.original_ngtdm_Coarseness).toBeUndefined(); // and the whole ngtdm class
  });

  it('fails with one line naming the file for a missing label or a bad option', async () => {
    await expect(extractCommand([image, mask, '--label', '7'])).rejects.toThrow(/breast1_label\.nrrd: label 7 is not present in the mask \(labels: 1\)/);
    await expect(extractCommand([image, mask, '--format', 'xml'])).rejects.toThrow(/--format must be csv or json/);
    await expect(extractCommand([image, path.join(PYRAD, 'brain1_label.nrrd')])).rejects.toThrow(/brain1_label\.nrrd: geometry differs/);
  });

  it('--standard ibsi runs the IBSI 1 mode with the parameter file mapped to IBSI settings', async () => {
    const ibsiOut = path.join(tmp, 'ibsi.json');
    const pyOut = path.join(tmp, 'py.json');
    const params = path.join(PYRAD, 'exampleSettings', 'Params.yaml');
    expect(await extractCommand([image, mask, '--standard', 'ibsi', '--params', params, '--out', ibsiOut])).toBe(0);
    expect(await extractCommand([image, mask, '--params', params, '--out', pyOut])).toBe(0);
    const ibsi = JSON.parse(readFileSync(ibsiOut, 'utf8')) as Record<string, number>;
    const py = JSON.parse(readFileSync(pyOut, 'utf8')) as Record<string, number>;
    // definitions the two standards share give the same numbers
    expect(ibsi.stat_mean).toBeCloseTo(py.original_firstorder_Mean!, 9);
    expect(ibsi.stat_var).toBeCloseTo(py.original_firstorder_Variance!, 9);
    expect(ibsi.stat_max).toBe(py.original_firstorder_Maximum);
    expect(ibsi.morph_volume).toBeCloseTo(py.original_shape_MeshVolume!, 6);
    await expect(extractCommand([image, mask, '--standard', 'ibsi', '--ibsi-config', 'config_Z'])).rejects.toThrow(/--ibsi-config must be one of/);
  });
});
