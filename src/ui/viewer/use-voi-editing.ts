/**
 * The NiiVue side of VOI editing (state and buttons: voi-edit.ts). In edit
 * mode the displayed VOI is copied into NiiVue's drawing layer (its labels in
 * the background's RAS voxel order, voi-bitmap.ts) and the VOI overlay is
 * hidden; left-drag on a 2D slice then draws with the chosen tool.
 */
import { useEffect, type RefObject } from 'react';
import type { Niivue } from '@niivue/niivue';
import { useApp } from '../store.js';
import { maskToDrawBitmap, niftiSize } from './voi-bitmap.js';
import { countLabel, drawingChanged, sameBytes, stopEditing, useVoiEditor, VOI_LABEL, BACKGROUND_SEED, UNDO_STEPS, type VoiTarget, type VoiTool } from './voi-edit.js';
import { flushWorkInProgress, workInProgress, workInProgressKey } from './voi-drawn.js';


function applyTool(nv: Niivue, tool: VoiTool, penSize: number): void {
  nv.opts.penSize = penSize;
  // Pen value 0 erases; a filled pen closes the outline drawn and fills it (on one slice); background seeds (grow-cut) are label 2.
  const value = tool === 'pen' || tool === 'fill' ? VOI_LABEL : tool === 'background' ? BACKGROUND_SEED : 0;
  nv.setPenValue(value, tool === 'fill' || tool === 'erase-fill');
}

/** Opacities of the overlays hidden while editing. */
let hiddenOpacities: number[] = [];
/** The drawing of a session closed while still editing (the viewer reloaded its volumes, e.g. for a habitat map): reopened as it was. */
let carried: { maskKey: string; drawing: Uint8Array; baseline: Uint8Array } | null = null;

/** Open the displayed VOI (or, with none, an empty drawing on the displayed image's grid) as a drawing; a one-line reason when it cannot be. */
function openDrawing(nv: Niivue): string | null {
  const { image, mask, selectedPatientId, observer } = useApp.getState();
  const back = nv.volumes[0];
  // The VOI overlay as Viewer.tsx names it (other overlays, e.g. habitat maps, may follow or precede it).
  const over = mask ? nv.volumes.find((v, i) => i > 0 && v.name === `${mask.name}.nii`) : undefined;
  const backSize = back?.hdr ? niftiSize(back.hdr.dims) : null;
  if (!image || !selectedPatientId || !back?.permRAS || !backSize) return 'the viewer shows no image';
  const backPerm = back.permRAS;
  let size = backSize;
  let loaded: Uint8Array;
  if (mask) {
    const overSize = over?.hdr ? niftiSize(over.hdr.dims) : null;
    const overPerm = over?.permRAS;
    const overImg = over?.img;
    if (!overSize || !overPerm || !overImg) return 'the viewer shows no VOI';
    size = overSize;
    // The drawing lives on the background's RAS grid: the VOI must be on that very grid.
    if (size.some((n, c) => n !== backSize[c]) || backPerm.some((p, r) => p !== overPerm[r])) {
      return `${mask.label} is not on the grid of ${image.label}`;
    }
    loaded = maskToDrawBitmap(overImg, size, backPerm);
  } else {
    loaded = new Uint8Array(size[0] * size[1] * size[2]);
  }
  // A VOI drawn here earlier is redrawn as such; a VOI the cohort came with is corrected (voiEdit).
  const target: VoiTarget = observer === 2 ? 'mask2' : mask && !mask.key.startsWith('voi-drawn:') ? 'edit' : 'mask';
  const wipKey = workInProgressKey(selectedPatientId, image.key, target);
  const kept = carried?.maskKey === (mask?.key ?? image.key) && carried.drawing.length === loaded.length ? carried : null;
  carried = null;
  const baseline = kept ? kept.baseline : loaded;
  // A drawing left unsaved by a reload or a closed tab comes back.
  const wip = kept ? null : workInProgress(wipKey, loaded.length);
  const drawing = kept ? kept.drawing : (wip ?? loaded);
  nv.opts.maxDrawUndoBitmaps = UNDO_STEPS;
  nv.createEmptyDrawing();
  nv.drawBitmap = drawing.slice();
  // The loaded drawing is the first undo state: Undo never goes past it.
  nv.drawClearAllUndoBitmaps();
  nv.drawAddUndoBitmap();
  nv.refreshDrawing(true);
  const { tool, penSize } = useVoiEditor.getState();
  applyTool(nv, tool, penSize);
  nv.setDrawingEnabled(true);
  // The drawing replaces the VOI overlay (and a habitat map) while editing.
  hiddenOpacities = nv.volumes.map((v) => v.opacity);
  for (let v = 1; v < nv.volumes.length; v++) nv.setOpacity(v, 0);
  nv.onDrawingChanged = (action: string) => drawingChanged(action, baseline);
  const [sx, sy, sz] = image.summary.spacing;
  useVoiEditor.setState({
    session: {
      nv,
      patientId: selectedPatientId,
      maskKey: mask?.key ?? image.key,
      imageKey: image.key,
      target,
      wipKey,
      size,
      permRAS: [...backPerm],
      baseline,
      voxelMl: (sx * sy * sz) / 1000,
    },
    dirty: !sameBytes(drawing, baseline),
    undoDepth: 0,
    drawnVoxels: countLabel(drawing, VOI_LABEL),
  });
  if (wip) useApp.getState().addMessage('info', `${selectedPatientId}: the unsaved drawing of the last session is back (${countLabel(wip, VOI_LABEL)} voxels)`);
  return null;
}

