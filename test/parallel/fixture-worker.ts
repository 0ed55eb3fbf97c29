import { exposeNodeWorker } from '../../src/core/parallel/pool-node.js';
import { threadId } from 'node:worker_threads';

exposeNodeWorker({
  async square(x: number) {
    await new Promise((r) => setTimeout(r, 20));
    return { value: x * x, thread: threadId };
  },
  sum(a: Float32Array) {
    let s = 0;
    for (const v of a) s += v;
    return s;
  },
  fail(msg: string) {
    throw new Error(msg);
  },
  die() {
    process.exit(3); // in a worker thread this ends the thread, as a crash would
  },
});
