/**
 * Stage: internal validation corrected for optimism (TRIPOD 10b; Harrell's bootstrap,
 * as `rms::validate`, learn/optimism.ts) of every model of the study: each region
 * with a model, Clinic, Clinic + best habitat, Combined.
 *
 * Each resample draws the training cohort's rows with replacement (seeded from
 * `config.selection.seed`) and repeats the whole modelling on them by calling the same
 * stage functions with the resample's row indices:
 * - a region: training-median imputation → selection funnel (univariate test,
 *   correlation filter, LASSO) → Rad-score and classifier. The LASSO runs at the λ the
 *   region's own LASSO-CV chose on the whole training cohort (as the nested CV does;
 *   repeating the 10-fold LASSO-CV in every resample would multiply the cost by ~10).
 *   A resample whose funnel selects nothing predicts its prevalence for everyone (the
 *   procedure's honest output: AUC 0.5), and is not left out. The ICC filter's columns
 *   do not depend on the outcome and stay as chosen.
 * - Clinic: the clinical-model stage (Table 2, its fallbacks) re-chooses the inputs.
 * - Clinic + habitat and Combined: the resample's Rad-scores of the best habitats and
 *   the resample's Clinic inputs, fitted by the composite models' classifier. Which
 *   habitat is best stays as chosen on the whole training cohort.
 * The models are scored on the resample (training index) and on the original training
 * cohort (test index); optimism = mean(training − test), corrected = apparent −
 * optimism, for the AUC, the calibration slope and the Brier score. The same
 * predictions, restricted to the patients each resample left out, give Efron &
 * Tibshirani's .632+ AUC and Brier (`plus632`) at no extra fit. The apparent index
 * is the same modelling on all training rows (the study's own model, up to the
 * LASSO's tolerance at the fixed λ).
 *
 * The resamples' fits are independent: `resamplePredictions` fits one resample and
 * returns every model's probabilities for the training cohort (small, plain data), so a
 * worker pool can compute them in any order; `summariseOptimism` then runs
 * `optimismBootstrap` per model on those predictions.
 */
import { bootstrapResamples, optimismBootstrap, type OptimismIndex, type Plus632Index, type RowFitter } from '../../learn/optimism.js';
import { columnOrders, radScore, selectionFunnel } from '../../learn/selection.js';
import { deriveSeed } from '../../util/random.js';
import type { ClinicalTable } from '../clinical.js';
import type { StudyConfig } from '../config.js';
import { regionKey, type PatientFeatures, type RegionName } from '../patient-features.js';
import { fitRegionModelOn, fitScaledModel, predictRegionModel, predictScaledModel } from '../region-model.js';
import { clinicalModel } from './clinical-model.js';
import { imputedColumns, pick, safe } from './common.js';
import { compositeSpecs } from './composite.js';
import { fitColumnTransform, referenceBatchShortfall, subsetBatches, type CohortBatches } from './harmonise.js';
import { iccKeptColumns, type IccPlan } from './icc-filter.js';
import { regionMatrix, type RegionResult } from './regions.js';

/** One model's optimism-corrected indices (learn/optimism.ts). */
export interface ModelOptimism {
  /** A region's `<sequence> <region>` or a composite model's name. */
  model: string;
  kind: 'region' | 'composite';
  auc: OptimismIndex;
  slope: OptimismIndex;
  brier: OptimismIndex;
  /** Efron & Tibshirani's .632+ AUC and Brier from the same resamples' out-of-bag patients (learn/optimism.ts); absent in studies saved before it. */
  plus632?: { auc: Plus632Index; brier: Plus632Index };
  /** Resamples whose fit failed for this model (left out, as rms does). */
  failed: number;
}

export interface OptimismValidation {
  resamples: number;
  /** The λ rule: fixed at each region's chosen λ in every resample. */
  lambda: 'fixed';
  seed: number;
  models: ModelOptimism[];
  /** Why resamples failed for every model at once (a resample ComBat cannot harmonise as configured); absent when none did. */
  notes?: string[];
}

/** Everything a resample's fit needs, as plain (structured-cloneable) data; rows are the training cohort's. */
export interface OptimismTask {
  ids: string[];
  labels: (0 | 1)[];
  config: StudyConfig;
  clinical: ClinicalTable;
  /** Regions with a model: their columns after the ICC filter, training rows, and the chosen λ. */
  regions: { sequence: string; region: RegionName; names: string[]; X: number[][]; lambda: number }[];
  bestHabitat: Record<string, RegionName>;
  /** The composite models to validate (those the study built). */
  composites: string[];
  /** With harmonisation.method combat: the training patients' batches (rows aligned with `ids`); each resample refits ComBat on its own rows. Absent or null: no harmonisation. */
  batches?: CohortBatches | null;
}

/** The label of a region's model in the results. */
export const regionModelName = (sequence: string, region: string): string => `${sequence} ${region}`;

