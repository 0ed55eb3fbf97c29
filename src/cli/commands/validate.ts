import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  checkExternalOptions,
  defaultWorkerCount,
  externalClinicalTable,
  externalFiles,
  filePatientSource,
  nodeStudyExecutor,
  parseModelBundle,
  readCohortLayout,
  validateExternalCohort,
  type ExternalValidationResult,
  type StudyModelBundle,
} from '../../core/node.js';
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

  const layout = await readCohortLayout(cohortDir);
  for (const problem of layout.problems) console.error(`habitat: ${problem}`);
  const clinicalFile = stringFlag(args, 'clinical') ?? layout.clinical ?? path.join(cohortDir, 'clinical.csv');
  const clinical = externalClinicalTable(bundle, clinicalFile, await readText(clinicalFile, 'clinical table (the outcome column is required)'));
  // a study fitted with ComBat (harmonisation.method: combat) scores harmonised features: always harmonise, by its batch column
  const studyCombat = bundle.config.harmonisation.method === 'combat';
  const harmonise = args.flags.harmonise === true || studyCombat;
  const studyBatch = bundle.config.harmonisation.batch;
  const batchColumn = stringFlag(args, 'batch') ?? (studyCombat && studyBatch !== undefined && clinical.values[studyBatch] ? studyBatch : undefined);
  if (batchColumn && !harmonise) throw new UsageError('--batch names the batch column of --harmonise');
  const opts = { harmonise, batchColumn, modelName: modelFile };
  checkExternalOptions(bundle, clinical, opts);
  const notes: string[] = [];
  const patients = layout.patients.filter((pt) => {
    const missing = config.sequences.filter((s) => !pt.sequences[s]);
    if (missing.length === 0) return true;
    notes.push(`patient ${pt.id}: missing sequence${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; excluded`);
    return false;
  });
  if (patients.length === 0) throw new Error(`${cohortDir}: no patient has all sequences ${config.sequences.join(', ')} and a mask`);

  // Prepared and featured exactly as the study's own patients: the same executor stages,
  // with the saved settings and habitat models (no refit).
  const quiet = args.flags.quiet === true;
  const started = Date.now();
  const executor = nodeStudyExecutor(Math.min(jobs, patients.length));
  let result: ExternalValidationResult;
  try {
    result = await validateExternalCohort(bundle, patients.map((pt) => filePatientSource(pt, config.sequences)), clinical, executor, {
      ...opts,
      notes,
      progress: (done, total, id) => {
        if (!quiet) process.stderr.write(`\r\x1b[K[${((Date.now() - started) / 1000).toFixed(0)}s] patients ${done}/${total} ${id}${done === total ? '\n' : ''}`);
      },
    });
  } finally {
    executor.close?.();
  }
  for (const n of result.notes) console.error(`habitat: ${n}`);

  await mkdir(path.join(out, 'figures'), { recursive: true });
  for (const [name, text] of Object.entries(externalFiles(result, path.basename(path.resolve(cohortDir))))) await writeFile(path.join(out, name), text);

  console.log(`validate: ${result.n} patients (${result.positives} positive), ${layout.patients.length - result.n} excluded, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const m of result.models) {
    const internal = m.internal ? `  (validation ${m.internal.validation.auc.toFixed(3)}, unpaired p ${m.vsInternal?.p.toFixed(3) ?? '—'})` : '';
    const cal = m.calibrationFit ? `  calibration intercept ${m.calibrationFit.intercept.toFixed(2)} slope ${m.calibrationFit.slope.toFixed(2)} Emax ${m.calibrationFit.emax.toFixed(2)} E90 ${m.calibrationFit.e90.toFixed(2)}` : '';
    console.log(`  ${m.name.padEnd(32)} AUC external ${m.auc.toFixed(3)}${internal}  sens ${m.sensitivity.toFixed(2)} spec ${m.specificity.toFixed(2)}${cal}`);
  }
  console.log(`wrote ${path.join(out, 'report.html')} and external.json, table3-external.csv, predictions-external.csv, figures/`);
  return 0;
}
