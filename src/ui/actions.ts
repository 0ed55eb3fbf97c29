/** What the toolbar, drop zone and patient list do: group files, ask the worker, update the store. */
import type { DroppedFile } from './cohort/group-files.js';
import { cohortFromFiles } from './cohort/cohort-from-files.js';
import { imageReader, onReaderCrash } from './reader-client.js';
import { observerVoi, useApp, type LoadedSeries, type Patient, type SeriesItem } from './store.js';
import { DEMO_SEQUENCES, demoPatientId, demoPatientProfile } from '../demo/demo.js';
import type { SeriesResult } from '../../workers/image-reader-api.js';
import { cohortLoaded, mayChangeDisplay } from './display-hooks.js';
import { mayBeExport, reviewOrOpen } from './import/import-actions.js';

/**
 * The demo cohort's size and seed (the CLI's `habitat demo` defaults: 60
 * patients, seed 2025); `?demo-patients=N` in the page's address asks for N
 * (1–1000; bench/browser-study.ts runs the paper's 179).
 */
export function demoCohort(search: string = typeof location === 'undefined' ? '' : location.search): { patients: number; seed: number } {
  const asked = new URLSearchParams(search).get('demo-patients');
  const n = asked !== null && /^\d+$/.test(asked) ? Math.min(Math.max(Number(asked), 1), 1000) : 60;
  return { patients: n, seed: 2025 };
}

let loadGeneration = 0;

onReaderCrash((reason) => {
  // Abandon the pending read; the next selection starts a fresh worker.
  loadGeneration++;
  const app = useApp.getState();
  app.addMessage('error', `Image reader stopped (${reason}); select the series again to retry`);
  app.setLoading(null);
});
let keyCounter = 0;
const newKey = (label: string) => `${++keyCounter}:${label}`;

export function openDroppedFiles(dropped: DroppedFile[]): void {
  if (dropped.length === 0 || !mayChangeDisplay()) return;
  // Only DICOM-like files: their headers say whether this is an export to review (src/ui/import).
  if (mayBeExport(dropped)) void reviewOrOpen(dropped, openCohortFiles);
  else openCohortFiles(dropped);
}

/** Open files laid out as a cohort folder (or loose images) in the patient list and viewer. */
export function openCohortFiles(dropped: DroppedFile[]): void {
  const app = useApp.getState();
  const grouped = cohortFromFiles(dropped);
  const MAX_PROBLEMS = 3;
  for (const problem of grouped.problems.slice(0, MAX_PROBLEMS)) app.addMessage('warning', `Cohort layout: ${problem}`);
  if (grouped.problems.length > MAX_PROBLEMS) app.addMessage('warning', `Cohort layout: ${grouped.problems.length - MAX_PROBLEMS} more problem(s)`);
  if (grouped.ignored.length > 0) {
    const shown = grouped.ignored.slice(0, 3).join(', ');
    const more = grouped.ignored.length > 3 ? ` and ${grouped.ignored.length - 3} more` : '';
    app.addMessage('info', `Skipped ${grouped.ignored.length} file(s) that are not images: ${shown}${more}`);
  }
  if (grouped.patients.length === 0) {
    app.addMessage('error', 'No image files found (NIfTI .nii/.nii.gz, NRRD, MetaImage or DICOM expected)');
    return;
  }
  const patients: Patient[] = grouped.patients.map((p) => ({
    id: p.id,
    inLayout: p.inLayout,
    series: p.series.map((s) => ({ key: newKey(s.label), name: s.name, label: s.label, role: 'image', source: { kind: 'files', files: s.files } })),
    masks: p.masks.map((s) => ({ key: newKey(s.label), name: s.name, label: s.label, role: 'mask', source: { kind: 'files', files: s.files } })),
  }));
  const nFiles = dropped.length - grouped.ignored.length;
  app.setCohort(`${patients.length} patient${patients.length === 1 ? '' : 's'} · ${nFiles} file${nFiles === 1 ? '' : 's'}`, patients);
  void cohortLoaded().then(() => selectFirst(useApp.getState().patients));
}

