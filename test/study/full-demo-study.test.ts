/**
 * The study with its default settings on the full demo cohort, through the CLI:
 * `habitat demo` (bias fields, misregistered contrast series, anisotropic voxels,
 * a second observer for a subset) → `habitat study` with the default config (N4,
 * min–max, rigid registration, ICL on homogeneous voxels, the whole funnel, SVMs),
 * only the feature set reduced to Original firstorder + GLCM to keep it short.
 * Seed 2025 is a cohort the defaults were not tuned on (the unit tests of the
 * pipeline use seed 5 of a bias-free variant). Issue 8's criteria, read from the
 * files the CLI writes: k per sequence is the planted number of subregions
 * (truth.json), the planted habitat is named best in every sequence and scores
 * above the whole tumour in nested CV on the training cohort, and Combined beats
 * Clinic on validation.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoCommand } from '../../src/cli/commands/demo.js';
import { studyCommand } from '../../src/cli/commands/study.js';

interface Report {
  habitats: Record<string, { k: number }>;
  bestHabitat: Record<string, string>;
  regions: { sequence: string; region: string; auc: { cvTraining: number | null } }[];
  models: { name: string; validation: { auc: number } }[];
}
interface Truth {
  planted: Record<string, { k: number; signalHabitat: number }>;
}

let tmp: string;
let report: Report;
let truth: Truth;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'habitat-full-demo-'));
  const cohort = path.join(tmp, 'cohort');
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(await demoCommand(['--out', cohort, '--patients', '60', '--seed', '2025'])).toBe(0);
    writeFileSync(path.join(tmp, 'study.yaml'), 'extraction:\n  params:\n    imageType: {Original: {}}\n    featureClass: {firstorder: null, glcm: null}\n    setting: {binWidth: 25, label: 1}\nsplit: {seed: 2025}\nmodels: {bootstrap: 20}\n');
    expect(await studyCommand([cohort, '--config', path.join(tmp, 'study.yaml'), '--out', path.join(tmp, 'out'), '--jobs', '2', '--quiet'])).toBe(0);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  report = JSON.parse(readFileSync(path.join(tmp, 'out', 'report.json'), 'utf8')) as Report;
  truth = JSON.parse(readFileSync(path.join(cohort, 'truth.json'), 'utf8')) as Truth;
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('default study on the full demo cohort (seed 2025, CLI)', () => {
  it('chooses the planted k of every sequence', () => {
    for (const [seq, p] of Object.entries(truth.planted)) expect(report.habitats[seq]!.k, seq).toBe(p.k);
  });

  it('names the planted habitat best in every sequence, above the whole tumour', () => {
    for (const [seq, p] of Object.entries(truth.planted)) {
      expect(report.bestHabitat[seq], seq).toBe(`Hab${p.signalHabitat}`);
      const cv = (region: string) => report.regions.find((r) => r.sequence === seq && r.region === region)?.auc.cvTraining ?? 0.5;
      expect(cv(`Hab${p.signalHabitat}`), seq).toBeGreaterThan(cv('total'));
    }
  });

  it('the Combined model beats Clinic alone on validation', () => {
    const auc = (name: string) => report.models.find((m) => m.name === name)!.validation.auc;
    expect(auc('Combined')).toBeGreaterThan(auc('Clinic'));
  });
});
