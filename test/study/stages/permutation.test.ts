import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  compositeRole, permutationP, permutationPValues, permutedRuns, permuteWithin, pooledPermutations, workerPermutedRuns, type InternalAucs,
} from '../../../src/core/study/stages/permutation.js';
import type { AnalysisInput, AnalysisResult } from '../../../src/core/study/analysis.js';
import { parseClinicalCsv } from '../../../src/core/study/clinical.js';
import { parseStudyConfig } from '../../../src/core/study/config.js';

describe('permuteWithin', () => {
  const labels: (0 | 1)[] = [1, 1, 1, 0, 0, 0, 1, 0, 1, 0];
  const train = [0, 1, 2, 3, 4, 5, 6];
  it('shuffles the training entries among themselves, leaves the others, and is seeded', () => {
    const p = permuteWithin(labels, train, 7);
    expect(p.slice(7)).toEqual(labels.slice(7));
    expect(train.map((i) => p[i]).sort()).toEqual(train.map((i) => labels[i]).sort());
    expect(permuteWithin(labels, train, 7)).toEqual(p);
    const seen = new Set(Array.from({ length: 20 }, (_, s) => permuteWithin(labels, train, s).join('')));
    expect(seen.size).toBeGreaterThan(5);
  });
});

describe('permutationPValues', () => {
  const observed = {
    regions: [
      { sequence: 'T2', region: 'Hab1', auc: { cvTraining: 0.8 } },
      { sequence: 'T2', region: 'total', auc: { cvTraining: null } },
    ],
    models: [
      { name: 'Clinic', training: { auc: 0.7 } },
      { name: 'Clinic + T2 Hab1', training: { auc: 0.9 } },
      { name: 'Combined', training: { auc: 0.9 } },
    ],
    bestHabitat: { T2: 'Hab1' },
  } as unknown as AnalysisResult;
  // four permuted runs: the second names another habitat best, the third none (its Clinic + T2 and Combined fall back to Clinic's AUC)
  const runs: InternalAucs[] = [
    { 'T2 Hab1': 0.5, 'T2 total': 0.6, Clinic: 0.7, 'Clinic + T2': 0.85, Combined: 0.86 },
    { 'T2 Hab1': 0.8, 'T2 total': null, Clinic: 0.6, 'Clinic + T2': 0.95, Combined: 0.9 },
    { 'T2 Hab1': null, 'T2 total': null, Clinic: 0.92 },
    { 'T2 Hab1': 0.79, 'T2 total': 0.5, Clinic: 0.71, 'Clinic + T2': 0.5, Combined: 0.5 },
  ];
  const t = permutationPValues(observed, runs, 1);
  it('p = (1 + #{permuted ≥ observed}) / (N + 1), ties counted, models matched by role', () => {
    expect(t.permutations).toBe(4);
    expect(permutationP(t, 'T2 Hab1')).toBe((1 + 1) / 5); // 0.8 ≥ 0.8; a missing region is 0.5
    expect(permutationP(t, 'Clinic')).toBe((1 + 3) / 5); // 0.7, 0.92, 0.71
    expect(permutationP(t, 'Clinic + T2 Hab1')).toBe((1 + 2) / 5); // 0.95, and 0.92 (Clinic's, no best habitat)
    expect(permutationP(t, 'Combined')).toBe((1 + 2) / 5); // 0.9 tie, 0.92 fallback
    expect(t.models.find((m) => m.name === 'Clinic + T2 Hab1')!.atLeast).toBe(2);
  });
  it('a region without a model has no p; statistics are named', () => {
    expect(permutationP(t, 'T2 total')).toBeNull();
    expect(t.models.find((m) => m.name === 'T2 Hab1')!.statistic).toBe('nested-CV AUC');
    expect(t.models.find((m) => m.name === 'Combined')!.statistic).toBe('apparent training AUC');
  });
  it('composite roles', () => {
    expect(compositeRole('Clinic + T2 Hab1', { T2: 'Hab1' })).toBe('Clinic + T2');
    expect(compositeRole('Combined', { T2: 'Hab1' })).toBe('Combined');
  });
});

describe('the study input crosses to a worker once (workerPermutedRuns, pooledPermutations)', () => {
  const fx = JSON.parse(gunzipSync(readFileSync(new URL('../../fixtures/study/demo120-features.json.gz', import.meta.url))).toString());
  const input: AnalysisInput = {
    ids: fx.ids, labels: fx.labels, split: fx.split, features: fx.features, habitatCounts: fx.habitatCounts,
    clinical: parseClinicalCsv('clinical.csv', fx.clinicalCsv), config: parseStudyConfig(fx.configYaml, 'fixture.yaml'),
  };
  const other: AnalysisInput = { ...input, config: { ...input.config, selection: { ...input.config.selection, seed: input.config.selection.seed + 1 } } };
  it('sends the input only to a worker without the study, and gives the runs of a fresh cohort', async () => {
    // one simulated worker (this module's cache); every call it receives is logged with whether the input came along
    const sent: boolean[] = [];
    const run = pooledPermutations(async (key, inp, ks) => { sent.push(inp !== null); return workerPermutedRuns(key, inp, ks); });
    expect(await run(input, [0, 1])).toEqual(permutedRuns(input, [0, 1]));
    expect(sent).toEqual([false, true]); // asked without the input, refused, sent again with it
    expect(await run(input, [2])).toEqual(permutedRuns(input, [2]));
    expect(sent).toEqual([false, true, false]); // kept
    const o = await run(other, [0]); // another study: its own key, its own cohort
    expect(o).toEqual(permutedRuns(other, [0]));
    expect(sent.slice(3)).toEqual([false, true]);
    await run(input, [3]); // the worker holds one study: the first is sent again
    expect(sent.slice(5)).toEqual([false, true]);
    expect(workerPermutedRuns('no such study', null, [0])).toBeNull();
  }, 120_000);
});
