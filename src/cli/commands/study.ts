import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  checkHarmonisationColumns,
  ciIncludesHalf,
  clinicalColumnsRead,
  DEFAULT_STUDY_CONFIG,
  defaultWorkerCount,
  filePatientSource,
  fileStudyCache,
  nodeStudyExecutor,
  PAPER_EXTRACTION_PARAMS,
  parseClinicalCsv,
  parseParams,
  parseStudyConfig,
  patientHabitatMaps,
  permutationP,
  preparedCacheKey,
  readCohortLayout,
  runStudy,
  SOFTWARE,
  studyView,
  validateParams,
  writeStudyBundle,
  writeVolume,
  type PreparedPatient,
  type StudyCache,
  type StudyConfig,
  type StudyPatientSource,
  type StudyProgress,
  type StudyResult,
} from '../../core/node.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';
import { HELP } from '../help.js';
import { progressLine } from '../progress.js';
import { cohortOrImportedExport } from './import.js';

const SYNOPSIS = HELP.study.slice(0, HELP.study.indexOf('   '));

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new Error(`${file}: cannot read the ${what}`);
  }
}

/**
 * `--maps`: every study patient's habitat label map of every sequence, on the
 * grid the features were extracted on (the prepared images), under the
 * study's cohort models — the same `patientHabitatMaps` the feature stage
 * runs. Prepared images come from the study cache when it holds them, else
 * are prepared again (the same code, deterministic); one patient at a time.
 * Each map's voxel counts are checked against those the features recorded.
 */
async function writeHabitatMaps(result: StudyResult, sources: StudyPatientSource[], cache: StudyCache | undefined, dir: string, onPatient: (done: number, total: number, id: string, cached: boolean) => void): Promise<void> {
  const executor = nodeStudyExecutor(1);
  const byId = new Map(sources.map((s) => [s.id, s]));
  for (const [n, f] of result.features.entries()) {
    const hit = (await cache?.get(preparedCacheKey(f.id, result.config))) as PreparedPatient | undefined;
    let prepared = hit;
    if (!prepared) {
      const source = byId.get(f.id);
      if (!source) throw new Error(`patient ${f.id}: in the study's features but not in its cohort`);
      prepared = await executor.prepare(source, result.config);
    }
    const maps = patientHabitatMaps(prepared, result.habitatModels);
    await mkdir(path.join(dir, f.id), { recursive: true });
    for (const [seq, map] of Object.entries(maps)) {
      const expected = f.habitats[seq]?.voxelCounts ?? [];
      if (map.voxelCounts.join() !== expected.join()) {
        throw new Error(`patient ${f.id}: the ${seq} habitat map has voxel counts ${map.voxelCounts.join(', ')}, the study's features were computed on ${expected.join(', ')}`);
      }
      await writeVolume(map.labels, path.join(dir, f.id, `${seq}-habitats.nii.gz`));
    }
    onPatient(n + 1, result.features.length, f.id, hit !== undefined);
  }
  executor.close?.();
}

