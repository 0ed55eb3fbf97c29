import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkAgainstReference, extractIbsi, IBSI_CONFIGS, parseReferenceCsv, readVolume } from '../../core/node.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';

export const complianceIbsi1Help =
  'compliance ibsi1 --data <ibsi1 dir> --out <result.csv> [--only config_A,...]   IBSI 1 digital phantom and CT configurations A–E vs the reference values';

const usage = `usage: habitat compliance ibsi1 --data <dir> --out <result.csv> [--only digital_phantom,config_A,...]
  --data   folder holding digital_phantom/, ct_phantom/ and reference_values/ (IBSI 1 data sets)
  --out    CSV: the rows of the reference tables with "your result", "difference" and "check" filled in
  --only   comma-separated datasets (digital_phantom, config_A … config_E); default all`;

const DATASETS = ['digital_phantom', 'config_A', 'config_B', 'config_C', 'config_D', 'config_E'];

export async function complianceIbsi1(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['help']);
  if (args.flags.help) {
    console.log(usage);
    return 0;
  }
  const data = stringFlag(args, 'data');
  const out = stringFlag(args, 'out');
  if (!data || !out) throw new UsageError(usage);
  const only = stringFlag(args, 'only');
  const datasets = (only ? only.split(',').map((s) => s.trim()) : DATASETS).map((name) => {
    const config = DATASETS.includes(name) ? IBSI_CONFIGS[name] : undefined;
    if (!config) throw new UsageError(`compliance ibsi1: unknown dataset "${name}" (one of ${DATASETS.join(', ')})`);
    return { name, config };
  });
  for (const sub of ['digital_phantom', 'ct_phantom', 'reference_values'])
    if (!existsSync(path.join(data, sub))) throw new Error(`compliance ibsi1: ${path.join(data, sub)} not found`);

  let header = '';
  const lines: string[] = [];
  let allPass = true;
  const phantoms = new Map<string, Promise<[Awaited<ReturnType<typeof readVolume>>, Awaited<ReturnType<typeof readVolume>>]>>();
  for (const { name, config } of datasets) {
    const folder = name === 'digital_phantom' ? 'digital_phantom' : 'ct_phantom';
    let phantom = phantoms.get(folder);
    if (!phantom) {
      const dir = path.join(data, folder, 'nifti');
      phantom = Promise.all([readVolume(path.join(dir, 'image', 'phantom.nii.gz')), readVolume(path.join(dir, 'mask', 'mask.nii.gz'))]);
      phantoms.set(folder, phantom);
    }
    const [image, mask] = await phantom;
    const tableFile = path.join(data, 'reference_values', `ibsi_1_reference_values_${name}.csv`);
    const table = parseReferenceCsv(await readFile(tableFile, 'utf8'), tableFile);
    const t0 = Date.now();
    const values = extractIbsi(image, mask, config);
    const result = checkAgainstReference(table, values);
    const [head, ...rows] = result.csv.trimEnd().split('\n');
    header ||= head ?? '';
    lines.push(...rows);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    console.log(`${name.padEnd(16)} ${result.passed}/${result.total} pass  (${secs} s)`);
    for (const f of result.failures) {
      allPass = false;
      console.log(`  fail ${f.tag}: ${f.value === undefined ? 'not computed' : +f.value.toPrecision(6)} vs ${f.reference} ± ${f.tolerance}`);
    }
  }
  await writeFile(out, [header, ...lines].join('\n') + '\n');
  console.log(`wrote ${out}`);
  return allPass ? 0 : 1;
}
