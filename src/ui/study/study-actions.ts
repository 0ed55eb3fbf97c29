/** What the study area's buttons do: validate settings, run the study in the runner worker, cancel, export, restore. */
import * as Comlink from 'comlink';
import { stringify } from 'yaml';
import { checkMapping, mappingForConfig, parseParams, parseStudyConfig, readCsvColumns, studyConfigWithDefaults, type StudyConfig, type StudyProgress } from '../../core/index.js';
import { demoClinicalCsv } from '../../demo/demo.js';
import { useApp, type Patient, type SeriesItem } from '../store.js';
import { useStudy } from './study-store.js';
import { studyWorkerCount } from './worker-count.js';
import type { ObserverIccPreview, ObserverIccRequest, ObserverPreviewProgress, PatientSpec, StudyRequest, StudyRunnerApi, StudyView } from '../../../workers/study-api.js';
import { clearStudyCache, loadState, RUN_IN_PROGRESS_KEY, SAVED_SETTINGS_KEY, SAVED_STUDY_KEY, saveState } from '../../../workers/study-db.js';
import { firstLine, keepFinishedStudy, saveSettings } from './study-persist.js';
import { workerCrash } from './worker-job.js';
import { seriesBySequence } from './series-by-sequence.js';

export { exportReport, importStudy, saveSettings } from './study-persist.js';
import { loadDemoCohort } from '../actions.js';
import { drawnMask2Spec, editedVoiSpec, voiEditsRestored } from '../viewer/voi-edit.js';

