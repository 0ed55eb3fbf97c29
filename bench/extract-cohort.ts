/**
 * `extract-cohort` on the demo cohort (8 patients × 3 sequences, written by
 * `habitat demo --patients 8` into the temp folder on first use) with the
 * paper's feature set (reference-3.1/paper.yaml plus correctMask: the demo
 * masks are drawn on the T2WI grid), with 1 and with 2 worker threads
 * (default: 1 and the machine's cores if more than 2; override with
 * HABITAT_BENCH_JOBS=1,2,4). Times include starting the workers (≈ 2.5 s to
 * load the TypeScript sources and warm up). speedUp = the first run's wall time / this one's. peakRssMB is
 * the whole process (workers are threads of it); cpuMs sums all threads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { extractCohort } from '../src/core/radiomics/cohort-extract-node.js';
import { cohortCsv } from '../src/core/radiomics/cohort-extract.js';
import { defaultWorkerCount } from '../src/core/parallel/pool-node.js';
import { sharedPath } from '../test/shared-data.js';
import { measure } from './_measure.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cohort = path.join(os.tmpdir(), 'habitat-bench-demo8');
if (!existsSync(path.join(cohort, 'truth.json'))) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'src/cli/main.ts'), 'demo', '--out', cohort, '--patients', '8'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`habitat demo failed (exit ${r.status})`);
}
const paper = parse(readFileSync(sharedPath('pyradiomics-data', 'reference-3.1', 'paper.yaml'), 'utf8')) as { setting: Record<string, unknown> };
paper.setting.correctMask = true;
const paramsText = stringify(paper);

const jobsList = process.env.HABITAT_BENCH_JOBS
  ? process.env.HABITAT_BENCH_JOBS.split(',').map(Number)
  : [...new Set([1, 2, defaultWorkerCount()])].sort((a, b) => a - b);
let base = 0;
let firstCsv = '';
for (const jobs of jobsList) {
  let rows = 0;
  let problems = 0;
  let cpuMs = 0;
  let sameAsFirst = true;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await measure(
    `extract-cohort demo 8 patients × 3 sequences, paper set, ${jobs} worker${jobs > 1 ? 's' : ''}`,
    async () => {
      const r = await extractCohort(cohort, { paramsText, paramsName: 'paper.yaml', jobs });
      const csv = cohortCsv(r.rows).csv;
      firstCsv ||= csv;
      sameAsFirst = csv === firstCsv;
      rows = r.rows.length;
      problems = r.problems.length;
      const c = process.cpuUsage(c0);
      cpuMs = (c.user + c.system) / 1000;
    },
    {
      jobs,
      get rows() { return rows; },
      get problems() { return problems; },
      get cpuMs() { return Math.round(cpuMs); },
      get speedUp() { const ms = performance.now() - t0; if (base === 0) base = ms; return +(base / ms).toFixed(2); },
      get sameCsv() { return sameAsFirst; },
    },
  );
}
