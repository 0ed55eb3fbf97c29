/**
 * The ICC filter's numbers (stage 4 of the study, analysis.ts): each
 * feature's intraclass correlation between the two observers' VOIs over the
 * patients that have both, in the study's form, and whether the filter keeps
 * it. The study's analysis calls `featureIcc` for its filter and the app
 * shows `observerIccTable`, so a radiologist sees exactly what the filter
 * keeps and drops. The form is the config's `selection.iccType` (default
 * ICC(2,1), docs/study.md) and the threshold `selection.icc`.
 */
import { icc, type IccType } from '../stats/icc.js';
import type { StudyConfig } from './config.js';
import type { PatientFeatures } from './patient-features.js';

/** The ICC filter's settings: threshold and form. */
export type IccFilter = Pick<StudyConfig['selection'], 'icc' | 'iccType'>;
/** The filter applies only with at least this many patients with a second VOI. */
export const ICC_MIN_PATIENTS = 5;

/** ICC of `feature` in region `key` between the observers of `patients` (all with a second VOI); null when a value is missing or the ICC is undefined. */
export function featureIcc(patients: readonly PatientFeatures[], key: string, feature: string, type: IccType): number | null {
  const ratings = patients.map((p) => [p.regions[key]?.[feature], p.regions2?.[key]?.[feature]]);
  if (ratings.some((r) => !Number.isFinite(r[0]) || !Number.isFinite(r[1]))) return null;
  try {
    return icc(ratings as number[][], type).icc;
  } catch {
    return null;
  }
}

/** The filter's rule: kept when the ICC is defined and above the threshold. */
export function iccKeeps(value: number | null, threshold: number): boolean {
  return value !== null && value > threshold;
}

export interface ObserverIccRow {
  /** Region key `<sequence>|<region>`. */
  region: string;
  feature: string;
  icc: number | null;
  kept: boolean;
}

export interface ObserverIccTable {
  type: IccType;
  threshold: number;
  /** Patients with both observers' VOIs, in cohort order. */
  patients: string[];
  /** False when fewer than ICC_MIN_PATIENTS patients have a second VOI (the study then keeps every feature). */
  applied: boolean;
  rows: ObserverIccRow[];
}

/** Every feature's ICC in every region, as the study's filter computes it; `ids` in cohort order. */
export function observerIccTable(ids: readonly string[], features: readonly PatientFeatures[], regionKeys: readonly string[], filter: IccFilter): ObserverIccTable {
  const byId = new Map(features.map((f) => [f.id, f]));
  const withSecond = ids.map((id) => byId.get(id)).filter((f): f is PatientFeatures => !!f?.regions2);
  const applied = withSecond.length >= ICC_MIN_PATIENTS;
  const rows: ObserverIccRow[] = [];
  if (withSecond.length >= 2) {
    for (const key of regionKeys) {
      const first = features.map((f) => f.regions[key]).find((r) => r && Object.keys(r).length > 0);
      for (const feature of first ? Object.keys(first) : []) {
        const value = featureIcc(withSecond, key, feature, filter.iccType);
        rows.push({ region: key, feature, icc: value, kept: !applied || iccKeeps(value, filter.icc) });
      }
    }
  }
  return { type: filter.iccType, threshold: filter.icc, patients: withSecond.map((f) => f.id), applied, rows };
}
