/**
 * PyRadiomics beside our timings: when `pyradiomics` is on the PATH, run its
 * command line on the same image, mask and parameter file and report the wall
 * time (which includes Python's start-up and imports, ~1–2 s; measured once with
 * `--help` and reported separately so it can be subtracted). Otherwise say so.
 */
import { spawnSync } from 'node:child_process';

export interface PyradiomicsTiming {
  pyradiomics: string;
  pyradiomicsMs?: number;
  pyradiomicsStartupMs?: number;
}

function wall(args: string[]): { ms: number; ok: boolean; out: string } {
  const t0 = performance.now();
  const r = spawnSync('pyradiomics', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { ms: performance.now() - t0, ok: r.status === 0 && !r.error, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

let available: string | null | undefined;
export function pyradiomicsAvailable(): string | null {
  if (available !== undefined) return available;
  const r = spawnSync('pyradiomics', ['--version'], { encoding: 'utf8' });
  available = r.error || r.status !== 0 ? null : ((r.stdout ?? '') + (r.stderr ?? '')).trim() || 'pyradiomics';
  if (available === null) console.error('pyradiomics not installed (not on the PATH): no PyRadiomics timing beside ours');
  return available;
}

/** Time `pyradiomics <image> <mask> [--param <params>] --format csv` (one job, one thread; no params = its defaults). */
export function timePyradiomics(image: string, mask: string, params?: string): PyradiomicsTiming {
  const version = pyradiomicsAvailable();
  if (!version) return { pyradiomics: 'not installed' };
  const startup = wall(['--help']);
  const run = wall([image, mask, ...(params ? ['--param', params] : []), '--format', 'csv', '--jobs', '1']);
  if (!run.ok) {
    console.error(`pyradiomics failed: ${run.out.trim().split('\n').pop()}`);
    return { pyradiomics: `${version} (failed)` };
  }
  return { pyradiomics: version, pyradiomicsMs: Math.round(run.ms), pyradiomicsStartupMs: Math.round(startup.ms) };
}
