import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  compareResponseMaps,
  parsePhase2References,
  PHASE1_TESTS,
  PHASE2_CONFIGS,
  phase2Features,
  phase2Grid,
  readVolume,
  withinTolerance,
  writeVolume,
  type Phase2Grid,
  type Volume,
} from '../../core/node.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';

export const complianceIbsi2Help =
  'compliance ibsi2 --data <ibsi2 dir> --out <dir> [--phase 1|2|all] [--only ids] [--ct <ct_phantom dir>]   IBSI 2 response maps and phase-2 features vs the references';

const usage = `usage: habitat compliance ibsi2 --data <dir> --out <dir> [--phase 1|2|all] [--only 2_a,4_b_2,5.B] [--ct <dir>]
  --data   folder holding digital_phantoms/ and reference_data/ (IBSI 2 data sets)
  --out    folder for the response maps <test>.nii.gz and phase2_features.csv
  --phase  1 (response maps), 2 (CT phantom features) or all (default)
  --only   comma-separated test ids (phase 1, e.g. 2_a) and/or configuration ids (phase 2, e.g. 5.A)
  --ct     IBSI 1 CT phantom folder with nifti/image and nifti/mask (default <data>/../ibsi1/ct_phantom)`;

function fmt(x: number | undefined): string {
  return x !== undefined && Number.isFinite(x) ? (Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toPrecision(4)) : String(x);
}

/** A fraction as a percentage for the table (small values in exponent form). */
function pct(x: number): string {
  const p = 100 * x;
  return p === 0 ? '0' : p < 1e-3 ? p.toExponential(1) : p.toFixed(4);
}

async function phase1(data: string, out: string, only: string[] | null): Promise<{ pass: number; total: number }> {
  const phantoms = new Map<string, Volume>();
  let pass = 0;
  let total = 0;
  console.log('IBSI 2 phase 1 — response maps (pass: every voxel within 1 % of the reference range)');
  console.log('test     phantom       result  max |Δ| / range  filter');
  for (const t of PHASE1_TESTS) {
    if (only && !only.includes(t.id)) continue;
    const refFile = path.join(data, 'reference_data', 'reference_response_maps', `${t.id}-ValidCRM.nii`);
    let vol = phantoms.get(t.phantom);
    if (!vol) {
      const f = path.join(data, 'digital_phantoms', 'nifti', t.phantom, 'image', `${t.phantom}.nii.gz`);
      if (!existsSync(f)) throw new Error(`${f}: digital phantom not found (is --data the IBSI 2 folder?)`);
      vol = await readVolume(f);
      phantoms.set(t.phantom, vol);
    }
    const result = t.run(vol);
    await writeVolume(result, path.join(out, `${t.id}.nii.gz`));
    if (t.hasReference === false || !existsSync(refFile)) {
      console.log(`${t.id.padEnd(8)} ${t.phantom.padEnd(13)} written (no reference map)  ${t.description}`);
      continue;
    }
    const ref = await readVolume(refFile);
    total++;
    const c = compareResponseMaps(result.data, ref.data, 0.01);
    if (c.pass) pass++;
    console.log(`${t.id.padEnd(8)} ${t.phantom.padEnd(13)} ${(c.pass ? 'pass' : 'FAIL').padEnd(7)} ${pct(c.relMaxDiff).padStart(9)} %      ${t.description}`);
  }
  console.log(`phase 1: ${pass}/${total} response maps within 1 %`);
  return { pass, total };
}

