/**
 * VOI correction and delineation in the viewer: the edit-mode state, and what
 * its buttons do (the drawing operations: voi-draw-ops.ts).
 *
 * Three targets: correcting the displayed VOI ("edit", below); drawing the
 * first VOI of a patient that has none ("mask"); drawing the second
 * observer's VOI, blinded to the first ("mask2"). Drawn VOIs are saved as
 * uint8 masks on the displayed image's grid (image-reader worker) and become
 * the patient's mask.nii.gz / mask2.nii.gz (voi-drawn.ts keeps them).
 *
 * Edit mode loads the displayed VOI into NiiVue's drawing layer
 * (use-voi-editing.ts); "Save VOI" turns the drawing back into a mask on the
 * original mask's grid and voxel type (voi-bitmap.ts, image-reader worker),
 * replaces the patient's mask in the cohort store (Patient.voiEdit: the
 * viewer shows it and the study reads it) and keeps it in IndexedDB, so the
 * edit survives a reload of the page (restored when the same cohort is
 * opened again).
 */
import { create } from 'zustand';
import type { Niivue } from '@niivue/niivue';
import { sameGeometry, type Volume } from '../../core/index.js';
import type { EditedVoi } from '../../../workers/study-api.js';
import { loadState, saveState } from '../../../workers/study-db.js';
import { imageReader } from '../reader-client.js';
import { observerVoi, useApp, type LoadedSeries, type Observer, type Patient, type SeriesItem, type VoiEdit } from '../store.js';
import { selectSeries } from '../actions.js';
import { drawBitmapToMask, type Size3 } from './voi-bitmap.js';
import { drawnItem, persistDrawn, scheduleWorkInProgress } from './voi-drawn.js';
import { mayChangeDisplay } from '../display-hooks.js';
import { downloadBlob } from '../download.js';
import { cohortHooksDone, onBeforeDisplayChange, onCohortLoaded } from '../display-hooks.js';

export type VoiTool = 'pen' | 'erase' | 'fill' | 'erase-fill' | 'background';
/** What the drawing is saved as: the corrected displayed VOI, a first VOI, the second observer's VOI. */
export type VoiTarget = 'edit' | 'mask' | 'mask2';

/** The label the study analyses (prepare.ts): what the pen draws. */
export const VOI_LABEL = 1;
/** Background seeds for grow-cut: never saved. */
export const BACKGROUND_SEED = 2;
export const PEN_SIZES = [1, 3, 5, 9, 15];

/** What is open in NiiVue's drawing layer (set by use-voi-editing.ts). */
export interface VoiSession {
  nv: Niivue;
  patientId: string;
  /** The displayed VOI's key, or the image's when the drawing started empty. */
  maskKey: string;
  imageKey: string;
  target: VoiTarget;
  /** Where the unsaved drawing is kept (voi-drawn.ts). */
  wipKey: string;
  /** One voxel's volume in mL. */
  voxelMl: number;
  /** The mask's file grid and NiiVue's RAS permutation of it. */
  size: Size3;
  permRAS: number[];
  /** The drawing as loaded (RAS order): unchanged = nothing to save. */
  baseline: Uint8Array;
}

interface VoiEditorState {
  /** Edit mode requested by the user (the drawing opens once the viewer shows the VOI). */
  editing: boolean;
  /** The drawing is open in NiiVue. */
  session: VoiSession | null;
  dirty: boolean;
  /** Strokes that Undo can take back. */
  undoDepth: number;
  /** Voxels of the drawing with the VOI label, as it is now. */
  drawnVoxels: number;
  tool: VoiTool;
  penSize: number;
  busy: boolean;
  /** Keys of the image and mask NiiVue currently shows (set by the viewer after loading). */
  shown: { imageKey: string | null; maskKey: string | null };
}

export const useVoiEditor = create<VoiEditorState>()(() => ({
  editing: false,
  session: null,
  dirty: false,
  undoDepth: 0,
  drawnVoxels: 0,
  tool: 'pen',
  penSize: 3,
  busy: false,
  shown: { imageKey: null, maskKey: null },
}));

