/** Node-only additions to the core API (file-system I/O). */
export * from './index.js';
export * from './image/io-node.js';
export * from './parallel/pool-node.js';
export * from './cohort/cohort-node.js';
export * from './image/register-node.js';
export * from './study/cache-node.js';
export * from './study/executor-node.js';
