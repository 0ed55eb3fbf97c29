/**
 * Per-patient study worker (one of a pool sized to the machine): loads a
 * patient (generates a demo patient, or reads the dropped files), prepares it
 * (N4, normalisation, elastix registration, resampling — prepare.ts) and
 * extracts every region's features (patient-features.ts).
 */
import * as Comlink from 'comlink';
import { elastix, setPipelinesBaseUrl as setElastixPipelinesBaseUrl } from '@itk-wasm/elastix';
import { readDicomSeriesFromBytes, readVolumeFromBytes, setItkPipelinesBaseUrl } from '../src/core/image/io-browser.js';
import type { ElastixFunction } from '../src/core/image/register.js';
import type { Volume } from '../src/core/image/volume.js';
import { generateDemoPatient } from '../src/core/study/demo.js';
import { patientFeatures } from '../src/core/study/patient-features.js';
import { preparePatient, type PatientImages } from '../src/core/study/prepare.js';
import type { PatientSpec, StudyWorkerApi } from './study-api.js';

// Pipelines are served by the app (vite.config.ts); itk-wasm needs absolute URLs.
const base = new URL(`${import.meta.env.BASE_URL}itk`, self.location.origin).href;
setItkPipelinesBaseUrl(base);
setElastixPipelinesBaseUrl(`${base}/elastix`);

// webWorker: false runs elastix in this (already off-main-thread) worker.
const elastixInWorker: ElastixFunction = async (parameterObject, { fixed, moving }) => {
  const out = await elastix(parameterObject as Parameters<typeof elastix>[0], { fixed, moving, webWorker: false });
  return { result: out.result, transformParameterObject: out.transformParameterObject } as Awaited<ReturnType<ElastixFunction>>;
};

async function readSeries(label: string, files: File[]): Promise<Volume> {
  const bytes = await Promise.all(files.map(async (f) => ({ name: files.length === 1 ? label : `${label}/${f.name}`, bytes: new Uint8Array(await f.arrayBuffer()) })));
  return bytes.length === 1 ? readVolumeFromBytes(bytes[0]) : readDicomSeriesFromBytes(label, bytes);
}

async function loadPatient(spec: PatientSpec, sequences: string[]): Promise<PatientImages> {
  // A VOI corrected in the viewer replaces the patient's mask.
  const voi = spec.voi ? await readSeries(spec.voi.label, spec.voi.files) : undefined;
  if (spec.kind === 'demo') {
    const p = generateDemoPatient(spec.index, { patients: spec.patients, seed: spec.seed });
    return { id: spec.id, series: p.series, mask: voi ?? p.mask, mask2: p.mask2, files: voi ? { mask: spec.voi!.label } : undefined };
  }
  const series: Record<string, Volume> = {};
  const files: Record<string, string> = {};
  for (const seq of sequences) {
    const s = spec.series[seq];
    if (!s) throw new Error(`patient ${spec.id}: sequence ${seq} is missing`);
    series[seq] = await readSeries(s.label, s.files);
    files[seq] = s.label;
  }
  return {
    id: spec.id,
    series,
    mask: voi ?? (await readSeries(spec.mask.label, spec.mask.files)),
    mask2: spec.mask2 ? await readSeries(spec.mask2.label, spec.mask2.files) : undefined,
    files: { ...files, mask: spec.voi?.label ?? spec.mask.label },
  };
}

const api: StudyWorkerApi = {
  async prepare(spec, config) {
    return preparePatient(await loadPatient(spec, config.sequences), config, { elastix: elastixInWorker });
  },
  async features(prepared, models, params) {
    return patientFeatures(prepared, models, params);
  },
};

Comlink.expose(api);
