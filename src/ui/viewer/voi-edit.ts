/**
 * VOI correction in the viewer: the edit-mode state, and what its buttons do.
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
import { sameGeometry, type Volume } from '../../core/image/volume.js';
import type { EditedVoi } from '../../../workers/study-api.js';
import { loadState, saveState } from '../../../workers/study-db.js';
import { imageReader } from '../reader-client.js';
import { useApp, type LoadedSeries, type Patient, type SeriesItem, type VoiEdit } from '../store.js';
import { selectSeries } from '../actions.js';
import { drawBitmapToMask } from './voi-bitmap.js';
import { downloadBlob } from '../download.js';
import { onBeforeDisplayChange, onCohortLoaded } from '../display-hooks.js';

export type VoiTool = 'pen' | 'erase' | 'fill' | 'erase-fill';

/** The label the study analyses (prepare.ts): what the pen draws. */
export const VOI_LABEL = 1;
export const PEN_SIZES = [1, 3, 5, 9, 15];

/** What is open in NiiVue's drawing layer (set by use-voi-editing.ts). */
export interface VoiSession {
  nv: Niivue;
  patientId: string;
  maskKey: string;
  /** The mask's file grid and NiiVue's RAS permutation of it. */
  size: [number, number, number];
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
  /** Labelled voxels of the drawing as it is now. */
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

export function startEditing(): void {
  const { image, mask } = useApp.getState();
  const blocker = editBlocker(image, mask);
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

/**
 * Before anything replaces the displayed VOI (another series, patient or
 * cohort): ask before losing unsaved edits. True when it may go ahead (edit
 * mode is then closed).
 */
export function confirmDiscardVoiEdits(): boolean {
  const st = useVoiEditor.getState();
  if (!st.editing) return true;
  if (st.dirty && !window.confirm(`Discard the unsaved VOI edits of ${st.session?.patientId ?? 'this patient'}?`)) return false;
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

function currentPatient(): Patient | undefined {
  const app = useApp.getState();
  return app.patients.find((p) => p.id === app.selectedPatientId);
}

function editedItem(patientId: string, file: File, fingerprint: string): SeriesItem {
  return { key: `voi-edit:${patientId}:${fingerprint}`, name: 'mask', label: `${patientId}/mask-edited.nii.gz`, role: 'mask', source: { kind: 'files', files: [file] } };
}

/** Turn the drawing into the patient's mask: same grid and voxel type as the original; the study uses it from now on. */
export async function saveVoi(): Promise<void> {
  const st = useVoiEditor.getState();
  const session = st.session;
  const app = useApp.getState();
  const patient = app.patients.find((p) => p.id === session?.patientId);
  const original = patient?.masks[0];
  if (!session || !patient || !original || st.busy) return;
  const bitmap = session.nv.drawBitmap;
  if (!bitmap) {
    app.addMessage('error', `Save VOI: ${patient.id}: the drawing is not open`);
    return;
  }
  useVoiEditor.setState({ busy: true });
  try {
    const data = drawBitmapToMask(bitmap, session.size, session.permRAS);
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
  const mask = useApp.getState().mask;
  if (!patient) return;
  if (patient.voiEdit?.item.source.kind === 'files') downloadBlob(patient.voiEdit.item.source.files[0], `${patient.id}_mask_edited.nii.gz`);
  else if (mask) downloadBlob(new Blob([mask.nifti], { type: 'application/octet-stream' }), `${patient.id}_mask.nii`);
}

// ---- What the study reads (study-actions.ts). ----

/** The patient's corrected VOI for the study worker, or undefined for the original mask. */
export function editedVoiSpec(p: Patient): EditedVoi | undefined {
  const e = p.voiEdit;
  if (!e || e.item.source.kind !== 'files') return undefined;
  return { label: e.item.label, files: e.item.source.files, fingerprint: e.fingerprint };
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
  const m = p.masks[0];
  if (!m) return null;
  if (m.source.kind === 'demo') return `demo:${m.source.seed}:${m.source.patients}:${m.source.patientIndex}`;
  return `files:${m.label}:${m.source.files.map((f) => `${f.size}:${f.lastModified}`).join(',')}`;
}

async function persist(p: Patient, edit: VoiEdit | null): Promise<void> {
  const key = originalMaskKey(p);
  if (!key) return;
  try {
    const all = (await loadState<Record<string, SavedVoiEdit>>(VOI_EDITS_KEY)) ?? {};
    if (edit && edit.item.source.kind === 'files') {
      all[key] = { patientId: p.id, file: edit.item.source.files[0], fingerprint: edit.fingerprint, voxels: edit.voxels, originalVoxels: edit.originalVoxels, savedAt: edit.savedAt };
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
  return restoring;
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
