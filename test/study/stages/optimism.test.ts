/**
 * The optimism stage (stages/optimism.ts): Harrell's bootstrap over the study's own
 * modelling. The arithmetic against rms::validate on the same resamples (the fixture
 * of scripts/fixtures/optimism_rms.R), the plumbing (predictions computed per resample,
 * then summarised, equal the direct RowFitter), and the behaviour the issue asks for:
 * on pure noise with many features selection overfits, so the apparent AUC is
 * optimistic and the corrected one sits near 0.5.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logisticRegression, predictLogistic } from '../../../src/core/learn/logistic.js';
import { optimismBootstrap } from '../../../src/core/learn/optimism.js';
import { DEFAULT_STUDY_CONFIG, type StudyConfig } from '../../../src/core/study/config.js';
import { iccPlan } from '../../../src/core/study/stages/icc-filter.js';
import {
  optimismResamples, optimismTask, optimismValidation, optimismValidationPooled, resamplePredictions, summariseOptimism, type OptimismTask,
} from '../../../src/core/study/stages/optimism.js';
import { analyseRegion } from '../../../src/core/study/stages/regions.js';
import { createRng } from '../../../src/core/util/random.js';

interface Idx { apparent: number; optimism: number; corrected: number }
interface Case { name: string; X: number[][]; y: number[]; resamples: number[][]; auc: Idx; slope: Idx; brier: Idx; rms632: { Dxy: number[]; B: number[] } }
const fx = JSON.parse(readFileSync(new URL('../../fixtures/stats/optimism-rms.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** One region of `p` features on `n` patients; `signal` adds the outcome to the first feature. */
function noiseStudy(n: number, p: number, classifier: StudyConfig['models']['classifier'], signal = 0) {
  const rng = createRng(11);
  const labels = Array.from({ length: n }, (_, i) => (i % 2) as 0 | 1);
  const names = Array.from({ length: p }, (_, j) => `f${j}`);
  const X = labels.map((y) => names.map((_, j) => rng.normal() + (j === 0 ? signal * y : 0)));
  const ids = labels.map((_, i) => `p${i}`);
  const features = ids.map((id, i) => ({ id, regions: { 'T2|Hab1': Object.fromEntries(names.map((nm, j) => [nm, X[i]![j]!])) }, habitats: {}, notes: [] }));
  const config: StudyConfig = { ...DEFAULT_STUDY_CONFIG, sequences: ['T2'], reference: 'T2', models: { ...DEFAULT_STUDY_CONFIG.models, classifier } };
  const train = ids.map((_, i) => i);
  const plan = iccPlan([], []);
  const region = analyseRegion({ sequence: 'T2', region: 'Hab1', names, X }, labels, { train, validation: [] }, config, { plan, features: [] });
  const task = optimismTask({ ids, labels, train, features, clinical: null as never, config }, plan, [region.result], {}, []);
  return { task, region: region.result };
}

