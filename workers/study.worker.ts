/**
 * Per-patient study worker (one of a pool sized to the machine): loads a
 * patient (generates a demo patient, or reads the dropped files), prepares it
 * (N4, normalisation, elastix registration, resampling — prepare.ts) and
 * extracts every region's features (patient-features.ts).
 */
import * as Comlink from 'comlink';
import { patientFeatures, permutedRuns, preparePatient, resamplePredictions } from '../src/core/index.js';
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
