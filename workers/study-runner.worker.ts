/**
 * The study runner: runs `runStudy` (the same pipeline as `habitat study`)
 * off the page's thread. Per-patient stages go to a pool of study workers
 * (one per core); habitat fitting and the analysis run here; results go
 * through the IndexedDB cache so a re-run (or a run after a reload) skips
 * finished patients. The finished study, with every export file, is returned
 * to the page, which shows it and saves it (study-persist.ts). It also runs the
 * external validation of a finished study on another cohort (`validate`: each
 * patient prepared in the pool with the model's settings). Cancelling = terminating this worker
 * (its pool workers go with it).
 */
import * as Comlink from 'comlink';
import {
  createWorkerPool,
  externalClinicalTable,
  observerIccBeforeRun,
  parseClinicalCsv,
  parseParams,
  parseStudyConfig,
  pooledPermutations,
  runStudy,
  studyView,
  validateExternalCohort,
  type StudyExecutor,
  type StudyPatientSource,
} from '../src/core/index.js';
import type { ExternalRequest, ObserverIccRequest, PatientSpec, StudyRunnerApi, StudyView, StudyWorkerApi } from './study-api.js';
import { indexedDbStudyCache } from './study-db.js';
import { voiEditsOf, voiPreparedKeys, withVoiEdits } from './voi-cache.js';

interface SpecSource extends StudyPatientSource {
  spec: PatientSpec;
}

function browserExecutor(size: number): StudyExecutor {
  const pool = createWorkerPool<StudyWorkerApi>(() => {
    const w = new Worker(new URL('./study.worker.ts', import.meta.url), { type: 'module', name: 'study-patient' });
    return {
      api: Comlink.wrap<StudyWorkerApi>(w),
      terminate: () => w.terminate(),
      // A worker that dies (e.g. out of memory on a huge series) fails its patient and is replaced.
      onCrash: (listener) =>
        w.addEventListener('error', (e) => {
          w.terminate();
          listener(new Error(`a study worker crashed: ${e.message || 'unknown error'}`));
        }),
    };
  }, size);
  return {
    workers: size,
    prepare: (src, config) => pool.run((api) => api.prepare((src as SpecSource).spec, config)),
    features: (p, models, params) => pool.run((api) => api.features(p, models, params)),
    permutations: pooledPermutations((key, input, ks) => pool.run((api) => api.permutations(key, input, ks))),
    optimism: (task, resamples) => pool.run((api) => api.optimism(task, resamples)),
    close: () => pool.close(),
  };
}

/** Settings, sources, executor and cache of a request (the study and the ICC table before it share them). */
function setUp(req: ObserverIccRequest) {
  const config = parseStudyConfig(req.configYaml, 'study.yaml');
  const params = parseParams(req.paramsYaml, 'params.yaml');
  const sources: SpecSource[] = req.patients.map((spec) => ({
    id: spec.id,
    spec,
    load: () => Promise.reject(new Error(`patient ${spec.id}: images are loaded in the study workers`)),
  }));
  const edits = voiEditsOf(req.patients);
  // Corrected VOIs (viewer) get their own keys; unedited patients keep their cached preparation.
  return { config, params, sources, edits, executor: browserExecutor(Math.max(1, req.workers)), cache: withVoiEdits(indexedDbStudyCache(req.cohortKey), edits) };
}

/** The study's clinical table from its CSV and the settings' columns. */
function studyClinicalTable(csv: { file: string; text: string }, config: ReturnType<typeof parseStudyConfig>) {
  return parseClinicalCsv(csv.file, csv.text, {
    idColumn: config.id,
    outcomeColumn: config.outcome,
    positive: config.positive,
    categorical: config.clinical.categorical,
    variables: config.clinical.variables === 'auto' ? undefined : config.clinical.variables,
  });
}

const api: StudyRunnerApi = {
  async observerIcc(req, onProgress) {
    const { config, params, sources, executor, cache } = setUp(req);
    const clinical = req.clinical ? studyClinicalTable(req.clinical, config) : undefined;
    return observerIccBeforeRun(sources, config, params, { executor, cache, clinical, progress: (p) => void onProgress(p) });
  },

  async run(req, onProgress) {
    const started = performance.now();
    const { config, params, sources, edits, executor, cache } = setUp(req);
    const clinical = studyClinicalTable(req.clinical, config);
    let result;
    try {
      result = await runStudy(sources, clinical, config, params, {
        executor,
        cache,
        // Comlink proxies return promises; progress is fire-and-forget.
        progress: (p) => void onProgress(p),
      });
    } finally {
      executor.close?.();
    }
    const view: StudyView = studyView(result, {
      cohortTitle: req.cohortTitle,
      cohortKey: req.cohortKey,
      paramsYaml: req.paramsYaml,
      params,
      seconds: (performance.now() - started) / 1000,
    });
    view.preparedKeys = voiPreparedKeys(view.preparedKeys, edits);
    return view;
  },

  async validate(req: ExternalRequest, onProgress) {
    const started = performance.now();
    const clinical = externalClinicalTable(req.bundle, req.clinical.file, req.clinical.text);
    const sources: SpecSource[] = req.patients.map((spec) => ({
      id: spec.id,
      spec,
      load: () => Promise.reject(new Error(`patient ${spec.id}: images are loaded in the study workers`)),
    }));
    const executor = browserExecutor(Math.max(1, Math.min(req.workers, sources.length)));
    try {
      const result = await validateExternalCohort(req.bundle, sources, clinical, executor, {
        harmonise: req.harmonise,
        batchColumn: req.batchColumn,
        notes: req.notes,
        modelName: 'the study model',
        progress: (done, total, id) => void onProgress(done, total, id),
      });
      return { cohortTitle: req.cohortTitle, finishedAt: new Date().toISOString(), seconds: (performance.now() - started) / 1000, harmonise: req.harmonise, ...(req.batchColumn ? { batchColumn: req.batchColumn } : {}), result };
    } finally {
      executor.close?.();
    }
  },
};

Comlink.expose(api);
