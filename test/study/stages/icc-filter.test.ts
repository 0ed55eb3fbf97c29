import { describe, expect, it } from 'vitest';
import { iccKeptColumns, iccPlan } from '../../../src/core/study/stages/icc-filter.js';
import type { PatientFeatures } from '../../../src/core/study/patient-features.js';

const key = 'T2WI|total';
function patient(id: string, a: number, b: number, second: [number, number] | null): PatientFeatures {
  return {
    id,
    regions: { [key]: { a, b } },
    ...(second ? { regions2: { [key]: { a: second[0], b: second[1] } } } : {}),
  } as unknown as PatientFeatures;
}

describe('ICC filter stage', () => {
  const values = [1, 2, 3, 4, 5, 6];
  // feature a: observer 2 agrees up to a small offset; feature b: observer 2 reverses the ranking
  const cohort = values.map((v, i) => patient(`p${i}`, v, v, [v + 0.01 * (i % 2), 7 - v]));
  const ids = cohort.map((p) => p.id);

  it('applies only with at least 5 patients with a second VOI, and says why not', () => {
    const plan = iccPlan(ids, cohort);
    expect(plan).toEqual({ patients: ids, applied: true, note: null });
    const four = cohort.map((p, i) => (i < 4 ? p : patient(p.id, 1, 1, null)));
    const skipped = iccPlan(ids, four);
    expect(skipped.applied).toBe(false);
    expect(skipped.patients).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(skipped.note).toMatch(/only 4 patients have a second observer's VOI/);
    expect(iccPlan(ids, cohort.map((p) => patient(p.id, 1, 1, null))).note).toBeNull();
  });

  it('keeps the reproducible feature and drops the one the observers disagree on', () => {
    const plan = iccPlan(ids, cohort);
    expect(iccKeptColumns(plan, cohort, key, ['a', 'b'], 0.75, '2,1')).toEqual([0]);
    // a threshold above 1 keeps nothing; a skipped filter keeps everything
    expect(iccKeptColumns(plan, cohort, key, ['a', 'b'], 1, '2,1')).toEqual([]);
    expect(iccKeptColumns({ ...plan, applied: false }, cohort, key, ['a', 'b'], 0.75, '2,1')).toEqual([0, 1]);
  });

  it('drops a feature missing in one observer (its ICC is undefined)', () => {
    const holed = cohort.map((p, i) => (i === 2 ? patient(p.id, 3, 3, [NaN, 4]) : p));
    expect(iccKeptColumns(iccPlan(ids, holed), holed, key, ['a', 'b'], 0.75, '2,1')).toEqual([]);
  });
});
