/**
 * The prediction worker: applies a saved study model (model.json) to one
 * patient with `predictPatient` — the same preparation (elastix in this
 * worker), cohort habitat models, best-habitat Rad-scores and every model's
 * risk as `habitat predict` — and returns the habitat maps as NIfTI bytes
 * (transferred, not copied). Failures are one-line messages.
 */
import * as Comlink from 'comlink';
import { predictPatient, writeNiftiBytes, type Volume } from '../src/core/index.js';
import { elastixInWorker, loadPatient, useAppPipelines } from './patient-load.js';
import type { PredictApi, PredictedHabitats, PredictResult } from './predict-api.js';

useAppPipelines();

function labelSummary(v: Volume, k: number): PredictedHabitats['summary'] {
  let n = 0;
  for (let i = 0; i < v.data.length; i++) if (v.data[i] !== 0) n++;
  const voxelMl = (v.spacing[0] * v.spacing[1] * v.spacing[2]) / 1000;
  return { size: [...v.size], spacing: [...v.spacing], origin: [...v.origin], direction: Array.from(v.direction), voxelType: 'uint8', format: 'nifti', range: [0, k], nonzeroVoxels: n, nonzeroVolumeMl: n * voxelMl };
}

/** The bytes of a view as a buffer of their own (transferable without carrying anything else). */
function ownBuffer(u8: Uint8Array): ArrayBuffer {
  return u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength ? (u8.buffer as ArrayBuffer) : (u8.slice().buffer as ArrayBuffer);
}

const api: PredictApi = {
  async predict(req) {
    const started = performance.now();
    try {
      const images = await loadPatient(req.patient, req.bundle.config.sequences);
      const pred = await predictPatient(req.bundle, images, req.clinical, { elastix: elastixInWorker });
      const habitats: Record<string, PredictedHabitats> = {};
      const transfer: ArrayBuffer[] = [];
      for (const [seq, map] of Object.entries(pred.habitats)) {
        const description = `${pred.id} ${seq} habitats`;
        const nifti = ownBuffer(writeNiftiBytes(map.labels, { description }));
        const niftiGz = ownBuffer(writeNiftiBytes(map.labels, { description, gzip: true }));
        habitats[seq] = { nifti, niftiGz, summary: labelSummary(map.labels, map.volumesMm3.length), volumesMm3: map.volumesMm3, fractions: map.fractions, missing: map.missing };
        transfer.push(nifti, niftiGz);
      }
      const result: PredictResult = { ok: true, id: pred.id, radScores: pred.radScores, models: pred.models, habitats, seconds: (performance.now() - started) / 1000 };
      return Comlink.transfer(result, transfer);
    } catch (e) {
      return { ok: false, message: (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '' };
    }
  },
};

Comlink.expose(api);
