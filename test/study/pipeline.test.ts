/**
 * The study pipeline end to end on a synthetic cohort with a planted habitat
 * signal (issue 8): k chosen by the study's rule is the planted number of
 * subregions in every sequence, the planted habitat is named best in every
 * sequence and scores above the whole tumour, the Combined model beats Clinic
 * alone on validation, every table and figure is produced, and a second run
 * gives the same report byte for byte. Kept fast: no N4 or registration (this
 * demo variant is bias-free and aligned), Original image only, two feature
 * classes. Other seeds of the same cohort were run by hand (docs/study.md,
 * "Naming the planted habitat").
 */
import Papa from 'papaparse';
import { describe, it, expect, beforeAll } from 'vitest';
import { DEMO_PLANTED, demoClinicalCsv, generateDemoPatient } from '../../src/demo/demo.js';
import { parseClinicalCsv } from '../../src/core/study/clinical.js';
import { parseStudyConfig } from '../../src/core/study/config.js';
import { validateParams } from '../../src/core/radiomics/params.js';
import { demoSources } from './demo-sources.js';
import { runStudy, type StudyResult } from '../../src/core/study/pipeline.js';
import { studyReport, featuresCsv, predictionsCsv, table3Csv, studyHtml, studyModelBundle } from '../../src/core/study/report.js';
import { predictPatient, type StudyModelBundle } from '../../src/core/study/predict.js';

const N = 60;
const demo = { patients: N, seed: 5, motion: false, biasField: false };
const config = parseStudyConfig(['preprocessing: {n4: false, register: none}', 'split: {seed: 5, validation: 0.3, stratify: true}', 'models: {bootstrap: 10}', 'selection: {seed: 3}'].join('\n'), 'test.yaml');
const params = validateParams({ imageType: { Original: {} }, featureClass: { firstorder: null, glcm: null }, setting: { binWidth: 25, label: 1 } }, 'test params');
const patients = demoSources(N, demo);
const clinical = parseClinicalCsv('clinical.csv', demoClinicalCsv(demo));

let result: StudyResult;
beforeAll(async () => {
  result = await runStudy(patients, clinical, config, params);
});

