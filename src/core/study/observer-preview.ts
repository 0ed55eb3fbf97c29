/**
 * The observer ICC table before a study run (docs/delineation.md): for the
 * patients with both observers' VOIs, the same per-patient stages as the
 * study — `preparePatient` through the study's executor and cache (same
 * cache keys, so a later run reuses the prepared images), then
 * `patientFeatures` — and the ICC filter's table (observer-icc.ts) over the
 * whole-tumour region of every sequence. Habitat regions need the cohort's
 * habitat models, fitted by the study run on its training split; their ICCs
 * come with the run.
 */
import type { ExtractionParams } from '../radiomics/params.js';
import type { StudyConfig } from './config.js';
import { observerIccTable, type ObserverIccTable } from './observer-icc.js';
import { regionKey, type PatientFeatures } from './patient-features.js';
import { cached, inProcessExecutor, preparedCacheKey, StudyCancelled, type StudyEnv, type StudyPatientSource } from './pipeline.js';

export interface ObserverIccPreview {
  table: ObserverIccTable;
  /** Patients left out, with the reason (a failed preparation, no second VOI). */
  excluded: { id: string; reason: string }[];
}

/** Progress of the preview: patients whose features are done. */
export interface ObserverPreviewProgress {
  done: number;
  total: number;
  patient?: string;
  cached?: boolean;
}

/**
 * The ICC table of the whole-tumour features between the two observers'
 * VOIs of `patients` (each should have a second VOI), in the order given, as
 * the study computes it for the same patients and settings.
 */
export async function observerIccBeforeRun(
  patients: readonly StudyPatientSource[],
  config: StudyConfig,
  params: ExtractionParams,
  env: Omit<StudyEnv, 'progress'> & { progress?: (p: ObserverPreviewProgress) => void } = {},
): Promise<ObserverIccPreview> {
  const exec = env.executor ?? inProcessExecutor(env.prepareDeps);
  const excluded: { id: string; reason: string }[] = [];
  const features = new Map<string, PatientFeatures>();
  let done = 0;
  const message = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0]! : String(e));
  try {
    await Promise.all(
      patients.map(async (src) => {
        if (env.signal?.aborted) throw new StudyCancelled();
        let hit = false;
        try {
          const prepared = await cached(env.cache, preparedCacheKey(src.id, config), () => exec.prepare(src, config));
          hit = prepared.hit;
          if (!prepared.value.mask2) excluded.push({ id: src.id, reason: `patient ${src.id}: no second observer's VOI` });
          else features.set(src.id, await exec.features(prepared.value, {}, params));
        } catch (e) {
          if (env.signal?.aborted) throw new StudyCancelled();
          excluded.push({ id: src.id, reason: message(e) });
        }
        env.progress?.({ done: ++done, total: patients.length, patient: src.id, cached: hit });
      }),
    );
  } finally {
    exec.close?.();
  }
  const ids = patients.map((p) => p.id).filter((id) => features.has(id));
  const table = observerIccTable(ids, [...features.values()], config.sequences.map((s) => regionKey(s, 'total')), config.selection);
  excluded.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { table, excluded };
}
