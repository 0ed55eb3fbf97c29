/**
 * Stage (optional): the permutation test of every model's internal AUC
 * (config `validation.permutations`, `habitat study --permutations N`).
 *
 * The cohort analysis is repeated on the same (cached) features with the
 * training cohort's outcomes shuffled, N times; each repeat reruns everything
 * that looks at the outcome: the selection funnel and LASSO-CV of every region,
 * its nested CV, the choice of the best habitats, the clinical model and the
 * composite models. The statistic is each model's INTERNAL AUC on the training
 * cohort:
 * - a region: its nested, repeated cross-validated AUC (`auc.cvTraining`);
 * - a composite model (Clinic, Clinic + <sequence>'s best habitat, Combined): its
 *   apparent training AUC (valid here: every permuted run refits the same way, so
 *   the optimism is in the permutation distribution too; a corrected AUC would need
 *   a bootstrap inside every permuted run). A "Clinic + <sequence>" model is
 *   compared with the permuted run's model of the same role, whichever habitat
 *   that run named best.
 *
 * A permuted run in which a model does not exist scores it as chance would: a
 * region without a model 0.5, a Clinic + habitat or Combined model without any
 * best habitat the permuted Clinic model's AUC (the model the pipeline falls back
 * to). p = (1 + #{permuted ≥ observed}) / (N + 1) (Phipson & Smyth 2010), so p is
 * never 0. Only the training outcomes are permuted (within the training
 * cohort); the validation cohort's outcomes are left as they are: they enter no
 * internal AUC, and the split stays the study's own. Permutation k uses the seed
 * deriveSeed(config.selection.seed, 'permutation', k), so a permutation's
 * statistics do not depend on how the work is shared between workers.
 */
import { createRng, deriveSeed } from '../../util/random.js';
import type { AnalysisInput, AnalysisResult } from '../analysis.js';
import { bestHabitats, sequenceEvidence } from '../evidence.js';
import { regionKey } from '../patient-features.js';
import { clinicalModel } from './clinical-model.js';
import { compositeSpecs, fitCompositeModels } from './composite.js';
import { iccPlan, type IccPlan } from './icc-filter.js';
import { analyseRegion, cohortBatches, prepareRegion, regionMatrix, studyRegions, type CohortBatches, type PreparedRegion, type RegionInput } from './regions.js';

export type { PermutationModelResult, PermutationStatistic, PermutationTest } from '../permutation-result.js';
export { permutationP, permutationSummary } from '../permutation-result.js';
import type { PermutationModelResult, PermutationTest } from '../permutation-result.js';

/** Statistics of one run, keyed by role: regions "T2WI Hab2"; composites "Clinic", "Clinic + T2WI", "Combined". */
export type InternalAucs = Record<string, number | null>;

/** The role of a composite model: "Clinic + T2WI Hab2" → "Clinic + T2WI". */
export function compositeRole(name: string, bestHabitat: Record<string, string>): string {
  for (const [seq, h] of Object.entries(bestHabitat)) if (name === `Clinic + ${seq} ${h}`) return `Clinic + ${seq}`;
  return name;
}

/** The internal AUCs of a finished analysis (the observed statistics, or a permuted run's). */
export function internalAucs(a: Pick<AnalysisResult, 'regions' | 'models' | 'bestHabitat'>): InternalAucs {
  const out: InternalAucs = {};
  for (const r of a.regions) out[`${r.sequence} ${r.region}`] = r.auc.cvTraining;
  for (const m of a.models) out[compositeRole(m.name, a.bestHabitat)] = m.training.auc;
  return out;
}

/** `labels` with the entries at `train` shuffled among themselves (seeded Fisher–Yates); the others untouched. */
export function permuteWithin(labels: readonly (0 | 1)[], train: readonly number[], seed: number): (0 | 1)[] {
  const rng = createRng(seed);
  const vals = train.map((i) => labels[i]);
  for (let i = vals.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [vals[i], vals[j]] = [vals[j], vals[i]];
  }
  const out = labels.slice();
  train.forEach((i, k) => (out[i] = vals[k]!));
  return out;
}

