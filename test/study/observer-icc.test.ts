/**
 * The ICC table the app shows (StudyView.observerIcc) is the study's ICC
 * filter: on a small demo cohort where half the patients have a second
 * observer's VOI, every feature's ICC equals ICC(2,1) of its two observers'
 * values (stats/icc.ts, checked against R psych::ICC in test/stats) to 1e-9,
 * and the features it marks kept are, region by region, the ones the study's
 * analysis kept.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { demoClinicalCsv } from '../../src/demo/demo.js';
import { parseClinicalCsv } from '../../src/core/study/clinical.js';
import { parseStudyConfig } from '../../src/core/study/config.js';
import { validateParams } from '../../src/core/radiomics/params.js';
import { demoSources } from './demo-sources.js';
import { runStudy, type StudyResult } from '../../src/core/study/pipeline.js';
import { studyView, type StudyView } from '../../src/core/study/study-view.js';
import { icc } from '../../src/core/stats/icc.js';
import { observerIccTable } from '../../src/core/study/observer-icc.js';

const N = 24;
const demo = { patients: N, seed: 18, motion: false, biasField: false, secondObserverFraction: 0.5 };
const config = parseStudyConfig(['preprocessing: {n4: false, register: none}', 'split: {seed: 5, validation: 0.3, stratify: true}', 'models: {bootstrap: 10}', 'selection: {seed: 3, icc: 0.75}'].join('\n'), 'test.yaml');
const params = validateParams({ imageType: { Original: {} }, featureClass: { firstorder: null, glcm: null }, setting: { binWidth: 25, label: 1 } }, 'test params');
const patients = demoSources(N, demo);

let result: StudyResult;
let view: StudyView;
beforeAll(async () => {
  result = await runStudy(patients, parseClinicalCsv('clinical.csv', demoClinicalCsv(demo)), config, params);
  view = studyView(result, { cohortTitle: 'demo', cohortKey: 'demo', paramsYaml: null, params, seconds: 0 });
}, 600_000);

describe('observer ICC table', () => {
  it('lists the patients with two VOIs and applies the filter as the study did', () => {
    const t = view.observerIcc!;
    expect(t.patients).toEqual(result.analysis.icc.patients);
    expect(t.patients.length).toBeGreaterThanOrEqual(5);
    expect(t.applied).toBe(result.analysis.icc.applied);
    expect(t.applied).toBe(true);
    expect(t.type).toBe(result.analysis.icc.type);
    expect(t.threshold).toBe(0.75);
  });

  it("every feature's ICC is ICC(2,1) of the two observers' values, to 1e-9", () => {
    const byId = new Map(result.features.map((f) => [f.id, f]));
    const t = view.observerIcc!;
    let defined = 0;
    for (const row of t.rows) {
      const ratings = t.patients.map((id) => [byId.get(id)!.regions[row.region][row.feature], byId.get(id)!.regions2![row.region][row.feature]]);
      if (ratings.some((r) => !Number.isFinite(r[0]) || !Number.isFinite(r[1]))) {
        expect(row.icc).toBeNull();
        continue;
      }
      let expected: number | null;
      try {
        expected = icc(ratings, '2,1').icc;
      } catch {
        expected = null;
      }
      if (expected === null) expect(row.icc).toBeNull();
      else {
        expect(Math.abs(row.icc! - expected), `${row.region} ${row.feature}`).toBeLessThanOrEqual(1e-9);
        defined++;
      }
    }
    expect(defined).toBeGreaterThan(50);
  });

  it("the features marked kept are, in every region, as many as the study's analysis kept, and some are dropped", () => {
    const t = view.observerIcc!;
    for (const g of result.analysis.regions) {
      const key = `${g.sequence}|${g.region}`;
      const rows = t.rows.filter((r) => r.region === key);
      expect(rows.length, key).toBe(g.funnel.extracted);
      expect(rows.filter((r) => r.kept).length, key).toBe(result.analysis.icc.keptPerRegion[key]);
      expect(rows.filter((r) => r.kept).length, key).toBe(g.funnel.icc);
    }
    expect(t.rows.some((r) => !r.kept)).toBe(true);
    expect(t.rows.some((r) => r.kept)).toBe(true);
  });

  it('fewer than 5 patients with two VOIs: the table says the filter does not apply and keeps everything', () => {
    const few = result.features.filter((f) => f.regions2).slice(0, 3);
    const t = observerIccTable(few.map((f) => f.id), few, ['T2WI|total'], 0.75);
    expect(t.applied).toBe(false);
    expect(t.rows.length).toBeGreaterThan(0);
    expect(t.rows.every((r) => r.kept)).toBe(true);
  });
});
