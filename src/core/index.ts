/**
 * The public compute API of Habitat Workbench. Everything exported here is
 * plain TypeScript with no DOM, React or Vite-only imports: it runs unchanged
 * in Node (CLI, tests) and in Web Workers (the app).
 * Node-only helpers (file I/O) live in `./node.ts`.
 */
export * from './image/volume.js';
export * from './image/sniff.js';
export * from './image/itk-image.js';
export * from './util/random.js';
export * from './study/clinical.js';
export * from './study/config.js';
export * from './image/crop.js';
export * from './image/resample.js';
export * from './image/normalise.js';
export * from './stats/index.js';
export * from './parallel/pool.js';
export * from './report/svg-chart.js';
export * from './filters/index.js';
export * from './image/n4/n4.js';
export * from './habitats/index.js';
export * from './cohort/cohort-layout.js';
export * from './image/register.js';
export * from './learn/index.js';
export * from './harmonise/index.js';
export * from './image/preprocess.js';
export * from './radiomics/index.js';
export * as ibsi2 from './filters/ibsi2/index.js';
export * as ibsi1 from './radiomics/ibsi/index.js';
export * from './image/guard.js';
export * from './image/mask-ops.js';
export * from './study/cohort-check.js';
export * from './study/predict.js';
export * from './study/prepare.js';
export * from './study/patient-features.js';
export * from './study/analysis.js';
export * from './study/evidence.js';
export * from './study/pipeline.js';
export * from './study/report.js';