/** The seed of permutation k (0-based). */
export const permutationSeed = (studySeed: number, k: number) => deriveSeed(studySeed, 'permutation', k);

/**
 * The label-independent part of the analysis, computed once for every permuted
 * run: each region's feature matrix, the ICC plan, and each region's ICC-kept,
 * imputed columns (`prepareRegion`: the training rows do not change when only
 * their outcomes are shuffled).
 */
export interface PermutationCohort {
  input: AnalysisInput;
  icc: IccPlan;
  regions: (RegionInput & { prepared: PreparedRegion })[];
  /** With harmonisation.method combat: the cohort's batches, so each permuted run harmonises as the study does (ComBat never sees the outcome). */
  batches: CohortBatches | null;
}

export function permutationCohort(input: AnalysisInput): PermutationCohort {
  const icc = iccPlan(input.ids, input.features);
  const batches = cohortBatches(input.config, input.clinical, input.ids, input.split.train);
  const regions = studyRegions(input.config.sequences, input.habitatCounts).map(({ sequence, region }) => {
    const r: RegionInput = { sequence, region, ...regionMatrix(input.ids, input.features, regionKey(sequence, region)) };
    return { ...r, prepared: prepareRegion(r, input.split.train, input.config, { plan: icc, features: input.features }) };
  });
  return { input, icc, regions, batches };
}

/**
 * The internal AUCs of the analysis with outcomes `labels`: the stages of
 * analyseStudy that the statistics depend on (regions, best habitats, clinical
 * model, composite models), without Table 1, decision curves or predictions.
 */
export function analyseInternal(cohort: PermutationCohort, labels: (0 | 1)[]): InternalAucs {
  const { ids, split, features, clinical, config } = cohort.input;
  const radScores: Record<string, number[]> = {};
  const regions = cohort.regions.map((r) => {
    const a = analyseRegion(r, labels, split, config, { plan: cohort.icc, features }, cohort.batches, r.prepared);
    radScores[regionKey(r.sequence, r.region)] = a.radScores;
    return a.result;
  });
  const bestHabitat = bestHabitats(regions, config.sequences);
  const evidence = sequenceEvidence(regions, config.sequences);
  const clinic = clinicalModel(clinical, ids, labels, split.train, config);
  const specs = compositeSpecs(clinic.table2.clinicInputs, clinic.columns, bestHabitat, radScores, config.sequences);
  const { models } = fitCompositeModels(specs, labels, split, config, evidence);
  return internalAucs({ regions, models, bestHabitat });
}

/** Permuted run k's internal AUCs. */
export function permutedRun(cohort: PermutationCohort, k: number): InternalAucs {
  const { labels, split, config } = cohort.input;
  return analyseInternal(cohort, permuteWithin(labels, split.train, permutationSeed(config.selection.seed, k)));
}

/** Permuted runs `ks` on a fresh cohort. */
export function permutedRuns(input: AnalysisInput, ks: number[]): InternalAucs[] {
  const cohort = permutationCohort(input);
  return ks.map((k) => permutedRun(cohort, k));
}

/** A worker's cohort of the study it was last given, by the study's key. */
let workerCohort: { key: string; cohort: PermutationCohort } | null = null;

/**
 * What a worker runs: permuted runs `ks` of the study `key`. The study's input
 * crosses to a worker once: given `input`, the worker builds the cohort and keeps
 * it (one study at a time); given null, it uses the cohort it kept, or returns null
 * when it holds another study's (or none), and the caller sends the input.
 */
export function workerPermutedRuns(key: string, input: AnalysisInput | null, ks: number[]): InternalAucs[] | null {
  if (input) workerCohort = { key, cohort: permutationCohort(input) };
  else if (workerCohort?.key !== key) return null;
  const { cohort } = workerCohort;
  return ks.map((k) => permutedRun(cohort, k));
}

