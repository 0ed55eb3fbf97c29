/** The study executor for Node: per-patient stages in a worker_threads pool (one job per core). */
import { elastixCachedNode as elastix } from '../image/register-node.js';
import { createNodePool, defaultWorkerCount } from '../parallel/pool-node.js';
import { patientFeatures } from './patient-features.js';
import { preparePatient } from './prepare.js';
import { pooledPermutations } from './stages/permutation.js';
import type { StudyExecutor, StudyPatientSource } from './pipeline.js';
import { loadPatientFiles, type PatientFiles, type StudyWorkerApi } from './study-worker-api-node.js';

/** A patient read from files: usable by the in-process and the pooled executor. */
export interface FilePatientSource extends StudyPatientSource {
  files: PatientFiles;
}

export function filePatientSource(files: PatientFiles, sequences: string[]): FilePatientSource {
  return { id: files.id, files, load: () => loadPatientFiles(files, sequences) };
}

function hasFiles(s: StudyPatientSource): s is FilePatientSource {
  return 'files' in s;
}

/** `workers` ≤ 1 runs in-process; otherwise a worker pool of that size. */
export function nodeStudyExecutor(workers = defaultWorkerCount(), signal?: AbortSignal): StudyExecutor {
  if (workers <= 1) {
    return {
      workers: 1,
      prepare: async (src, config) => preparePatient(await src.load(), config, { elastix }),
      features: async (p, models, params) => patientFeatures(p, models, params),
    };
  }
  const pool = createNodePool<StudyWorkerApi>(new URL('./study-worker-node.ts', import.meta.url), workers, signal);
  return {
    workers,
    prepare: (src, config) => {
      if (!hasFiles(src)) return src.load().then((p) => preparePatient(p, config, { elastix }));
      return pool.run((api) => api.prepare(src.files, config));
    },
    features: (p, models, params) => pool.run((api) => api.features(p, models, params)),
    permutations: pooledPermutations((key, input, ks) => pool.run((api) => api.permutations(key, input, ks))),
    optimism: (task, resamples) => pool.run((api) => api.optimism(task, resamples)),
    close: () => pool.close(),
  };
}
