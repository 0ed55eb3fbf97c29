/**
 * The permutation-test benchmark on a cached feature table (the format of
 * scripts/fixtures/demo-cohort-features.ts): the full cohort analysis once
 * (analyseStudy, warm), one permuted run in-process, then
 * HABITAT_BENCH_PERMUTATIONS (default `n`) permuted runs through the Node study
 * worker pool with HABITAT_BENCH_JOBS workers (default 2), as
 * `habitat study --permutations N` runs them. CPU is the whole process's
 * (worker threads included); every row carries the 1-minute load average at its
 * start and end.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { gunzipSync } from 'node:zlib';
import { measure } from './_measure.js';
import { analyseStudy, type AnalysisInput } from '../src/core/study/analysis.js';
import { parseClinicalCsv } from '../src/core/study/clinical.js';
import { parseStudyConfig } from '../src/core/study/config.js';
import { nodeStudyExecutor } from '../src/core/study/executor-node.js';
import { permutationCohort, permutationTest, permutedRun } from '../src/core/study/stages/permutation.js';

export function readCohortFeatures(file: string): AnalysisInput {
  const fx = JSON.parse(gunzipSync(readFileSync(file)).toString());
  return {
    ids: fx.ids, labels: fx.labels, split: fx.split, features: fx.features, habitatCounts: fx.habitatCounts,
    clinical: parseClinicalCsv('clinical.csv', fx.clinicalCsv), config: parseStudyConfig(fx.configYaml, 'fixture.yaml'),
  };
}

export async function permutationBench(label: string, input: AnalysisInput, defaultN: number): Promise<void> {
  const n = Number(process.env.HABITAT_BENCH_PERMUTATIONS ?? defaultN);
  const jobs = Number(process.env.HABITAT_BENCH_JOBS ?? 2);
  const load = () => os.loadavg()[0]!.toFixed(1);
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const columns = Object.values(input.features[0]?.regions ?? {}).map((r) => Object.keys(r).length);
  const shape = { patients: input.ids.length, training: input.split.train.length, regions: columns.length, featuresPerRegion: Math.max(0, ...columns) };
  const row = (l0: string, c0: number, per = 1) => ({
    ...shape,
    get cpuMs() { return Math.round(cpu() - c0); },
    get cpuPerRunS() { return +((cpu() - c0) / 1000 / per).toFixed(3); },
    get runLoad() { return `${l0}→${load()}`; },
  });

  analyseStudy(input); // warm-up (JIT)
  let l0 = load();
  let c0 = cpu();
  const observed = await measure(`study analysis on cached features, ${label} (warm)`, () => analyseStudy(input), row(l0, c0));
  const cohort = permutationCohort(input);
  l0 = load();
  c0 = cpu();
  await measure(`one permuted run, ${label}, in-process`, () => permutedRun(cohort, 0), row(l0, c0));
  const exec = nodeStudyExecutor(jobs);
  l0 = load();
  c0 = cpu();
  // Object.assign onto the row keeps its getters (a spread would read them now, before the run).
  const t = await measure(`permutation test, ${label}, ${n} permutations, ${jobs} worker(s)`, () => permutationTest(input, observed, n, { run: (ks) => exec.permutations!(input, ks), parallel: jobs }),
    Object.assign(row(l0, c0, n), { permutations: n, jobs }));
  exec.close?.();
  console.error(`Combined p = ${t.models.find((m) => m.name === 'Combined')?.p}`);
  // every model's p, so two versions of the code can be compared on the same permutations
  console.error(`p-values: ${JSON.stringify(Object.fromEntries(t.models.map((m) => [m.name, m.p])))}`);
}