/** Settles once the demo cohort's saved VOI edits are back (before its first patient is shown). */
export function loadDemoCohort(): Promise<void> {
  if (!mayChangeDisplay()) return Promise.resolve();
  const { patients: n, seed } = demoCohort();
  const patients: Patient[] = Array.from({ length: n }, (_, index) => {
    const id = demoPatientId(index);
    const item = (series: string, role: SeriesItem['role']): SeriesItem => ({
      key: `demo:${seed}:${index}:${series}`,
      name: series,
      label: `demo/${id}/${series}.nii.gz`,
      role,
      source: { kind: 'demo', patientIndex: index, series, patients: n, seed },
    });
    // The demo's own second observer (30 % of its patients) is listed as the patient's mask2, as a dropped cohort's would be.
    const second = demoPatientProfile(index, { patients: n, seed }).hasSecondObserver ? [item('mask2', 'mask')] : [];
    return { id, inLayout: true, series: DEMO_SEQUENCES.map((s) => item(s, 'image')), masks: [item('mask', 'mask'), ...second] };
  });
  useApp.getState().setCohort(`Demo cohort · ${n} synthetic patients (seed ${seed})`, patients);
  return cohortLoaded().then(() => selectFirst(useApp.getState().patients));
}

function selectFirst(patients: Patient[]): void {
  const p = patients.find((q) => q.series.length > 0) ?? patients[0];
  if (!p) return; // an empty cohort: nothing to show
  const s = p.series[0] ?? p.masks[0];
  void selectSeries(p.id, s ? s.key : null);
}

function toLoaded(item: SeriesItem, r: Extract<SeriesResult, { ok: true }>): LoadedSeries {
  return { key: item.key, name: item.name, label: item.label, nifti: r.nifti, summary: r.summary };
}

/** Show one series of a patient with the patient's VOI (edited, or the first mask) as overlay. */
export async function selectSeries(patientId: string, seriesKey: string | null): Promise<void> {
  if (!mayChangeDisplay()) return;
  const app = useApp.getState();
  app.select(patientId, seriesKey);
  const patient = app.patients.find((p) => p.id === patientId);
  const item = patient ? [...patient.series, ...patient.masks].find((s) => s.key === seriesKey) : undefined;
  if (!patient || !item) {
    app.setDisplayed(null, null);
    return;
  }
  const generation = ++loadGeneration;
  const reader = imageReader();
  app.setLoading(item.label);
  try {
    // A VOI corrected in the viewer replaces the patient's original mask; observer 2 sees only the second VOI.
    const maskItem = item.role === 'image' ? observerVoi(patient, app.observer) : undefined;
    const [image, mask] = await Promise.all([
      reader.loadSeries({ key: item.key, label: item.label, source: item.source }),
      maskItem ? reader.loadSeries({ key: maskItem.key, label: maskItem.label, source: maskItem.source }) : Promise.resolve(null),
    ]);
    if (generation !== loadGeneration) return; // the user picked something else meanwhile
    const now = useApp.getState();
    if (!image.ok) {
      now.addMessage('error', image.message);
      now.markFailed(item.key, image.message);
    }
    if (mask && !mask.ok && maskItem) {
      now.addMessage('error', mask.message);
      now.markFailed(maskItem.key, mask.message);
    }
    const loadedImage = image.ok ? toLoaded(item, image) : null;
    const loadedMask = mask && mask.ok && maskItem ? toLoaded(maskItem, mask) : null;
    if (loadedImage && loadedMask && maskItem) {
      const mismatch = await reader.compareGeometry(item.key, maskItem.key);
      if (mismatch) now.addMessage('warning', `${maskItem.label} is not on the grid of ${item.label} (${mismatch}); shown resampled by its position in space`);
    }
    now.setDisplayed(loadedImage, loadedMask);
  } catch (e) {
    useApp.getState().addMessage('error', `${item.label}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    useApp.getState().setDisplayed(null, null);
  } finally {
    if (generation === loadGeneration) useApp.getState().setLoading(null);
  }
}
