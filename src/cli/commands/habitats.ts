import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  applyHabitatModel,
  describeGeometryMismatch,
  fitHabitatModel,
  gridOf,
  LOCAL_FEATURES,
  perPatientHabitats,
  readCohortLayout,
  readVolume,
  resampleToGrid,
  writeVolume,
  type CohortPatient,
  type DescriptorOptions,
  type HabitatCase,
  type HabitatCaseData,
  type HabitatMap,
  type IntensityNormalisation,
  type LocalFeature,
  type Volume,
} from '../../core/node.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';

const USAGE = `usage: habitat habitats <cohortDir> --sequence NAME [options]
  --k auto|N              number of habitats: minimum BIC over k = 1…8 (default) or N
  --seed S                seed of subsampling and clustering (default 0)
  --out DIR               output folder (default <cohortDir>/habitats)
  --normalisation zscore|minmax|percentile|none   per-patient intensity normalisation over the VOI (default zscore)
  --local R               add local-window features in a (2R+1)³ kernel
  --features a,b          local-window features (default mean; any of ${LOCAL_FEATURES.join(', ')})
  --with SEQ,SEQ          multi-sequence habitats: append these sequences' intensities
  --max-voxels N          pooled voxels for the cohort model (default 200000)
  --bic-on all|intensity  descriptors of the BIC curve (default all; intensity with --local keeps k at the intensity modes)
  --criterion bic|icl     k of minimum BIC (default) or ICL (the study's default; see docs/habitats.md)
  --curve-voxels all|homogeneous   voxels of the BIC/ICL curves (default all; homogeneous = away from region borders)
  --per-patient           fit each patient separately (same numbering rule)
  --resample              resample sequences that are not on the mask's grid onto it (linear, no registration)`;

function intFlag(v: string | undefined, name: string, dflt: number, min = 0): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

function descriptorOptions(args: ReturnType<typeof parseArgs>): DescriptorOptions {
  const norm = stringFlag(args, 'normalisation') ?? 'zscore';
  if (!['zscore', 'minmax', 'percentile', 'none'].includes(norm)) throw new UsageError(`--normalisation must be zscore, minmax, percentile or none, got "${norm}"`);
  const opts: DescriptorOptions = { normalisation: norm as IntensityNormalisation };
  const local = stringFlag(args, 'local');
  if (local !== undefined) {
    const radius = intFlag(local, 'local', 1, 1);
    const features = (stringFlag(args, 'features') ?? 'mean').split(',').map((f) => f.trim());
    for (const f of features) {
      if (!LOCAL_FEATURES.includes(f as LocalFeature)) throw new UsageError(`--features: unknown feature "${f}" (known: ${LOCAL_FEATURES.join(', ')})`);
    }
    opts.local = { radius, features: features as LocalFeature[] };
  }
  const others = stringFlag(args, 'with');
  if (others) opts.otherSequences = others.split(',').map((s) => s.trim()).filter(Boolean);
  return opts;
}