describe('optimism stage: arithmetic', () => {
  for (const c of fx.cases) {
    it(`${c.name}: predictions per resample, summarised, give rms::validate's apparent, optimism and corrected indices`, () => {
      const task = { labels: c.y, regions: [{ sequence: 'T', region: 'Hab1' }], composites: [], config: DEFAULT_STUDY_CONFIG } as unknown as OptimismTask;
      const fitOn = (rows: number[]) => {
        const m = logisticRegression(rows.map((i) => c.X[i]!), rows.map((i) => c.y[i]!));
        return { 'T Hab1': predictLogistic(m, c.X) };
      };
      const o = summariseOptimism(task, c.resamples, fitOn(c.y.map((_, i) => i)), c.resamples.map(fitOn));
      expect(o.resamples).toBe(c.resamples.length);
      const [m] = o.models;
      expect(m!.failed).toBe(0);
      for (const k of ['auc', 'slope', 'brier'] as const) {
        expect(Math.abs(m![k].apparent! - c[k].apparent), `${k} apparent`).toBeLessThan(1e-6);
        expect(Math.abs(m![k].optimism! - c[k].optimism), `${k} optimism`).toBeLessThan(1e-6);
        expect(Math.abs(m![k].corrected! - c[k].corrected), `${k} corrected`).toBeLessThan(1e-6);
      }
      // the out-of-bag patients of the same predictions: rms::validate(method = ".632")'s .632
      expect(Math.abs(m!.plus632!.auc.dot632! - (c.rms632.Dxy[2]! / 2 + 0.5))).toBeLessThan(1e-6);
      expect(Math.abs(m!.plus632!.brier.dot632! - c.rms632.B[2]!)).toBeLessThan(1e-6);
    });
  }

  it('equals optimismBootstrap with the whole refit as its RowFitter, bit for bit; progress per resample', () => {
    const { task } = noiseStudy(40, 12, 'logistic-l2', 1);
    const progress: number[] = [];
    const o = optimismValidation(task, 8, (done, total) => progress.push(done / total));
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((d) => d / 8));
    const direct = optimismBootstrap(task.labels, (rows) => {
      const p = resamplePredictions(task, rows)['T2 Hab1'];
      return p ? (r) => r.map((i) => p[i]!) : null;
    }, optimismResamples(task, 8));
    expect(o.models[0]!.auc).toEqual(direct.auc);
    expect(o.models[0]!.slope).toEqual(direct.slope);
    expect(o.models[0]!.brier).toEqual(direct.brier);
    expect(o.models[0]!.plus632).toEqual(direct.plus632);
  });

  it('the pooled run (chunks of resamples fitted elsewhere, in any order) gives the same result as the run in this thread', async () => {
    const { task } = noiseStudy(40, 12, 'logistic-l2', 1);
    const chunks: number[] = [];
    const progress: number[] = [];
    const run = async (t: OptimismTask, resamples: number[][]) => {
      chunks.push(resamples.length);
      const copy = structuredClone(t); // as a worker receives it
      await new Promise((r) => setTimeout(r, (chunks.length * 7) % 5)); // finishes out of order
      return resamples.map((rows) => resamplePredictions(copy, rows));
    };
    const pooled = await optimismValidationPooled(task, 9, run, 4, (done) => progress.push(done));
    expect(pooled).toEqual(optimismValidation(task, 9));
    expect(chunks.sort()).toEqual([1, 3, 3, 3]); // the apparent fit, then 9 resamples in chunks of 3
    expect(progress.sort((x, y) => x - y)).toEqual([3, 6, 9]);
  });

  it('a resample with one outcome class fits nothing (left out, as rms leaves out failed fits)', () => {
    const { task } = noiseStudy(40, 12, 'logistic-l2', 1);
    expect(resamplePredictions(task, [0, 2, 4, 6, 8, 10])).toEqual({});
    expect(Object.keys(resamplePredictions(task, task.labels.map((_, i) => i)))).toEqual(['T2 Hab1']);
  });
});

describe('optimism stage: pure noise with many features', () => {
  for (const classifier of ['logistic-l2', 'svm'] as const) {
    it(`${classifier}: selection overfits, the optimism is positive and the corrected AUC is near 0.5`, () => {
      const { task, region } = noiseStudy(60, 40, classifier);
      expect(region.selected.length).toBeGreaterThan(0);
      const [m] = optimismValidation(task, 40).models;
      // the apparent fit is the study's model
      expect(Math.abs(m!.auc.apparent! - region.auc.training!)).toBeLessThan(1e-12);
      expect(m!.auc.optimism!).toBeGreaterThan(0.05);
      expect(m!.auc.corrected!).toBeLessThan(m!.auc.apparent!);
      expect(m!.auc.corrected!).toBeGreaterThan(0.35);
      expect(m!.auc.corrected!).toBeLessThan(0.65);
      expect(m!.brier.corrected!).toBeGreaterThan(m!.brier.apparent!);
      expect(m!.slope.corrected!).toBeLessThan(m!.slope.apparent!);
      // Efron's .632+ from the same resamples' out-of-bag patients: near 0.5 as well
      const plus = m!.plus632!.auc;
      expect(plus.n).toBe(40);
      expect(plus.estimate!).toBeGreaterThan(0.35);
      expect(plus.estimate!).toBeLessThan(0.65);
      expect(plus.estimate!).toBeLessThanOrEqual(plus.dot632!);
      expect(m!.plus632!.brier.estimate!).toBeGreaterThan(m!.brier.apparent!);
    }, 120_000);
  }

  it('a real signal keeps a corrected AUC well above 0.5', () => {
    const { task, region } = noiseStudy(60, 20, 'logistic-l2', 2);
    expect(region.selected.map((s) => s.name)).toContain('f0');
    const [m] = optimismValidation(task, 20).models;
    expect(m!.auc.corrected!).toBeGreaterThan(0.8);
    expect(m!.auc.optimism!).toBeLessThan(0.1);
    expect(m!.plus632!.auc.estimate!).toBeGreaterThan(0.8);
  }, 120_000);
});

