import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseModelBundle } from '../../core/study/apply-model.js';
import { parseClinicalCsv } from '../../core/study/clinical.js';
import { readCohortLayout } from '../../core/cohort/cohort-node.js';
import { filePatientSource, nodeStudyExecutor } from '../../core/study/executor-node.js';
import { applyStudyModels, type StudyModelBundle } from '../../core/study/predict.js';
import { validateParams } from '../../core/radiomics/params.js';
import { bestHabitatRadScores, harmoniseExternal, externalFigures, externalHtml, externalTable3Csv, externalValidation, type ExternalPatient } from '../../core/study/external.js';
import { defaultWorkerCount } from '../../core/parallel/pool-node.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';

const SYNOPSIS = 'validate <cohortDir> --model model.json --out <dir> [--clinical clinical.csv] [--harmonise [--batch column]] [--jobs N]';


async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new Error(`${file}: cannot read the ${what}`);
  }
}

export async function validateCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['quiet', 'harmonise']);
  const cohortDir = args.positional[0];
  const modelFile = stringFlag(args, 'model');
  const out = stringFlag(args, 'out');
  if (!cohortDir || !modelFile || !out) throw new UsageError(`usage: habitat ${SYNOPSIS}`);
  const jobsText = stringFlag(args, 'jobs');
  const jobs = jobsText === undefined ? defaultWorkerCount() : Number(jobsText);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a positive integer, got "${jobsText}"`);
  const bundle: StudyModelBundle = parseModelBundle(await readText(modelFile, 'study model (model.json written by habitat study)'), modelFile);
  const config = bundle.config;
  const params = validateParams({ imageType: bundle.extraction.imageType, featureClass: bundle.extraction.featureClass, setting: bundle.extraction.setting }, `${modelFile}: extraction`);

  const layout = await readCohortLayout(cohortDir);
  for (const problem of layout.problems) console.error(`habitat: ${problem}`);
  const clinicalFile = stringFlag(args, 'clinical') ?? layout.clinical ?? path.join(cohortDir, 'clinical.csv');
  const clinical = parseClinicalCsv(clinicalFile, await readText(clinicalFile, 'clinical table (the outcome column is required)'), {
    idColumn: config.id,
    outcomeColumn: config.outcome,
    positive: config.positive,
    categorical: config.clinical.categorical,
  });
  // a study fitted with ComBat (harmonisation.method: combat) scores harmonised features: always harmonise, by its batch column
  const studyCombat = bundle.config.harmonisation.method === 'combat';
  const harmonise = args.flags.harmonise === true || studyCombat;
  const batchColumn = stringFlag(args, 'batch') ?? (studyCombat && clinical.values[bundle.config.harmonisation.batch!] ? bundle.config.harmonisation.batch : undefined);
  if (batchColumn && !harmonise) throw new UsageError('--batch names the batch column of --harmonise');
  if (harmonise && !bundle.harmonisation) throw new Error(`${modelFile}: has no training harmonisation block (written before harmonisation existed); rerun the study to validate with --harmonise`);
  if (batchColumn && !clinical.values[batchColumn]) throw new Error(`${clinicalFile}: no column "${batchColumn}" (--batch)`);
  const notes: string[] = [];
  const patients = layout.patients.filter((pt) => {
    const missing = config.sequences.filter((s) => !pt.sequences[s]);
    if (missing.length > 0) notes.push(`patient ${pt.id}: missing sequence${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; excluded`);
    else if (!clinical.ids.includes(pt.id)) notes.push(`patient ${pt.id}: no row in ${clinicalFile}; excluded`);
    else return true;
    return false;
  });
  if (patients.length === 0) throw new Error(`${cohortDir}: no patient has all sequences ${config.sequences.join(', ')}, a mask and a clinical row`);

  // Prepared and featured exactly as the study's own patients: the same executor stages,
  // with the saved settings and habitat models (no refit).
  const quiet = args.flags.quiet === true;
  const started = Date.now();
  let done = 0;
  const executor = nodeStudyExecutor(Math.min(jobs, patients.length));
  const scored: ExternalPatient[] = [];
  let harmonisation = 'none';
  try {
    const results = await Promise.all(patients.map(async (pt) => {
      try {
        const prepared = await executor.prepare(filePatientSource(pt, config.sequences), config);
        const features = await executor.features(prepared, bundle.habitatModels, params);
        return { pt, features };
      } catch (e) {
        return { pt, error: e instanceof Error ? e.message : String(e) };
      } finally {
        done++;
        if (!quiet) process.stderr.write(`\r\x1b[K[${((Date.now() - started) / 1000).toFixed(0)}s] patients ${done}/${patients.length} ${pt.id}${done === patients.length ? '\n' : ''}`);
      }
    }));
    let featured = results.flatMap((r) => {
      if ('error' in r) { notes.push(`patient ${r.pt.id}: ${r.error}; excluded`); return []; }
      return [r.features!];
    });
    if (harmonise) {
      const batchOf = (id: string) => (batchColumn ? clinical.values[batchColumn][clinical.ids.indexOf(id)] : 'external');
      const h = harmoniseExternal(bundle.harmonisation!, featured, batchOf);
      for (const e of h.excluded) notes.push(`patient ${e.id}: ${e.reason}; excluded`);
      featured = h.features;
      harmonisation = h.summary;
    }
    for (const features of featured) {
      const { radScores, missing } = bestHabitatRadScores(bundle, features);
      if (missing) { notes.push(`patient ${features.id}: ${missing}; excluded`); continue; }
      const row = clinical.ids.indexOf(features.id);
      const values = Object.fromEntries(clinical.variables.map((v) => [v.name, clinical.values[v.name][row]]));
      try {
        const models = applyStudyModels(bundle, radScores, values, features.id);
        scored.push({ id: features.id, outcome: clinical.outcome[row], probabilities: Object.fromEntries(models.map((m) => [m.name, m.probability])) });
      } catch (e) {
        notes.push(`${e instanceof Error ? e.message : String(e)}; excluded`);
      }
    }
  } finally {
    executor.close?.();
  }
  for (const n of notes) console.error(`habitat: ${n}`);
  const result = externalValidation(bundle, scored, { harmonisation, notes });

  await mkdir(path.join(out, 'figures'), { recursive: true });
  const title = path.basename(path.resolve(cohortDir));
  await writeFile(path.join(out, 'external.json'), JSON.stringify(result, null, 2) + '\n');
  await writeFile(path.join(out, 'table3-external.csv'), externalTable3Csv(result));
  await writeFile(path.join(out, 'report.html'), externalHtml(result, title));
  for (const [name, svg] of Object.entries(externalFigures(result))) await writeFile(path.join(out, 'figures', name), svg);
  const predictions = ['id,outcome,' + bundle.models.map((m) => m.name).join(','), ...scored.map((p) => [p.id, p.outcome, ...bundle.models.map((m) => p.probabilities[m.name])].join(','))];
  await writeFile(path.join(out, 'predictions-external.csv'), predictions.join('\n') + '\n');

  console.log(`validate: ${result.n} patients (${result.positives} positive), ${patients.length - scored.length + (layout.patients.length - patients.length)} excluded, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const m of result.models) {
    const internal = m.internal ? `  (validation ${m.internal.validation.auc.toFixed(3)}, unpaired p ${m.vsInternal?.p.toFixed(3) ?? '—'})` : '';
    const cal = m.calibrationFit ? `  calibration intercept ${m.calibrationFit.intercept.toFixed(2)} slope ${m.calibrationFit.slope.toFixed(2)}` : '';
    console.log(`  ${m.name.padEnd(32)} AUC external ${m.auc.toFixed(3)}${internal}  sens ${m.sensitivity.toFixed(2)} spec ${m.specificity.toFixed(2)}${cal}`);
  }
  console.log(`wrote ${path.join(out, 'report.html')} and external.json, table3-external.csv, predictions-external.csv, figures/`);
  return 0;
}
