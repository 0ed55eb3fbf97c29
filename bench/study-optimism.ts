/**
 * The bootstrap internal validation (stages/optimism.ts) on cached-style features:
 * seconds for B resamples (HABITAT_BENCH_BOOTSTRAP, default 200) of every model, in
 * this thread and over a pool of 2 study workers (worker_threads, as `habitat study
 * --jobs 2`). Cohorts: the demo's clinical table for 24 and 120 patients
 * (HABITAT_BENCH_PATIENTS=24,120), with 3 sequences × (whole tumour + 3 habitats) ×
 * 42 features each (the size of the Original-image firstorder + GLCM set of the
 * tests), feature 0 of each sequence's Hab1 carrying the outcome, the rest noise.
 */
import os from 'node:os';
import { analyseStudy, optimismTaskOf, type AnalysisInput } from '../src/core/study/analysis.js';
import { parseClinicalCsv } from '../src/core/study/clinical.js';
import { DEFAULT_STUDY_CONFIG } from '../src/core/study/config.js';
import { nodeStudyExecutor } from '../src/core/study/executor-node.js';
import { optimismValidation, optimismValidationPooled } from '../src/core/study/stages/optimism.js';
import { trainValidationSplit } from '../src/core/learn/split.js';
import { createRng, deriveSeed } from '../src/core/util/random.js';
import { demoClinicalCsv } from '../src/demo/demo.js';

const B = Number(process.env.HABITAT_BENCH_BOOTSTRAP ?? 200);
const sizes = (process.env.HABITAT_BENCH_PATIENTS ?? '24,120').split(',').map(Number);
const sequences = ['T2WI', 'CE-T1WI', 'FSCE-T1WI'];
const habitatCounts = Object.fromEntries(sequences.map((s) => [s, 3]));

function input(n: number): AnalysisInput {
  const clinical = parseClinicalCsv('clinical.csv', demoClinicalCsv({ patients: n, seed: 7 }));
  const labels = clinical.outcome;
  const features = clinical.ids.map((id, i) => {
    const r = createRng(deriveSeed(5, 'features', id));
    const regions: Record<string, Record<string, number>> = {};
    for (const seq of sequences)
      for (const reg of ['total', 'Hab1', 'Hab2', 'Hab3'])
        regions[`${seq}|${reg}`] = Object.fromEntries(Array.from({ length: 42 }, (_, j) => [`f${j}`, r.normal() + (reg === 'Hab1' && j === 0 ? labels[i]! : 0)]));
    return { id, regions, habitats: {}, notes: [] };
  });
  const config = { ...DEFAULT_STUDY_CONFIG, sequences, reference: 'T2WI', models: { ...DEFAULT_STUDY_CONFIG.models, bootstrap: 0 } };
  const split = trainValidationSplit(labels, { trainFraction: 0.7, seed: 42, stratify: true });
  return { ids: clinical.ids, labels, split, features, clinical, config: { ...config, models: { ...config.models, bootstrap: B } }, habitatCounts, deferBootstrap: true };
}

for (const n of sizes) {
  const inp = input(n);
  const task = optimismTaskOf(inp, analyseStudy(inp));
  const models = task.regions.length + task.composites.length;
  const load0 = os.loadavg()[0]!;
  let t = performance.now();
  optimismValidation(task, B);
  const one = performance.now() - t;
  console.log(JSON.stringify({ name: `bootstrap internal validation, ${B} resamples, ${n} patients (${task.labels.length} training), ${models} models, 1 thread`, ms: Math.round(one), runLoad: `${load0.toFixed(1)}→${os.loadavg()[0]!.toFixed(1)}` }));
  const exec = nodeStudyExecutor(2);
  const load1 = os.loadavg()[0]!;
  t = performance.now();
  await optimismValidationPooled(task, B, exec.optimism!, 8);
  const two = performance.now() - t;
  exec.close?.();
  console.log(JSON.stringify({ name: `bootstrap internal validation, ${B} resamples, ${n} patients, 2 workers`, ms: Math.round(two), speedUp: +(one / two).toFixed(2), runLoad: `${load1.toFixed(1)}→${os.loadavg()[0]!.toFixed(1)}` }));
}