function closeDrawing(nv: Niivue): void {
  const { editing, session } = useVoiEditor.getState();
  carried = editing && session && nv.drawBitmap ? { maskKey: session.maskKey, drawing: nv.drawBitmap.slice(), baseline: session.baseline } : null;
  flushWorkInProgress();
  nv.onDrawingChanged = () => {};
  nv.setDrawingEnabled(false);
  nv.closeDrawing();
  hiddenOpacities.forEach((opacity, v) => {
    if (v >= 1 && v < nv.volumes.length) nv.setOpacity(v, opacity);
  });
  hiddenOpacities = [];
  nv.drawScene();
  useVoiEditor.setState({ session: null, dirty: false, undoDepth: 0 });
}

export function useVoiEditing(nvRef: RefObject<Niivue | null>, ready: boolean): void {
  const editing = useVoiEditor((s) => s.editing);
  const shown = useVoiEditor((s) => s.shown);
  const tool = useVoiEditor((s) => s.tool);
  const penSize = useVoiEditor((s) => s.penSize);
  const session = useVoiEditor((s) => s.session);
  const imageKey = useApp((s) => s.image?.key ?? null);
  const maskKey = useApp((s) => s.mask?.key ?? null);

  // Open the drawing once the viewer shows the VOI being edited; close it when edit mode ends or the VOI changes.
  useEffect(() => {
    const nv = nvRef.current;
    if (!ready || !nv || !editing || !imageKey || shown.imageKey !== imageKey || shown.maskKey !== maskKey) return;
    let reason: string | null;
    try {
      reason = openDrawing(nv);
    } catch (e) {
      reason = e instanceof Error ? e.message : String(e);
    }
    if (reason) {
      useApp.getState().addMessage('error', `Edit VOI: ${useApp.getState().mask?.label ?? 'VOI'}: ${reason}`);
      stopEditing();
      return;
    }
    return () => closeDrawing(nv);
  }, [nvRef, ready, editing, shown, imageKey, maskKey]);

  useEffect(() => {
    if (session) applyTool(session.nv, tool, penSize);
  }, [session, tool, penSize]);

  // Leaving the page with unsaved edits asks first.
  const dirty = useVoiEditor((s) => s.dirty);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
}