/** The task of a study: `train` indexes the cohort rows (`ids`, `labels`, `features`). */
export function optimismTask(
  input: { ids: string[]; labels: (0 | 1)[]; train: number[]; features: readonly PatientFeatures[]; clinical: ClinicalTable; config: StudyConfig },
  icc: IccPlan, regions: readonly RegionResult[], bestHabitat: Record<string, RegionName>, composites: string[],
  batches: CohortBatches | null = null,
): OptimismTask {
  const { ids, labels, train, features, config } = input;
  const trainIds = pick(ids, train);
  const out: OptimismTask['regions'] = [];
  for (const r of regions) {
    if (r.selected.length === 0 || r.lambda === null) continue;
    const key = regionKey(r.sequence, r.region);
    const { names, X } = regionMatrix(trainIds, features, key);
    const cols = iccKeptColumns(icc, features, key, names, config.selection.icc, config.selection.iccType);
    out.push({ sequence: r.sequence, region: r.region, names: cols.map((j) => names[j]!), X: X.map((row) => cols.map((j) => row[j]!)), lambda: r.lambda });
  }
  return { ids: trainIds, labels: pick(labels, train), config, clinical: input.clinical, regions: out, bestHabitat, composites, batches: subsetBatches(batches, train) };
}

/** Each task region's column orders (learn/selection.ts `columnOrders` of its X), computed once per task copy. */
const taskOrders = new WeakMap<OptimismTask['regions'][number], Int32Array[]>();
function ordersOf(t: OptimismTask['regions'][number]): Int32Array[] {
  let o = taskOrders.get(t);
  if (!o) taskOrders.set(t, (o = columnOrders(t.X)));
  return o;
}

/** A region refitted on `rows`: probabilities and Rad-scores of every training patient (a constant model when nothing is selected). */
function regionOnRows(t: OptimismTask['regions'][number], y: (0 | 1)[], rows: number[], config: StudyConfig, batches: CohortBatches | null): { probs: number[]; radScores: number[] } {
  const { kept, rows: Xi } = imputedColumns(t.X, rows);
  const names = kept.map((j) => t.names[j]!);
  // ComBat refitted on the resample's rows (as the study fits it on its training rows), applied to every patient
  const Xk = batches && names.length > 0 ? fitColumnTransform(batches, Xi, rows).apply(Xi, Xi.map((_, i) => i)).X : Xi;
  const yr = pick(y, rows);
  const prevalence = yr.reduce<number>((s, v) => s + v, 0) / yr.length;
  const constant = { probs: y.map(() => prevalence), radScores: y.map(() => 0) };
  if (names.length === 0) return constant;
  const key = regionKey(t.sequence, t.region);
  const funnel = safe(() =>
    selectionFunnel(pick(Xk, rows), yr, names, {
      alpha: config.selection.univariateP,
      correlationThreshold: config.selection.correlation,
      lambda: t.lambda,
      // without ComBat the resample's rows are task rows as they are (imputed columns aside: the funnel checks)
      origin: Xk === Xi ? { rowOf: rows, orders: kept.map((j) => ordersOf(t)[j]!) } : undefined,
    }),
  );
  if (!funnel || funnel.selected.length === 0) return constant;
  const model = fitRegionModelOn(funnel, pick(Xk, rows), yr, config.models, { seed: deriveSeed(config.selection.seed, 'svm', key), probability: true });
  return { probs: predictRegionModel(model, Xk) ?? constant.probs, radScores: radScore(funnel.radScore, Xk, names) };
}

/**
 * Every model refitted on the resample `rows` (indices into the training cohort):
 * model name → probability for every training patient; a model whose fit failed
 * is absent. Empty when the resample holds one outcome class only.
 */
export function resamplePredictions(task: OptimismTask, rows: number[]): Record<string, number[]> {
  const { labels: y, config } = task;
  const yr = pick(y, rows);
  if (!yr.includes(0) || !yr.includes(1)) return {};
  const out: Record<string, number[]> = {};
  const radScores: Record<string, number[]> = {};
  for (const r of task.regions) {
    const fit = safe(() => regionOnRows(r, y, rows, config, task.batches ?? null));
    if (!fit) continue;
    out[regionModelName(r.sequence, r.region)] = fit.probs;
    radScores[regionKey(r.sequence, r.region)] = fit.radScores;
  }
  if (task.composites.length === 0) return out;
  const clinic = safe(() => clinicalModel(task.clinical, task.ids, y, rows, config));
  if (!clinic) return out;
  // a best habitat whose refit failed on this resample: the composites built on it count as failed here
  const refitted = Object.fromEntries(Object.entries(task.bestHabitat).filter(([seq, h]) => radScores[regionKey(seq, h)] !== undefined));
  const incomplete = Object.keys(refitted).length < Object.keys(task.bestHabitat).length;
  const specs = compositeSpecs(clinic.table2.clinicInputs, clinic.columns, refitted, radScores, config.sequences);
  for (const spec of specs) {
    if (!task.composites.includes(spec.name) || spec.columns.length === 0 || (incomplete && spec.name === 'Combined')) continue;
    const X = y.map((_, i) => spec.columns.map((c) => c[i]!));
    const probs = safe(() => {
      const fit = fitScaledModel(pick(X, rows), yr, config.models, { seed: deriveSeed(config.selection.seed, 'model', spec.name), probability: true });
      return predictScaledModel(fit.model, X);
    });
    if (probs) out[spec.name] = probs;
  }
  return out;
}