/** The first problem of the clinical table's column mapping (ClinicalMapping.tsx) for the patients to study, or null. */
function clinicalMappingError(clinical: { file: string; text: string }, config: StudyConfig, ids: string[]): string | null {
  try {
    const csv = readCsvColumns(clinical.file, clinical.text);
    return checkMapping(csv, mappingForConfig(csv, config), ids).errors[0] ?? null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export interface SettingsCheck {
  configYaml: string;
  configError: string | null;
  paramsError: string | null;
}

/** Settings as study.yaml text, checked by the same parsers as the CLI (one-line errors naming the key). */
export function checkSettings(config: StudyConfig, paramsYaml: string, paramsFile: string): SettingsCheck {
  const configYaml = stringify(config);
  let configError: string | null = null;
  let paramsError: string | null = null;
  try {
    parseStudyConfig(configYaml, 'settings');
  } catch (e) {
    configError = e instanceof Error ? e.message : String(e);
  }
  try {
    parseParams(paramsYaml, paramsFile);
  } catch (e) {
    paramsError = e instanceof Error ? firstLine(e) : String(e);
  }
  return { configYaml, configError, paramsError };
}

function fileSource(item: SeriesItem): { label: string; files: File[] } {
  if (item.source.kind !== 'files') throw new Error(`${item.label}: not a file series`);
  return { label: item.label, files: item.source.files };
}

/** Patients of the loaded cohort as worker jobs; patients missing a sequence or a VOI are reported and left out. */
export function patientSpecs(patients: Patient[], sequences: string[]): { specs: PatientSpec[]; skipped: string[] } {
  const specs: PatientSpec[] = [];
  const skipped: string[] = [];
  for (const p of patients) {
    const first = p.series[0] ?? p.masks[0];
    if (first?.source.kind === 'demo') {
      const s = first.source;
      specs.push({ kind: 'demo', id: p.id, index: s.patientIndex, patients: s.patients, seed: s.seed, voi: editedVoiSpec(p), voi2: drawnMask2Spec(p) });
      continue;
    }
    const { found, missing } = seriesBySequence(p.series, sequences);
    const mask = p.masks.find((m) => m.name === 'mask') ?? p.masks[0];
    if (missing.length > 0 || !mask) {
      skipped.push(`patient ${p.id}: ${missing.length ? `missing sequence ${missing.join(', ')}` : 'no VOI mask'}; excluded`);
      continue;
    }
    const series = Object.fromEntries(found.map(([seq, s]) => [seq, fileSource(s)]));
    const mask2 = p.masks.find((m) => m.name === 'mask2');
    specs.push({ kind: 'files', id: p.id, series, mask: fileSource(mask), mask2: mask2 ? fileSource(mask2) : undefined, voi: editedVoiSpec(p) });
  }
  return { specs, skipped };
}

/** Cache namespace: the demo's seed and size, or the dropped files' names, sizes and dates. */
function cohortKey(specs: PatientSpec[]): string {
  const d = specs.find((s) => s.kind === 'demo');
  if (d && d.kind === 'demo') return `demo-${d.seed}-${d.patients}`;
  let h = 2166136261;
  const text = specs
    .flatMap((s) => (s.kind === 'files' ? [...Object.values(s.series), s.mask, ...(s.mask2 ? [s.mask2] : [])].flatMap((x) => x.files.map((f) => `${x.label}:${f.size}:${f.lastModified}`)) : []))
    .join('|');
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return `files-${h.toString(16)}`;
}

/** The clinical table the study uses (Settings' mapped CSV, or the demo cohort's own), or why there is none (one line). */
function studyClinical(specs: PatientSpec[]): { clinical: { file: string; text: string }; error?: undefined } | { clinical: null; error: string } {
  const study = useStudy.getState();
  const demo = specs[0]?.kind === 'demo' ? specs[0] : null;
  // A clinical CSV chosen (and mapped) in Settings is used even for the demo cohort; otherwise the demo brings its own.
  const clinical = study.clinical ?? (demo ? { file: 'demo clinical.csv', text: demoClinicalCsv({ patients: demo.patients, seed: demo.seed }) } : null);
  if (!clinical) return { clinical: null, error: 'Choose the clinical CSV (id and outcome columns) in Settings before running the study' };
  const mappingError = clinicalMappingError(clinical, study.config, specs.map((s) => s.id));
  return mappingError ? { clinical: null, error: `Settings: ${mappingError}` } : { clinical };
}

let runner: { worker: Worker; api: Comlink.Remote<import('../../../workers/study-api.js').StudyRunnerApi> } | null = null;

let starting = false;

export async function runStudyInBrowser(): Promise<void> {
  if (starting) return;
  starting = true;
  try {
    await startStudy();
  } finally {
    starting = false;
  }
}

async function startStudy(): Promise<void> {
  await voiEditsRestored();
  const app = useApp.getState();
  const study = useStudy.getState();
  if (study.run.status === 'running') return;
  const check = checkSettings(study.config, study.paramsYaml, study.paramsFile);
  if (check.configError || check.paramsError) {
    app.addMessage('error', `Settings: ${check.configError ?? check.paramsError}`);
    return;
  }
  const limit = study.patientLimit > 0 ? study.patientLimit : app.patients.length;
  const { specs, skipped } = patientSpecs(app.patients.slice(0, limit), study.config.sequences);
  for (const s of skipped.slice(0, 3)) app.addMessage('warning', s);
  const first = specs[0];
  if (!first) {
    app.addMessage('error', 'No patient to analyse: load the demo cohort or a cohort folder first');
    return;
  }
  const demo = first.kind === 'demo' ? first : null;
  const { clinical, error } = studyClinical(specs);
  if (!clinical) {
    app.addMessage('error', error);
    return;
  }
  const req: StudyRequest = {
    cohortKey: cohortKey(specs),
    cohortTitle: app.cohortTitle ?? 'cohort',
    patients: specs,
    clinical,
    configYaml: check.configYaml,
    paramsYaml: study.paramsYaml,
    workers: studyWorkerCount(location.search, navigator.hardwareConcurrency),
  };
  await saveSettings();
  // The clinical table of a dropped cohort: if the run is interrupted, only the images must be opened again.
  if (!demo) await saveState(SAVED_CLINICAL_KEY, clinical).catch(() => undefined);
  // Marks the run as unfinished until it ends: a reload resumes it (demo) or says how to (files).
  const marker: RunMarker = demo ? { kind: 'demo', startedAt: Date.now() } : { kind: 'files', startedAt: Date.now(), title: req.cohortTitle, folder: commonFolder(specs), patients: specs.length };
  await saveState(RUN_IN_PROGRESS_KEY, marker).catch(() => undefined);
  study.startRun(specs.map((s) => s.id));
  starting = false;
  const worker = new Worker(new URL('../../../workers/study-runner.worker.ts', import.meta.url), { type: 'module', name: 'study-runner' });
  const api = Comlink.wrap<StudyRunnerApi>(worker);
  const mine = { worker, api };
  runner = mine;
  const crashed = workerCrash(worker, 'study worker');
  try {
    const view = await Promise.race([api.run(req, Comlink.proxy((p: StudyProgress) => useStudy.getState().onProgress(p))), crashed]);
    if (runner !== mine) return;
    // Shown at once, then saved as the last study; a full quota warns but keeps it (and the run marker is cleared below).
    await keepFinishedStudy(view);
    useApp.getState().addMessage('info', `Study finished in ${view.seconds.toFixed(0)} s: ${view.result.analysis.ids.length} patients, ${view.result.excluded.length} excluded`);
  } catch (e) {
    if (runner !== mine) return; // cancelled
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    useStudy.getState().finishRun('failed', msg);
    useApp.getState().addMessage('error', `Study failed: ${msg}`);
  } finally {
    if (runner === mine) {
      runner = null;
      worker.terminate();
      await saveState(RUN_IN_PROGRESS_KEY, null).catch(() => undefined);
    }
  }
}

/** Whether a patient spec carries a second observer's VOI (a demo patient's own is listed as its mask2 too). */
const hasSecondVoi = (s: PatientSpec, p: Patient | undefined): boolean => (s.kind === 'files' ? !!s.mask2 : !!s.voi2 || !!p?.masks.some((m) => m.name === 'mask2'));

/** The study's patients (Settings' patient limit) that have both observers' VOIs, as worker jobs. */
export function observerPairs(): PatientSpec[] {
  const { patients, specs } = studyCohort();
  return specs.filter((s) => hasSecondVoi(s, patients.find((p) => p.id === s.id)));
}

/** The study's patients (Settings' patient limit) and their worker jobs. */
function studyCohort(): { patients: Patient[]; specs: PatientSpec[] } {
  const app = useApp.getState();
  const study = useStudy.getState();
  const limit = study.patientLimit > 0 ? study.patientLimit : app.patients.length;
  const patients = app.patients.slice(0, limit);
  return { patients, specs: patientSpecs(patients, study.config.sequences).specs };
}

/**
 * The features' ICC between the two observers before a run (core
 * observer-preview.ts), computed in a study runner worker with the current
 * settings and the study's cache: every region when the study's clinical
 * table is known (the habitat models need its split), else the whole tumour.
 * Throws a one-line error.
 */
export async function observerIccBeforeRunInBrowser(onProgress: (p: ObserverPreviewProgress) => void, signal?: AbortSignal): Promise<ObserverIccPreview> {
  await voiEditsRestored();
  const study = useStudy.getState();
  const check = checkSettings(study.config, study.paramsYaml, study.paramsFile);
  if (check.configError || check.paramsError) throw new Error(`Settings: ${check.configError ?? check.paramsError}`);
  const pairs = observerPairs();
  // With the study's clinical table, the whole cohort (the habitat models are fitted on the study's training split).
  const cohort = studyCohort().specs;
  const { clinical } = studyClinical(cohort);
  const req: ObserverIccRequest = {
    cohortKey: cohortKey(cohort),
    patients: clinical ? cohort : pairs,
    clinical: clinical ?? undefined,
    configYaml: check.configYaml,
    paramsYaml: study.paramsYaml,
    workers: studyWorkerCount(location.search, navigator.hardwareConcurrency),
  };
  const worker = new Worker(new URL('../../../workers/study-runner.worker.ts', import.meta.url), { type: 'module', name: 'study-runner' });
  const api = Comlink.wrap<StudyRunnerApi>(worker);
  const stopped = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      reject(new Error(e.message || 'the study worker stopped unexpectedly'));
    });
    signal?.addEventListener('abort', () => reject(new Error('cancelled')));
  });
  try {
    return await Promise.race([api.observerIcc(req, Comlink.proxy(onProgress)), stopped]);
  } finally {
    worker.terminate();
  }
}

