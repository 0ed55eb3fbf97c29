import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseStudyConfig, DEFAULT_STUDY_CONFIG, PAPER_EXTRACTION_PARAMS, type StudyConfig } from '../../core/study/config.js';
import { parseClinicalCsv } from '../../core/study/clinical.js';
import { readCohortLayout } from '../../core/study/cohort-node.js';
import { parseParams, validateParams } from '../../core/radiomics/params.js';
import { runStudy, type StudyProgress } from '../../core/study/pipeline.js';
import { fileStudyCache } from '../../core/study/cache-node.js';
import { filePatientSource, nodeStudyExecutor } from '../../core/study/executor-node.js';
import { featuresCsv, predictionsCsv, studyHtml, studyModelBundle, studyReport, table1Csv, table2Csv, table3Csv, studyFigures } from '../../core/study/report.js';
import { defaultWorkerCount } from '../../core/parallel/pool-node.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';

export const studyHelp =
  'study <cohortDir> [--config study.yaml] --out <dir> [--jobs N] [--no-cache]   the whole method: habitats, features, selection, models, report';

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new Error(`${file}: cannot read the ${what}`);
  }
}

export async function studyCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['no-cache', 'quiet']);
  const cohortDir = args.positional[0];
  const out = stringFlag(args, 'out');
  if (!cohortDir || !out) throw new UsageError('usage: habitat study <cohortDir> [--config study.yaml] --out <dir> [--jobs N] [--no-cache]');
  const configFile = stringFlag(args, 'config');
  const config: StudyConfig = configFile ? parseStudyConfig(await readText(configFile, 'study config'), configFile) : structuredClone(DEFAULT_STUDY_CONFIG);
  const jobsText = stringFlag(args, 'jobs');
  const jobs = jobsText === undefined ? defaultWorkerCount() : Number(jobsText);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a positive integer, got "${jobsText}"`);

  // extraction parameters: a file (relative to the config), inline, or the paper's
  let params;
  const p = config.extraction.params;
  if (typeof p === 'string') {
    const file = configFile ? path.resolve(path.dirname(configFile), p) : p;
    params = parseParams(await readText(file, 'PyRadiomics parameter file'), file);
  } else params = validateParams(p ?? PAPER_EXTRACTION_PARAMS, p ? `${configFile}: extraction.params` : 'paper settings');

  const layout = await readCohortLayout(cohortDir);
  for (const problem of layout.problems) console.error(`habitat: ${problem}`);
  const clinicalFile = layout.clinical ?? path.join(cohortDir, 'clinical.csv');
  const clinical = parseClinicalCsv(clinicalFile, await readText(clinicalFile, 'clinical table'), {
    idColumn: config.id,
    outcomeColumn: config.outcome,
    positive: config.positive,
    categorical: config.clinical.categorical,
    variables: config.clinical.variables === 'auto' ? undefined : config.clinical.variables,
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
  const progress = (e: StudyProgress) => {
    if (quiet) return;
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    const what = e.patient ? ` ${e.patient}${e.cached ? ' (cached)' : ''}` : e.message ? ` ${e.message}` : '';
    process.stderr.write(`\r\x1b[K[${secs}s] ${e.stage} ${e.done}/${e.total}${what}`);
    if (e.message?.startsWith('excluded')) process.stderr.write(`\n  ${e.patient}: ${e.message}\n`);
    if (e.done === e.total) process.stderr.write('\n');
  };
  const executor = nodeStudyExecutor(jobs);
  const cache = args.flags['no-cache'] ? undefined : fileStudyCache(path.join(out, '.cache'));
  const result = await runStudy(
    patients.map((pt) => filePatientSource(pt, config.sequences)),
    clinical,
    config,
    params,
    { executor, cache, progress },
  );

  await mkdir(path.join(out, 'figures'), { recursive: true });
  const report = studyReport(result);
  await writeFile(path.join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  await writeFile(path.join(out, 'features.csv'), featuresCsv(result));
  await writeFile(path.join(out, 'predictions.csv'), predictionsCsv(result));
  await writeFile(path.join(out, 'table1.csv'), table1Csv(result));
  await writeFile(path.join(out, 'table2.csv'), table2Csv(result));
  await writeFile(path.join(out, 'table3.csv'), table3Csv(result));
  await writeFile(path.join(out, 'model.json'), JSON.stringify(studyModelBundle(result)) + '\n');
  await writeFile(path.join(out, 'report.html'), studyHtml(result, report));
  for (const [name, svg] of Object.entries(studyFigures(result))) await writeFile(path.join(out, 'figures', name), svg);

  const a = result.analysis;
  console.log(`study: ${a.ids.length} patients (${a.split.training.length} training, ${a.split.validation.length} validation), ${result.excluded.length} excluded, ${result.workers} worker(s), ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`habitats: ${Object.entries(result.habitats).map(([s, h]) => `${s} k=${h.k}`).join(', ')}`);
  console.log(`best habitats: ${Object.entries(a.bestHabitat).map(([s, h]) => `${s} ${h}`).join(', ')}`);
  for (const m of a.models) console.log(`  ${m.name.padEnd(32)} AUC training ${m.training.auc.toFixed(3)}  validation ${m.validation.auc.toFixed(3)}${m.delongP !== null ? `  DeLong p vs Clinic ${m.delongP.toFixed(3)}` : ''}`);
  console.log(`wrote ${path.join(out, 'report.html')} and report.json, features.csv, predictions.csv, table1–3.csv, model.json, figures/`);
  return 0;
}