async function phase2(data: string, ct: string, out: string, only: string[] | null): Promise<{ pass: number; total: number }> {
  const imageFile = path.join(ct, 'nifti', 'image', 'phantom.nii.gz');
  const maskFile = path.join(ct, 'nifti', 'mask', 'mask.nii.gz');
  const refFile = path.join(data, 'reference_data', 'reference_feature_values', 'reference_values.csv');
  for (const f of [imageFile, maskFile, refFile]) if (!existsSync(f)) throw new Error(`${f}: not found (see --data / --ct)`);
  const [image, mask, refText] = await Promise.all([readVolume(imageFile), readVolume(maskFile), readFile(refFile, 'utf8')]);
  const refs = parsePhase2References(refText);
  // One processed grid per dimensionality and reach: a margin wider than every finite filter, or the whole image.
  const finiteMargin = Math.max(...PHASE2_CONFIGS.map((c) => (c.margin === 'image' ? 0 : c.margin)));
  const grids = new Map<string, Phase2Grid>();
  const rows = ['filter_id;feature_tag;value;reference;tolerance;pass'];
  let pass = 0;
  let total = 0;
  console.log('\nIBSI 2 phase 2 — intensity statistics of filtered CT phantom (GTV-1) vs reference_values.csv');
  for (const c of PHASE2_CONFIGS) {
    if (only && !only.includes(c.id)) continue;
    const key = `${c.dimensions}:${c.margin === 'image' ? 'image' : finiteMargin}`;
    let g = grids.get(key);
    if (!g) {
      g = phase2Grid(image, mask, c.dimensions, c.margin === 'image' ? 'image' : finiteMargin);
      grids.set(key, g);
    }
    const t0 = Date.now();
    const f = phase2Features(g, c);
    const mine = refs.filter((r) => r.id === c.id);
    const fails: string[] = [];
    let ok = 0;
    for (const r of mine) {
      const x = f[r.feature];
      const p = x !== undefined && withinTolerance(x, r);
      if (p) ok++;
      else fails.push(`${r.feature} ${fmt(x)} (ref ${r.value} ± ${r.tolerance})`);
      rows.push(`${c.id};${r.feature};${x};${r.value};${r.tolerance};${p ? 1 : 0}`);
    }
    pass += ok;
    total += mine.length;
    console.log(`${c.id.padEnd(4)} ${String(ok).padStart(2)}/${mine.length}  ${c.description}  [${((Date.now() - t0) / 1000).toFixed(1)} s]${fails.length ? '\n       off: ' + fails.join('; ') : ''}`);
  }
  await writeFile(path.join(out, 'phase2_features.csv'), rows.join('\n') + '\n');
  console.log(`phase 2: ${pass}/${total} feature values within tolerance (written to ${path.join(out, 'phase2_features.csv')})`);
  return { pass, total };
}

/** `habitat compliance ibsi2 …`: exit code 0 when every computed check passes. */
export async function complianceIbsi2(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const data = stringFlag(args, 'data');
  const out = stringFlag(args, 'out');
  if (!data || !out) throw new UsageError(usage);
  const phase = stringFlag(args, 'phase') ?? 'all';
  if (!['1', '2', 'all'].includes(phase)) throw new UsageError(`--phase must be 1, 2 or all, got "${phase}"`);
  const onlyText = stringFlag(args, 'only');
  const only = onlyText ? onlyText.split(',').map((s) => s.trim()).filter((s) => s !== '') : null;
  if (only) {
    const known = new Set([...PHASE1_TESTS.map((t) => t.id), ...PHASE2_CONFIGS.map((c) => c.id)]);
    const bad = only.filter((o) => !known.has(o));
    if (bad.length) throw new UsageError(`--only: unknown test id(s) ${bad.join(', ')}`);
  }
  const ct = stringFlag(args, 'ct') ?? path.join(data, '..', 'ibsi1', 'ct_phantom');
  await mkdir(out, { recursive: true });
  let failed = 0;
  if (phase !== '2' && (!only || only.some((o) => PHASE1_TESTS.some((t) => t.id === o)))) {
    const r = await phase1(data, out, only);
    failed += r.total - r.pass;
  }
  if (phase !== '1' && (!only || only.some((o) => PHASE2_CONFIGS.some((c) => c.id === o)))) {
    const r = await phase2(data, ct, out, only);
    failed += r.total - r.pass;
  }
  return failed === 0 ? 0 : 1;
}
