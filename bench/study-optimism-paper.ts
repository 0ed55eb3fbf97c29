/**
 * The analysis stage's two repeated units at the paper's settings (issues 20 and 23),
 * in this thread, on the paper-settings table of bench/_paper-cohort.ts (120
 * patients, ~1,100 features per region; skipped, with a line on stderr, when absent):
 * - one bootstrap resample of the optimism correction (stages/optimism.ts
 *   `resamplePredictions`: every region with a model refitted, then the composites);
 *   HABITAT_BENCH_BOOTSTRAP resamples (default 10), the study's own seeded ones;
 * - one permuted run of the permutation test (stages/permutation.ts `permutedRun`);
 *   HABITAT_BENCH_PERMUTED_RUNS runs (default 3), permutations 1, 2, ….
 * Each row gives CPU per unit (this process; nothing else runs in it) and the
 * 1-minute load average at its start and end; the first resample and permutation 0
 * run first, unmeasured, as JIT warm-up.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { measure } from './_measure.js';
import { PAPER_FEATURES_FILE } from './_paper-cohort.js';
import { readCohortFeatures } from './_permutation-bench.js';
import { analyseStudy, optimismTaskOf } from '../src/core/study/analysis.js';
import { optimismResamples, resamplePredictions } from '../src/core/study/stages/optimism.js';
import { permutationCohort, permutedRun } from '../src/core/study/stages/permutation.js';

const B = Number(process.env.HABITAT_BENCH_BOOTSTRAP ?? 10);
const R = Number(process.env.HABITAT_BENCH_PERMUTED_RUNS ?? 3);
const load = () => os.loadavg()[0]!.toFixed(1);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function perUnit(name: string, count: number, unit: (k: number) => unknown, extra: Record<string, unknown>): Promise<void> {
  const l0 = load();
  const c0 = cpu();
  await measure(name, () => { for (let k = 1; k <= count; k++) unit(k); }, {
    ...extra,
    get cpuPerUnitS() { return +((cpu() - c0) / 1000 / count).toFixed(3); },
    get runLoad() { return `${l0}→${load()}`; },
  });
}

if (!existsSync(PAPER_FEATURES_FILE)) {
  console.error(`study-optimism-paper: ${PAPER_FEATURES_FILE} not found; make it with \`npx tsx bench/_paper-cohort.ts\` (about an hour of CPU). Skipped.`);
} else {
  const input = readCohortFeatures(PAPER_FEATURES_FILE);
  const task = optimismTaskOf(input, analyseStudy(input));
  const resamples = optimismResamples(task, B + 1);
  resamplePredictions(task, resamples[0]!); // warm-up
  await perUnit(`bootstrap resample, demo 120 patients, paper settings, ${task.regions.length} region models + ${task.composites.length} composites`, B, (k) => resamplePredictions(task, resamples[k]!), { resamples: B });
  const cohort = permutationCohort(input);
  permutedRun(cohort, 0); // warm-up
  await perUnit('permuted run, demo 120 patients, paper settings, in-process', R, (k) => permutedRun(cohort, k), { runs: R });
}
