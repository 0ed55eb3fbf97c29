/**
 * Apply model: a saved study model (the finished study's, or a model.json
 * file) applied to one patient (of the loaded cohort, or files dropped for a
 * new one) in the prediction worker; its risks, and its habitat map in the
 * viewer or as a NIfTI download.
 */
import * as Comlink from 'comlink';
import { create } from 'zustand';
import { clinicalInputs, clinicalRowOf, missingClinical, parseModelBundle, patientFilesFor, type ClinicalInput, type PickedFile, type StudyModelBundle } from '../../core/index.js';
import { demoClinicalCsv } from '../../demo/demo.js';
import type { PredictApi, PredictResult } from '../../../workers/predict-api.js';
import type { PatientSpec } from '../../../workers/study-api.js';
import { demoCohort, selectSeries } from '../actions.js';
import { downloadBlob } from '../download.js';
import { imageReader } from '../reader-client.js';
import { useApp } from '../store.js';
import { patientSpecs } from './study-actions.js';
import { useStudy } from './study-store.js';
import { workerJobSlot } from './worker-job.js';

type Done = Extract<PredictResult, { ok: true }>;

export type PatientChoice = { kind: 'cohort'; id: string } | { kind: 'files'; id: string; series: Record<string, { label: string; files: File[] }>; mask: { label: string; files: File[] } };

interface ApplyState {
  /** A model.json the user chose; null = the finished study's model. */
  modelFile: { name: string; bundle: StudyModelBundle } | null;
  patient: PatientChoice | null;
  /** Clinical values by variable, and where they were filled in from. */
  clinical: Record<string, string>;
  clinicalFrom: string | null;
  levels: Record<string, string[]>;
  status: 'idle' | 'running' | 'done' | 'failed';
  error: string | null;
  result: Done | null;
  /** Which model (file name or "study") and patient the result is for. */
  resultFor: string | null;
}

export const useApplyModel = create<ApplyState>()(() => ({
  modelFile: null,
  patient: null,
  clinical: {},
  clinicalFrom: null,
  levels: {},
  status: 'idle',
  error: null,
  result: null,
  resultFor: null,
}));

const oneLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** The model in use: the chosen model.json, else the finished study's model.json. */
export function currentBundle(): { bundle: StudyModelBundle; source: string } | null {
  const s = useApplyModel.getState();
  if (s.modelFile) return { bundle: s.modelFile.bundle, source: s.modelFile.name };
  const text = useStudy.getState().view?.files['model.json'];
  if (!text) return null;
  try {
    return { bundle: parseModelBundle(text, 'model.json of the last study'), source: 'the last study' };
  } catch {
    return null;
  }
}

export function needed(): ClinicalInput[] {
  const b = currentBundle();
  return b ? clinicalInputs(b.bundle, useApplyModel.getState().levels) : [];
}

/** The clinical table to pre-fill from: the one chosen in Settings, else the demo's (when the demo cohort is loaded). */
function clinicalTable(): { file: string; text: string } | null {
  const chosen = useStudy.getState().clinical;
  if (chosen) return chosen;
  const demo = useApp.getState().patients[0]?.series[0]?.source.kind === 'demo';
  return demo ? { file: 'demo clinical.csv', text: demoClinicalCsv(demoCohort()) } : null;
}

/** Fill in the clinical values of the chosen patient from the clinical table, when its id is there. */
export function prefillClinical(): void {
  const s = useApplyModel.getState();
  const b = currentBundle();
  const table = clinicalTable();
  if (!b || !s.patient || !table) {
    useApplyModel.setState({ clinicalFrom: null, levels: {} });
    return;
  }
  try {
    const { row, levels } = clinicalRowOf(table.file, table.text, b.bundle.config, s.patient.id);
    const inputs = clinicalInputs(b.bundle, levels);
    if (!row) {
      useApplyModel.setState({ levels, clinicalFrom: `patient ${s.patient.id} is not in ${table.file}: enter the values` });
      return;
    }
    const values = Object.fromEntries(inputs.map((v) => [v.name, row[v.name] ?? '']));
    useApplyModel.setState({ levels, clinical: { ...s.clinical, ...values }, clinicalFrom: `from ${table.file}` });
  } catch (e) {
    useApplyModel.setState({ levels: {}, clinicalFrom: oneLine(e) });
  }
}

export async function chooseModelFile(file: File): Promise<void> {
  try {
    const bundle = parseModelBundle(await file.text(), file.name);
    useApplyModel.setState({ modelFile: { name: file.name, bundle }, result: null, status: 'idle', error: null });
    prefillClinical();
  } catch (e) {
    useApplyModel.setState({ status: 'failed', error: oneLine(e) });
  }
}

export function chooseStudyModel(): void {
  useApplyModel.setState({ modelFile: null, result: null, status: 'idle', error: null });
  prefillClinical();
}

export function chooseCohortPatient(id: string): void {
  useApplyModel.setState({ patient: id ? { kind: 'cohort', id } : null, result: null, status: 'idle', error: null });
  prefillClinical();
}

