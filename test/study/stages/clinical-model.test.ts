import { describe, expect, it } from 'vitest';
import { clinicalModel } from '../../../src/core/study/stages/clinical-model.js';
import { DEFAULT_STUDY_CONFIG } from '../../../src/core/study/config.js';
import type { ClinicalTable } from '../../../src/core/study/clinical.js';
import { createRng } from '../../../src/core/util/random.js';

function table(n: number, columns: Record<string, (y: 0 | 1, i: number) => number | string>): { t: ClinicalTable; ids: string[]; labels: (0 | 1)[] } {
  const ids = Array.from({ length: n }, (_, i) => `p${String(i).padStart(3, '0')}`);
  const labels = ids.map((_, i) => (i % 2) as 0 | 1);
  const values: Record<string, string[]> = {};
  for (const [name, f] of Object.entries(columns)) values[name] = labels.map((y, i) => String(f(y, i)));
  const t: ClinicalTable = {
    file: 'clinical.csv',
    ids,
    outcome: labels,
    outcomeLabels: ['0', '1'],
    variables: Object.keys(columns).map((name) => ({ name, kind: 'continuous' as const })),
    values,
  };
  return { t, ids, labels };
}

const config = DEFAULT_STUDY_CONFIG;
const all = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('clinical model stage (Table 2)', () => {
  it('an associated variable is the independent predictor; noise is not', () => {
    const rng = createRng(1);
    const { t, ids, labels } = table(80, { age: (y) => 50 + 8 * y + 4 * rng.normal(), bmi: () => 24 + 3 * rng.normal() });
    const m = clinicalModel(t, ids, labels, all(80), config);
    expect(m.table2.entered).toEqual(['age']);
    expect(m.table2.independent).toEqual(['age']);
    expect(m.table2.clinicInputs).toEqual(['age']);
    expect(m.table2.univariate.map((u) => u.name)).toEqual(['age', 'bmi']);
    expect(Object.keys(m.columns)).toEqual(['age', 'bmi']);
    expect(m.columns.age!.map(String)).toEqual(t.values.age);
    expect(m.notes).toEqual([]);
  });

  it('with nothing significant, the variable with the lowest univariate p, and a note', () => {
    const rng = createRng(2);
    const { t, ids, labels } = table(60, { a: () => rng.normal(), b: () => rng.normal(), c: () => rng.normal() });
    const m = clinicalModel(t, ids, labels, all(60), config);
    const ps = m.table2.univariate.map((u) => ('p' in u ? u.p : 1));
    expect(Math.min(...ps)).toBeGreaterThanOrEqual(0.05);
    const lowest = m.table2.univariate[ps.indexOf(Math.min(...ps))]!.name;
    expect(m.table2.clinicInputs).toEqual([lowest]);
    expect(m.notes.at(-1)).toBe(`no clinical variable reached p < 0.05; the Clinic model uses ${lowest}`);
  });

  it('an entered variable that is a sum of others is left out as aliased', () => {
    const rng = createRng(3);
    const a: number[] = [];
    const b: number[] = [];
    const { t, ids, labels } = table(100, {
      a: (y, i) => (a[i] = y + rng.normal()),
      b: (y, i) => (b[i] = y + rng.normal()),
      c: (_, i) => a[i]! + b[i]!,
    });
    const m = clinicalModel(t, ids, labels, all(100), config);
    expect(m.table2.entered).toEqual(['a', 'b', 'c']);
    expect(m.table2.aliased).toEqual(['c']);
    expect(m.notes.some((n) => n.startsWith('multivariate logistic regression: c left out as a linear combination'))).toBe(true);
  });

  it('imputes a missing value with the training median and reports it', () => {
    const rng = createRng(4);
    const { t, ids, labels } = table(40, { age: (y) => 50 + 10 * y + 3 * rng.normal() });
    t.values.age![5] = '';
    const train = all(40).filter((i) => i !== 39);
    const m = clinicalModel(t, ids, labels, train, config);
    const trainValues = train.filter((i) => i !== 5).map((i) => Number(t.values.age![i])).sort((x, y) => x - y);
    const median = (trainValues[18]! + trainValues[19]!) / 2;
    expect(m.columns.age![5]).toBe(median);
    expect(m.notes[0]).toBe('1 missing clinical value(s) imputed with the training median / most frequent level');
  });
});