describe('optimism stage with ComBat', () => {
  it('each resample refits ComBat on its own rows: equal to the same resample on features harmonised by hand from that fit', async () => {
    const { fitColumnTransform } = await import('../../../src/core/study/stages/harmonise.js');
    const { task } = noiseStudy(60, 6, 'logistic-l2', 1.5);
    const rng = createRng(3);
    const n = task.ids.length;
    // two scanners: the second shifts and scales every feature
    const batch = task.ids.map((_, i) => (i % 3 === 0 ? 'B' : 'A'));
    const r0 = task.regions[0]!;
    const X = r0.X.map((row, i) => row.map((v) => (batch[i] === 'B' ? 2 * v + 3 : v) + 0.01 * rng.normal()));
    const batches = { ids: task.ids, batch, covariates: task.ids.map(() => []), covariateNames: [], parametric: true, meanOnly: false };
    const withBatches: OptimismTask = { ...task, regions: [{ ...r0, X }], batches };
    const rows = Array.from({ length: n }, () => Math.floor(rng.next() * n));
    const harmonised = fitColumnTransform(batches, X, rows).apply(X, X.map((_, i) => i)).X;
    const byHand: OptimismTask = { ...task, regions: [{ ...r0, X: harmonised }], batches: null };
    const a = resamplePredictions(withBatches, rows);
    const b = resamplePredictions(byHand, rows);
    expect(Object.keys(a)).toEqual(['T2 Hab1']);
    expect(a['T2 Hab1']).toEqual(b['T2 Hab1']);
    // and ComBat changed something: without it the predictions differ
    const raw = resamplePredictions({ ...withBatches, batches: null }, rows);
    expect(raw['T2 Hab1']).not.toEqual(a['T2 Hab1']);
  });

  it('a resample with fewer than 2 patients of the configured reference batch fails for the region (never mapped onto another batch), and the summary says so', async () => {
    const { task } = noiseStudy(60, 6, 'logistic-l2', 1.5);
    const n = task.ids.length;
    // reference batch R: patients 0 and 1 only
    const batch = task.ids.map((_, i) => (i < 2 ? 'R' : i % 2 ? 'A' : 'B'));
    const batches = { ids: task.ids, batch, covariates: task.ids.map(() => []), covariateNames: [], parametric: true, meanOnly: false, referenceBatch: 'R' };
    const withBatches: OptimismTask = { ...task, batches };
    const without = Array.from({ length: n }, (_, i) => 2 + (i % (n - 2)));
    const once = [0, ...without.slice(1)];
    const twice = [0, 1, ...without.slice(2)];
    expect(resamplePredictions(withBatches, without)).toEqual({});
    expect(resamplePredictions(withBatches, once)).toEqual({});
    expect(Object.keys(resamplePredictions(withBatches, twice))).toEqual(['T2 Hab1']);
    const resamples = [without, twice, once];
    const o = summariseOptimism(withBatches, resamples, resamplePredictions(withBatches, task.ids.map((_, i) => i)), resamples.map((r) => resamplePredictions(withBatches, r)));
    expect(o.models[0]!.failed).toBe(2);
    expect(o.notes).toEqual(['bootstrap: 2 of 3 resamples could not be harmonised (the reference batch "R" has no patients in this training set (ComBat needs at least 2)); each counted as failed for every region model and the composites built on them']);
    // without a configured reference batch nothing fails and there is no note
    const largest: OptimismTask = { ...task, batches: { ...batches, referenceBatch: undefined } };
    const p = summariseOptimism(largest, resamples, resamplePredictions(largest, task.ids.map((_, i) => i)), resamples.map((r) => resamplePredictions(largest, r)));
    expect(p.models[0]!.failed).toBe(0);
    expect(p.notes).toBeUndefined();
  });
});