/** The viewer reports what it shows once its volumes are loaded. */
export function markShown(image: LoadedSeries | null, mask: LoadedSeries | null): void {
  useVoiEditor.setState({ shown: { imageKey: image?.key ?? null, maskKey: mask?.key ?? null } });
}

function asVolume(s: LoadedSeries): Volume {
  const { size, spacing, origin, direction } = s.summary;
  return { size, spacing, origin, direction: Float64Array.from(direction), data: new Uint8Array(0) };
}

/** Why the displayed VOI cannot be edited now (one line), or null. */
export function editBlocker(image: LoadedSeries | null, mask: LoadedSeries | null): string | null {
  if (!image) return 'Select a series first';
  if (!mask) return 'This series has no VOI to edit';
  if (!sameGeometry(asVolume(image), asVolume(mask)))
    return `${mask.label} is not on the grid of ${image.label}: select the series the VOI was drawn on to edit it`;
  return null;
}

/** Why no VOI can be drawn on the displayed series now (one line), or null. */
export function drawBlocker(image: LoadedSeries | null, mask: LoadedSeries | null, selectedKey: string | null, patient: Patient | undefined): string | null {
  if (!image || !patient) return 'Select a series first';
  if (!patient.series.some((s) => s.key === selectedKey)) return 'Select an image series to draw on';
  return mask ? editBlocker(image, mask) : null;
}

export function startEditing(): void {
  const { image, mask, selectedSeriesKey } = useApp.getState();
  const blocker = drawBlocker(image, mask, selectedSeriesKey, currentPatient());
  if (blocker) {
    useApp.getState().addMessage('warning', `Edit VOI: ${blocker}`);
    return;
  }
  if (useApp.getState().view.sliceView === 'render') useApp.getState().setView({ sliceView: 'multiplanar' });
  useVoiEditor.setState({ editing: true, dirty: false, undoDepth: 0 });
}

/** Leave edit mode; the drawing is closed by the viewer. */
export function stopEditing(): void {
  useVoiEditor.setState({ editing: false, dirty: false, undoDepth: 0 });
}

/** Switch observer: observer 2 sees and draws only the second VOI (mask2.nii.gz), not the first. */
export async function setObserver(observer: Observer): Promise<void> {
  const app = useApp.getState();
  if (app.observer === observer || !mayChangeDisplay()) return;
  app.setObserver(observer);
  if (app.selectedPatientId) await selectSeries(app.selectedPatientId, app.selectedSeriesKey);
}

/**
 * Before anything replaces the displayed VOI (another series, patient or
 * cohort): ask before losing unsaved edits. True when it may go ahead (edit
 * mode is then closed).
 */
export function confirmDiscardVoiEdits(): boolean {
  const st = useVoiEditor.getState();
  if (!st.editing) return true;
  if (st.dirty && !window.confirm(`Discard the unsaved VOI edits of ${st.session?.patientId ?? 'this patient'}?`)) return false;
  if (st.session) scheduleWorkInProgress(st.session.wipKey, null);
  stopEditing();
  return true;
}

export function cancelEditing(): void {
  confirmDiscardVoiEdits();
}

export function undoStroke(): void {
  const { session, undoDepth } = useVoiEditor.getState();
  if (!session || undoDepth < 1) return;
  session.nv.drawUndo();
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function countLabel(data: ArrayLike<number>, label: number): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === label) n++;
  return n;
}

/** NiiVue changed the drawing (a stroke, a fill, undo) or an operation did (voi-draw-ops.ts): state, and the copy kept in the browser. */
export function drawingChanged(action: string, baseline?: Uint8Array): void {
  const st = useVoiEditor.getState();
  const session = st.session;
  if (!session) return;
  const depth = action === 'draw' ? Math.min(st.undoDepth + 1, UNDO_LIMIT) : action === 'undo' ? Math.max(0, st.undoDepth - 1) : st.undoDepth;
  const now = session.nv.drawBitmap;
  const dirty = now ? !sameBytes(now, baseline ?? session.baseline) : false;
  useVoiEditor.setState({ undoDepth: depth, dirty, drawnVoxels: now ? countLabel(now, VOI_LABEL) : 0 });
  scheduleWorkInProgress(session.wipKey, dirty && now ? now : null);
}

