/**
 * Node worker pool (worker_threads + comlink), sized to the machine's cores by
 * default. `entry` is the URL of a TypeScript module that calls
 * `exposeNodeWorker(api)`.
 *
 * Start-up: the entry and the project sources it imports are bundled once per
 * process with esbuild (present as tsx's own dependency; node_modules packages
 * stay external imports) into node_modules/.cache/habitat-workers/, so a worker
 * loads one plain JavaScript file instead of registering tsx and compiling
 * every source file again. Without esbuild, or when the bundle cannot be
 * built, or with HABITAT_WORKER_BOOT=tsx, workers boot through tsx
 * (worker-boot-node.mjs) as before.
 */
import { Worker, parentPort } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createWorkerPool, type WorkerPool } from './pool.js';

const BOOT = new URL('./worker-boot-node.mjs', import.meta.url);

export function defaultWorkerCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** How a pool's workers load their entry module. */
export type WorkerBoot = 'bundle' | 'tsx';

interface EsbuildLike {
  buildSync(options: Record<string, unknown>): { outputFiles?: { text: string }[] };
}

const bundles = new Map<string, URL | null>();

/**
 * The entry bundled to one ES module (cached per process and on disk by the
 * bundle's hash), or null when esbuild is not available or fails.
 */
export function workerBundle(entry: URL): URL | null {
  if (bundles.has(entry.href)) return bundles.get(entry.href)!;
  let out: URL | null = null;
  try {
    const require = createRequire(entry);
    const esbuildMain = require.resolve('esbuild');
    const esbuild = require(esbuildMain) as EsbuildLike;
    const file = fileURLToPath(entry);
    const r = esbuild.buildSync({
      entryPoints: [file],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      packages: 'external',
      write: false,
      logLevel: 'silent',
    });
    const text = r.outputFiles?.[0]?.text;
    if (text) {
      // beside the node_modules that hold esbuild, so the bundle's package imports resolve as the sources' do
      const modules = esbuildMain.slice(0, esbuildMain.lastIndexOf(`${path.sep}node_modules${path.sep}`) + `${path.sep}node_modules`.length);
      const dir = path.join(modules, '.cache', 'habitat-workers');
      const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
      const target = path.join(dir, `${path.basename(file).replace(/\.[cm]?[jt]s$/, '')}-${hash}.mjs`);
      if (!existsSync(target)) {
        mkdirSync(dir, { recursive: true });
        const tmp = `${target}.${process.pid}.tmp`;
        writeFileSync(tmp, text);
        renameSync(tmp, target);
        pruneOldBundles(dir, path.basename(target));
      }
      out = pathToFileURL(target);
    }
  } catch {
    out = null; // no esbuild here, or the sources do not bundle: tsx boot
  }
  bundles.set(entry.href, out);
  return out;
}

/** Bundles of earlier source versions of the same entry, unused for a day, are deleted (one per source change otherwise piles up). */
function pruneOldBundles(dir: string, keep: string): void {
  const prefix = keep.slice(0, keep.lastIndexOf('-') + 1);
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const f of readdirSync(dir)) {
    if (f === keep || f.length !== keep.length || !f.startsWith(prefix) || !/-[0-9a-f]{16}\.mjs$/.test(f)) continue;
    try {
      if (statSync(path.join(dir, f)).mtimeMs < dayAgo) unlinkSync(path.join(dir, f));
    } catch {
      /* another process removed it */
    }
  }
}

function bootOf(entry: URL, boot: WorkerBoot | undefined): { url: URL; workerData?: { entry: string } } {
  const wanted = boot ?? (process.env.HABITAT_WORKER_BOOT === 'tsx' ? 'tsx' : 'bundle');
  const bundle = wanted === 'bundle' && /\.[cm]?ts$/.test(entry.pathname) ? workerBundle(entry) : null;
  if (bundle) return { url: bundle };
  if (!/\.[cm]?ts$/.test(entry.pathname)) return { url: entry };
  return { url: BOOT, workerData: { entry: entry.href } };
}

export interface NodePoolOptions {
  /** 'bundle' (default; falls back to tsx) or 'tsx'. */
  boot?: WorkerBoot;
}

export function createNodePool<API>(entry: URL, size = defaultWorkerCount(), signal?: AbortSignal, options: NodePoolOptions = {}): WorkerPool<API> {
  const { url, workerData } = bootOf(entry, options.boot);
  return createWorkerPool<API>(
    () => {
      const w = new Worker(url, workerData ? { workerData } : {});
      w.unref();
      let terminating = false;
      return {
        api: Comlink.wrap<API>(nodeEndpoint(w)),
        terminate: () => {
          terminating = true;
          void w.terminate();
        },
        onCrash(listener) {
          w.on('error', (e) => listener(new Error(`a worker crashed: ${e instanceof Error ? e.message : String(e)}`)));
          w.on('exit', (code) => {
            if (!terminating) listener(new Error(`a worker stopped unexpectedly (exit code ${code})`));
          });
        },
      };
    },
    size,
    signal,
  );
}

/** Call from a worker entry module to serve `api` to the pool. */
export function exposeNodeWorker(api: object): void {
  if (!parentPort) throw new Error('exposeNodeWorker must run inside a worker thread');
  Comlink.expose(api, nodeEndpoint(parentPort));
}
