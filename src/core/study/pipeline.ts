/**
 * The whole study as one reproducible pipeline (../shared/SPEC.md §1–7 (Inputs … Outputs a user expects)), the same in Node
 * (CLI) and in the app (workers):
 *
 *   prepare (per patient) → split → habitats (cohort, training voxels) →
 *   features per region (per patient) → ICC → selection → models → evaluation.
 *
 * Per-patient stages go through a `StudyExecutor` (in-process, or a worker
 * pool) and their results through an optional `StudyCache`, keyed by a hash of
 * everything they depend on, so an interrupted run resumes without recomputing.
 * A patient that fails (bad file, empty VOI, …) is excluded with a one-line
 * reason and the study carries on with the others.
 */
import type { HabitatModel } from '../habitats/habitat-model.js';
import { fitHabitatModel } from '../habitats/habitat-model.js';
import type { DescriptorOptions, LocalFeature } from '../habitats/voxel-descriptors.js';
import { trainValidationSplit } from '../learn/split.js';
import type { ExtractionParams } from '../radiomics/params.js';
import { hashValue } from '../util/hash.js';
import { entryOf, pick } from './stages/common.js';
import { analyseStudy, optimismTaskOf, type AnalysisInput, type AnalysisResult } from './analysis.js';
import { optimismValidationPooled, type ResampleRunner } from './stages/optimism.js';
import { matchClinicalToCohort, type ClinicalTable } from './clinical.js';
import { habitatK, type StudyConfig } from './config.js';
import { patientFeatures, type PatientFeatures } from './patient-features.js';
import { preparePatient, type PatientImages, type PrepareDeps, type PreparedPatient } from './prepare.js';
import { permutationTest, type InternalAucs } from './stages/permutation.js';

export interface StudyPatientSource {
  id: string;
  load(): Promise<PatientImages>;
}

export interface StudyExecutor {
  prepare(src: StudyPatientSource, config: StudyConfig): Promise<PreparedPatient>;
  features(p: PreparedPatient, models: Record<string, HabitatModel>, params: ExtractionParams): Promise<PatientFeatures>;
  /** Permuted runs `ks` of the permutation test (stages/permutation.ts) on a worker; in-process when absent. */
  permutations?(input: AnalysisInput, ks: number[]): Promise<InternalAucs[]>;
  /** Fits bootstrap resamples of the internal validation in a worker (stages/optimism.ts); absent = in this thread. */
  optimism?: ResampleRunner;
  close?(): void;
  readonly workers: number;
}

