/**
 * A study with `harmonisation.method: combat` on the three-centre demo (small: 24
 * patients, 8 per centre, no N4 or registration, first-order features only). The
 * study records which mode each cohort got; model.json carries the training
 * cohort's ComBat estimates of the best habitats, so `validate` on the study's own
 * cohort gives every patient the study's own risk (seen batches: the training
 * estimates), and with centre 3 renamed maps that batch, never seen, onto the
 * reference batch. ComBat preserves age (a covariate), which validate reads from the
 * cohort's clinical table. (One cohort: a second would only add time on a busy machine.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietly, readCsv } from './cli-helpers.js';
import { demoCommand } from '../../src/cli/commands/demo.js';
import { studyCommand } from '../../src/cli/commands/study.js';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { migrateModelBundle } from '../../src/core/study/model-bundle.js';
import type { ExternalValidationResult } from '../../src/core/study/external.js';

const STUDY_YAML = [
  'sequences: [T2WI, CE-T1WI]',
  'reference: T2WI',
  'preprocessing: {n4: false, register: none}',
  'habitats: {k: {T2WI: 2, CE-T1WI: 2}}',
  // a loose screen, so that some habitat gets a model (and model.json a ComBat block) among 17 training patients
  'selection: {seed: 3, folds: 3, univariateP: 0.5}',
  'split: {seed: 5, validation: 0.3, stratify: true}',
  'extraction: {params: params.yaml}',
  // preserving age: validate must read it from the cohort's clinical table too
  'harmonisation: {method: combat, batch: centre, covariates: [age]}',
].join('\n');

let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'habitat-combat-'));
  expect(await quietly(() => demoCommand(['--out', path.join(tmp, 'cohort'), '--patients', '24', '--seed', '7', '--centres', '3']))).toBe(0);
  writeFileSync(path.join(tmp, 'study.yaml'), STUDY_YAML);
  writeFileSync(path.join(tmp, 'params.yaml'), 'imageType: {Original: {}}\nfeatureClass: {firstorder: null}\nsetting: {binWidth: 25, label: 1}\n');
  expect(await quietly(() => studyCommand([path.join(tmp, 'cohort'), '--out', path.join(tmp, 'study'), '--config', path.join(tmp, 'study.yaml'), '--jobs', '1', '--quiet', '--no-cache']))).toBe(0);
  const model = path.join(tmp, 'study', 'model.json');
  expect(await quietly(() => validateCommand([path.join(tmp, 'cohort'), '--model', model, '--out', path.join(tmp, 'self'), '--jobs', '1', '--quiet']))).toBe(0);
  // the same patients, centre 3 renamed: a centre the study never saw
  const renamed = path.join(tmp, 'renamed.csv');
  writeFileSync(renamed, readFileSync(path.join(tmp, 'cohort', 'clinical.csv'), 'utf8').replace(/centre3/g, 'centre9'));
  expect(await quietly(() => validateCommand([path.join(tmp, 'cohort'), '--model', model, '--clinical', renamed, '--out', path.join(tmp, 'external'), '--jobs', '1', '--quiet']))).toBe(0);
}, 1_800_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('a study harmonised with ComBat (three-centre demo)', () => {
  it('records the modes: training fitted (reference centre1 or centre2), validation with the seen batches’ training estimates', () => {
    const report = JSON.parse(readFileSync(path.join(tmp, 'study', 'report.json'), 'utf8'));
    expect(report.harmonisation.method).toBe('combat');
    expect(report.harmonisation.batch).toBe('centre');
    expect(report.harmonisation.training).toMatch(/^fitted on the training patients: centre1 \d+ \((reference batch|fitted)\), centre2 \d+ \((reference batch|fitted)\), centre3 \d+ \((reference batch|fitted)\)$/);
    expect(report.harmonisation.training).toContain('reference batch');
    expect(report.harmonisation.validation).toMatch(/^centre1 \d+ \(.*\), centre2 \d+ \(.*\), centre3 \d+ \(.*\)$/);
    expect(report.harmonisation.validation).toContain('seen-batch training estimates');
    expect(readFileSync(path.join(tmp, 'study', 'report.html'), 'utf8')).toContain('Harmonisation: ComBat across “centre”');
    // the centre is not a clinical predictor
    expect(readFileSync(path.join(tmp, 'study', 'table2.csv'), 'utf8')).not.toContain('centre');
  });

  it("model.json carries the training ComBat estimates; validate on the study's own cohort gives every patient the study's risk", () => {
    const bundle = migrateModelBundle(JSON.parse(readFileSync(path.join(tmp, 'study', 'model.json'), 'utf8')), 'model.json');
    expect(bundle.config.harmonisation.method).toBe('combat');
    expect(bundle.harmonisation!.batch).toBe('centre');
    const regions = Object.values(bundle.harmonisation!.regions);
    expect(regions.length).toBeGreaterThan(0);
    expect(regions.length).toBe(Object.keys(bundle.bestHabitat).length);
    for (const r of regions) {
      expect(r.model.batches.map((b) => b.name)).toEqual(['centre1', 'centre2', 'centre3']);
      expect(r.model.covariateNames).toEqual(['age']);
    }
    const study = readCsv(path.join(tmp, 'study', 'predictions.csv'));
    const ext = readCsv(path.join(tmp, 'self', 'predictions-external.csv'));
    const models = Object.keys(ext[0]!).filter((k) => k !== 'id' && k !== 'outcome');
    expect(ext.length).toBeGreaterThan(0);
    for (const r of ext) {
      const s = study.find((x) => x.id === r.id)!;
      for (const m of models) expect(Number(r[m]), `${r.id} ${m}`).toBeCloseTo(Number(s[`p(${m})`]), 10);
    }
    const self = JSON.parse(readFileSync(path.join(tmp, 'self', 'external.json'), 'utf8')) as ExternalValidationResult;
    expect(self.harmonisation).toMatch(/centre1: \d+ patients, (reference|training estimates); centre2: \d+ patients, (reference|training estimates); centre3: \d+ patients, (reference|training estimates)/);
  });

  it('validate maps a centre never seen onto the reference batch from its own features', () => {
    const res = JSON.parse(readFileSync(path.join(tmp, 'external', 'external.json'), 'utf8')) as ExternalValidationResult;
    expect(res.harmonisation).toMatch(/centre9: \d+ patients, a batch not seen in training, location and scale from its own features/);
    expect(res.n).toBe(24);
  });


  it('an older model.json without the block loads as harmonisation none', () => {
    const raw = JSON.parse(readFileSync(path.join(tmp, 'study', 'model.json'), 'utf8'));
    delete raw.config.harmonisation;
    delete raw.harmonisation;
    const old = migrateModelBundle(raw, 'old.json');
    expect(old.config.harmonisation.method).toBe('none');
    expect(old.harmonisation).toBeUndefined();
  });
});
