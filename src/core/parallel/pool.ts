/**
 * A pool of workers for patient × sequence jobs, the same in the browser (Web
 * Workers) and in Node (worker_threads): each worker exposes an API object with
 * comlink; the pool hands each job to the next idle worker, one job per worker
 * at a time, and spawns workers lazily up to `size`. Cancelling (an
 * AbortSignal) rejects queued jobs and terminates the workers.
 */
import type { Remote } from 'comlink';

export interface PoolWorker<API> {
  api: Remote<API>;
  terminate(): void;
  /** Register a callback for the worker dying (crash, out of memory): its job is rejected and the worker replaced. */
  onCrash?(listener: (error: Error) => void): void;
}

export interface WorkerPool<API> {
  readonly size: number;
  /** Run one job on the next idle worker. */
  run<R>(job: (api: Remote<API>) => Promise<R>): Promise<R>;
  /** Run a job per item, at most `size` at once; results in item order. */
  map<T, R>(items: readonly T[], job: (api: Remote<API>, item: T, index: number) => Promise<R>, onDone?: (index: number, result: R) => void): Promise<R[]>;
  /** Terminate every worker; queued jobs are rejected. */
  close(): void;
}

export class PoolClosedError extends Error {
  constructor(reason = 'the worker pool was closed') {
    super(reason);
    this.name = 'PoolClosedError';
  }
}

interface Slot<API> {
  worker: PoolWorker<API>;
  busy: boolean;
  /** Rejects the job in flight (a terminated worker never answers). */
  abandon?: (e: Error) => void;
}

export function createWorkerPool<API>(spawn: () => PoolWorker<API>, size: number, signal?: AbortSignal): WorkerPool<API> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`worker pool size must be a positive integer, got ${size}`);
  const slots: Slot<API>[] = [];
  const queue: { start: (slot: Slot<API>) => void; fail: (e: Error) => void }[] = [];
  let closed = false;

  const next = () => {
    if (closed) return;
    while (queue.length > 0) {
      let slot = slots.find((s) => !s.busy);
      if (!slot && slots.length < size) {
        const fresh: Slot<API> = { worker: spawn(), busy: false };
        fresh.worker.onCrash?.((e) => {
          const i = slots.indexOf(fresh);
          if (i < 0) return;
          slots.splice(i, 1);
          fresh.abandon?.(e);
          next();
        });
        slot = fresh;
        slots.push(slot);
      }
      if (!slot) return;
      slot.busy = true;
      queue.shift()!.start(slot);
    }
  };

  const close = (reason?: string) => {
    if (closed) return;
    closed = true;
    for (const q of queue.splice(0)) q.fail(new PoolClosedError(reason));
    for (const s of slots) {
      s.abandon?.(new PoolClosedError(reason));
      s.worker.terminate();
    }
    slots.length = 0;
  };
  signal?.addEventListener('abort', () => close('cancelled'), { once: true });

  const run = <R>(job: (api: Remote<API>) => Promise<R>): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      if (closed || signal?.aborted) {
        reject(new PoolClosedError(signal?.aborted ? 'cancelled' : undefined));
        return;
      }
      queue.push({
        start: (slot) => {
          let settled = false;
          slot.abandon = (e) => {
            if (!settled) {
              settled = true;
              reject(e);
            }
          };
          job(slot.worker.api).then(
            (r) => {
              if (settled) return;
              settled = true;
              slot.busy = false;
              slot.abandon = undefined;
              resolve(r);
              next();
            },
            (e: unknown) => {
              if (settled) return;
              settled = true;
              slot.busy = false;
              slot.abandon = undefined;
              reject(closed ? new PoolClosedError(signal?.aborted ? 'cancelled' : undefined) : e);
              next();
            },
          );
        },
        fail: reject,
      });
      next();
    });

  return {
    size,
    run,
    async map(items, job, onDone) {
      return Promise.all(
        items.map((item, index) =>
          run((api) => job(api, item, index)).then((r) => {
            onDone?.(index, r);
            return r;
          }),
        ),
      );
    },
    close: () => close(),
  };
}