/** Saved state: the clinical CSV last used for a dropped cohort ({ file, text }). */
const SAVED_CLINICAL_KEY = 'clinical';

type RunMarker = { kind: 'demo'; startedAt: number } | { kind: 'files'; startedAt: number; title: string; folder?: string | null; patients?: number };

/** The folder the user opened or dropped (first path segment shared by every file), if there is one. */
function commonFolder(specs: PatientSpec[]): string | null {
  const labels = specs.flatMap((s) => (s.kind === 'files' ? [...Object.values(s.series), s.mask].map((x) => x.label) : []));
  const first = labels.map((l) => l.split('/'));
  const top = first[0]?.[0];
  return top && first.every((parts) => parts.length >= 3 && parts[0] === top) ? top : null;
}

/** The one line shown after an interrupted run of a dropped cohort: which study, and how to resume it. */
function interruptedFilesMessage(m: Extract<RunMarker, { kind: 'files' }>, clinicalFile?: string): string {
  const what = m.folder ? `the cohort folder "${m.folder}"` : m.title;
  const size = m.patients ? ` (${m.patients} patients)` : '';
  const how = m.folder ? 'open the folder again' : 'open the same files again';
  const kept = clinicalFile ? ` (the clinical table ${clinicalFile} is kept)` : '';
  return `The study of ${what}${size} was interrupted: ${how}${kept} and press Run study; finished patients come from the cache`;
}

