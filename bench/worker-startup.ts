/**
 * Start-up of the Node worker pool: time from creating a pool of N workers
 * (the extract-cohort worker entry) to every worker having answered one
 * trivial job, with workers booted from the esbuild bundle (the default) and
 * through tsx (HABITAT_WORKER_BOOT=tsx, the fallback). Median of 5 fresh pools
 * each; cpuMs is the process's CPU (all threads) per pool. The bundle is built
 * before timing (once per process; `bundleBuildMs`).
 */
import { createNodePool, workerBundle, type WorkerBoot } from '../src/core/parallel/pool-node.js';

const entry = new URL('../src/core/radiomics/cohort-extract-worker-node.ts', import.meta.url);
type Api = { extract(job: object): Promise<{ ok: boolean }> };
const probe = { patient: 'P', sequence: 'S', imagePath: '/nonexistent.nii.gz', maskPath: '/nonexistent.nii.gz', paramsText: 'setting: {}', paramsName: 'probe.yaml' };

const b0 = performance.now();
const bundled = workerBundle(entry) !== null;
const bundleBuildMs = Math.round(performance.now() - b0);

async function startOnce(n: number, boot: WorkerBoot): Promise<{ ms: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const pool = createNodePool<Api>(entry, n, undefined, { boot });
  try {
    // one job per worker, held until all have answered, so each job lands on its own worker
    let answered = 0;
    let release!: () => void;
    const all = new Promise<void>((r) => (release = r));
    await Promise.all(
      Array.from({ length: n }, () =>
        pool.run(async (api) => {
          await api.extract(probe);
          if (++answered === n) release();
          await all;
        }),
      ),
    );
    const c = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
  } finally {
    pool.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const n of [1, 2]) {
  for (const boot of ['bundle', 'tsx'] as const) {
    if (boot === 'bundle' && !bundled) continue;
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await startOnce(n, boot));
    console.log(
      JSON.stringify({
        name: `worker pool start-up, ${n} worker${n > 1 ? 's' : ''}, ${boot} boot (median of 5)`,
        ms: median(runs.map((r) => r.ms)),
        cpuMs: Math.round(median(runs.map((r) => r.cpuMs))),
        ...(boot === 'bundle' ? { bundleBuildMs } : {}),
      }),
    );
  }
}