describe('study pipeline on a planted cohort', () => {
  it('chooses the planted k of every sequence by ICL on homogeneous voxels, with BIC and ICL curves over k = 1…8', () => {
    for (const [seq, planted] of Object.entries(DEMO_PLANTED)) {
      const h = result.habitats[seq]!;
      expect(h.k, seq).toBe(planted.k);
      expect(h.kChosenBy).toBe('icl');
      expect(h.bic.ks).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(h.bic.icl).toHaveLength(8);
      expect(h.bic.bestIcl).toBe(planted.k);
      expect(h.bic.voxels).toBe('homogeneous');
    }
  });

  it('names the planted habitat best in every sequence, from the training cohort only, above the whole tumour', () => {
    const a = result.analysis;
    for (const [seq, planted] of Object.entries(DEMO_PLANTED)) {
      expect(a.bestHabitat[seq], seq).toBe(`Hab${planted.signalHabitat}`);
      const best = a.regions.find((r) => r.sequence === seq && r.region === a.bestHabitat[seq])!;
      // the rule: the highest nested CV AUC on the training cohort among the sequence's habitats
      for (const r of a.regions.filter((x) => x.sequence === seq && x.region !== 'total')) expect(best.auc.cvTraining ?? 0).toBeGreaterThanOrEqual(r.auc.cvTraining ?? 0);
      const total = a.regions.find((r) => r.sequence === seq && r.region === 'total')!;
      expect(best.auc.cvTraining!).toBeGreaterThan(total.auc.cvTraining ?? 0.5);
    }
  });

  it('the Combined model beats Clinic alone on validation', () => {
    const m = Object.fromEntries(result.analysis.models.map((x) => [x.name, x]));
    expect(m.Combined!.validation.auc).toBeGreaterThan(m.Clinic!.validation.auc);
    expect(m.Combined!.validation.ci95[0]).toBeLessThanOrEqual(m.Combined!.validation.auc);
  });

  it('reports the funnel, the split and every table', () => {
    const r = studyReport(result, 'T');
    expect(r.cohort.training + r.cohort.validation).toBe(N);
    for (const g of r.regions) {
      expect(g.funnel.extracted).toBe(42); // firstorder 18 + glcm 24
      expect(g.funnel.univariate).toBeLessThanOrEqual(g.funnel.icc);
      expect(g.funnel.lasso).toBeLessThanOrEqual(g.funnel.correlation);
    }
    expect(table3Csv(result).split('\n')[0]).toContain('AUC');
    expect(featuresCsv(result).split('\n')).toHaveLength(N + 2);
    expect(predictionsCsv(result)).toContain('p(Combined)');
    expect(studyHtml(result, r)).toContain('aria-label="ROC curve"');
  });

  it('reports every model\'s bootstrap optimism-corrected AUC, calibration slope and Brier beside the apparent values (report.json, Table 3, report.html)', () => {
    const a = result.analysis;
    const r = studyReport(result, 'T');
    expect(r.optimism!.resamples).toBe(10);
    const withModel = a.regions.filter((g) => g.selected.length > 0).map((g) => `${g.sequence} ${g.region}`);
    expect(r.optimism!.models.map((m) => m.model)).toEqual([...withModel, ...a.models.map((m) => m.name)]);
    for (const m of a.optimism!.models) {
      const apparent = m.kind === 'region' ? a.regions.find((g) => `${g.sequence} ${g.region}` === m.model)!.auc.training! : a.models.find((x) => x.name === m.model)!.training.auc;
      // the bootstrap's apparent fit is the study's model (regions: LASSO refitted at the chosen λ)
      expect(Math.abs(m.auc.apparent! - apparent), m.model).toBeLessThan(1e-6);
      expect(m.auc.corrected!, m.model).toBeCloseTo(m.auc.apparent! - m.auc.optimism!, 6);
      expect(m.auc.n + m.failed).toBeLessThanOrEqual(10);
      expect(m.brier.corrected).not.toBeNull();
    }
    const t3 = Papa.parse<string[]>(table3Csv(result).trim()).data;
    const col = (name: string) => t3[0]!.indexOf(name);
    expect(col('AUC optimism-corrected')).toBeGreaterThan(0);
    const combined = t3.find((row) => row[0] === 'Combined' && row[1] === 'training')!;
    const o = r.optimism!.models.find((m) => m.model === 'Combined')!;
    expect(Number(combined[col('AUC optimism-corrected')])).toBeCloseTo(o.auc.corrected!, 6);
    expect(Number(combined[col('Brier optimism-corrected')])).toBeCloseTo(o.brier.corrected!, 6);
    expect(Number(combined[col('calibration slope optimism-corrected')])).toBeCloseTo(o.slope.corrected!, 6);
    // Efron's .632+ AUC from the same resamples: report.json (with its parts), Table 3 beside Harrell's, note still last
    for (const m of r.optimism!.models) {
      const p = m.plus632!;
      expect(p.auc.apparent, m.model).toBeCloseTo(m.auc.apparent!, 6);
      expect(p.auc.n, m.model).toBeLessThanOrEqual(10);
      expect(p.auc.weight!).toBeGreaterThanOrEqual(0.632 - 1e-6);
      expect(p.auc.weight!).toBeLessThanOrEqual(1);
      expect(p.brier.noInformation).not.toBeNull();
      expect(p.brier.estimate).not.toBeNull();
    }
    expect(col('AUC .632+')).toBe(col('AUC optimism-corrected') + 1);
    expect(col('note')).toBe(t3[0]!.length - 1);
    expect(Number(combined[col('AUC .632+')])).toBeCloseTo(o.plus632!.auc.estimate!, 6);
    for (const row of t3.slice(1).filter((x) => x[2] === '' && x[1] === 'training')) expect(Number(row[col('AUC .632+')]), row[0]).toBeGreaterThan(0); // region rows
    expect(t3.find((x) => x[0] === 'Combined' && x[1] === 'validation')![col('AUC .632+')]).toBe('');
    // the planted signal survives the correction
    expect(o.auc.corrected!).toBeGreaterThan(0.6);
    expect(studyHtml(result, r)).toContain("Harrell's bootstrap");
    expect(studyHtml(result, r)).toContain('<th>AUC .632+</th>');
    expect(studyHtml(result, r)).toContain('AUC .632+: Efron &amp; Tibshirani');
  });

  it('scores a patient from the saved model (JSON round trip) exactly as the study did', async () => {
    const bundle = JSON.parse(JSON.stringify(studyModelBundle(result))) as StudyModelBundle;
    const id = 'P003';
    const i = Number(id.slice(1)) - 1;
    const p = generateDemoPatient(i, demo);
    const row = Object.fromEntries(clinical.variables.map((v) => [v.name, clinical.values[v.name]![clinical.ids.indexOf(id)]!]));
    const pred = await predictPatient(bundle, { id, series: p.series, mask: p.mask }, row);
    const study = result.analysis.predictions.find((x) => x.id === id)!;
    for (const m of pred.models) expect(m.probability, m.name).toBeCloseTo(study.probabilities[m.name]!, 9);
    for (const [seq, h] of Object.entries(result.analysis.bestHabitat)) expect(pred.radScores[`Rad-score ${seq} ${h}`]).toBeCloseTo(study.radScores[`${seq}|${h}`]!, 9);
    expect(Object.keys(pred.habitats).sort()).toEqual(Object.keys(DEMO_PLANTED).sort());
    await expect(predictPatient(bundle, { id, series: p.series, mask: p.mask }, {})).rejects.toThrow(/patient P003: clinical variable "[^"]+" is missing/);
  });

  it('gives the same report byte for byte on a second run (apart from the timestamp)', async () => {
    const again = await runStudy(patients, clinical, config, params);
    expect(JSON.stringify(studyReport(again, 'T'))).toBe(JSON.stringify(studyReport(result, 'T')));
    expect(featuresCsv(again)).toBe(featuresCsv(result));
    expect(predictionsCsv(again)).toBe(predictionsCsv(result));
  });
});
