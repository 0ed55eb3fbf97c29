/**
 * Evidence before a verdict (issue 23): a region is best only if it has a model; a
 * sequence without a habitat that beats the whole tumour and sits above 0.5 with its
 * CI gets one plain sentence; composite models on it are flagged. Unit cases, then the
 * whole analysis on cached-style features with a permuted (signal-free) outcome.
 */
import { describe, expect, it } from 'vitest';
import { bestHabitats, ciIncludesHalf, compositeFlag, sequenceEvidence, type RegionAuc } from '../../src/core/study/evidence.js';
import { analyseStudy, optimismTaskOf, type AnalysisInput } from '../../src/core/study/analysis.js';
import { optimismValidation } from '../../src/core/study/stages/optimism.js';
import { parseClinicalCsv } from '../../src/core/study/clinical.js';
import { DEFAULT_STUDY_CONFIG } from '../../src/core/study/config.js';
import type { RegionName } from '../../src/core/study/patient-features.js';
import { demoClinicalCsv } from '../../src/demo/demo.js';
import Papa from 'papaparse';
import { evidenceHtml, table3Csv } from '../../src/core/study/report.js';
import type { StudyResult } from '../../src/core/study/pipeline.js';
import { trainValidationSplit } from '../../src/core/learn/split.js';
import { createRng, deriveSeed } from '../../src/core/util/random.js';

const region = (sequence: string, name: RegionName, cv: number | null, ci: [number, number] | null = null, selected = cv === null ? 0 : 2): RegionAuc => ({
  sequence, region: name, selected: Array(selected).fill('f'), auc: { cvTraining: cv, cvTrainingCi: ci },
});

describe('bestHabitats and sequenceEvidence', () => {
  it('never names a habitat without a model best, even when it comes first', () => {
    const regions = [region('CE', 'total', 0.52, [0.4, 0.64]), region('CE', 'Hab1', null), region('CE', 'Hab2', 0.41, [0.3, 0.52])];
    expect(bestHabitats(regions, ['CE'])).toEqual({ CE: 'Hab2' });
    expect(bestHabitats([region('CE', 'Hab1', null), region('CE', 'Hab2', null)], ['CE'])).toEqual({});
  });
  it('a region with an AUC but no selected feature has no model', () => {
    expect(bestHabitats([region('T2', 'Hab1', 0.7, [0.6, 0.8], 0), region('T2', 'Hab2', 0.55, [0.45, 0.65])], ['T2'])).toEqual({ T2: 'Hab2' });
  });
  it('says "no evidence" when no habitat beats the whole tumour, or none is above 0.5 with its CI', () => {
    const [notAbove] = sequenceEvidence([region('T2', 'total', 0.5, [0.4, 0.6]), region('T2', 'Hab1', 0.56, [0.44, 0.68])], ['T2']);
    expect(notAbove!.beatsWholeTumour).toBe(true);
    expect(notAbove!.aboveChance).toBe(false);
    expect(notAbove!.statement).toMatch(/^T2: no evidence that any habitat discriminates the outcome — none is above 0\.5 with its 95% CI \(best Hab1: 0\.560, 95% CI 0\.440–0\.680\)\.$/);
    const [notBeating] = sequenceEvidence([region('T2', 'total', 0.8, [0.7, 0.9]), region('T2', 'Hab1', 0.7, [0.6, 0.8])], ['T2']);
    expect(notBeating!.statement).toMatch(/no habitat's nested-CV AUC beats the whole tumour's \(0\.800\)/);
    const [none] = sequenceEvidence([region('T2', 'total', null), region('T2', 'Hab1', null)], ['T2']);
    expect(none!.statement).toMatch(/none has a model/);
    const [found] = sequenceEvidence([region('T2', 'total', 0.6, [0.5, 0.7]), region('T2', 'Hab1', 0.75, [0.62, 0.88])], ['T2']);
    expect(found!.statement).toBeNull();
  });
  it('flags composite models built on such a sequence, and knows when a CI includes 0.5', () => {
    const ev = sequenceEvidence([region('T2', 'Hab1', 0.75, [0.62, 0.88]), region('CE', 'Hab1', 0.52, [0.4, 0.64])], ['T2', 'CE']);
    expect(compositeFlag(['age', 'Rad-score T2 Hab1'], ev)).toBeNull();
    expect(compositeFlag(['age', 'Rad-score T2 Hab1', 'Rad-score CE Hab1'], ev)).toMatch(/\(CE\)$/);
    expect(compositeFlag(['age'], ev)).toBeNull();
    expect(ciIncludesHalf([0.4, 0.6])).toBe(true);
    expect(ciIncludesHalf([0.51, 0.7])).toBe(false);
  });
});

