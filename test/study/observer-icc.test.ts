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
import { observerIccBeforeRun, type ObserverIccPreview, type ObserverPreviewProgress } from '../../src/core/study/observer-preview.js';
import type { StudyCache } from '../../src/core/study/pipeline.js';

const N = 24;
const demo = { patients: N, seed: 18, motion: false, biasField: false, secondObserverFraction: 0.5 };
const config = parseStudyConfig(['preprocessing: {n4: false, register: none}', 'split: {seed: 5, validation: 0.3, stratify: true}', 'models: {bootstrap: 10}', 'selection: {seed: 3, icc: 0.75}'].join('\n'), 'test.yaml');
const params = validateParams({ imageType: { Original: {} }, featureClass: { firstorder: null, glcm: null }, setting: { binWidth: 25, label: 1 } }, 'test params');
const patients = demoSources(N, demo);

let result: StudyResult;
let view: StudyView;
// The study's cache, shared with the ICC table before the run (the app's IndexedDB cache).
const store = new Map<string, unknown>();
const cache: StudyCache = { get: async (k) => store.get(k), set: async (k, v) => void store.set(k, v) };
beforeAll(async () => {
  result = await runStudy(patients, parseClinicalCsv('clinical.csv', demoClinicalCsv(demo)), config, params, { cache });
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
      const ratings = t.patients.map((id) => [byId.get(id)!.regions[row.region]![row.feature]!, byId.get(id)!.regions2![row.region]![row.feature]!]);
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
    const t = observerIccTable(few.map((f) => f.id), few, ['T2WI|total'], { icc: 0.75, iccType: '2,1' });
    expect(t.applied).toBe(false);
    expect(t.rows.length).toBeGreaterThan(0);
    expect(t.rows.every((r) => r.kept)).toBe(true);
  });
});

/** Every row of `preview` has the study's ICC (to 1e-9) and kept flag; returns how many ICCs are defined. */
function sameAsStudy(preview: ObserverIccPreview): number {
  const study = new Map(view.observerIcc!.rows.map((r) => [`${r.region}/${r.feature}`, r]));
  let defined = 0;
  for (const r of preview.table.rows) {
    const s = study.get(`${r.region}/${r.feature}`)!;
    expect(s, `${r.region} ${r.feature}`).toBeDefined();
    expect(r.kept, `${r.region} ${r.feature}`).toBe(s.kept);
    if (s.icc === null) expect(r.icc).toBeNull();
    else {
      expect(Math.abs(r.icc! - s.icc), `${r.region} ${r.feature}`).toBeLessThanOrEqual(1e-9);
      defined++;
    }
  }
  return defined;
}

describe('observer ICC table before a run (observerIccBeforeRun)', () => {
  let preview: ObserverIccPreview;
  const progress: ObserverPreviewProgress[] = [];
  beforeAll(async () => {
    preview = await observerIccBeforeRun(patients, config, params, { cache, progress: (p) => progress.push(p) });
  }, 600_000);

  it("prepares through the study's cache keys: every patient's preparation is the study's", () => {
    expect(progress.length).toBe(N);
    expect(progress.every((p) => p.cached)).toBe(true);
    expect(progress.at(-1)!.done).toBe(N);
  });

  it("has the study's ICC patients, and the others are listed as having no second VOI", () => {
    expect(preview.table.patients).toEqual(result.analysis.icc.patients);
    expect(preview.table.applied).toBe(true);
    expect(preview.excluded.map((e) => e.id)).toEqual(patients.map((p) => p.id).filter((id) => !result.analysis.icc.patients.includes(id)));
    expect(preview.excluded.every((e) => /no second observer's VOI/.test(e.reason))).toBe(true);
  });

  it("every whole-tumour feature's ICC and kept flag equal the study's (to 1e-9); without a clinical table, habitat regions are not in it", () => {
    expect(preview.noHabitats).toMatch(/no clinical table/);
    const totals = view.observerIcc!.rows.filter((r) => r.region.endsWith('|total'));
    expect(preview.table.rows.length).toBe(totals.length);
    expect(preview.table.rows.every((r) => r.region.endsWith('|total'))).toBe(true);
    expect(sameAsStudy(preview)).toBeGreaterThan(20);
    expect(preview.table.rows.some((r) => !r.kept)).toBe(true);
  });

  it("with the clinical table: every region's rows, habitats included, equal the study's ICC table (to 1e-9), the habitat models fitted afresh on the study's split", async () => {
    // only the prepared images from the study's cache: the habitat models and every feature are computed again
    const prepared = new Map([...store].filter(([k]) => k.startsWith('prepared/')));
    const fresh: StudyCache = { get: async (k) => prepared.get(k), set: async (k, v) => void prepared.set(k, v) };
    const stages = new Set<string | undefined>();
    const full = await observerIccBeforeRun(patients, config, params, { cache: fresh, clinical: parseClinicalCsv('clinical.csv', demoClinicalCsv(demo)), progress: (p) => stages.add(p.stage) });
    expect(full.noHabitats).toBeUndefined();
    expect([...stages]).toEqual(['prepare', 'habitats', 'features']);
    expect(full.table.patients).toEqual(result.analysis.icc.patients);
    expect(full.excluded).toEqual([]);
    expect(full.table.rows.map((r) => `${r.region}/${r.feature}`)).toEqual(view.observerIcc!.rows.map((r) => `${r.region}/${r.feature}`));
    const habitatRows = full.table.rows.filter((r) => /\|Hab\d+$/.test(r.region));
    expect(new Set(habitatRows.map((r) => r.region)).size).toBe(Object.values(result.habitatModels).reduce((n, m) => n + m.k, 0));
    expect(sameAsStudy(full)).toBeGreaterThan(100);
    // the models were fitted again (not read from the study's cache) and stored under the study's key
    expect([...prepared.keys()].some((k) => k.startsWith('habitats/'))).toBe(true);
    for (const k of prepared.keys()) if (!k.startsWith('prepared/')) expect(store.has(k), k).toBe(true);
  }, 600_000);

  it('without the cache (fresh preparation) the values are the same', async () => {
    const few = patients.filter((p) => result.analysis.icc.patients.includes(p.id)).slice(0, 5);
    const fresh = await observerIccBeforeRun(few, config, params);
    const again = await observerIccBeforeRun(few, config, params, { cache });
    expect(fresh.table.rows.length).toBeGreaterThan(0);
    fresh.table.rows.forEach((r, i) => {
      expect(r.feature).toBe(again.table.rows[i]!.feature);
      if (r.icc === null) expect(again.table.rows[i]!.icc).toBeNull();
      else expect(Math.abs(r.icc - again.table.rows[i]!.icc!)).toBeLessThanOrEqual(1e-9);
    });
  }, 600_000);
});
