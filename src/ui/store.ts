/** App state (zustand). Holds what the UI shows; all voxel work happens in workers. */
import { create } from 'zustand';
import type { SeriesSource, VolumeSummary } from '../../workers/image-reader-api.js';

export interface SeriesItem {
  key: string;
  name: string;
  /** Path used in messages. */
  label: string;
  role: 'image' | 'mask';
  source: SeriesSource;
}

export interface Patient {
  id: string;
  /** Follows the cohort layout (images + mask), so it enters the analysis. */
  inLayout: boolean;
  series: SeriesItem[];
  masks: SeriesItem[];
  /** The VOI as corrected in the viewer: shown and studied instead of masks[0] (viewer/voi-edit.ts). */
  voiEdit?: VoiEdit;
}

export interface VoiEdit {
  /** The edited mask as a .nii.gz file series (what the study reads). */
  item: SeriesItem;
  /** Content hash of the edited labels (part of the study's cache keys). */
  fingerprint: string;
  voxels: number;
  originalVoxels: number;
  savedAt: string;
}

export interface LoadedSeries {
  key: string;
  name: string;
  label: string;
  nifti: ArrayBuffer;
  summary: VolumeSummary;
  /** Voxels of each label 1…k (habitat maps). */
  labelCounts?: number[];
}

/** Who is delineating: observer 2 sees and draws only the second VOI (mask2), blinded to the first. */
export type Observer = 1 | 2;

/** The VOI the viewer shows for an observer: the corrected or first mask (observer 1), mask2 (observer 2). */
export function observerVoi(p: Patient, observer: Observer): SeriesItem | undefined {
  if (observer === 2) return p.masks.find((m) => m.name === 'mask2');
  return p.voiEdit?.item ?? p.masks.find((m) => m.name !== 'mask2');
}

export interface Message {
  id: number;
  level: 'error' | 'warning' | 'info';
  text: string;
}

export type SliceView = 'axial' | 'coronal' | 'sagittal' | 'multiplanar' | 'render';

export interface CursorReadout {
  /** Voxel index (i, j, k) in the image's own grid. */
  voxel: [number, number, number];
  /** Position in the LPS patient frame (mm). */
  lps: [number, number, number];
  intensity: number | null;
  maskValue: number | null;
}

export interface ViewSettings {
  sliceView: SliceView;
  overlayVisible: boolean;
  overlayOpacity: number;
  overlayColormap: string;
  /** Sequence whose study habitat map is overlaid (Hab1–Hab4 red, green, yellow, blue), or null. */
  habitatSequence: string | null;
}

interface AppState {
  cohortTitle: string | null;
  patients: Patient[];
  selectedPatientId: string | null;
  selectedSeriesKey: string | null;
  image: LoadedSeries | null;
  mask: LoadedSeries | null;
  /** Habitat map of the selected patient from the last study (study grid), when shown. */
  habitat: LoadedSeries | null;
  loading: string | null;
  /** Series that could not be read, by key, with the one-line reason. */
  failed: Record<string, string>;
  messages: Message[];
  view: ViewSettings;
  cursor: CursorReadout | null;
  observer: Observer;
  setObserver(o: Observer): void;
  /** Add or replace (or, with null, remove) a patient's mask of that name (a VOI drawn in the viewer). */
  setMask(patientId: string, name: 'mask' | 'mask2', item: SeriesItem | null): void;
  setCohort(title: string, patients: Patient[]): void;
  select(patientId: string, seriesKey: string | null): void;
  setLoading(what: string | null): void;
  markFailed(key: string, reason: string): void;
  setDisplayed(image: LoadedSeries | null, mask: LoadedSeries | null): void;
  setHabitat(habitat: LoadedSeries | null): void;
  /** Replace (or, with null, drop) a patient's corrected VOI. */
  setVoiEdit(patientId: string, edit: VoiEdit | null): void;
  addMessage(level: Message['level'], text: string): void;
  dismissMessage(id: number): void;
  clearMessages(): void;
  setView(patch: Partial<ViewSettings>): void;
  setCursor(c: CursorReadout | null): void;
}

let nextMessageId = 1;
const MAX_MESSAGES = 6;

export const useApp = create<AppState>()((set) => ({
  cohortTitle: null,
  patients: [],
  selectedPatientId: null,
  selectedSeriesKey: null,
  image: null,
  mask: null,
  habitat: null,
  loading: null,
  failed: {},
  messages: [],
  view: { sliceView: 'multiplanar', overlayVisible: true, overlayOpacity: 0.45, overlayColormap: 'red', habitatSequence: null },
  cursor: null,
  observer: 1,
  setObserver: (observer) => set({ observer }),
  setMask: (patientId, name, item) =>
    set((s) => ({
      patients: s.patients.map((p) => {
        if (p.id !== patientId) return p;
        const others = p.masks.filter((m) => m.name !== name);
        // The first VOI stays first (the study and the viewer read masks[0] as observer 1's).
        const masks = !item ? others : name === 'mask' ? [item, ...others] : [...others, item];
        return { ...p, masks };
      }),
    })),
  setCohort: (title, patients) =>
    set({ cohortTitle: title, patients, selectedPatientId: null, selectedSeriesKey: null, image: null, mask: null, cursor: null, failed: {} }),
  select: (patientId, seriesKey) => set({ selectedPatientId: patientId, selectedSeriesKey: seriesKey }),
  setLoading: (loading) => set({ loading }),
  markFailed: (key, reason) => set((s) => ({ failed: { ...s.failed, [key]: reason } })),
  setDisplayed: (image, mask) => set({ image, mask, cursor: null }),
  setHabitat: (habitat) => set({ habitat }),
  setVoiEdit: (patientId, edit) =>
    set((s) => ({ patients: s.patients.map((p) => (p.id !== patientId ? p : edit ? { ...p, voiEdit: edit } : { ...p, voiEdit: undefined })) })),
  addMessage: (level, text) =>
    set((s) => {
      // The same line again (e.g. re-selecting a series) moves to the bottom instead of repeating.
      const others = s.messages.filter((m) => m.text !== text);
      return { messages: [...others, { id: nextMessageId++, level, text }].slice(-MAX_MESSAGES) };
    }),
  dismissMessage: (id) => set((s) => ({ messages: s.messages.filter((m) => m.id !== id) })),
  clearMessages: () => set({ messages: [] }),
  setView: (patch) => set((s) => ({ view: { ...s.view, ...patch } })),
  setCursor: (cursor) => set({ cursor }),
}));
