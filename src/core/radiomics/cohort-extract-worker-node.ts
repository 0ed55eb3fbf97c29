/**
 * Worker entry of `extract-cohort` (worker_threads + comlink, see
 * parallel/pool-node.ts): each job reads one image and its mask from disk and
 * extracts its features, so a worker holds one patient × sequence at a time and
 * the cohort is streamed, never held in memory.
 */
import { exposeNodeWorker } from '../parallel/pool-node.js';
import { extractCohortJob, type CohortJob } from './cohort-extract-node.js';

exposeNodeWorker({
  extract: (job: CohortJob) => extractCohortJob(job),
});
