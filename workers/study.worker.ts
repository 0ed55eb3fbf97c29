/**
 * Per-patient study worker (one of a pool sized to the machine): loads a
 * patient (generates a demo patient, or reads the dropped files), prepares it
 * (N4, normalisation, elastix registration, resampling — prepare.ts) and
 * extracts every region's features (patient-features.ts). itk-wasm keeps
 * the elastix and image-io modules it instantiates for the worker's later
 * patients (its `runPipeline` with `webWorker: false` caches them per worker).
 */
import * as Comlink from 'comlink';
import { patientFeatures, preparePatient, resamplePredictions, workerPermutedRuns } from '../src/core/index.js';
import { elastixInWorker, loadPatient, useAppPipelines } from './patient-load.js';
import type { StudyWorkerApi } from './study-api.js';

useAppPipelines();

const api: StudyWorkerApi = {
  async prepare(spec, config) {
    const p = await preparePatient(await loadPatient(spec, config.sequences), config, { elastix: elastixInWorker });
    // The images move to the runner (transferred, not copied): this worker keeps nothing of the patient.
    const buffers = new Set([...Object.values(p.images), p.mask, ...(p.mask2 ? [p.mask2] : [])].map((v) => v.data.buffer as ArrayBuffer));
    return Comlink.transfer(p, [...buffers]);
  },
  async features(prepared, models, params) {
    return patientFeatures(prepared, models, params);
  },
  async permutations(key, input, ks) {
    return workerPermutedRuns(key, input, ks);
  },
  async optimism(task, resamples) {
    return resamples.map((rows) => resamplePredictions(task, rows));
  },
};

Comlink.expose(api);
