/**
 * `npm run bench`: runs every benchmark script in bench/ (each prints one JSON
 * line per measurement: {"name", "ms", "peakRssMB", ...}) in its own Node
 * process, so peak memory is per benchmark, and prints a table. Results are
 * recorded by hand in BENCHMARKS.md with the machine, date and commit.
 * `npm run bench -- <substring>` runs only the matching scripts.
 * Each row also gets the 1-minute load average at the script's start and end
 * (`load`), since on a shared machine other processes distort wall times.
 */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)))
  .sort();

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
console.log(`# ${new Date().toISOString()} · commit ${commit} · node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
const rows: Record<string, unknown>[] = [];
let failed = 0;
for (const s of scripts) {
  const load0 = os.loadavg()[0]!;
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, s)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    console.log(`${s}: FAILED (exit ${r.status})`);
    failed++;
    continue;
  }
  for (const line of r.stdout.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      rows.push({ script: s, ...JSON.parse(t), load: `${load0.toFixed(1)}→${os.loadavg()[0]!.toFixed(1)}` });
    } catch {
      /* not a result line */
    }
  }
}
for (const row of rows) {
  const { script, name, ms, peakRssMB, ...rest } = row as { script: string; name: string; ms: number; peakRssMB: number };
  const extra = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'number' ? +v.toPrecision(4) : JSON.stringify(v)}`).join(' ');
  console.log(`${String(name).padEnd(48)} ${String(Math.round(ms)).padStart(8)} ms ${String(Math.round(peakRssMB ?? 0)).padStart(6)} MB  ${script} ${extra}`);
}
process.exit(failed ? 1 : 0);
