/**
 * The permutation test on cached features (issue 23): the 120-patient demo
 * cohort's features (test/fixtures/study/demo120-features.json.gz: Original
 * firstorder + GLCM, 42 features per region, 13 regions), then
 * - the full cohort analysis once (analyseStudy, warm),
 * - one permuted run in-process (what a permutation costs; CPU time too),
 * - the whole test, HABITAT_BENCH_PERMUTATIONS (default 100) permuted runs, through
 *   the Node study worker pool with HABITAT_BENCH_JOBS workers (default 2), as
 *   `habitat study --permutations N` runs it.
 * Every row carries the 1-minute load average at its start and end.
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

const fx = JSON.parse(gunzipSync(readFileSync(new URL('../test/fixtures/study/demo120-features.json.gz', import.meta.url))).toString());
const input: AnalysisInput = {
  ids: fx.ids, labels: fx.labels, split: fx.split, features: fx.features, habitatCounts: fx.habitatCounts,
  clinical: parseClinicalCsv('clinical.csv', fx.clinicalCsv), config: parseStudyConfig(fx.configYaml, 'fixture.yaml'),
};
const n = Number(process.env.HABITAT_BENCH_PERMUTATIONS ?? 100);
const jobs = Number(process.env.HABITAT_BENCH_JOBS ?? 2);
const load = () => os.loadavg()[0].toFixed(1);
const cpu = () => process.cpuUsage().user / 1000;

analyseStudy(input); // warm-up (JIT)
let l0 = load();
let c0 = cpu();
const observed = await measure('study analysis on cached features, 120 patients (warm)', () => analyseStudy(input), {
  get cpuMs() { return Math.round(cpu() - c0); }, get runLoad() { return `${l0}→${load()}`; },
});
const cohort = permutationCohort(input);
l0 = load();
c0 = cpu();
await measure('one permuted run (internal AUCs only), in-process', () => permutedRun(cohort, 0), {
  get cpuMs() { return Math.round(cpu() - c0); }, get runLoad() { return `${l0}→${load()}`; },
});
const exec = nodeStudyExecutor(jobs);
l0 = load();
c0 = cpu();
const t = await measure(`permutation test, ${n} permutations, ${jobs} worker(s)`, () => permutationTest(input, observed, n, { run: (ks) => exec.permutations!(input, ks), parallel: jobs }), {
  permutations: n, jobs, get mainThreadCpuMs() { return Math.round(cpu() - c0); }, get runLoad() { return `${l0}→${load()}`; },
});
exec.close?.();
console.error(`Combined p = ${t.models.find((m) => m.name === 'Combined')?.p}`);
