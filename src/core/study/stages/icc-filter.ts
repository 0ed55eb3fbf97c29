/**
 * Stage: the ICC reproducibility filter (../shared/SPEC.md, "Radiomic features":
 * keep features with ICC > 0.75 between two observers' VOIs). The patients with a
 * second observer's VOI decide whether the filter applies at all; each region's
 * columns are then kept or dropped by `iccKeeps` on `featureIcc` (observer-icc.ts),
 * the same numbers the app's ICC table shows.
 */
import { featureIcc, iccKeeps, ICC_MIN_PATIENTS } from '../observer-icc.js';
import type { PatientFeatures } from '../patient-features.js';
import type { IccType } from '../../stats/icc.js';

export interface IccPlan {
  /** Patients with a second observer's VOI, in cohort order. */
  patients: string[];
  /** True when at least ICC_MIN_PATIENTS of them exist. */
  applied: boolean;
  /** Why the filter was skipped although some patients have a second VOI; null otherwise. */
  note: string | null;
}

export function iccPlan(ids: readonly string[], features: readonly PatientFeatures[]): IccPlan {
  const byId = new Map(features.map((f) => [f.id, f]));
  const patients = ids.filter((id) => byId.get(id)?.regions2);
  const applied = patients.length >= ICC_MIN_PATIENTS;
  const note = !applied && patients.length > 0 ? `ICC filter skipped: only ${patients.length} patients have a second observer's VOI (at least ${ICC_MIN_PATIENTS} needed)` : null;
  return { patients, applied, note };
}

/** Indices into `names` of the features of region `key` the filter keeps (all of them when it does not apply). */
export function iccKeptColumns(plan: IccPlan, features: readonly PatientFeatures[], key: string, names: readonly string[], threshold: number, type: IccType): number[] {
  const all = names.map((_, j) => j);
  if (!plan.applied) return all;
  const byId = new Map(features.map((f) => [f.id, f]));
  const observers = plan.patients.map((id) => byId.get(id)!);
  return all.filter((j) => iccKeeps(featureIcc(observers, key, names[j]!, type), threshold));
}