export interface StudyCache {
  get(key: string): Promise<unknown | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

export type StudyStage = 'prepare' | 'habitats' | 'features' | 'analysis' | 'done';

export interface StudyProgress {
  stage: StudyStage;
  done: number;
  total: number;
  patient?: string;
  message?: string;
  /** Whether this step was served from the cache. */
  cached?: boolean;
  /** The patient was excluded from the study at this step (`message` says why). */
  excluded?: boolean;
}

export interface StudyEnv {
  executor?: StudyExecutor;
  cache?: StudyCache;
  progress?: (p: StudyProgress) => void;
  signal?: AbortSignal;
  /** For the in-process executor. */
  prepareDeps?: PrepareDeps;
}

export interface HabitatSummary {
  k: number;
  kChosenBy: 'bic' | 'icl' | 'user';
  bic: HabitatModel['bic'];
  habitatIntensity: number[];
  pooledVoxels: number;
  perPatient: Record<string, { volumesMm3: number[]; fractions: number[]; missing: number[] }>;
}

export interface StudyResult {
  config: StudyConfig;
  extraction: ExtractionParams;
  excluded: { id: string; reason: string }[];
  habitats: Record<string, HabitatSummary>;
  habitatModels: Record<string, HabitatModel>;
  features: PatientFeatures[];
  analysis: AnalysisResult;
  notes: string[];
  workers: number;
}

export class StudyCancelled extends Error {
  constructor() {
    super('the study was cancelled');
    this.name = 'StudyCancelled';
  }
}

export function inProcessExecutor(deps: PrepareDeps = {}): StudyExecutor {
  return {
    workers: 1,
    async prepare(src, config) {
      return preparePatient(await src.load(), config, deps);
    },
    async features(p, models, params) {
      return patientFeatures(p, models, params);
    },
  };
}

/** Descriptor options of the study config (../shared/SPEC.md §3 (Habitats)). */
export function descriptorOptions(config: StudyConfig, sequence: string): DescriptorOptions {
  const f = config.habitats.features;
  const local: LocalFeature[] = [];
  if (f.includes('local-mean')) local.push('mean');
  if (f.includes('local-entropy')) local.push('entropy');
  return {
    normalisation: config.habitats.normalize,
    local: local.length ? { radius: config.habitats.kernelRadius, features: local } : undefined,
    otherSequences: f.includes('multi-sequence') ? config.sequences.filter((s) => s !== sequence) : undefined,
  };
}

/** Hash of everything the prepared images depend on. */
export function preparedKey(config: StudyConfig): string {
  return hashValue({ v: 1, sequences: config.sequences, reference: config.reference, preprocessing: config.preprocessing });
}

/** Cache key of a patient's prepared images (the viewer uses it to show habitat maps of a finished study). */
export function preparedCacheKey(id: string, config: StudyConfig): string {
  return `prepared/${id}/${preparedKey(config)}`;
}

/** `compute()`, or its value stored under `key` in the cache. */
export async function cached<T>(cache: StudyCache | undefined, key: string, compute: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
  if (cache) {
    const v = await cache.get(key);
    if (v !== undefined) return { value: v as T, hit: true };
  }
  const value = await compute();
  if (cache) await cache.set(key, value);
  return { value, hit: false };
}

/** Steps 1–3 of the study (prepare, split, habitat models), shared by the study and the ICC table before a run (observer-preview.ts). */
export interface StudyHabitats {
  /** The prepared patients in the clinical table, in cohort order. */
  ids: string[];
  /**
   * A prepared patient's images: with a cache they live there between the
   * stages and are read back one patient at a time (the run never holds the
   * cohort's images); without one they are held in memory until `release`.
   */
  preparedOf: (id: string) => Promise<PreparedPatient>;
  /** Drop the prepared images held in memory (a run without a cache, once its features are done). */
  release: () => void;
  /** Indices into `ids`. */
  split: { train: number[]; validation: number[] };
  habitatModels: Record<string, HabitatModel>;
  excluded: { id: string; reason: string }[];
  notes: string[];
  outcomeOf: (id: string) => 0 | 1;
}

/**
 * Prepare every patient of the clinical table (cached), split the prepared
 * ones (seeded, optionally stratified) and fit each sequence's habitat model
 * on the training patients' voxels (cached): the study's steps 1–3.
 */
export async function studyHabitats(
  patients: readonly StudyPatientSource[],
  clinical: ClinicalTable,
  config: StudyConfig,
  env: StudyEnv & { executor: StudyExecutor },
): Promise<StudyHabitats> {
  const exec = env.executor;
  const progress = env.progress ?? (() => {});
  const check = () => {
    if (env.signal?.aborted) throw new StudyCancelled();
  };
  const notes: string[] = [];
  const excluded: { id: string; reason: string }[] = [];
  const inTable = new Set(clinical.ids);
  notes.push(...matchClinicalToCohort(clinical, patients.map((p) => p.id)).filter((m) => m.includes('no images')));
  const usable = patients.filter((p) => {
    if (inTable.has(p.id)) return true;
    excluded.push({ id: p.id, reason: `${clinical.file}: no row for patient ${p.id}` });
    return false;
  });

  // 1. prepare every patient (parallel through the executor). With a cache, the prepared images
  // live there between the stages and are read back one patient at a time: the run never holds
  // the cohort's images (issue 20). Without one they stay in memory.
  const prepKey = preparedKey(config);
  const prepared = new Set<string>();
  const held = new Map<string, PreparedPatient>();
  const sourceOf = new Map(usable.map((src) => [src.id, src]));
  /** A patient's prepared images: from memory, else the cache, else prepared again (a cache that could not store them). */
  const preparedOf = async (id: string): Promise<PreparedPatient> => {
    const kept = held.get(id) ?? ((await env.cache?.get(preparedCacheKey(id, config))) as PreparedPatient | undefined);
    const src = sourceOf.get(id);
    if (kept) return kept;
    if (!src) throw new Error(`patient ${id} is not in the study`);
    return exec.prepare(src, config);
  };
  let done = 0;
  await Promise.all(
    usable.map(async (src) => {
      check();
      try {
        const r = await cached(env.cache, preparedCacheKey(src.id, config), () => exec.prepare(src, config));
        prepared.add(src.id);
        if (!env.cache) held.set(src.id, r.value);
        progress({ stage: 'prepare', done: ++done, total: usable.length, patient: src.id, cached: r.hit });
      } catch (e) {
        check();
        excluded.push({ id: src.id, reason: e instanceof Error ? e.message : String(e) });
        progress({ stage: 'prepare', done: ++done, total: usable.length, patient: src.id, message: `excluded: ${e instanceof Error ? e.message : String(e)}`, excluded: true });
      }
    }),
  );
  check();
  const ids = usable.map((p) => p.id).filter((id) => prepared.has(id));
  if (ids.length < 4) throw new Error(`only ${ids.length} patients could be prepared; a study needs at least 4 (${excluded.map((e) => e.reason).join('; ')})`);
  const rowOf = new Map(clinical.ids.map((id, r) => [id, r]));
  const outcomeOf = (id: string): 0 | 1 => {
    const y = clinical.outcome[rowOf.get(id) ?? -1];
    if (y === undefined) throw new Error(`${clinical.file}: no outcome for patient ${id}`);
    return y;
  };
  const labels = ids.map(outcomeOf);
  if (!labels.includes(1) || !labels.includes(0)) throw new Error(`${clinical.file}: the outcome "${config.outcome}" has a single value among the usable patients`);

  // 2. split (seeded, optionally stratified)
  const split = trainValidationSplit(labels, { seed: config.split.seed, trainFraction: 1 - config.split.validation, stratify: config.split.stratify });

  // 3. habitats: cohort models fitted on the training patients' voxels
  const habitatModels: Record<string, HabitatModel> = {};
  const kRange = Array.from({ length: config.habitats.kMax - config.habitats.kMin + 1 }, (_, i) => config.habitats.kMin + i);
  for (let s = 0; s < config.sequences.length; s++) {
    check();
    const seq = config.sequences[s]!;
    const k = habitatK(config, seq);
    const trainCases = pick(ids, split.train).map((id) => ({ id, load: () => preparedOf(id).then((p) => ({ images: p.images, mask: p.mask })) }));
    const key = `habitats/${seq}/${hashValue({ v: 2, prepKey, train: trainCases.map((c) => c.id), k, kRange, habitats: config.habitats, d: descriptorOptions(config, seq) })}`;
    const r = await cached(env.cache, key, () =>
      fitHabitatModel(trainCases, {
        sequence: seq,
        k,
        kRange,
        seed: config.habitats.seed,
        maxPooledVoxels: config.habitats.maxVoxels,
        descriptors: descriptorOptions(config, seq),
        criterion: config.habitats.criterion,
        curveVoxels: config.habitats.curveVoxels,
      }),
    );
    habitatModels[seq] = r.value;
    progress({ stage: 'habitats', done: s + 1, total: config.sequences.length, message: `${seq}: k = ${r.value.k}`, cached: r.hit });
  }
  return { ids, preparedOf, release: () => held.clear(), split, habitatModels, excluded, notes, outcomeOf };
}

/** Cache key of a patient's features under the study's habitat models and extraction settings. */
export function featuresCacheKey(id: string, config: StudyConfig, models: Record<string, HabitatModel>, params: ExtractionParams): string {
  return `features/${id}/${hashValue({ v: 1, prepKey: preparedKey(config), models, params })}`;
}

export async function runStudy(
  patients: StudyPatientSource[],
  clinical: ClinicalTable,
  config: StudyConfig,
  params: ExtractionParams,
  env: StudyEnv = {},
): Promise<StudyResult> {
  const exec = env.executor ?? inProcessExecutor(env.prepareDeps);
  const progress = env.progress ?? (() => {});
  const check = () => {
    if (env.signal?.aborted) throw new StudyCancelled();
  };
  // 1–3. prepare, split, habitat models
  const { ids, preparedOf, release, split, habitatModels, excluded, notes, outcomeOf } = await studyHabitats(patients, clinical, config, { ...env, executor: exec });

  // 4. features of every region of every patient: a few patients per worker in flight, each read back when its turn comes
  const features = new Map<string, PatientFeatures>();
  let done = 0;
  await inFlight(
    ids,
    2 * Math.max(1, exec.workers),
    async (id) => {
      check();
      try {
        const r = await cached(env.cache, featuresCacheKey(id, config, habitatModels, params), async () => exec.features(await preparedOf(id), habitatModels, params));
        features.set(id, r.value);
        progress({ stage: 'features', done: ++done, total: ids.length, patient: id, cached: r.hit });
      } catch (e) {
        check();
        excluded.push({ id, reason: e instanceof Error ? e.message : String(e) });
        progress({ stage: 'features', done: ++done, total: ids.length, patient: id, message: `excluded: ${e instanceof Error ? e.message : String(e)}`, excluded: true });
      }
    },
  );
  release();
  check();
  const finalIds = ids.filter((id) => features.has(id));
  const finalLabels = finalIds.map(outcomeOf);
  // Patients lost at the feature stage keep their cohort: re-index the split.
  const cohortOf = new Map<string, 'train' | 'validation'>();
  pick(ids, split.train).forEach((id) => cohortOf.set(id, 'train'));
  pick(ids, split.validation).forEach((id) => cohortOf.set(id, 'validation'));
  const finalSplit = {
    train: finalIds.flatMap((id, i) => (cohortOf.get(id) === 'train' ? [i] : [])),
    validation: finalIds.flatMap((id, i) => (cohortOf.get(id) === 'validation' ? [i] : [])),
  };
  const featureList = finalIds.map((id) => features.get(id)!);
  for (const f of featureList) notes.push(...f.notes);

  // 5. selection, models, evaluation; the bootstrap internal validation in the workers when there are some
  const nPerm = config.validation.permutations;
  progress({ stage: 'analysis', done: 0, total: 1 + nPerm });
  const B = config.models.bootstrap;
  const bootstrapProgress = (d: number, t: number) => progress({ stage: 'analysis', done: d, total: t, message: `bootstrap ${d}/${t}` });
  const analysisInput: AnalysisInput = {
    ids: finalIds,
    labels: finalLabels,
    split: finalSplit,
    features: featureList,
    clinical,
    config,
    habitatCounts: Object.fromEntries(Object.entries(habitatModels).map(([s, m]) => [s, m.k])),
    onBootstrap: bootstrapProgress,
    deferBootstrap: B > 0 && exec.optimism !== undefined && exec.workers > 1,
  };
  const analysis = analyseStudy(analysisInput);
  if (analysisInput.deferBootstrap) {
    check();
    // a few chunks per worker: the pool stays busy and the progress moves
    analysis.optimism = await optimismValidationPooled(optimismTaskOf(analysisInput, analysis), B, exec.optimism!, exec.workers * 4, bootstrapProgress);
    analysis.notes.push(...(analysis.optimism.notes ?? []));
  }
  if (nPerm > 0) {
    // 6. the permutation test: the analysis again with the training outcomes shuffled, on the workers
    // (the input without its progress callback and bootstrap flags, which a worker cannot receive and a permuted run does not use)
    const { onBootstrap: _cb, deferBootstrap: _defer, ...permInput } = analysisInput;
    check();
    progress({ stage: 'analysis', done: 1, total: 1 + nPerm, message: `permutation test: ${nPerm} permuted analyses` });
    analysis.permutation = await permutationTest(permInput, analysis, nPerm, {
      run: exec.permutations ? (ks) => exec.permutations!(permInput, ks) : undefined,
      parallel: exec.workers,
      progress: (k, n) => {
        check();
        // the time left is the consumer's (CLI progress line, the app's run panel): one estimate per stage
        progress({ stage: 'analysis', done: 1 + k, total: 1 + n, message: `permutation ${k}/${n}` });
      },
    });
  }
  progress({ stage: 'done', done: 1, total: 1 });
  exec.close?.();

  const habitats: Record<string, HabitatSummary> = {};
  for (const [seq, m] of Object.entries(habitatModels)) {
    habitats[seq] = {
      k: m.k,
      kChosenBy: m.kChosenBy,
      bic: m.bic,
      habitatIntensity: m.habitatIntensity,
      pooledVoxels: m.pooledVoxels,
      perPatient: Object.fromEntries(
        featureList.map((f) => {
          const h = entryOf(f.habitats, seq, `patient ${f.id}: habitats`);
          return [f.id, { volumesMm3: h.volumesMm3, fractions: h.fractions, missing: h.missing }];
        }),
      ),
    };
  }
  excluded.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { config, extraction: params, excluded, habitats, habitatModels, features: featureList, analysis, notes: [...notes, ...analysis.notes], workers: exec.workers };
}

/** `fn` over `items` with at most `limit` calls running at once; resolves when all have settled (`fn` handles its own errors). */
export async function inFlight<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

