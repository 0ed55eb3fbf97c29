/**
 * The observer ICC table before a study run (docs/delineation.md): for the
 * patients with both observers' VOIs, the same per-patient stages as the
 * study — `preparePatient` through the study's executor and cache (same
 * cache keys, so a later run reuses the prepared images), then
 * `patientFeatures` — and the ICC filter's table (observer-icc.ts). With the
 * clinical table, the habitat regions too: the study's own steps 1–3
 * (`studyHabitats`: every patient prepared, the study's split, the habitat
 * models fitted on its training patients, all under the study's cache keys),
 * then the features of both VOIs under those models. Without it (or when the
 * study could not fit its models) only the whole tumour of every sequence.
 */
import type { ExtractionParams } from '../radiomics/params.js';
import type { ClinicalTable } from './clinical.js';
import type { StudyConfig } from './config.js';
import { observerIccTable, type ObserverIccTable } from './observer-icc.js';
import { regionKey, type PatientFeatures } from './patient-features.js';
import { studyRegions } from './stages/regions.js';
import { cached, featuresCacheKey, inProcessExecutor, preparedCacheKey, StudyCancelled, studyHabitats, type StudyEnv, type StudyPatientSource } from './pipeline.js';
import type { HabitatModel } from '../habitats/habitat-model.js';
import type { PreparedPatient } from './prepare.js';

export interface ObserverIccPreview {
  table: ObserverIccTable;
  /** Patients left out, with the reason (a failed preparation, no second VOI, no clinical row). */
  excluded: { id: string; reason: string }[];
  /** Why the table has no habitat rows (no clinical table, or the study's habitat models could not be fitted); absent when it has them. */
  noHabitats?: string;
}

/** Progress of the preview: patients whose features are done (`stage` 'prepare' / 'habitats' while the study's steps 1–3 run). */
export interface ObserverPreviewProgress {
  done: number;
  total: number;
  patient?: string;
  cached?: boolean;
  stage?: 'prepare' | 'habitats' | 'features';
}

const message = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0]! : String(e));

/**
 * The ICC table of the features between the two observers' VOIs, as the
 * study computes it for the same patients and settings. Without `clinical`,
 * `patients` are those with a second VOI and the table has the whole tumour
 * only; with it, `patients` are the study's whole cohort (the habitat models
 * are fitted on its training split) and the table has every region.
 */
export async function observerIccBeforeRun(
  patients: readonly StudyPatientSource[],
  config: StudyConfig,
  params: ExtractionParams,
  env: Omit<StudyEnv, 'progress'> & { progress?: (p: ObserverPreviewProgress) => void; clinical?: ClinicalTable } = {},
): Promise<ObserverIccPreview> {
  const exec = env.executor ?? inProcessExecutor(env.prepareDeps);
  const excluded: { id: string; reason: string }[] = [];
  const features = new Map<string, PatientFeatures>();
  let ids: string[] = patients.map((p) => p.id);
  let models: Record<string, HabitatModel> = {};
  let noHabitats: string | undefined = 'no clinical table: the habitat models need the study\'s training split';
  try {
    // the patients to extract, each with its prepared images (through the study's cache)
    let pairs: { id: string; prepared: () => Promise<{ value: PreparedPatient; hit: boolean }> }[];
    const eachPatient = () => patients.map((src) => ({ id: src.id, prepared: () => cached(env.cache, preparedCacheKey(src.id, config), () => exec.prepare(src, config)) }));
    if (env.clinical) {
      try {
        const h = await studyHabitats(patients, env.clinical, config, {
          ...env,
          executor: exec,
          progress: (p) => {
            if (p.stage === 'prepare' || p.stage === 'habitats') env.progress?.({ done: p.done, total: p.total, patient: p.patient, cached: p.cached, stage: p.stage });
          },
        });
        models = h.habitatModels;
        noHabitats = undefined;
        ids = h.ids;
        excluded.push(...h.excluded);
        pairs = h.ids.map((id) => ({ id, prepared: async () => ({ value: await h.preparedOf(id), hit: true }) }));
      } catch (e) {
        if (e instanceof StudyCancelled || env.signal?.aborted) throw new StudyCancelled();
        // the study itself would stop here: the whole tumour only, for the patients with a second VOI
        noHabitats = `the study's habitat models could not be fitted: ${message(e)}`;
        pairs = eachPatient();
      }
    } else {
      pairs = eachPatient();
    }
    let done = 0;
    await Promise.all(
      pairs.map(async ({ id, prepared: prepare }) => {
        if (env.signal?.aborted) throw new StudyCancelled();
        let hit = false;
        try {
          const prepared = await prepare();
          hit = prepared.hit;
          if (!prepared.value.mask2) {
            // the whole cohort is passed with the clinical table: a patient without a second VOI is simply not in the table
            if (!env.clinical) excluded.push({ id, reason: `patient ${id}: no second observer's VOI` });
          } else if (noHabitats) features.set(id, await exec.features(prepared.value, {}, params));
          else {
            // under the study's key: the next run reuses them
            const f = await cached(env.cache, featuresCacheKey(id, config, models, params), () => exec.features(prepared.value, models, params));
            hit = f.hit;
            features.set(id, f.value);
          }
        } catch (e) {
          if (env.signal?.aborted) throw new StudyCancelled();
          excluded.push({ id, reason: message(e) });
        }
        env.progress?.({ done: ++done, total: pairs.length, patient: id, cached: hit, stage: 'features' });
      }),
    );
  } finally {
    exec.close?.();
  }
  const counts = Object.fromEntries(Object.entries(models).map(([s, m]) => [s, m.k]));
  const regions = studyRegions(config.sequences, counts).map((r) => regionKey(r.sequence, r.region));
  const table = observerIccTable(
    ids.filter((id) => features.has(id)),
    [...features.values()],
    regions,
    config.selection,
  );
  excluded.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return noHabitats ? { table, excluded, noHabitats } : { table, excluded };
}
