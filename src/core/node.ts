/**
 * The public API for Node (the CLI): everything in `./index.ts` and the
 * Node-only additions (file-system I/O, the worker_threads pool and executor).
 */
export * from './index.js';
export { readImageHeader, readVolume, writeVolume } from './image/io-node.js';
export { readCohortLayout } from './cohort/cohort-node.js';
export { defaultWorkerCount } from './parallel/pool-node.js';
export { NoDicomSeriesError, importExport, type ImportOptions } from './import/import-node.js';
export { extractCohort } from './radiomics/cohort-extract-node.js';
export { fileStudyCache } from './study/cache-node.js';
export { filePatientSource, nodeStudyExecutor } from './study/executor-node.js';
export { elastixCachedNode } from './image/register-node.js';
