import { describe, it, expect } from 'vitest';
import * as Comlink from 'comlink';
import { createNodePool } from '../../src/core/parallel/pool-node.js';
import { PoolClosedError } from '../../src/core/parallel/pool.js';

type Api = { square(x: number): Promise<{ value: number; thread: number }>; sum(a: Float32Array): number; fail(msg: string): never; die(): never };
const entry = new URL('./fixture-worker.ts', import.meta.url);

describe('worker pool (Node worker_threads + comlink)', () => {
  it('runs jobs on at most `size` workers and returns results in order', async () => {
    const pool = createNodePool<Api>(entry, 2);
    const done: number[] = [];
    const out = await pool.map([1, 2, 3, 4, 5, 6], (api, x) => api.square(x), (i) => done.push(i));
    expect(out.map((o) => o.value)).toEqual([1, 4, 9, 16, 25, 36]);
    expect(new Set(out.map((o) => o.thread)).size).toBe(2);
    expect(done.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    pool.close();
  });

  it('moves typed arrays as transferables and reports job errors without killing the pool', async () => {
    const pool = createNodePool<Api>(entry, 1);
    const a = new Float32Array([1, 2, 3.5]);
    expect(await pool.run((api) => api.sum(Comlink.transfer(a, [a.buffer])))).toBe(6.5);
    expect(a.length).toBe(0); // the buffer moved
    await expect(pool.run((api) => api.fail('bad patient P007'))).rejects.toThrow('bad patient P007');
    expect((await pool.run((api) => api.square(3))).value).toBe(9);
    pool.close();
  });

  it('rejects the job of a worker that dies and carries on with a new worker', async () => {
    const pool = createNodePool<Api>(entry, 1);
    await expect(pool.run((api) => api.die())).rejects.toThrow(/worker stopped unexpectedly \(exit code 3\)/);
    expect((await pool.run((api) => api.square(4))).value).toBe(16);
    pool.close();
  });

  it('cancels running and queued jobs when aborted', async () => {
    const ac = new AbortController();
    const pool = createNodePool<Api>(entry, 1, ac.signal);
    const jobs = [1, 2, 3].map((x) => pool.run((api) => api.square(x)));
    ac.abort();
    const settled = await Promise.allSettled(jobs);
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    expect((settled[2] as PromiseRejectedResult).reason).toBeInstanceOf(PoolClosedError);
    await expect(pool.run((api) => api.square(1))).rejects.toBeInstanceOf(PoolClosedError);
  });
});