/** 80 patients, two sequences, 30 noise features per region, the outcome permuted (seed 23): nothing to find. */
function permutedCohort(): AnalysisInput {
  const n = 80;
  const clinicalText = demoClinicalCsv({ patients: n, seed: 7 });
  const table = parseClinicalCsv('clinical.csv', clinicalText);
  // permute the outcome: no feature or clinical variable can carry signal
  const rng = createRng(deriveSeed(23, 'permute'));
  const perm = table.outcome.map((_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const clinical = { ...table, outcome: perm.map((i) => table.outcome[i]!) };
  const labels = clinical.outcome;
  const sequences = ['T2WI', 'CE-T1WI'];
  const habitatCounts = { 'T2WI': 3, 'CE-T1WI': 2 };
  const features = table.ids.map((id) => {
    const r = createRng(deriveSeed(5, 'features', id));
    const regions: Record<string, Record<string, number>> = {};
    for (const seq of sequences)
      for (const reg of ['total', ...Array.from({ length: habitatCounts[seq as keyof typeof habitatCounts] }, (_, h) => `Hab${h + 1}`)])
        regions[`${seq}|${reg}`] = Object.fromEntries(Array.from({ length: 30 }, (_, j) => [`f${j}`, r.normal() + (j % 5) * 0.3 * r.normal()]));
    return { id, regions, habitats: {}, notes: [] };
  });
  const config = { ...DEFAULT_STUDY_CONFIG, sequences, reference: 'T2WI', models: { ...DEFAULT_STUDY_CONFIG.models, bootstrap: 0 } };
  const split = trainValidationSplit(labels, { trainFraction: 0.7, seed: 42, stratify: true });
  return { ids: table.ids, labels, split, features, clinical, config, habitatCounts };
}

describe('analyseStudy on a permuted outcome (features without signal)', () => {
  it('no region fails, no region without a model is best, every sequence says there is no evidence, composites are flagged', () => {
    const a = analyseStudy(permutedCohort());
    const sequences = ['T2WI', 'CE-T1WI'];
    expect(a.notes.filter((x) => /failed/.test(x))).toEqual([]);
    // some habitat has no model here (nothing passes the filters on noise); it is never best
    const withoutModel = a.regions.filter((r) => r.region !== 'total' && r.selected.length === 0);
    expect(withoutModel.length).toBeGreaterThan(0);
    for (const r of withoutModel) expect(a.bestHabitat[r.sequence]).not.toBe(r.region);
    for (const [seq, h] of Object.entries(a.bestHabitat)) {
      const g = a.regions.find((r) => r.sequence === seq && r.region === h)!;
      expect(g.selected.length).toBeGreaterThan(0);
      expect(g.auc.cvTraining).not.toBeNull();
    }
    for (const g of a.regions) expect(g.funnel.univariate).toBeGreaterThanOrEqual(g.funnel.correlation);
    expect(a.evidence.map((e) => e.sequence)).toEqual(sequences);
    for (const e of a.evidence) expect(e.statement).toMatch(new RegExp(`^${e.sequence}: no evidence that any habitat discriminates the outcome`));
    for (const m of a.models.filter((x) => x.inputs.some((i) => i.startsWith('Rad-score')))) expect(m.flag).toMatch(/without evidence/);
    expect(a.models.find((m) => m.name === 'Clinic')!.flag).toBeNull();
    // the report: Table 3's note column and the plain sentences
    const t3 = Papa.parse<string[]>(table3Csv({ analysis: a } as StudyResult).trim()).data;
    const noteCol = t3[0]!.indexOf('note');
    expect(noteCol).toBe(t3[0]!.length - 1);
    for (const row of t3.slice(1).filter((r) => r[1] === 'validation')) {
      const [lo, hi] = row[3]!.split('–').map(Number);
      expect(row[noteCol]!.includes('CI includes 0.5')).toBe(lo! <= 0.5 && hi! >= 0.5);
    }
    const html = evidenceHtml(a.evidence);
    expect(html).toMatch(/No evidence of discrimination/);
    for (const e of a.evidence) expect(html).toContain(e.statement!);
  }, 600_000);

  it("Efron's .632+ AUC of every model, SVM regions included, lies in 0.35–0.65 (200 resamples)", () => {
    // On this cohort Harrell's corrected AUCs stay at 0.54–0.78: the RBF SVM memorises the
    // ~63 % of patients a resample shares with the cohort it is tested on. The .632+
    // estimate scores each resample's model on the patients it left out.
    const input = permutedCohort();
    const a = analyseStudy(input);
    expect(a.optimism).toBeNull(); // bootstrap 0 in the analysis: run here on the same task the study would
    const o = optimismValidation(optimismTaskOf(input, a), 200);
    const regions = a.regions.filter((r) => r.selected.length > 0).map((r) => `${r.sequence} ${r.region}`);
    expect(regions.length).toBeGreaterThan(0);
    expect(o.models.map((m) => m.model)).toEqual([...regions, ...a.models.map((m) => m.name)]);
    for (const m of o.models) {
      const p = m.plus632!.auc;
      expect(p.n, m.model).toBeGreaterThan(190);
      expect(p.estimate!, m.model).toBeGreaterThan(0.35);
      expect(p.estimate!, m.model).toBeLessThan(0.65);
      expect(p.estimate!, m.model).toBeLessThan(m.auc.apparent!);
    }
  }, 600_000);
});
