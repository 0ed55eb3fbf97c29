/**
 * The demo study end to end in Node: `habitat demo --patients N` (written to
 * the temp folder on first use), then `habitat study <cohort> --jobs J
 * --no-cache` for J = 1 and 2 (override with HABITAT_BENCH_JOBS=1,2,4).
 * Settings (HABITAT_BENCH_STUDY):
 * - `quick` (default): the app's starting settings, as bench/browser-study.ts
 *   runs them in the browser — the default study (N4, registration, habitats,
 *   selection, models, report) with Original-image features only, on 30
 *   patients;
 * - `paper`: the default study (N4, registration, the paper's feature set) on
 *   20 patients.
 * HABITAT_BENCH_PATIENTS overrides the cohort size. Each study runs as a child
 * process under /usr/bin/time, which gives its wall time, CPU time and peak
 * RSS (the largest thread-sharing process; workers are threads of it).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { DEFAULT_STUDY_CONFIG, PAPER_EXTRACTION_PARAMS } from '../src/core/study/config.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const settings = process.env.HABITAT_BENCH_STUDY === 'paper' ? 'paper' : 'quick';
const patients = Number(process.env.HABITAT_BENCH_PATIENTS ?? (settings === 'quick' ? 30 : 20));
const cohort = path.join(os.tmpdir(), `habitat-bench-demo${patients}`);
const cli = [process.execPath, '--import', 'tsx', path.join(repo, 'src/cli/main.ts')];
if (!existsSync(path.join(cohort, 'truth.json'))) {
  const r = spawnSync(cli[0]!, [...cli.slice(1), 'demo', '--out', cohort, '--patients', String(patients)], { stdio: ['ignore', 'ignore', 'inherit'], cwd: repo });
  if (r.status !== 0) throw new Error(`habitat demo failed (exit ${r.status})`);
}
const configArgs: string[] = [];
if (settings === 'quick') {
  const config = structuredClone(DEFAULT_STUDY_CONFIG);
  config.extraction.params = { ...PAPER_EXTRACTION_PARAMS, imageType: { Original: {} } };
  const file = path.join(os.tmpdir(), `habitat-bench-quick-study-${process.pid}.yaml`);
  writeFileSync(file, stringify(config));
  configArgs.push('--config', file);
}
const jobsList = (process.env.HABITAT_BENCH_JOBS ?? '1,2').split(',').map(Number);
let base = 0;
for (const jobs of jobsList) {
  const out = path.join(os.tmpdir(), `habitat-bench-study-${process.pid}-${jobs}`);
  const load = os.loadavg()[0]!;
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', ...cli, 'study', cohort, '--out', out, ...configArgs, '--jobs', String(jobs), '--no-cache', '--quiet'], {
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
      name: `demo study end to end (Node, ${settings} settings), ${patients} patients, ${jobs} worker${jobs > 1 ? 's' : ''}`,
      ms: Math.round(ms),
      cpuMs: Math.round((Number(m[2]) + Number(m[3])) * 1000),
      peakRssMB: Math.round(Number(m[4]) / 1024),
      jobs,
      speedUp: +(base / ms).toFixed(2),
      runLoad: `${load.toFixed(1)}→${os.loadavg()[0]!.toFixed(1)}`,
    }),
  );
}
