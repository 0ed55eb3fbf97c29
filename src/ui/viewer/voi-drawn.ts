/**
 * VOIs drawn in the viewer, kept in IndexedDB so nothing is lost:
 * - saved VOIs (mask.nii.gz of a patient that had none, observer 2's
 *   mask2.nii.gz), keyed by the patient's first image series, put back into
 *   the cohort when the same cohort is opened again;
 * - the drawing in progress (not yet saved), written a moment after each
 *   change, so a reload or a killed tab finds it again when the same patient,
 *   series and observer are opened for drawing.
 */
import { loadState, saveState } from '../../../workers/study-db.js';
import { onCohortLoaded } from '../display-hooks.js';
import { useApp, type Patient, type SeriesItem } from '../store.js';

export type DrawnName = 'mask' | 'mask2';

const DRAWN_KEY = 'voi-drawn';
const WIP_KEY = 'voi-drawing-in-progress';
/** Delay between the last change of a drawing and its write to IndexedDB. */
const WIP_DELAY_MS = 300;

interface SavedDrawn {
  patientId: string;
  name: DrawnName;
  file: File;
  fingerprint: string;
  savedAt: string;
}

interface SavedWip {
  drawing: Uint8Array;
  savedAt: string;
}

/** Identity of a patient's images: the demo patient, or the first series' path, size and date. */
export function patientImageKey(p: Patient): string | null {
  const s = p.series[0];
  if (!s) return null;
  if (s.source.kind === 'demo') return `demo:${s.source.seed}:${s.source.patients}:${s.source.patientIndex}`;
  return `files:${p.id}:${s.label}:${s.source.files.map((f) => `${f.size}:${f.lastModified}`).join(',')}`;
}

export function drawnItem(patientId: string, name: DrawnName, file: File, fingerprint: string): SeriesItem {
  return { key: `voi-drawn:${patientId}:${name}:${fingerprint}`, name, label: `${patientId}/${name}.nii.gz`, role: 'mask', source: { kind: 'files', files: [file] } };
}

function warn(what: string, e: unknown): void {
  useApp.getState().addMessage('warning', `${what} (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
}

/** Keep (or, with null, forget) a drawn VOI for the next session. */
export async function persistDrawn(p: Patient, name: DrawnName, saved: Omit<SavedDrawn, 'patientId' | 'name'> | null): Promise<void> {
  const key = patientImageKey(p);
  if (!key) return;
  try {
    const all = (await loadState<Record<string, SavedDrawn>>(DRAWN_KEY)) ?? {};
    if (saved) all[`${key}|${name}`] = { patientId: p.id, name, ...saved };
    else delete all[`${key}|${name}`];
    await saveState(DRAWN_KEY, all);
  } catch (e) {
    warn(`${p.id}: ${name}.nii.gz is used in this session but could not be kept for the next`, e);
  }
}

async function restoreDrawn(): Promise<void> {
  let all: Record<string, SavedDrawn> | undefined;
  try {
    all = await loadState<Record<string, SavedDrawn>>(DRAWN_KEY);
  } catch (e) {
    warn('Could not read the VOIs drawn in the last session', e);
  }
  if (!all) return;
  const restored: string[] = [];
  for (const p of useApp.getState().patients) {
    const key = patientImageKey(p);
    for (const name of ['mask', 'mask2'] as const) {
      const saved = key ? all[`${key}|${name}`] : undefined;
      if (!saved || saved.patientId !== p.id) continue;
      useApp.getState().setMask(p.id, name, drawnItem(p.id, name, saved.file, saved.fingerprint));
      restored.push(`${p.id}/${name}`);
    }
  }
  if (restored.length > 0) {
    const names = restored.slice(0, 5).join(', ') + (restored.length > 5 ? ` and ${restored.length - 5} more` : '');
    useApp.getState().addMessage('info', `Drawn VOI${restored.length > 1 ? 's' : ''} ${names} restored from the last session`);
  }
}

// ---- The drawing in progress. ----

let wip: Record<string, SavedWip> = {};
let pending: { key: string; drawing: Uint8Array | null } | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

/** Key of a drawing in progress: patient, displayed series, what it will be saved as. */
export function workInProgressKey(patientId: string, imageKey: string, target: string): string {
  const p = useApp.getState().patients.find((q) => q.id === patientId);
  const item = p?.series.find((s) => s.key === imageKey);
  const stable = item?.source.kind === 'demo' ? `demo:${item.source.seed}:${item.source.patientIndex}:${item.source.series}` : `${item?.label ?? imageKey}`;
  return `${patientId}|${stable}|${target}`;
}

/** The unsaved drawing kept under `key`, when it has `length` voxels. */
export function workInProgress(key: string, length: number): Uint8Array | null {
  const w = wip[key];
  return w && w.drawing.length === length ? w.drawing.slice() : null;
}

async function writeWip(): Promise<void> {
  const job = pending;
  pending = null;
  timer = null;
  if (!job) return;
  const known = job.key in wip;
  if (job.drawing) wip[job.key] = { drawing: job.drawing, savedAt: new Date().toISOString() };
  else delete wip[job.key];
  try {
    // One entry per drawing (a drawing can be megabytes), and the list of them.
    await saveState(`${WIP_KEY}:${job.key}`, wip[job.key] ?? null);
    if (known !== job.key in wip) await saveState(WIP_KEY, Object.keys(wip));
  } catch (e) {
    warn('The drawing in progress could not be kept in the browser', e);
  }
}

/** Keep the drawing (a copy is taken now); null forgets it (saved or discarded). */
export function scheduleWorkInProgress(key: string, drawing: Uint8Array | null): void {
  if (pending && pending.key !== key) void writeWip();
  pending = { key, drawing: drawing ? drawing.slice() : null };
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => void writeWip(), WIP_DELAY_MS);
}

/** Write a pending change now (the drawing is being closed). */
export function flushWorkInProgress(): Promise<void> {
  if (timer) clearTimeout(timer);
  return writeWip();
}

async function restoreWip(): Promise<void> {
  try {
    const keys = (await loadState<string[]>(WIP_KEY)) ?? [];
    const entries = await Promise.all(keys.map(async (k) => [k, await loadState<SavedWip | null>(`${WIP_KEY}:${k}`)] as const));
    wip = Object.fromEntries(entries.filter((e): e is readonly [string, SavedWip] => !!e[1]));
  } catch (e) {
    wip = {};
    warn('Could not read the drawings in progress of the last session', e);
  }
}

onCohortLoaded(restoreDrawn);
onCohortLoaded(restoreWip);
