/**
 * The `habitat` command as a user runs it, whole process (start-up included),
 * beside `node -e 0` and PyRadiomics' command line, in turn (A B A B …) so a
 * change in the machine's load hits both: `--help`, `info` on brain1, and
 * `extract` of the paper's feature set on brain1 against
 * `pyradiomics … --param paper.yaml --format csv --jobs 1` when `pyradiomics`
 * is on the PATH; and `info` on the IBSI CT phantom, a NIfTI file. Each line: median wall and CPU (user + system, from
 * /usr/bin/time) of `RUNS` runs after one warm-up, and peak RSS.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '../test/shared-data.js';
import { pyradiomicsAvailable } from './_pyradiomics.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const bin = path.join(root, 'bin', 'habitat.mjs');
const image = sharedPath('pyradiomics-data', 'brain1_image.nrrd');
const mask = sharedPath('pyradiomics-data', 'brain1_label.nrrd');
const paper = sharedPath('pyradiomics-data', 'reference-3.1', 'paper.yaml');
const ctPhantom = sharedPath('ibsi', 'ibsi1', 'ct_phantom', 'nifti', 'image', 'phantom.nii.gz');

interface Run {
  wallMs: number;
  cpuMs: number;
  rssMB: number;
}

/** One run under GNU time: wall from here, CPU and peak RSS of the child. */
function once(cmd: string[]): Run {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', ...cmd], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${(r.stderr ?? '').trim().split('\n').pop()}`);
  const [user, sys, rssKB] = (r.stderr ?? '').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs, cpuMs: (user! + sys!) * 1000, rssMB: rssKB! / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Run the commands in turn, RUNS times each after a warm-up; one line per command. */
function compare(title: string, commands: Record<string, string[]>): void {
  const runs: Record<string, Run[]> = {};
  for (const [k, cmd] of Object.entries(commands)) {
    once(cmd); // warm-up: file cache, the bundle built
    runs[k] = [];
  }
  for (let n = 0; n < RUNS; n++) for (const [k, cmd] of Object.entries(commands)) runs[k]!.push(once(cmd));
  for (const [k, rs] of Object.entries(runs)) {
    console.log(
      JSON.stringify({
        name: `${title}: ${k}`,
        ms: Math.round(median(rs.map((r) => r.wallMs))),
        cpuMs: Math.round(median(rs.map((r) => r.cpuMs))),
        minMs: Math.round(Math.min(...rs.map((r) => r.wallMs))),
        peakRssMB: Math.round(Math.max(...rs.map((r) => r.rssMB))),
        runs: RUNS,
      }),
    );
  }
}

const node = process.execPath;
compare('start-up', {
  'node -e 0': [node, '-e', '0'],
  'habitat --help': [node, bin, '--help'],
  'habitat info brain1': [node, bin, 'info', image],
  'habitat info IBSI CT phantom (NIfTI)': [node, bin, 'info', ctPhantom],
});
const extract: Record<string, string[]> = { 'habitat extract brain1 paper.yaml --format csv': [node, bin, 'extract', image, mask, '--params', paper, '--format', 'csv'] };
if (pyradiomicsAvailable()) extract['pyradiomics brain1 paper.yaml --format csv --jobs 1'] = ['pyradiomics', image, mask, '--param', paper, '--format', 'csv', '--jobs', '1'];
compare('whole process, paper set on brain1', extract);
