import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeVolume } from '../../core/node.js';
import { DEMO_SEQUENCES, demoCentre, demoClinicalCsv, generateDemoPatient, DEMO_PLANTED } from '../../demo/demo.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';

function positiveInt(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer, got "${v}"`);
  return n;
}

export async function demoCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const out = stringFlag(args, 'out');
  if (!out) throw new UsageError('usage: habitat demo --out <dir> [--patients N] [--seed S] [--centres N [--only 1,2]]');
  const patients = positiveInt(stringFlag(args, 'patients'), 'patients', 60);
  const seedText = stringFlag(args, 'seed');
  const seed = seedText === undefined ? 2025 : Number(seedText);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${seedText}"`);
  const centres = positiveInt(stringFlag(args, 'centres'), 'centres', 1);
  const onlyText = stringFlag(args, 'only');
  const only = onlyText === undefined ? undefined : onlyText.split(',').map(Number);
  if (only && (centres < 2 || only.some((c) => !Number.isInteger(c) || c < 1 || c > centres))) throw new UsageError(`--only takes centres between 1 and --centres (${centres}), got "${onlyText}"`);
  const opts = { patients, seed, centres };
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'clinical.csv'), demoClinicalCsv(opts, only));
  const truth: Record<string, unknown>[] = [];
  for (let i = 0; i < patients; i++) {
    if (only && !only.includes(demoCentre(i, opts))) continue;
    const p = generateDemoPatient(i, opts);
    const dir = path.join(out, p.id);
    await mkdir(dir, { recursive: true });
    for (const seq of DEMO_SEQUENCES) await writeVolume(p.series[seq], path.join(dir, `${seq}.nii.gz`));
    await writeVolume(p.mask, path.join(dir, 'mask.nii.gz'));
    if (p.mask2) await writeVolume(p.mask2, path.join(dir, 'mask2.nii.gz'));
    truth.push({ id: p.id, residual: p.profile.clinical.residual, phenotype: p.profile.phenotype, motion: p.profile.motion, ...(centres > 1 ? { centre: demoCentre(i, opts) } : {}) });
    process.stderr.write(`\rdemo: ${truth.length} patients (${i + 1}/${patients} looked at)`);
  }
  process.stderr.write('\n');
  await writeFile(path.join(out, 'truth.json'), JSON.stringify({ seed, planted: DEMO_PLANTED, patients: truth }, null, 2));
  console.log(`wrote ${truth.length} patients to ${out}`);
  return 0;
}
