/**
 * Validate on another cohort: the finished (or imported) study's models run on a
 * dropped, labelled cohort folder in the study runner worker (each patient
 * prepared in its pool with the settings saved in model.json, habitats from the
 * saved models, optional ComBat onto the training data), the result kept with
 * the study (IndexedDB, the study bundle and report.html) and shown in the
 * External tab.
 */
import * as Comlink from 'comlink';
import { create } from 'zustand';
import { parseModelBundle, readCsvColumns, withExternalRun, withoutExternalRun, type StudyModelBundle, type StudyView } from '../../core/index.js';
import type { ExternalRequest, PatientSpec, StudyRunnerApi } from '../../../workers/study-api.js';
import { cohortFromFiles } from '../cohort/cohort-from-files.js';
import type { DroppedFile } from '../cohort/group-files.js';
import { useApp } from '../store.js';
import { useStudy } from './study-store.js';
import { keepFinishedStudy } from './study-persist.js';
import { studyWorkerCount } from './worker-count.js';
import { workerJobSlot } from './worker-job.js';
import { seriesBySequence } from './series-by-sequence.js';

/** A dropped external cohort: its patients as worker jobs and its clinical table. */
export interface ExternalCohort {
  title: string;
  specs: PatientSpec[];
  clinical: { file: string; text: string } | null;
  /** Columns of the clinical table (batch choices). */
  columns: string[];
  /** Patients left out and layout problems, one line each. */
  notes: string[];
}

interface ExternalState {
  cohort: ExternalCohort | null;
  harmonise: boolean;
  /** Clinical column naming the batches ('' = the whole cohort is one batch). */
  batchColumn: string;
  status: 'idle' | 'running' | 'done' | 'failed';
  progress: { done: number; total: number; last: string };
  error: string | null;
  /** Index of the external run shown in the External tab. */
  shown: number;
}

export const useExternal = create<ExternalState>()(() => ({
  cohort: null,
  harmonise: false,
  batchColumn: '',
  status: 'idle',
  progress: { done: 0, total: 0, last: '' },
  error: null,
  shown: 0,
}));

const oneLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** The study's model (model.json of the finished or imported study), or null. */
export function studyModel(view: StudyView | null): StudyModelBundle | null {
  const text = view?.files['model.json'];
  if (!text) return null;
  try {
    return parseModelBundle(text, 'model.json of the study');
  } catch {
    return null;
  }
}

/** The cohort of a dropped folder (the same layout reading as the main cohort), with its clinical.csv. */
export async function chooseExternalCohort(dropped: DroppedFile[]): Promise<void> {
  const model = studyModel(useStudy.getState().view);
  if (!model) {
    useExternal.setState({ status: 'failed', error: 'Validate on another cohort: run a study or import a study bundle first' });
    return;
  }
  const grouped = cohortFromFiles(dropped);
  const notes = [...grouped.problems];
  const specs: PatientSpec[] = [];
  for (const p of grouped.patients) {
    if (!p.inLayout) continue;
    const { found, missing } = seriesBySequence(p.series, model.config.sequences);
    const mask = p.masks.find((m) => m.name === 'mask');
    if (missing.length > 0 || !mask) {
      notes.push(`patient ${p.id}: ${missing.length ? `missing sequence ${missing.join(', ')}` : 'no VOI mask'}; excluded`);
      continue;
    }
    const series = Object.fromEntries(found.map(([seq, s]) => [seq, { label: s.label, files: s.files }]));
    specs.push({ kind: 'files', id: p.id, series, mask: { label: mask.label, files: mask.files } });
  }
  const csv = dropped.filter((d) => d.path.split('/').pop()?.toLowerCase() === 'clinical.csv').sort((a, b) => a.path.split('/').length - b.path.split('/').length)[0];
  const top = dropped[0]?.path.split('/')[0];
  const title = top && dropped.every((d) => d.path.split('/')[0] === top && d.path.includes('/')) ? top : `${specs.length} patients`;
  if (specs.length === 0) {
    useExternal.setState({ cohort: null, status: 'failed', error: `Validate on another cohort: no patient in ${title} has the study's sequences (${model.config.sequences.join(', ')}) and a mask` });
    return;
  }
  let clinical: ExternalCohort['clinical'] = null;
  let columns: string[] = [];
  if (csv) {
    clinical = { file: csv.path, text: await csv.file.text() };
    try {
      columns = readCsvColumns(clinical.file, clinical.text).columns.map((c) => c.name);
    } catch (e) {
      useExternal.setState({ cohort: null, status: 'failed', error: oneLine(e) });
      return;
    }
  }
  const s = useExternal.getState();
  useExternal.setState({
    cohort: { title, specs, clinical, columns, notes },
    batchColumn: columns.includes(s.batchColumn) ? s.batchColumn : '',
    status: 'idle',
    error: clinical ? null : `${title}: no clinical.csv in the folder (its outcome column "${model.config.outcome}" is required)`,
  });
}