/** Files dropped or picked for one new patient: its sequences (named as the model's) and mask. */
export function choosePatientFiles(picked: PickedFile<File>[]): void {
  const b = currentBundle();
  if (!b) {
    useApplyModel.setState({ status: 'failed', error: 'Apply model: choose a model first (finish a study or open its model.json)' });
    return;
  }
  try {
    const p = patientFilesFor(picked, b.bundle.config.sequences);
    useApplyModel.setState({ patient: { kind: 'files', ...p }, result: null, status: 'idle', error: null });
    prefillClinical();
  } catch (e) {
    useApplyModel.setState({ status: 'failed', error: oneLine(e) });
  }
}

export function setClinicalValue(name: string, value: string): void {
  useApplyModel.setState((s) => ({ clinical: { ...s.clinical, [name]: value } }));
}

function specOf(p: PatientChoice, sequences: string[]): PatientSpec {
  if (p.kind === 'files') return { kind: 'files', id: p.id, series: p.series, mask: p.mask };
  const patient = useApp.getState().patients.find((q) => q.id === p.id);
  if (!patient) throw new Error(`patient ${p.id} is no longer loaded`);
  const { specs, skipped } = patientSpecs([patient], sequences);
  const [spec] = specs;
  if (!spec) throw new Error(skipped[0] ?? `patient ${p.id}: cannot be read`);
  return spec;
}

const job = workerJobSlot();

export async function runPrediction(): Promise<void> {
  const s = useApplyModel.getState();
  const b = currentBundle();
  if (!b || !s.patient || s.status === 'running') return;
  let spec: PatientSpec;
  try {
    spec = specOf(s.patient, b.bundle.config.sequences);
  } catch (e) {
    useApplyModel.setState({ status: 'failed', error: oneLine(e) });
    return;
  }
  const inputs = clinicalInputs(b.bundle, s.levels);
  const clinical = Object.fromEntries(inputs.map((v) => [v.name, (s.clinical[v.name] ?? '').trim()]));
  const missing = missingClinical(inputs, clinical, s.patient.id);
  if (missing) {
    useApplyModel.setState({ status: 'failed', error: missing });
    return;
  }
  useApplyModel.setState({ status: 'running', error: null, result: null });
  const worker = new Worker(new URL('../../../workers/predict.worker.ts', import.meta.url), { type: 'module', name: 'predict' });
  const out = await job.run<PredictResult>(worker, 'prediction worker', (w) => Comlink.wrap<PredictApi>(w).predict({ bundle: b.bundle, patient: spec, clinical }));
  if (!out) return;
  if (!out.ok) useApplyModel.setState({ status: 'failed', error: oneLine(out.error) });
  else if (out.value.ok) useApplyModel.setState({ status: 'done', result: out.value, resultFor: b.source });
  else useApplyModel.setState({ status: 'failed', error: out.value.message });
}

export function cancelPrediction(): void {
  job.cancel();
  useApplyModel.setState({ status: 'idle', error: null });
}

/** Show the patient with the predicted habitat map of `sequence` over it in the Review tab. */
export async function showHabitatsInViewer(sequence: string): Promise<void> {
  const { result, patient } = useApplyModel.getState();
  const h = result?.habitats[sequence];
  const b = currentBundle();
  if (!result || !h || !patient || !b) return;
  const app = useApp.getState();
  // The study's own habitat overlay would replace this one: switch it off.
  app.setView({ habitatSequence: null });
  const reference = b.bundle.config.reference;
  if (patient.kind === 'cohort') {
    const p = app.patients.find((q) => q.id === patient.id);
    const item = p?.series.find((x) => x.name === reference) ?? p?.series[0];
    if (!item) return;
    await selectSeries(patient.id, item.key);
  } else {
    const reader = imageReader();
    const ref = patient.series[reference];
    if (!ref) {
      app.addMessage('error', `${patient.id}: no ${reference} series to show the habitats on`);
      return;
    }
    const [image, mask] = await Promise.all([
      reader.loadSeries({ key: `apply:${ref.label}`, label: ref.label, source: { kind: 'files', files: ref.files } }),
      reader.loadSeries({ key: `apply:${patient.mask.label}`, label: patient.mask.label, source: { kind: 'files', files: patient.mask.files } }),
    ]);
    if (!image.ok) {
      app.addMessage('error', image.message);
      return;
    }
    if (!mask.ok) {
      app.addMessage('error', mask.message);
      return;
    }
    app.setDisplayed({ key: image.key, name: reference, label: image.label, nifti: image.nifti, summary: image.summary }, { key: mask.key, name: 'mask', label: mask.label, nifti: mask.nifti, summary: mask.summary });
  }
  useApp.getState().setHabitat({ key: `predicted:${result.id}:${sequence}`, name: `${result.id}-${sequence}-habitats`, label: `${result.id} ${sequence} habitats (predicted)`, nifti: h.nifti, summary: h.summary });
  useStudy.getState().setTab('review');
}

export function downloadHabitats(sequence: string): void {
  const { result } = useApplyModel.getState();
  const h = result?.habitats[sequence];
  if (!result || !h) return;
  downloadBlob(new Blob([h.niftiGz], { type: 'application/gzip' }), `${result.id}-${sequence}-habitats.nii.gz`);
}

// A new finished (or imported) study replaces the model in use unless a model.json was opened: clear the old result, fill in again.
useStudy.subscribe((s, prev) => {
  if (s.view === prev.view || useApplyModel.getState().modelFile) return;
  useApplyModel.setState({ result: null, status: 'idle', error: null });
  prefillClinical();
});
