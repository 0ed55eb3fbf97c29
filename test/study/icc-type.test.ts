/**
 * The ICC filter's form (selection.iccType): the study's analysis and the ICC
 * table filter with ICC(1,1), ICC(2,1) or ICC(3,1) as configured, with R
 * psych::ICC's values (the two-rater cases of test/fixtures/stats/r.json,
 * scripts/fixtures/stats_r.R) as the observers' feature values. Thresholds
 * between a case's ICC(2,1) and ICC(3,1) make the two forms keep different
 * features.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseStudy } from '../../src/core/study/analysis.js';
import { parseClinicalCsv } from '../../src/core/study/clinical.js';
import { DEFAULT_STUDY_CONFIG, parseStudyConfig, type StudyConfig } from '../../src/core/study/config.js';
import { observerIccTable } from '../../src/core/study/observer-icc.js';
import type { PatientFeatures } from '../../src/core/study/patient-features.js';
import { trainValidationSplit } from '../../src/core/learn/split.js';
import type { IccType } from '../../src/core/stats/icc.js';
import { demoClinicalCsv } from '../../src/demo/demo.js';

type IccCase = { ratings: number[][] } & Record<IccType, { icc: number }>;
const fx = JSON.parse(readFileSync(new URL('../fixtures/stats/r.json', import.meta.url), 'utf8')) as { icc: IccCase[] };
// Two-rater cases with 30 subjects: the patients' (observer 1, observer 2) values of one feature each.
const cases = fx.icc.filter((c) => c.ratings.length === 30 && c.ratings[0]!.length === 2);
const names = cases.map((_, j) => `original_firstorder_R${j}`);

const n = 30;
const clinical = parseClinicalCsv('clinical.csv', demoClinicalCsv({ patients: n, seed: 7 }));
const features: PatientFeatures[] = clinical.ids.map((id, i) => ({
  id,
  regions: { 'T2WI|total': Object.fromEntries(cases.map((c, j) => [names[j], c.ratings[i]![0]])) },
  regions2: { 'T2WI|total': Object.fromEntries(cases.map((c, j) => [names[j], c.ratings[i]![1]])) },
  habitats: {},
  notes: [],
}));

function run(config: StudyConfig) {
  const split = trainValidationSplit(clinical.outcome, { trainFraction: 0.7, seed: 42, stratify: true });
  return analyseStudy({ ids: clinical.ids, labels: clinical.outcome, split, features, clinical, config, habitatCounts: { T2WI: 0 } });
}

const withIcc = (icc: number, iccType: IccType): StudyConfig => ({ ...DEFAULT_STUDY_CONFIG, sequences: ['T2WI'], reference: 'T2WI', selection: { ...DEFAULT_STUDY_CONFIG.selection, icc, iccType } });

describe('selection.iccType', () => {
  it('defaults to ICC(2,1) and reads 1,1, 2,1 and 3,1 from study.yaml', () => {
    expect(DEFAULT_STUDY_CONFIG.selection.iccType).toBe('2,1');
    for (const t of ['1,1', '2,1', '3,1']) expect(parseStudyConfig(`selection: {iccType: "${t}"}`).selection.iccType).toBe(t);
    expect(parseStudyConfig('selection:\n  iccType: 3,1\n').selection.iccType).toBe('3,1');
    expect(() => parseStudyConfig('selection: {iccType: "3,k"}', 's.yaml')).toThrow(/^s\.yaml: "selection\.iccType" must be one of 1,1, 2,1, 3,1/);
  });

  it('the fixture has two-rater cases whose ICC(2,1) and ICC(3,1) straddle a threshold', () => {
    expect(cases.length).toBeGreaterThanOrEqual(2);
    expect(cases.some((c) => c['2,1'].icc < 0.15 && c['3,1'].icc > 0.15)).toBe(true);
  });

  for (const type of ['1,1', '2,1', '3,1'] as const) {
    it(`ICC(${type}): the table's values are psych::ICC's and the analysis keeps the features above the threshold`, () => {
      for (const threshold of [0.15, 0.868]) {
        const config = withIcc(threshold, type);
        const table = observerIccTable(clinical.ids, features, ['T2WI|total'], config.selection);
        expect(table.type).toBe(type);
        expect(table.applied).toBe(true);
        table.rows.forEach((r, j) => {
          expect(r.feature).toBe(names[j]);
          expect(Math.abs(r.icc! - cases[j]![type].icc), `${type} case ${j}`).toBeLessThanOrEqual(1e-9);
          expect(r.kept).toBe(cases[j]![type].icc > threshold);
        });
        const a = run(config);
        expect(a.icc.type).toBe(type);
        expect(a.icc.keptPerRegion['T2WI|total']).toBe(cases.filter((c) => c[type].icc > threshold).length);
      }
    });
  }

  it('ICC(2,1) and ICC(3,1) keep different features at the same threshold', () => {
    const kept = (t: IccType) => run(withIcc(0.15, t)).icc.keptPerRegion['T2WI|total'];
    expect(kept('3,1')).toBeGreaterThan(kept('2,1')!);
  });
});