/** Undo steps NiiVue keeps (a circular buffer; its default is 8), less the loaded state. */
export const UNDO_STEPS = 32;
const UNDO_LIMIT = UNDO_STEPS - 1;

function currentPatient(): Patient | undefined {
  const app = useApp.getState();
  return app.patients.find((p) => p.id === app.selectedPatientId);
}

/** The one file of a VOI saved in the viewer (editedItem, voi-drawn's drawnItem), or undefined for a VOI the cohort came with. */
function savedFile(item: SeriesItem): File | undefined {
  return item.source.kind === 'files' && item.source.files.length === 1 ? item.source.files[0] : undefined;
}

function editedItem(patientId: string, file: File, fingerprint: string): SeriesItem {
  return { key: `voi-edit:${patientId}:${fingerprint}`, name: 'mask', label: `${patientId}/mask-edited.nii.gz`, role: 'mask', source: { kind: 'files', files: [file] } };
}

/** The drawing as mask labels in the file order of the displayed grid; background seeds (label 2) dropped unless the loaded VOI had that label. */
function drawingAsMask(session: VoiSession): Uint8Array | null {
  const bitmap = session.nv.drawBitmap;
  if (!bitmap) return null;
  const data = drawBitmapToMask(bitmap, session.size, session.permRAS);
  if (!session.baseline.includes(BACKGROUND_SEED)) for (let i = 0; i < data.length; i++) if (data[i] === BACKGROUND_SEED) data[i] = 0;
  return data;
}

function displayedImageItem(patient: Patient, session: VoiSession): SeriesItem | undefined {
  return patient.series.find((s) => s.key === session.imageKey);
}

/** A drawn VOI (first or second observer) as the patient's mask.nii.gz / mask2.nii.gz on the displayed image's grid. */
async function saveDrawn(session: VoiSession, patient: Patient, name: 'mask' | 'mask2'): Promise<void> {
  const data = drawingAsMask(session);
  const grid = displayedImageItem(patient, session);
  if (!data || !grid) {
    useApp.getState().addMessage('error', `Save VOI: ${patient.id}: the drawing is not open`);
    return;
  }
  const label = `${patient.id}/${name}.nii.gz`;
  const res = await imageReader().drawnMask({ patientId: patient.id, grid: { key: grid.key, label: grid.label, source: grid.source }, label, data });
  if (!res.ok) {
    useApp.getState().addMessage('error', `Save VOI: ${res.message}`);
    return;
  }
  const file = new File([res.gz], `${name}.nii.gz`, { type: 'application/gzip' });
  const savedAt = new Date().toISOString();
  useApp.getState().setMask(patient.id, name, drawnItem(patient.id, name, file, res.fingerprint));
  scheduleWorkInProgress(session.wipKey, null);
  await persistDrawn(patient, name, { file, fingerprint: res.fingerprint, savedAt });
  useApp.getState().addMessage('info', `${patient.id}: ${name}.nii.gz saved (${res.voxels} voxels, ${res.volumeMl.toFixed(2)} mL)`);
  stopEditing();
  await selectSeries(patient.id, useApp.getState().selectedSeriesKey);
}

/** The drawing as it is now, as .nii.gz on the displayed grid (saved or not). */
export async function downloadDrawing(): Promise<void> {
  const session = useVoiEditor.getState().session;
  const patient = useApp.getState().patients.find((p) => p.id === session?.patientId);
  if (!session || !patient) return;
  const data = drawingAsMask(session);
  const grid = displayedImageItem(patient, session);
  if (!data || !grid) return;
  const name = session.target === 'mask2' ? 'mask2' : 'mask';
  const res = await imageReader().drawnMask({ patientId: patient.id, grid: { key: grid.key, label: grid.label, source: grid.source }, label: `${patient.id}/${name}.nii.gz`, data });
  if (!res.ok) useApp.getState().addMessage('error', `Download drawing: ${res.message}`);
  else downloadBlob(new Blob([res.gz], { type: 'application/gzip' }), `${patient.id}_${name}_drawing.nii.gz`);
}

