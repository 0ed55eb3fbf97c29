/** Worker entry (worker_threads) of the Node study executor (executor-node.ts). */
import { exposeNodeWorker } from '../parallel/pool-node.js';
import { studyWorkerApi } from './study-worker-api-node.js';

exposeNodeWorker(studyWorkerApi);