export function setHarmonise(harmonise: boolean): void {
  useExternal.setState({ harmonise });
}

export function setBatchColumn(batchColumn: string): void {
  useExternal.setState({ batchColumn });
}

const job = workerJobSlot();

export async function runExternalValidation(): Promise<void> {
  const s = useExternal.getState();
  const view = useStudy.getState().view;
  const model = studyModel(view);
  if (!view || !model || !s.cohort || s.status === 'running') return;
  if (!s.cohort.clinical) {
    useExternal.setState({ status: 'failed', error: `${s.cohort.title}: no clinical.csv in the folder (its outcome column "${model.config.outcome}" is required)` });
    return;
  }
  const harmonise = s.harmonise && !!model.harmonisation;
  const req: ExternalRequest = {
    bundle: model,
    cohortTitle: s.cohort.title,
    patients: s.cohort.specs,
    clinical: s.cohort.clinical,
    harmonise,
    batchColumn: harmonise && s.batchColumn ? s.batchColumn : undefined,
    notes: s.cohort.notes,
    workers: studyWorkerCount(location.search, navigator.hardwareConcurrency),
  };
  useExternal.setState({ status: 'running', error: null, progress: { done: 0, total: req.patients.length, last: 'starting workers…' } });
  const worker = new Worker(new URL('../../../workers/study-runner.worker.ts', import.meta.url), { type: 'module', name: 'study-runner' });
  const onProgress = Comlink.proxy((done: number, total: number, id: string) => {
    if (job.isCurrent(worker)) useExternal.setState({ progress: { done, total, last: id } });
  });
  const out = await job.run(worker, 'study worker', (w) => Comlink.wrap<StudyRunnerApi>(w).validate(req, onProgress));
  if (!out) return;
  if (!out.ok) {
    useExternal.setState({ status: 'failed', error: `Validate on another cohort: ${oneLine(out.error)}` });
    return;
  }
  const run = out.value;
  // The study may have been replaced while this ran: keep the result only with the study it belongs to.
  const current = useStudy.getState().view;
  if (current?.finishedAt !== view.finishedAt || current.cohortTitle !== view.cohortTitle) {
    useExternal.setState({ status: 'failed', error: 'Validate on another cohort: the study changed while it ran; run it again' });
    return;
  }
  const next = withExternalRun(current, run);
  useExternal.setState({ status: 'done', shown: next.external.length - 1 });
  await keepFinishedStudy(next);
  useApp.getState().addMessage('info', `External validation on ${run.cohortTitle} finished in ${run.seconds.toFixed(0)} s: ${run.result.n} patients (${run.result.positives} positive)`);
}

export function cancelExternalValidation(): void {
  job.cancel();
  useExternal.setState({ status: 'idle', error: null });
}

export async function removeExternalRun(index: number): Promise<void> {
  const view = useStudy.getState().view;
  if (!view?.external?.[index]) return;
  await keepFinishedStudy(withoutExternalRun(view, index));
  useExternal.setState({ shown: Math.max(0, index - 1) });
}

export function showExternalRun(index: number): void {
  useExternal.setState({ shown: index });
}
