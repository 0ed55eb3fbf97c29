/**
 * `habitat validate`: a saved study applied to a labelled cohort. Run on the study's
 * own cohort, every patient's risk is the study's own (predictions.csv): the patients
 * are prepared, mapped and featured exactly as the study did, with the saved settings
 * and habitat models. The external figures and tests are those of the statistics
 * core on these risks (AUC with DeLong CI, sensitivity/specificity at the training
 * threshold, val.prob calibration, unpaired DeLong against the internal validation
 * cohort), and it writes Table 3 with its External validation column, the figures and
 * the report. With --harmonise the cohort's best-habitat features are first mapped
 * onto the training data by ComBat (one new batch). (One small cohort: a second
 * cohort would only add time. 24 patients: with 12, no habitat gets a model, so
 * no sequence has a best habitat and there would be nothing to harmonise.)
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietly, readCsv } from './cli-helpers.js';
import { demoCommand } from '../../src/cli/commands/demo.js';
import { studyCommand } from '../../src/cli/commands/study.js';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { aucDeLong, calibrationValidation, delongUnpairedTest, sensitivitySpecificityAt } from '../../src/core/stats/index.js';
import type { ExternalValidationResult } from '../../src/core/study/external.js';

const STUDY_YAML = [
  'sequences: [T2WI, CE-T1WI]',
  'reference: T2WI',
  'preprocessing: {n4: false, register: none}',
  'habitats: {k: {T2WI: 2, CE-T1WI: 2}}',
  'selection: {seed: 3, folds: 3}',
  'split: {seed: 5, validation: 0.3, stratify: true}',
  'models: {bootstrap: 5}',
  'extraction: {params: params.yaml}',
].join('\n');

let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'habitat-validate-'));
  expect(await quietly(() => demoCommand(['--out', path.join(tmp, 'cohort'), '--patients', '24', '--seed', '7']))).toBe(0);
  writeFileSync(path.join(tmp, 'study.yaml'), STUDY_YAML);
  writeFileSync(path.join(tmp, 'params.yaml'), 'imageType: {Original: {}}\nfeatureClass: {firstorder: null}\nsetting: {binWidth: 25, label: 1}\n');
  expect(await quietly(() => studyCommand([path.join(tmp, 'cohort'), '--out', path.join(tmp, 'study'), '--config', path.join(tmp, 'study.yaml'), '--jobs', '1', '--quiet', '--no-cache']))).toBe(0);
  const model = path.join(tmp, 'study', 'model.json');
  expect(await quietly(() => validateCommand([path.join(tmp, 'cohort'), '--model', model, '--out', path.join(tmp, 'self'), '--jobs', '1', '--quiet']))).toBe(0);
  expect(await quietly(() => validateCommand([path.join(tmp, 'cohort'), '--model', model, '--out', path.join(tmp, 'harmonised'), '--harmonise', '--jobs', '1', '--quiet']))).toBe(0);
}, 600_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('habitat validate', () => {
  it("on the study's own cohort, every patient's risk is the study's", () => {
    const study = readCsv(path.join(tmp, 'study', 'predictions.csv'));
    const ext = readCsv(path.join(tmp, 'self', 'predictions-external.csv'));
    const models = Object.keys(ext[0]!).filter((k) => k !== 'id' && k !== 'outcome');
    expect(models).toContain('Clinic');
    expect(ext.map((r) => r.id).sort()).toEqual(study.map((r) => r.id).sort());
    for (const r of ext) {
      const s = study.find((x) => x.id === r.id)!;
      expect(r.outcome).toBe(s.outcome);
      for (const m of models) expect(Number(r[m]), `${r.id} ${m}`).toBeCloseTo(Number(s[`p(${m})`]), 12);
    }
  });

  it('the external statistics are those of the statistics core on these risks', () => {
    const res = JSON.parse(readFileSync(path.join(tmp, 'self', 'external.json'), 'utf8')) as ExternalValidationResult;
    const model = JSON.parse(readFileSync(path.join(tmp, 'study', 'model.json'), 'utf8'));
    const y = res.predictions.map((p) => p.outcome);
    expect(res.n).toBe(y.length);
    for (const m of res.models) {
      const p = res.predictions.map((q) => q.probabilities[m.name]!);
      const a = aucDeLong(y, p);
      expect(m.auc).toBeCloseTo(a.auc, 14);
      expect(m.ci95[0]).toBeCloseTo(a.ci95[0], 14);
      const threshold = model.models.find((x: { name: string }) => x.name === m.name).threshold ?? -Infinity;
      const ss = sensitivitySpecificityAt(y, p, threshold);
      expect([m.sensitivity, m.specificity]).toEqual([ss.sensitivity, ss.specificity]);
      if (m.calibrationFit) {
        const cv = calibrationValidation(y, p);
        expect(m.calibrationFit.slope).toBeCloseTo(cv.slope, 10);
        expect([m.calibrationFit.emax, m.calibrationFit.e90]).toEqual([cv.emax, cv.e90]);
      }
      const internal = model.internal.models[m.name];
      expect(m.internal!.validation.auc).toBe(internal.validation.auc);
      if (m.vsInternal) expect(m.vsInternal.p).toBeCloseTo(delongUnpairedTest(y, p, model.internal.labels, internal.probabilities).p, 12);
    }
  });

  it('--harmonise: the cohort harmonised as a new batch onto the training data, said in the report', () => {
    const res = JSON.parse(readFileSync(path.join(tmp, 'harmonised', 'external.json'), 'utf8')) as ExternalValidationResult;
    expect(res.harmonisation).toMatch(/^ComBat \(parametric empirical Bayes\).*external: \d+ patients, a batch not seen in training/);
    expect(readFileSync(path.join(tmp, 'harmonised', 'report.html'), 'utf8')).toContain('a batch not seen in training');
    const plain = JSON.parse(readFileSync(path.join(tmp, 'self', 'external.json'), 'utf8')) as ExternalValidationResult;
    expect(res.predictions.map((p) => p.id)).toEqual(plain.predictions.map((p) => p.id));
    // Clinic has no imaging input: its risks are untouched
    expect(res.predictions.some((p, i) => Math.abs(p.probabilities.Clinic! - plain.predictions[i]!.probabilities.Clinic!) > 0)).toBe(false);
  });

  it('writes Table 3 with the External validation column, the figures and the report', () => {
    const t3 = readFileSync(path.join(tmp, 'self', 'table3-external.csv'), 'utf8');
    expect(t3.split('\n')[0]).toContain('External validation AUC (95% CI)');
    expect(t3.split('\n')[0]).toContain('calibration slope');
    expect(t3.split('\n')[0]).toContain('Emax,E90');
    expect(readdirSync(path.join(tmp, 'self', 'figures')).sort()).toEqual(['calibration-external.svg', 'decision-external.svg', 'roc-external.svg']);
    const html = readFileSync(path.join(tmp, 'self', 'report.html'), 'utf8');
    expect(html).toContain('External validation');
    expect(html).toContain('<svg');
  });
});
