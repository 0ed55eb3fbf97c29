/**
 * Every PyRadiomics regression baseline value of brain1, brain2 and breast1
 * (../shared/pyradiomics-data/baseline/baseline_<class>.csv), in every variant,
 * recomputed by the extractor with the settings recorded in the baseline's own
 * diagnostics_Configuration_Settings and held to PyRadiomics' rule
 * |1 − value/baseline| < 3 % (exactly 0 when the baseline is 0).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVolume, withData, type Volume } from '../../src/core/node.js';
import { extractFeatures } from '../../src/core/radiomics/extractor.js';
import { validateParams } from '../../src/core/radiomics/params.js';
import { PYRAD } from '../shared-data.js';
import { readBaseline, relativeDifference, withinPyradiomicsTolerance } from './baseline.js';
import { parsePythonLiteral } from './python-literal.js';

const CLASSES = ['firstorder', 'glcm', 'glrlm', 'glszm', 'gldm', 'ngtdm', 'shape', 'shape2D'];
const baselines = new Map(CLASSES.map((c) => [c, readBaseline(c)]));
const CASES = ['brain1', 'brain2', 'breast1'];
const VARIANTS = ['', '_2d', '_FBN', '_combined', '_flatRegion', '_normalization', '_resegmentation', '_resampling', '_shape2D'];

const volumes = new Map<string, Promise<[Volume, Volume]>>();
function load(c: string): Promise<[Volume, Volume]> {
  if (!volumes.has(c))
    volumes.set(c, Promise.all([readVolume(path.join(PYRAD, `${c}_image.nrrd`)), readVolume(path.join(PYRAD, `${c}_label.nrrd`))]));
  return volumes.get(c)!;
}

/** The 2D label of PyRadiomics' shape2D test case: the label restricted to the slice its baseline records. */
function singleSlice(mask: Volume, z: number): Volume {
  const [nx, ny] = mask.size;
  const d = new Int32Array(mask.data.length);
  for (let i = z * nx * ny; i < (z + 1) * nx * ny; i++) d[i] = mask.data[i]!;
  return withData(mask, d);
}

const worst: Record<string, number> = {};

describe('PyRadiomics regression baselines (3 % rule)', () => {
  for (const c of CASES)
    for (const v of VARIANTS) {
      const column = c + v;
      const classes = CLASSES.filter((cls) => baselines.get(cls)!.has(column));
      if (classes.length === 0) continue;
      it(`${column}: ${classes.join(', ')}`, async () => {
        const col = baselines.get(classes[0]!)!.get(column)!;
        const settings = parsePythonLiteral(col.get('diagnostics_Configuration_Settings')!) as Record<string, unknown>;
        delete settings.additionalInfo;
        const featureClass = Object.fromEntries(classes.map((cls) => [cls, null]));
        const params = validateParams({ setting: settings, featureClass }, column);
        let [image, mask] = await load(c);
        if (v === '_shape2D') {
          const bb = parsePythonLiteral(col.get('diagnostics_Mask-corrected_BoundingBox')!) as number[];
          mask = singleSlice(mask, bb[2]!);
          let n = 0;
          for (const x of mask.data) n += x === 1 ? 1 : 0;
          expect(n).toBe(Number(col.get('diagnostics_Mask-corrected_VoxelNum')));
        }
        const features = extractFeatures(image, mask, { params });
        let checked = 0;
        for (const cls of classes)
          for (const [key, text] of baselines.get(cls)!.get(column)!) {
            if (!key.startsWith('original_')) continue;
            const expected = Number(text);
            const got = features[key];
            expect(typeof got, key).toBe('number');
            const ok = withinPyradiomicsTolerance(got as number, expected);
            if (!ok) expect.fail(`${column} ${key}: ${got} vs baseline ${expected}`);
            worst[column] = Math.max(worst[column] ?? 0, relativeDifference(got as number, expected));
            checked++;
          }
        expect(checked).toBeGreaterThan(0);
      });
    }
  it('reports the largest relative difference per column', () => {
    console.log('largest |1 − value/baseline| per column:', JSON.stringify(worst));
    expect(Object.keys(worst).length).toBeGreaterThan(20);
  });
});