const studyKeys = new WeakMap<AnalysisInput, string>();
let studyCount = 0;

/**
 * The caller's side of workerPermutedRuns: `call` reaches one worker of a pool.
 * Each input object gets a key of its own, from a counter of this module (the workers
 * are created by a pool in the same thread, so no other counter names their studies).
 * A batch goes without the input first and is sent again with it only to a worker that
 * does not hold the study yet.
 */
export function pooledPermutations(
  call: (key: string, input: AnalysisInput | null, ks: number[]) => Promise<InternalAucs[] | null>,
): (input: AnalysisInput, ks: number[]) => Promise<InternalAucs[]> {
  return async (input, ks) => {
    let key = studyKeys.get(input);
    if (key === undefined) {
      key = `study-${++studyCount}`;
      studyKeys.set(input, key);
    }
    const runs = (await call(key, null, ks)) ?? (await call(key, input, ks));
    if (!runs) throw new Error('permutation test: a worker returned no runs for the study it was given');
    return runs;
  };
}

/** A permuted run's value of a statistic, with the fallbacks of the module comment. */
function permutedValue(run: InternalAucs, role: string, kind: 'region' | 'model'): number {
  const v = run[role];
  if (v !== undefined && v !== null && Number.isFinite(v)) return v;
  if (kind === 'region') return 0.5;
  return run['Clinic'] ?? 0.5;
}

/** The p-values of the observed analysis against the permuted runs' statistics. */
export function permutationPValues(observed: AnalysisResult, runs: InternalAucs[], seed: number): PermutationTest {
  const n = runs.length;
  const rows: PermutationModelResult[] = [];
  const add = (name: string, role: string, kind: 'region' | 'model', value: number | null) => {
    const obs = value !== null && Number.isFinite(value) ? value : null;
    const atLeast = obs === null ? 0 : runs.filter((run) => permutedValue(run, role, kind) >= obs).length;
    rows.push({ name, kind, statistic: kind === 'region' ? 'nested-CV AUC' : 'apparent training AUC', observed: obs, atLeast, p: obs === null || n === 0 ? null : (1 + atLeast) / (n + 1) });
  };
  for (const r of observed.regions) add(`${r.sequence} ${r.region}`, `${r.sequence} ${r.region}`, 'region', r.auc.cvTraining);
  for (const m of observed.models) add(m.name, compositeRole(m.name, observed.bestHabitat), 'model', m.training.auc);
  return { permutations: n, seed, permuted: 'training outcomes', models: rows };
}

/** Runs permutations 0…n−1 (through `run`, e.g. a worker pool, in parallel) and returns the test; `progress(done, n)` after each. */
export async function permutationTest(
  input: AnalysisInput, observed: AnalysisResult, n: number,
  options: { run?: (ks: number[]) => Promise<InternalAucs[]>; parallel?: number; progress?: (done: number, total: number) => void } = {},
): Promise<PermutationTest> {
  const cohort = options.run ? null : permutationCohort(input);
  const run = options.run ?? (async (ks: number[]) => ks.map((k) => permutedRun(cohort!, k)));
  const runs = new Array<InternalAucs>(n);
  let done = 0;
  // small batches: progress stays live and the workers share the work evenly
  const batch = Math.max(1, Math.min(4, Math.floor(n / (4 * Math.max(1, options.parallel ?? 1)))));
  const batches: number[][] = [];
  for (let k = 0; k < n; k += batch) batches.push(Array.from({ length: Math.min(batch, n - k) }, (_, i) => k + i));
  let next = 0;
  const lanes = options.run ? Math.max(1, options.parallel ?? 1) : 1;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < batches.length) {
        const ks = batches[next++]!;
        const r = await run(ks);
        ks.forEach((k, i) => (runs[k] = r[i]!));
        done += ks.length;
        options.progress?.(done, n);
      }
    }),
  );
  return permutationPValues(observed, runs, input.config.selection.seed);
}