/** Stop the run now: the runner and its pool are terminated; finished patients stay in the cache. */
export function cancelStudy(): void {
  if (!runner) return;
  runner.worker.terminate();
  runner = null;
  void saveState(RUN_IN_PROGRESS_KEY, null).catch(() => undefined);
  useStudy.getState().finishRun('cancelled');
  useApp.getState().addMessage('info', 'Study cancelled; finished patients are cached and a re-run skips them');
}

export async function clearCache(): Promise<void> {
  await clearStudyCache();
  useApp.getState().addMessage('info', 'Study cache cleared');
}

/**
 * Settings saved by an earlier version lack keys added since: the parser fills them
 * with their defaults. Settings it refuses are kept, so that the settings check names
 * the problem.
 */
function withCurrentDefaults(saved: StudyConfig): StudyConfig {
  try {
    return studyConfigWithDefaults(saved, 'saved settings');
  } catch {
    return saved;
  }
}

/** On start: the last settings and the last finished study, as saved in IndexedDB. */
let restored = false;

export async function restoreSaved(): Promise<void> {
  if (restored) return; // React's StrictMode runs effects twice in development
  restored = true;
  try {
    const settings = await loadState<{ config: StudyConfig; paramsYaml: string; paramsFile: string; patientLimit?: number }>(SAVED_SETTINGS_KEY);
    if (settings) {
      useStudy.getState().setPatientLimit(settings.patientLimit ?? 0);
      useStudy.getState().setConfig(withCurrentDefaults(settings.config));
      useStudy.getState().setParams(settings.paramsYaml, settings.paramsFile);
    }
    const view = await loadState<StudyView>(SAVED_STUDY_KEY);
    if (view) {
      useStudy.getState().setView(view);
      useStudy.getState().finishRun('done');
    }
    const interrupted = await loadState<RunMarker | null>(RUN_IN_PROGRESS_KEY);
    if (interrupted?.kind === 'demo') {
      // The demo's patients can be regenerated: resume at once; finished patients come from the cache.
      useApp.getState().addMessage('info', 'Resuming the interrupted demo study; finished patients come from the cache');
      loadDemoCohort();
      useStudy.getState().setTab('study');
      await runStudyInBrowser();
    } else if (interrupted?.kind === 'files') {
      // The interrupted run's clinical table comes back, so only the images must be opened again.
      const clinical = await loadState<{ file: string; text: string }>(SAVED_CLINICAL_KEY);
      if (clinical && !useStudy.getState().clinical) useStudy.getState().setClinical(clinical);
      useApp.getState().addMessage('warning', interruptedFilesMessage(interrupted, clinical?.file));
      await saveState(RUN_IN_PROGRESS_KEY, null);
    }
  } catch (e) {
    useApp.getState().addMessage('warning', `Could not restore the saved study: ${e instanceof Error ? e.message : String(e)}`);
  }
}