export async function habitatsCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['per-patient', 'resample']);
  const cohortDir = args.positional[0];
  const sequence = stringFlag(args, 'sequence');
  if (!cohortDir || !sequence) throw new UsageError(USAGE);
  const kText = stringFlag(args, 'k') ?? 'auto';
  const k = kText === 'auto' ? 'auto' : intFlag(kText, 'k', 0, 1);
  if (k !== 'auto' && k > 255) throw new UsageError(`--k must be at most 255, got ${k}`);
  const seed = intFlag(stringFlag(args, 'seed'), 'seed', 0);
  const out = stringFlag(args, 'out') ?? path.join(cohortDir, 'habitats');
  const maxPooledVoxels = intFlag(stringFlag(args, 'max-voxels'), 'max-voxels', 200_000, 1);
  const descriptors = descriptorOptions(args);
  const resample = args.flags.resample === true;
  const log = (m: string) => process.stderr.write(m + '\n');

  const layout = await readCohortLayout(cohortDir);
  for (const p of layout.problems) log(`habitats: warning: ${p}`);
  const needed = [sequence, ...(descriptors.otherSequences ?? [])];
  const patients: CohortPatient[] = [];
  for (const p of layout.patients) {
    const missing = needed.filter((s) => !(s in p.sequences));
    if (missing.length) log(`habitats: warning: patient ${p.id}: no ${missing.join(', ')} image; left out`);
    else patients.push(p);
  }
  if (patients.length === 0) {
    throw new Error(`${cohortDir}: no patient has a mask and ${needed.join(' + ')} (sequences found: ${layout.sequenceNames.join(', ') || 'none'})`);
  }

  const load = async (p: CohortPatient): Promise<HabitatCaseData> => {
    const mask = await readVolume(p.mask);
    const images: Record<string, Volume> = {};
    for (const s of needed) {
      const file = p.sequences[s];
      if (file === undefined) throw new Error(`patient ${p.id}: no ${s} image`); // such patients were left out above
      let img = await readVolume(file);
      const mismatch = describeGeometryMismatch(img, mask);
      if (mismatch) {
        if (!resample) throw new Error(`patient ${p.id}: ${s} is not on the mask's grid (${mismatch}); resample it first or pass --resample`);
        img = resampleToGrid(img, gridOf(mask), { interpolator: 'linear', outputType: 'float32' });
      }
      images[s] = img;
    }
    return { images, mask };
  };
  const cases: HabitatCase[] = patients.map((p) => ({ id: p.id, load: () => load(p) }));
  await mkdir(out, { recursive: true });

  const summary: { id: string; voxels: number[]; volumesMm3: number[]; fractions: number[]; missing: number[]; k: number }[] = [];
  const write = async (m: HabitatMap, n: number) => {
    const dir = path.join(out, m.patientId);
    await mkdir(dir, { recursive: true });
    await writeVolume(m.labels, path.join(dir, `${sequence}-habitats.nii.gz`));
    if (m.missing.length) log(`habitats: patient ${m.patientId}: habitat ${m.missing.join(', ')} empty`);
    log(`habitats ${sequence}: wrote ${m.patientId} (${n}/${cases.length})`);
  };
  let bicReport: Record<string, unknown>;
  if (args.flags['per-patient'] === true) {
    const perPatient: Record<string, unknown> = {};
    for (const [n, c] of cases.entries()) {
      const m = perPatientHabitats(await c.load(), { sequence, k, seed, descriptors }, c.id);
      perPatient[c.id] = { k: m.k, bic: m.bic ?? null };
      summary.push({ id: c.id, voxels: m.voxelCounts, volumesMm3: m.volumesMm3, fractions: m.fractions, missing: m.missing, k: m.k });
      await write(m, n + 1);
    }
    bicReport = { sequence, mode: 'per-patient', seed, descriptors, patients: perPatient };
  } else {
    const bicOn = stringFlag(args, 'bic-on') ?? 'all';
    if (bicOn !== 'all' && bicOn !== 'intensity') throw new UsageError(`--bic-on must be all or intensity, got "${bicOn}"`);
    const criterion = stringFlag(args, 'criterion') ?? 'bic';
    if (criterion !== 'bic' && criterion !== 'icl') throw new UsageError(`--criterion must be bic or icl, got "${criterion}"`);
    const curveVoxels = stringFlag(args, 'curve-voxels') ?? 'all';
    if (curveVoxels !== 'all' && curveVoxels !== 'homogeneous') throw new UsageError(`--curve-voxels must be all or homogeneous, got "${curveVoxels}"`);
    const model = await fitHabitatModel(cases, { sequence, k, seed, maxPooledVoxels, descriptors, bicOn, criterion, curveVoxels, onProgress: log });
    log(
      `habitats ${sequence}: k = ${model.k} (${model.kChosenBy === 'user' ? 'set by --k' : `minimum ${model.kChosenBy.toUpperCase()}`}); BIC ${model.bic.bic.map((b) => b.toFixed(0)).join(' ')}; ICL ${model.bic.icl.map((b) => b.toFixed(0)).join(' ')}`,
    );
    for (const [n, c] of cases.entries()) {
      const m = applyHabitatModel(model, await c.load(), c.id);
      summary.push({ id: c.id, voxels: m.voxelCounts, volumesMm3: m.volumesMm3, fractions: m.fractions, missing: m.missing, k: model.k });
      await write(m, n + 1);
    }
    bicReport = { mode: 'cohort', ...model };
  }
  // bic.json holds one entry per sequence, so runs for several sequences share one folder.
  const bicPath = path.join(out, 'bic.json');
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(await readFile(bicPath, 'utf8')) as Record<string, unknown>;
  } catch {
    all = {};
  }
  all[sequence] = bicReport;
  await writeFile(bicPath, JSON.stringify(all, null, 2) + '\n');
  await writeFile(path.join(out, `${sequence}-habitat-volumes.json`), JSON.stringify(summary, null, 2) + '\n');
  log(`habitats ${sequence}: ${summary.length} label maps, bic.json and ${sequence}-habitat-volumes.json in ${out}`);
  return 0;
}
