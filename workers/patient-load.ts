/**
 * Loading a patient's images inside a worker: a demo patient is generated, a
 * dropped one is read with itk-wasm. Shared by the study workers and the
 * prediction worker, with the elastix build that runs in the calling worker.
 */
import { elastix, setPipelinesBaseUrl as setElastixPipelinesBaseUrl } from '@itk-wasm/elastix';
import { readDicomSeriesFromBytes, readVolumeFromBytes, setItkPipelinesBaseUrl, type ElastixFunction, type PatientImages, type Volume } from '../src/core/browser.js';
import { generateDemoPatient } from '../src/demo/demo.js';
import type { PatientSpec } from './study-api.js';
import { appFileUrl } from './app-base.js';

/** Point itk-wasm and elastix at the pipelines the app serves (vite.config.ts); itk-wasm needs absolute URLs. */
export function useAppPipelines(): void {
  const base = appFileUrl('itk');
  setItkPipelinesBaseUrl(base);
  setElastixPipelinesBaseUrl(`${base}/elastix`);
}

// webWorker: false runs elastix in this (already off-main-thread) worker.
export const elastixInWorker: ElastixFunction = async (parameterObject, { fixed, moving }) => {
  const out = await elastix(parameterObject as Parameters<typeof elastix>[0], { fixed, moving, webWorker: false });
  return { result: out.result, transformParameterObject: out.transformParameterObject } as Awaited<ReturnType<ElastixFunction>>;
};

async function readSeries(label: string, files: File[]): Promise<Volume> {
  const bytes = await Promise.all(files.map(async (f) => ({ name: files.length === 1 ? label : `${label}/${f.name}`, bytes: new Uint8Array(await f.arrayBuffer()) })));
  const [only] = bytes;
  return only && bytes.length === 1 ? readVolumeFromBytes(only) : readDicomSeriesFromBytes(label, bytes);
}

export async function loadPatient(spec: PatientSpec, sequences: string[]): Promise<PatientImages> {
  // A VOI corrected in the viewer (spec.voi, on the original mask's grid) replaces the patient's mask.
  if (spec.kind === 'demo') {
    const p = generateDemoPatient(spec.index, { patients: spec.patients, seed: spec.seed });
    const files: Record<string, string> = {};
    if (spec.voi) files.mask = spec.voi.label;
    if (spec.voi2) files.mask2 = spec.voi2.label;
    return {
      id: spec.id,
      series: p.series,
      mask: spec.voi ? await readSeries(spec.voi.label, spec.voi.files) : p.mask,
      mask2: spec.voi2 ? await readSeries(spec.voi2.label, spec.voi2.files) : p.mask2,
      files,
    };
  }
  const series: Record<string, Volume> = {};
  const files: Record<string, string> = {};
  for (const seq of sequences) {
    const s = spec.series[seq];
    if (!s) throw new Error(`patient ${spec.id}: sequence ${seq} is missing`);
    series[seq] = await readSeries(s.label, s.files);
    files[seq] = s.label;
  }
  const voi = spec.voi ?? spec.mask;
  return {
    id: spec.id,
    series,
    mask: await readSeries(voi.label, voi.files),
    mask2: spec.mask2 ? await readSeries(spec.mask2.label, spec.mask2.files) : undefined,
    files: { ...files, mask: voi.label },
  };
}
