/**
 * Per-patient study worker (one of a pool sized to the machine): loads a
 * patient (generates a demo patient, or reads the dropped files), prepares it
 * (N4, normalisation, elastix registration, resampling — prepare.ts) and
 * extracts every region's features (patient-features.ts).
 */
import * as Comlink from 'comlink';
import { patientFeatures } from '../src/core/study/patient-features.js';
import { preparePatient } from '../src/core/study/prepare.js';
import { permutedRuns } from '../src/core/study/stages/permutation.js';
import { resamplePredictions } from '../src/core/study/stages/optimism.js';
import { elastixInWorker, loadPatient, useAppPipelines } from './patient-load.js';
import type { StudyWorkerApi } from './study-api.js';

useAppPipelines();

const api: StudyWorkerApi = {
  async prepare(spec, config) {
    return preparePatient(await loadPatient(spec, config.sequences), config, { elastix: elastixInWorker });
  },
  async features(prepared, models, params) {
    return patientFeatures(prepared, models, params);
  },
  async permutations(input, ks) {
    return permutedRuns(input, ks);
  },
  async optimism(task, resamples) {
    return resamples.map((rows) => resamplePredictions(task, rows));
  },
};

Comlink.expose(api);
