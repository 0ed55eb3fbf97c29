/**
 * Habitat maps in the viewer: when a study has finished and a habitat
 * sequence is chosen, the selected patient's map is computed by the image
 * reader worker from the study cache (prepared images + cohort model) and
 * overlaid. Maps are on the study grid (the reference sequence's frame after
 * registration and 1 mm resampling); NiiVue places them by their position in space.
 */
import { imageReader } from '../reader-client.js';
import { useApp } from '../store.js';
import { useStudy } from './study-store.js';

/** Hab1–Hab4 as in the paper's Fig. 1 (red, green, yellow, blue); Hab5–Hab8 magenta, cyan, orange, white. */
export const HABITAT_COLOURS: [number, number, number][] = [
  [230, 40, 40],
  [40, 200, 60],
  [240, 220, 40],
  [50, 90, 240],
  [220, 60, 220],
  [40, 220, 220],
  [250, 150, 30],
  [240, 240, 240],
];

/** CSS colour of habitat h (1-based), as the overlay draws it. */
export function habitatCss(h: number): string {
  const c = HABITAT_COLOURS[(h - 1) % HABITAT_COLOURS.length];
  if (c === undefined) throw new Error(`habitat ${h}: habitats are numbered 1, 2, …`);
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

let generation = 0;

async function refresh(): Promise<void> {
  const app = useApp.getState();
  const seq = app.view.habitatSequence;
  const view = useStudy.getState().view;
  const id = app.selectedPatientId;
  const mine = ++generation;
  const model = seq && view ? view.habitatModels?.[seq] : undefined;
  const preparedKey = id && view ? view.preparedKeys?.[id] : undefined;
  if (!seq || !model || !id || !app.image) {
    if (app.habitat) app.setHabitat(null);
    return;
  }
  if (!preparedKey) {
    app.setHabitat(null);
    app.addMessage('info', `Patient ${id} is not in the last study: no habitat map`);
    return;
  }
  const r = await imageReader().habitatMap({ preparedKey, patientId: id, model });
  if (mine !== generation) return;
  if (!r.ok) {
    useApp.getState().addMessage('warning', r.message);
    useApp.getState().setHabitat(null);
    return;
  }
  useApp.getState().setHabitat({ key: preparedKey, name: `${id}-${seq}-habitats`, label: r.label, nifti: r.nifti, summary: r.summary, labelCounts: r.labelCounts });
}

useApp.subscribe((s, prev) => {
  if (s.image !== prev.image || s.view.habitatSequence !== prev.view.habitatSequence) void refresh();
});
useStudy.subscribe((s, prev) => {
  if (s.view !== prev.view) void refresh();
});
