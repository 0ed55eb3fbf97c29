/**
 * The NiiVue side of VOI editing (state and buttons: voi-edit.ts). In edit
 * mode the displayed VOI is copied into NiiVue's drawing layer (its labels in
 * the background's RAS voxel order, voi-bitmap.ts) and the VOI overlay is
 * hidden; left-drag on a 2D slice then draws with the chosen tool.
 */
import { useEffect, type RefObject } from 'react';
import type { Niivue } from '@niivue/niivue';
import { useApp } from '../store.js';
import { countNonzero, maskToDrawBitmap } from './voi-bitmap.js';
import { stopEditing, useVoiEditor, VOI_LABEL, type VoiTool } from './voi-edit.js';

/** Undo steps NiiVue keeps (a circular buffer; its default is 8). */
const UNDO_STEPS = 32;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function applyTool(nv: Niivue, tool: VoiTool, penSize: number): void {
  nv.opts.penSize = penSize;
  // Pen value 0 erases; a filled pen closes the outline drawn and fills it (on one slice).
  nv.setPenValue(tool === 'pen' || tool === 'fill' ? VOI_LABEL : 0, tool === 'fill' || tool === 'erase-fill');
}

/** Opacities of the overlays hidden while editing. */
let hiddenOpacities: number[] = [];
/** The drawing of a session closed while still editing (the viewer reloaded its volumes, e.g. for a habitat map): reopened as it was. */
let carried: { maskKey: string; drawing: Uint8Array; baseline: Uint8Array } | null = null;

/** Open the displayed VOI as a drawing; a one-line reason when it cannot be. */
function openDrawing(nv: Niivue): string | null {
  const { image, mask, selectedPatientId } = useApp.getState();
  const back = nv.volumes[0];
  // The VOI overlay as Viewer.tsx names it (other overlays, e.g. habitat maps, may follow or precede it).
  const over = mask ? nv.volumes.find((v, i) => i > 0 && v.name === `${mask.name}.nii`) : undefined;
  if (!image || !mask || !selectedPatientId || !back?.hdr || !over?.hdr || !back.permRAS || !over.permRAS || !over.img) return 'the viewer shows no VOI';
  const size: [number, number, number] = [over.hdr.dims[1], over.hdr.dims[2], over.hdr.dims[3]];
  // The drawing lives on the background's RAS grid: the VOI must be on that very grid.
  if (size.some((n, c) => n !== back.hdr!.dims[c + 1]) || back.permRAS.some((p, r) => p !== over.permRAS![r])) {
    return `${mask.label} is not on the grid of ${image.label}`;
  }
  const bitmap = maskToDrawBitmap(over.img, size, back.permRAS);
  const kept = carried?.maskKey === mask.key && carried.drawing.length === bitmap.length ? carried : null;
  carried = null;
  const baseline = kept ? kept.baseline : bitmap;
  nv.opts.maxDrawUndoBitmaps = UNDO_STEPS;
  nv.createEmptyDrawing();
  nv.drawBitmap = (kept ? kept.drawing : bitmap).slice();
  // The loaded VOI is the first undo state: Undo never goes past it.
  nv.drawClearAllUndoBitmaps();
  nv.drawAddUndoBitmap();
  nv.refreshDrawing(true);
  const { tool, penSize } = useVoiEditor.getState();
  applyTool(nv, tool, penSize);
  nv.setDrawingEnabled(true);
  // The drawing replaces the VOI overlay (and a habitat map) while editing.
  hiddenOpacities = nv.volumes.map((v) => v.opacity);
  for (let v = 1; v < nv.volumes.length; v++) nv.setOpacity(v, 0);
  nv.onDrawingChanged = (action: string) => {
    const st = useVoiEditor.getState();
    const depth = action === 'draw' ? Math.min(st.undoDepth + 1, UNDO_STEPS - 1) : action === 'undo' ? Math.max(0, st.undoDepth - 1) : st.undoDepth;
    const now = nv.drawBitmap;
    useVoiEditor.setState({ undoDepth: depth, dirty: now ? !sameBytes(now, baseline) : false, drawnVoxels: now ? countNonzero(now) : 0 });
  };
  const drawing = kept ? kept.drawing : bitmap;
  useVoiEditor.setState({
    session: { nv, patientId: selectedPatientId, maskKey: mask.key, size, permRAS: [...back.permRAS], baseline },
    dirty: !sameBytes(drawing, baseline),
    undoDepth: 0,
    drawnVoxels: countNonzero(drawing),
  });
  return null;
}

function closeDrawing(nv: Niivue): void {
  const { editing, session } = useVoiEditor.getState();
  carried = editing && session && nv.drawBitmap ? { maskKey: session.maskKey, drawing: nv.drawBitmap.slice(), baseline: session.baseline } : null;
  nv.onDrawingChanged = () => {};
  nv.setDrawingEnabled(false);
  nv.closeDrawing();
  for (let v = 1; v < Math.min(nv.volumes.length, hiddenOpacities.length); v++) nv.setOpacity(v, hiddenOpacities[v]);
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
    if (!ready || !nv || !editing || !maskKey || shown.imageKey !== imageKey || shown.maskKey !== maskKey) return;
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
