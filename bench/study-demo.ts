/**
 * The demo study end to end in Node: `habitat demo --patients 20` (written to
 * the temp folder on first use), then `habitat study <cohort> --jobs N
 * --no-cache` (preparation with N4 and registration, habitats, features,
 * selection, models, report) for N = 1 and 2 (override with
 * HABITAT_BENCH_JOBS=1,2,4; cohort size with HABITAT_BENCH_PATIENTS). Each
 * study runs as a child process under /usr/bin/time, which gives its wall
 * time, CPU time and peak RSS (the largest thread-sharing process; workers are
 * threads of it).
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const patients = Number(process.env.HABITAT_BENCH_PATIENTS ?? 20);
const cohort = path.join(os.tmpdir(), `habitat-bench-demo${patients}`);
const cli = [process.execPath, '--import', 'tsx', path.join(repo, 'src/cli/main.ts')];
if (!existsSync(path.join(cohort, 'truth.json'))) {
  const r = spawnSync(cli[0], [...cli.slice(1), 'demo', '--out', cohort, '--patients', String(patients)], { stdio: ['ignore', 'ignore', 'inherit'], cwd: repo });
  if (r.status !== 0) throw new Error(`habitat demo failed (exit ${r.status})`);
}
const jobsList = (process.env.HABITAT_BENCH_JOBS ?? '1,2').split(',').map(Number);
let base = 0;
for (const jobs of jobsList) {
  const out = path.join(os.tmpdir(), `habitat-bench-study-${process.pid}-${jobs}`);
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', ...cli, 'study', cohort, '--out', out, '--jobs', String(jobs), '--no-cache', '--quiet'], {
    encoding: 'utf8',
    cwd: repo,
    maxBuffer: 64 << 20,
  });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) {
    console.error(`habitat study --jobs ${jobs} failed (exit ${r.status}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
    process.exitCode = 1;
    continue;
  }
  const ms = Number(m[1]) * 1000;
  base ||= ms;
  console.log(
    JSON.stringify({
      name: `demo study end to end (Node), ${patients} patients, ${jobs} worker${jobs > 1 ? 's' : ''}`,
      ms: Math.round(ms),
      cpuMs: Math.round((Number(m[2]) + Number(m[3])) * 1000),
      peakRssMB: Math.round(Number(m[4]) / 1024),
      jobs,
      speedUp: +(base / ms).toFixed(2),
    }),
  );
}