export async function studyCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['no-cache', 'quiet', 'bundle', 'maps', 'pseudonymise']);
  const given = args.positional[0];
  const out = stringFlag(args, 'out');
  if (!given || !out) throw new UsageError(`usage: habitat ${SYNOPSIS}`);
  const permFlag = stringFlag(args, 'permutations');
  let permutations: number | undefined;
  if (permFlag !== undefined) {
    permutations = Number(permFlag);
    if (!/^\d+$/.test(permFlag) || permutations > 100_000) throw new UsageError(`--permutations must be a whole number from 0 to 100000, got "${permFlag}"`);
  }
  // a DICOM export is imported into <out>/cohort first, with habitat import's options (docs/import.md)
  const imported = await cohortOrImportedExport(given, args, path.join(out, 'cohort'));
  for (const line of imported.leftOut) console.error(`habitat: ${line}`);
  const cohortDir = imported.cohortDir;
  const configFile = stringFlag(args, 'config');
  const config: StudyConfig = configFile ? parseStudyConfig(await readText(configFile, 'study config'), configFile) : structuredClone(DEFAULT_STUDY_CONFIG);
  const jobsText = stringFlag(args, 'jobs');
  const jobs = jobsText === undefined ? defaultWorkerCount() : Number(jobsText);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a positive integer, got "${jobsText}"`);
  if (permutations !== undefined) config.validation.permutations = permutations; // overrides the config's validation.permutations

  // extraction parameters: a file (relative to the config), inline, or the paper's
  let params;
  let paramsYaml: string | null = null;
  const p = config.extraction.params;
  if (typeof p === 'string') {
    const file = configFile ? path.resolve(path.dirname(configFile), p) : p;
    paramsYaml = await readText(file, 'PyRadiomics parameter file');
    params = parseParams(paramsYaml, file);
  } else params = validateParams(p ?? PAPER_EXTRACTION_PARAMS, p ? `${configFile}: extraction.params` : 'paper settings');

  const layout = await readCohortLayout(cohortDir);
  for (const problem of layout.problems) console.error(`habitat: ${problem}`);
  const clinicalFile = layout.clinical ?? path.join(cohortDir, 'clinical.csv');
  const clinical = parseClinicalCsv(clinicalFile, await readText(clinicalFile, 'clinical table'), {
    idColumn: config.id,
    outcomeColumn: config.outcome,
    positive: config.positive,
    categorical: config.clinical.categorical,
    variables: clinicalColumnsRead(config),
    checkColumns: (columns) => checkHarmonisationColumns(config, columns, configFile ?? 'study config', clinicalFile),
  });
  const patients = layout.patients.filter((pt) => {
    const missing = config.sequences.filter((s) => !pt.sequences[s]);
    if (missing.length === 0) return true;
    console.error(`habitat: patient ${pt.id}: missing sequence${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; excluded`);
    return false;
  });
  if (patients.length === 0) throw new Error(`${cohortDir}: no patient has all sequences ${config.sequences.join(', ')} and a mask`);

  const quiet = args.flags.quiet === true;
  const started = Date.now();
  // on a terminal one line with the time left of the current stage; in a log a line per finished stage
  const line = progressLine();
  const progress = (e: StudyProgress) => {
    if (quiet) return;
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    const what = e.patient ? `${e.patient}${e.cached ? ' (cached)' : ''}` : e.message;
    line.update(e.stage, e.done, e.total, what);
    if (e.excluded) {
      line.clear();
      process.stderr.write(`  ${e.patient}: ${e.message}\n`);
    }
    if (e.done === e.total) {
      line.clear();
      process.stderr.write(`[${secs}s] ${e.stage} ${e.done}/${e.total}\n`);
    }
  };
  const executor = nodeStudyExecutor(jobs);
  const cache = args.flags['no-cache'] ? undefined : fileStudyCache(path.join(out, '.cache'));
  const sources = patients.map((pt) => filePatientSource(pt, config.sequences));
  const result = await runStudy(
    sources,
    clinical,
    config,
    params,
    { executor, cache, progress },
  );

  // The same files (and bundle) as the app's Export report; the cohort key names the CLI's cache.
  const view = studyView(result, { cohortTitle: path.basename(path.resolve(cohortDir)), cohortKey: 'cli', paramsYaml, params, seconds: (Date.now() - started) / 1000 });
  await mkdir(path.join(out, 'figures'), { recursive: true });
  for (const [name, text] of Object.entries(view.files)) await writeFile(path.join(out, name), text);
  if (args.flags.bundle) await writeFile(path.join(out, 'study-bundle.zip'), writeStudyBundle(view, SOFTWARE));
  if (args.flags.maps) {
    await writeHabitatMaps(result, sources, cache, path.join(out, 'habitats'), (done, total, id, hit) => {
      if (quiet) return;
      line.update('maps', done, total, `${id}${hit ? ' (cached)' : ''}`);
      if (done === total) {
        line.clear();
        process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)}s] maps ${done}/${total}\n`);
      }
    });
  }

  const a = result.analysis;
  console.log(`study: ${a.ids.length} patients (${a.split.training.length} training, ${a.split.validation.length} validation), ${result.excluded.length} excluded, ${result.workers} worker(s), ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`habitats: ${Object.entries(result.habitats).map(([s, h]) => `${s} k=${h.k}`).join(', ')}`);
  console.log(`best habitats: ${Object.entries(a.bestHabitat).map(([s, h]) => `${s} ${h}`).join(', ') || 'none (no habitat has a model)'}`);
  for (const e of a.evidence) if (e.statement) console.log(e.statement);
  const perm = a.permutation;
  const permText = (name: string) => {
    const p = permutationP(perm, name);
    return perm ? `  permutation p ${p === null ? '—' : p.toFixed(3)}` : '';
  };
  for (const m of a.models) {
    const v = m.validation;
    const half = ciIncludesHalf(v.ci95) ? ' (CI includes 0.5)' : '';
    console.log(`  ${m.name.padEnd(32)} AUC training ${m.training.auc.toFixed(3)}${permText(m.name)}  validation ${v.auc.toFixed(3)}${half}${m.delongP !== null ? `  DeLong p vs Clinic ${m.delongP.toFixed(3)}` : ''}${m.flag ? `  [${m.flag}]` : ''}`);
  }
  if (perm) {
    console.log(`permutation test (${perm.permutations} permutations of the training outcomes; regions: nested-CV AUC, models: apparent training AUC):`);
    for (const r of a.regions) console.log(`  ${`${r.sequence} ${r.region}`.padEnd(32)} nested-CV AUC ${r.auc.cvTraining?.toFixed(3) ?? '—'}${permText(`${r.sequence} ${r.region}`)}`);
  }
  console.log(`wrote ${path.join(out, 'report.html')} and report.json, features.csv, predictions.csv, table1–3.csv, model.json, study.yaml, params.yaml, figures/${args.flags.bundle ? ', study-bundle.zip' : ''}${args.flags.maps ? ', habitats/' : ''}`);
  return 0;
}
