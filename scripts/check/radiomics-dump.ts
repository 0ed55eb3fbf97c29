/**
 * Dump every feature value of both radiomics engines, with full precision, to JSON: the
 * PyRadiomics-compatible engine on brain1/brain2/breast1 in every regression-baseline variant
 * (plus 2D along each axis and every weighting norm), the paper settings on resampled brain1,
 * and the IBSI 1 engine on the digital phantom and CT phantom configurations A–E.
 * A refactoring of the kernels under both engines must leave this file byte-identical:
 *   npx tsx scripts/check/radiomics-dump.ts /tmp/before.json   (before)
 *   npx tsx scripts/check/radiomics-dump.ts /tmp/after.json && cmp /tmp/before.json /tmp/after.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readVolume, withData, type Volume } from '../../src/core/node.js';
import { extractFeatures } from '../../src/core/radiomics/extractor.js';
import { parseParams, validateParams } from '../../src/core/radiomics/params.js';
import { extractIbsi, IBSI_CONFIGS, IBSI_DIGITAL_PHANTOM } from '../../src/core/radiomics/ibsi/index.js';
import { readBaseline } from '../../test/radiomics/baseline.js';
import { parsePythonLiteral } from '../../test/radiomics/python-literal.js';
import { readPhantom } from '../../test/radiomics-ibsi/reference.js';
import { PYRAD } from '../../test/shared-data.js';

const out: Record<string, Record<string, unknown>> = {};
/** Full precision: numbers as their shortest round-trip text, NaN/±Infinity as strings. */
const exact = (f: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === 'number' && !Number.isFinite(v) ? String(v) : v]));

async function main(): Promise<void> {
  const classes = ['firstorder', 'glcm', 'glrlm', 'glszm', 'gldm', 'ngtdm', 'shape', 'shape2D'];
  const baselines = new Map(classes.map((c) => [c, readBaseline(c)]));
  const variants = ['', '_2d', '_FBN', '_combined', '_flatRegion', '_normalization', '_resegmentation', '_resampling', '_shape2D'];
  const textures = 'featureClass:\n  firstorder:\n  glcm:\n  glrlm:\n  glszm:\n  gldm:\n  ngtdm:\n  shape:\n';
  for (const c of ['brain1', 'brain2', 'breast1']) {
    const image = await readVolume(path.join(PYRAD, `${c}_image.nrrd`));
    const mask0 = await readVolume(path.join(PYRAD, `${c}_label.nrrd`));
    for (const v of variants) {
      const column = c + v;
      const cls = classes.filter((k) => baselines.get(k)!.has(column));
      if (cls.length === 0) continue;
      const col = baselines.get(cls[0]!)!.get(column)!;
      const settings = parsePythonLiteral(col.get('diagnostics_Configuration_Settings')!) as Record<string, unknown>;
      delete settings.additionalInfo;
      const params = validateParams({ setting: settings, featureClass: Object.fromEntries(classes.map((k) => [k, null])) }, column);
      let mask: Volume = mask0;
      if (v === '_shape2D') {
        const bb = parsePythonLiteral(col.get('diagnostics_Mask-corrected_BoundingBox')!) as number[];
        const [nx, ny] = mask0.size;
        const d = new Int32Array(mask0.data.length);
        for (let i = bb[2]! * nx * ny; i < (bb[2]! + 1) * nx * ny; i++) d[i] = mask0.data[i]!;
        mask = withData(mask0, d);
        params.featureClass = { shape2D: null, firstorder: null, glcm: null };
      } else params.featureClass = Object.fromEntries(classes.filter((k) => k !== 'shape2D').map((k) => [k, null]));
      out[column] = exact(extractFeatures(image, mask, { params }));
      console.error(column, Object.keys(out[column]!).length);
    }
    for (const dim of [0, 1, 2]) {
      const params = parseParams(`setting:\n  force2D: true\n  force2Ddimension: ${dim}\n${textures}`);
      out[`${c}_force2D_${dim}`] = exact(extractFeatures(image, mask0, { params }));
    }
    for (const norm of ['manhattan', 'euclidean', 'infinity', 'no_weighting'])
      out[`${c}_weighting_${norm}`] = exact(
        extractFeatures(image, mask0, { params: parseParams(`setting:\n  weightingNorm: ${norm}\n  binCount: 16\n${textures}`) }),
      );
  }
  const REF = path.join(PYRAD, 'reference-3.1');
  const params = parseParams(readFileSync(path.join(REF, 'paper.yaml'), 'utf8'), 'paper.yaml');
  params.imageType = { Original: {} };
  params.setting.resampledPixelSpacing = null;
  const image = await readVolume(path.join(REF, 'brain1-images', 'resampled_image.nii.gz'));
  const mask = await readVolume(path.join(REF, 'brain1-images', 'resampled_mask.nii.gz'));
  out.paper_brain1 = exact(extractFeatures(image, mask, { params }));
  const dp = await readPhantom('digital_phantom');
  out.ibsi_digital_phantom = exact(extractIbsi(dp.image, dp.mask, IBSI_DIGITAL_PHANTOM));
  const ct = await readPhantom('ct_phantom');
  for (const name of Object.keys(IBSI_CONFIGS).filter((k) => k.startsWith('config_'))) {
    out[`ibsi_ct_${name}`] = exact(extractIbsi(ct.image, ct.mask, IBSI_CONFIGS[name]!));
    console.error(name);
  }
  writeFileSync(process.argv[2] ?? '/tmp/radiomics-dump.json', JSON.stringify(out, null, 1));
}
void main();
