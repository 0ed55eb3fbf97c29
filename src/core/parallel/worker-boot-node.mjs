// Boots a worker_threads worker that runs a TypeScript entry module: registers
// tsx's loader inside the worker (Node 20 does not pass --import loaders on to
// workers), then imports the entry named in workerData.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