/** Turn the drawing into the patient's mask: same grid and voxel type as the original; the study uses it from now on. */
export async function saveVoi(): Promise<void> {
  const st = useVoiEditor.getState();
  const session = st.session;
  if (session && session.target !== 'edit' && !st.busy) {
    const patient = useApp.getState().patients.find((p) => p.id === session.patientId);
    if (!patient) return;
    useVoiEditor.setState({ busy: true });
    try {
      await saveDrawn(session, patient, session.target);
    } catch (e) {
      useApp.getState().addMessage('error', `Save VOI: ${patient.id}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    } finally {
      useVoiEditor.setState({ busy: false });
    }
    return;
  }
  const app = useApp.getState();
  const patient = app.patients.find((p) => p.id === session?.patientId);
  const original = patient?.masks.find((m) => m.key === session?.maskKey) ?? patient?.masks[0];
  if (!session || !patient || !original || st.busy) return;
  const data = drawingAsMask(session);
  if (!data) {
    app.addMessage('error', `Save VOI: ${patient.id}: the drawing is not open`);
    return;
  }
  useVoiEditor.setState({ busy: true });
  try {
    const label = `${patient.id}/mask-edited.nii.gz`;
    const res = await imageReader().editedMask({ patientId: patient.id, original: { key: original.key, label: original.label, source: original.source }, label, data });
    if (!res.ok) {
      useApp.getState().addMessage('error', `Save VOI: ${res.message}`);
      return;
    }
    let edit: VoiEdit | null = null;
    if (!res.identical) {
      const file = new File([res.gz], `${patient.id}-mask-edited.nii.gz`, { type: 'application/gzip' });
      edit = { item: editedItem(patient.id, file, res.fingerprint), fingerprint: res.fingerprint, voxels: res.voxels, originalVoxels: res.originalVoxels, savedAt: new Date().toISOString() };
    }
    useApp.getState().setVoiEdit(patient.id, edit);
    scheduleWorkInProgress(session.wipKey, null);
    await persist(patient, edit);
    useApp
      .getState()
      .addMessage(
        'info',
        edit
          ? `${patient.id}: VOI saved (${res.originalVoxels} → ${res.voxels} voxels); the next study run uses it`
          : `${patient.id}: VOI unchanged (${res.voxels} voxels); the original mask is kept`,
      );
    stopEditing();
    await selectSeries(patient.id, useApp.getState().selectedSeriesKey);
  } catch (e) {
    useApp.getState().addMessage('error', `Save VOI: ${patient.id}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  } finally {
    useVoiEditor.setState({ busy: false });
  }
}

/** Go back to the patient's original mask. */
export async function revertVoi(): Promise<void> {
  const patient = currentPatient();
  if (!patient?.voiEdit) return;
  if (!window.confirm(`Go back to the original VOI of ${patient.id} (${patient.voiEdit.originalVoxels} voxels)? The edited VOI is discarded.`)) return;
  stopEditing();
  useApp.getState().setVoiEdit(patient.id, null);
  await persist(patient, null);
  useApp.getState().addMessage('info', `${patient.id}: back to the original VOI; the next study run uses it`);
  await selectSeries(patient.id, useApp.getState().selectedSeriesKey);
}

/** The patient's VOI as the study uses it: the edited .nii.gz, or the displayed original as .nii. */
export function downloadVoi(): void {
  const patient = currentPatient();
  const { mask, observer } = useApp.getState();
  if (!patient) return;
  const drawn = observerVoi(patient, observer);
  const drawnFile = drawn?.key.startsWith('voi-drawn:') ? savedFile(drawn) : undefined;
  const editedFile = observer === 1 && patient.voiEdit ? savedFile(patient.voiEdit.item) : undefined;
  if (drawn && drawnFile) downloadBlob(drawnFile, `${patient.id}_${drawn.name}.nii.gz`);
  else if (editedFile) downloadBlob(editedFile, `${patient.id}_mask_edited.nii.gz`);
  else if (mask) downloadBlob(new Blob([mask.nifti], { type: 'application/octet-stream' }), `${patient.id}_mask.nii`);
}

// ---- What the study reads (study-actions.ts). ----

/** The patient's corrected VOI for the study worker, or undefined for the original mask. */
export function editedVoiSpec(p: Patient): EditedVoi | undefined {
  const e = p.voiEdit;
  if (!e || e.item.source.kind !== 'files') return undefined;
  return { label: e.item.label, files: e.item.source.files, fingerprint: e.fingerprint };
}

/** A second observer's VOI drawn in the viewer (mask2.nii.gz) for the study worker, or undefined. */
export function drawnMask2Spec(p: Patient): EditedVoi | undefined {
  const m = p.masks.find((x) => x.name === 'mask2');
  if (!m || !m.key.startsWith('voi-drawn:') || m.source.kind !== 'files') return undefined;
  return { label: m.label, files: m.source.files, fingerprint: m.key.slice(m.key.lastIndexOf(':') + 1) };
}

// ---- Kept across reloads: IndexedDB, keyed by the original mask (the same cohort opened again finds its edits). ----

export const VOI_EDITS_KEY = 'voi-edits';

interface SavedVoiEdit {
  patientId: string;
  file: File;
  fingerprint: string;
  voxels: number;
  originalVoxels: number;
  savedAt: string;
}

/** Identity of a patient's original mask: the demo patient, or the file's path, size and date. */
export function originalMaskKey(p: Patient): string | null {
  const m = p.masks.find((x) => x.name !== 'mask2' && !x.key.startsWith('voi-drawn:'));
  if (!m) return null;
  if (m.source.kind === 'demo') return `demo:${m.source.seed}:${m.source.patients}:${m.source.patientIndex}`;
  return `files:${m.label}:${m.source.files.map((f) => `${f.size}:${f.lastModified}`).join(',')}`;
}

async function persist(p: Patient, edit: VoiEdit | null): Promise<void> {
  const key = originalMaskKey(p);
  if (!key) return;
  try {
    const all = (await loadState<Record<string, SavedVoiEdit>>(VOI_EDITS_KEY)) ?? {};
    const file = edit && savedFile(edit.item);
    if (edit && file) {
      all[key] = { patientId: p.id, file, fingerprint: edit.fingerprint, voxels: edit.voxels, originalVoxels: edit.originalVoxels, savedAt: edit.savedAt };
    } else {
      delete all[key];
    }
    await saveState(VOI_EDITS_KEY, all);
  } catch (e) {
    useApp.getState().addMessage('warning', `${p.id}: the edited VOI is used in this session but could not be kept for the next (${e instanceof Error ? e.message : String(e)})`);
  }
}

let restoring: Promise<void> = Promise.resolve();

onBeforeDisplayChange(confirmDiscardVoiEdits);
onCohortLoaded(restoreVoiEdits);

/** Settles once the edits of the loaded cohort are restored (the study waits for it). */
export function voiEditsRestored(): Promise<void> {
  // Corrected VOIs, and the VOIs drawn here (voi-drawn.ts).
  return Promise.all([restoring, cohortHooksDone()]).then(() => undefined);
}

/** Put back the saved edits of the cohort just loaded (same patients, same original masks). */
export function restoreVoiEdits(): Promise<void> {
  restoring = (async () => {
    let all: Record<string, SavedVoiEdit> | undefined;
    try {
      all = await loadState<Record<string, SavedVoiEdit>>(VOI_EDITS_KEY);
    } catch (e) {
      useApp.getState().addMessage('warning', `Could not read the edited VOIs of the last session: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!all) return;
    const restored: string[] = [];
    for (const p of useApp.getState().patients) {
      const key = originalMaskKey(p);
      const saved = key ? all[key] : undefined;
      if (!saved || saved.patientId !== p.id) continue;
      useApp.getState().setVoiEdit(p.id, {
        item: editedItem(p.id, saved.file, saved.fingerprint),
        fingerprint: saved.fingerprint,
        voxels: saved.voxels,
        originalVoxels: saved.originalVoxels,
        savedAt: saved.savedAt,
      });
      restored.push(p.id);
    }
    if (restored.length > 0) {
      const names = restored.slice(0, 5).join(', ') + (restored.length > 5 ? ` and ${restored.length - 5} more` : '');
      useApp.getState().addMessage('info', `Edited VOI${restored.length > 1 ? 's' : ''} of ${names} restored from the last session`);
    }
  })();
  return restoring;
}