/** The seeded resamples of a task (rows of the training cohort). */
export function optimismResamples(task: OptimismTask, count: number): number[][] {
  return bootstrapResamples(task.labels.length, count, deriveSeed(task.config.selection.seed, 'optimism'));
}

/** The models a task validates, in report order: regions, then composites. */
export function optimismModels(task: OptimismTask): { model: string; kind: 'region' | 'composite' }[] {
  return [
    ...task.regions.map((r) => ({ model: regionModelName(r.sequence, r.region), kind: 'region' as const })),
    ...task.composites.map((model) => ({ model, kind: 'composite' as const })),
  ];
}

/**
 * Harrell's optimism per model from the resamples' predictions (`predictions[b]` =
 * `resamplePredictions(task, resamples[b])`) and the apparent fit's (`apparent` =
 * `resamplePredictions(task, every row)`), through `optimismBootstrap`.
 */
export function summariseOptimism(task: OptimismTask, resamples: number[][], apparent: Record<string, number[]>, predictions: Record<string, number[]>[]): OptimismValidation {
  const byResample = new Map(resamples.map((rows, b) => [rows, predictions[b]]));
  const n = task.labels.length;
  const models = optimismModels(task).map(({ model, kind }): ModelOptimism => {
    const fit: RowFitter = (rows) => {
      const p = rows.length === n && rows.every((v, i) => v === i) && !byResample.has(rows) ? apparent[model] : byResample.get(rows)?.[model];
      return p ? (r) => r.map((i) => p[i]!) : null;
    };
    const o = optimismBootstrap(task.labels, fit, resamples);
    return { model, kind, auc: o.auc, slope: o.slope, brier: o.brier, plus632: o.plus632, failed: o.failed };
  });
  const out: OptimismValidation = { resamples: resamples.length, lambda: 'fixed', seed: task.config.selection.seed, models };
  // a resample without the configured reference batch: every region refit throws (fitColumnTransform), so it failed for every model built on harmonised features
  const short = task.regions.length > 0 ? resamples.map((rows) => referenceBatchShortfall(task.batches ?? null, rows)).filter((w) => w !== null) : [];
  if (short.length > 0) out.notes = [`bootstrap: ${short.length} of ${resamples.length} resamples could not be harmonised (${short[0]}); each counted as failed for every region model and the composites built on them`];
  return out;
}

/** The whole stage in this thread: `count` resamples, `onProgress(done, total)` after each. */
export function optimismValidation(task: OptimismTask, count: number, onProgress?: (done: number, total: number) => void): OptimismValidation {
  const resamples = optimismResamples(task, count);
  const apparent = resamplePredictions(task, task.labels.map((_, i) => i));
  const predictions = resamples.map((rows, b) => {
    const p = resamplePredictions(task, rows);
    onProgress?.(b + 1, count);
    return p;
  });
  return summariseOptimism(task, resamples, apparent, predictions);
}

/** Fits a chunk of resamples somewhere else (a worker): `resamplePredictions` of each. */
export type ResampleRunner = (task: OptimismTask, resamples: number[][]) => Promise<Record<string, number[]>[]>;

/**
 * The whole stage with the resamples' fits handed to `run` in `chunks` chunks at once
 * (a worker pool runs them in parallel); the same result as `optimismValidation`.
 * `onProgress(done, total)` after each chunk.
 */
export async function optimismValidationPooled(
  task: OptimismTask, count: number, run: ResampleRunner, chunks: number, onProgress?: (done: number, total: number) => void,
): Promise<OptimismValidation> {
  const resamples = optimismResamples(task, count);
  const size = Math.max(1, Math.ceil(count / Math.max(1, chunks)));
  const parts: number[][][] = [];
  for (let s = 0; s < count; s += size) parts.push(resamples.slice(s, s + size));
  let done = 0;
  const [apparent, ...results] = await Promise.all([
    run(task, [task.labels.map((_, i) => i)]).then((r) => r[0]),
    ...parts.map((part) =>
      run(task, part).then((r) => {
        if (r.length !== part.length) throw new Error(`optimism: a worker returned ${r.length} fits for ${part.length} resamples`);
        done += part.length;
        onProgress?.(done, count);
        return r;
      }),
    ),
  ]);
  return summariseOptimism(task, resamples, apparent as Record<string, number[]>, (results as Record<string, number[]>[][]).flat());
}
