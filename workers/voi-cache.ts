/**
 * Study cache keys when VOIs were corrected in the viewer (PatientSpec.voi).
 *
 * The pipeline's keys name a patient and the settings, not the VOI's
 * contents: `prepared/<id>/…`, `features/<id>/…`, and cohort-level keys such
 * as `habitats/<sequence>/…`. So that nothing computed from an old VOI is
 * reused while unedited patients keep their (costly) prepared images:
 * - a key of an edited patient gets that patient's VOI fingerprint;
 * - a key of an unedited patient is unchanged (its inputs did not change;
 *   its features key already hashes the cohort's habitat models);
 * - any other key (the cohort's habitat models, anything added later) gets
 *   a hash of every edit, since it may pool all patients' VOIs.
 */
import { hashValue, type StudyCache } from '../src/core/index.js';

/** Patient id → fingerprint of the corrected VOI (and of a second observer's VOI drawn on a demo patient). */
export type VoiEdits = Record<string, string>;

export function voiEditsOf(patients: readonly { id: string; voi?: { fingerprint: string }; voi2?: { fingerprint: string } }[]): VoiEdits {
  const edits: VoiEdits = {};
  for (const p of patients) {
    if (p.voi2) edits[p.id] = `${p.voi?.fingerprint ?? 'mask'}+mask2-${p.voi2.fingerprint}`;
    else if (p.voi) edits[p.id] = p.voi.fingerprint;
  }
  return edits;
}

/** The cache key of pipeline key `key` given the cohort's VOI edits. */
export function voiCacheKey(key: string, edits: VoiEdits): string {
  const ids = Object.keys(edits);
  if (ids.length === 0) return key;
  const patient = /^(prepared|features)\/([^/]+)\//.exec(key)?.[2];
  if (patient !== undefined) return Object.hasOwn(edits, patient) ? `${key}~voi-${edits[patient]}` : key;
  return `${key}~voi-${hashValue(ids.sort().map((id) => `${id}:${edits[id]}`))}`;
}

export function withVoiEdits(cache: StudyCache, edits: VoiEdits): StudyCache {
  return {
    get: (key) => cache.get(voiCacheKey(key, edits)),
    set: (key, value) => cache.set(voiCacheKey(key, edits), value),
  };
}

/** StudyView.preparedKeys (`<cohortKey>/<pipeline key>`) as the cache holds them. */
export function voiPreparedKeys(preparedKeys: Record<string, string>, edits: VoiEdits): Record<string, string> {
  return Object.fromEntries(
    Object.entries(preparedKeys).map(([id, full]) => {
      const slash = full.indexOf('/');
      return [id, `${full.slice(0, slash + 1)}${voiCacheKey(full.slice(slash + 1), edits)}`];
    }),
  );
}
