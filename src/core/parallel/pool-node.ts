/**
 * Node worker pool (worker_threads + comlink), sized to the machine's cores by
 * default. `entry` is the URL of a TypeScript module that calls
 * `exposeNodeWorker(api)`.
 */
import { Worker, parentPort } from 'node:worker_threads';
import os from 'node:os';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createWorkerPool, type WorkerPool } from './pool.js';

const BOOT = new URL('./worker-boot-node.mjs', import.meta.url);

export function defaultWorkerCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

export function createNodePool<API>(entry: URL, size = defaultWorkerCount(), signal?: AbortSignal): WorkerPool<API> {
  return createWorkerPool<API>(
    () => {
      const w = new Worker(BOOT, { workerData: { entry: entry.href } });
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
