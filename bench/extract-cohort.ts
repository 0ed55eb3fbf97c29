/**
 * `extract-cohort` on the demo cohort (8 patients × 3 sequences, written by
 * `habitat demo --patients 8` into the temp folder on first use) with the
 * paper's feature set (reference-3.1/paper.yaml plus correctMask: the demo
 * masks are drawn on the T2WI grid), with 1 and with 2 worker threads
 * (default: 1 and the machine's cores if more than 2; override with
 * HABITAT_BENCH_JOBS=1,2,4), repeated HABITAT_BENCH_REPEAT times (default 1)
 * with the order reversed every other time, since other work on a shared
 * machine drifts. Times include starting the workers (bench/worker-startup.ts;
 * booted from the esbuild bundle, or through tsx with HABITAT_WORKER_BOOT=tsx)
 * and their JIT warm-up. speedUp = the 1-worker run's wall time of the same
 * repeat / this one's. peakRssMB is the whole process's peak so far (workers are threads of
 * it); cpuMs sums all threads (V8's background compiler and GC threads
 * included).
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
const repeat = Number(process.env.HABITAT_BENCH_REPEAT ?? 1);
const boot = process.env.HABITAT_WORKER_BOOT === 'tsx' ? 'tsx' : 'bundle';
let firstCsv = '';
for (let rep = 0; rep < repeat; rep++) {
  let base = 0;
  const order = rep % 2 === 0 ? jobsList : [...jobsList].reverse();
  const lines: Record<string, unknown>[] = [];
  for (const jobs of order) {
    let rows = 0;
    let problems = 0;
    let cpuMs = 0;
    let sameAsFirst = true;
    const c0 = process.cpuUsage();
    const load = os.loadavg()[0]!;
    const t0 = performance.now();
    const r = await extractCohort(cohort, { paramsText, paramsName: 'paper.yaml', jobs });
    const ms = performance.now() - t0;
    const csv = cohortCsv(r.rows).csv;
    firstCsv ||= csv;
    sameAsFirst = csv === firstCsv;
    rows = r.rows.length;
    problems = r.problems.length;
    const c = process.cpuUsage(c0);
    cpuMs = (c.user + c.system) / 1000;
    if (jobs === 1) base = ms;
    lines.push({
      name: `extract-cohort demo 8 patients × 3 sequences, paper set, ${jobs} worker${jobs > 1 ? 's' : ''}`,
      ms,
      peakRssMB: process.resourceUsage().maxRSS / 1024, // the process so far (runs in order)
      jobs,
      boot,
      rows,
      problems,
      cpuMs: Math.round(cpuMs),
      sameCsv: sameAsFirst,
      runLoad: `${load.toFixed(1)}→${os.loadavg()[0]!.toFixed(1)}`,
      repeat: rep + 1,
    });
  }
  for (const l of lines) console.log(JSON.stringify({ ...l, ...(base ? { speedUp: +(base / (l.ms as number)).toFixed(2) } : {}) }));
}
