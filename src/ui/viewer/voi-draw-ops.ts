/**
 * Drawing operations for delineation, mostly NiiVue's own:
 * - interpolate: NiiVue's interpolateMaskSlices between each pair of
 *   consecutive drawn axial slices (called once per pair: over the whole range
 *   it would interpolate from the first to the last drawn slice and overwrite
 *   the ones drawn between); geometric, because its intensity guidance reads
 *   the image in file order, not in the drawing's RAS order;
 * - grow-cut: from VOI seeds (label 1) and background seeds (label 2), then
 *   the background label is cleared: NiiVue's drawGrowCut rule on the CPU over
 *   the seeds' box plus a margin (core grow-cut.ts: NiiVue has no box);
 * - window fill: NiiVue's drawFloodFill in 3-D from the crosshair, within an
 *   intensity window;
 * - fill holes (per axial slice, then in 3-D): not in NiiVue (core mask-ops).
 * Each operation is one undo step. Keyboard shortcuts as ITK-SNAP users expect.
 */
import { useEffect } from 'react';
import type { Niivue } from '@niivue/niivue';
import { fillHoles3d, fillHolesPerSlice, relabel, slicesWithLabel } from '../../core/index.js';
import { useApp } from '../store.js';
import { rasLayout, rasOrdered } from './voi-bitmap.js';
import { growCut as growCutInBox, seedBox, wholeBox } from '../../core/index.js';
import { BACKGROUND_SEED, drawingChanged, PEN_SIZES, undoStroke, useVoiEditor, VOI_LABEL, type VoiSession, type VoiTool } from './voi-edit.js';

function open(): { session: VoiSession; nv: Niivue; bitmap: Uint8Array; dims: [number, number, number] } | null {
  const session = useVoiEditor.getState().session;
  const bitmap = session?.nv.drawBitmap;
  if (!session || !bitmap) return null;
  return { session, nv: session.nv, bitmap, dims: rasLayout(session.size, session.permRAS).dimsRAS };
}

/** After an operation changed the bitmap in place: one undo step, redraw, state. */
function commit(nv: Niivue): void {
  nv.drawAddUndoBitmap();
  nv.refreshDrawing(true);
  drawingChanged('draw');
}

/** Durations of the costly operations in the page's performance timeline (read by bench/delineation-browser.ts). */
function timed<T>(name: string, fn: () => T, detail?: unknown): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    performance.measure(`delineation:${name}`, { start, detail });
  }
}

function say(level: 'info' | 'warning', text: string): void {
  useApp.getState().addMessage(level, text);
}

/** Fill the axial slices between drawn ones; returns the number of slices filled. */
export function interpolateSlices(): number {
  const o = open();
  if (!o) return 0;
  const drawn = slicesWithLabel(o.bitmap, o.dims, VOI_LABEL);
  let filled = 0;
  let lo: number | undefined;
  for (const hi of drawn) {
    const from = lo;
    lo = hi;
    if (from === undefined || hi - from < 2) continue;
    timed('interpolate', () => o.nv.interpolateMaskSlices(from, hi, { useIntensityGuided: false, sliceType: 0 }));
    filled += hi - from - 1;
  }
  if (filled === 0) {
    say('warning', `Interpolate: draw the VOI on at least two axial slices with empty slices between them (drawn: ${drawn.length ? drawn.map((z) => z + 1).join(', ') : 'none'})`);
    return 0;
  }
  commit(o.nv);
  return filled;
}

/** Close holes: each axial slice's enclosed areas, then enclosed cavities in 3-D. */
export function fillHoles(): number {
  const o = open();
  if (!o) return 0;
  const n = fillHolesPerSlice(o.bitmap, o.dims, VOI_LABEL) + fillHoles3d(o.bitmap, o.dims, VOI_LABEL);
  if (n > 0) commit(o.nv);
  else say('info', 'Fill holes: the VOI has no enclosed holes');
  return n;
}

/**
 * Grow-cut runs NiiVue's rule on the CPU over the seeds' box (core
 * grow-cut.ts) at every size: NiiVue's own drawGrowCut (GPU shader, whole
 * image) did not finish in 11 minutes on a 512×512×40 series without a GPU
 * (BENCHMARKS.md), and even on a small series its result depends on the
 * graphics driver on the grid's faces (e2e/delineation.spec.ts).
 */
export const GROW_CUT_MARGIN = 5;

/** A box above this many voxels asks first: the grow-cut runs on the page's thread (about 10 s per million voxels on the bench's machine). */
export const GROW_CUT_ASK_VOXELS = 4_000_000;

/**
 * Which grow-cut runs: the seeds' box, or as `?grow-cut=` in the address says: `niivue` (NiiVue's drawGrowCut) or
 * `cpu` (the CPU automaton with the box = the whole image); the e2e test compares the three.
 */
export function growCutEngine(search: string): 'niivue' | 'box' | 'cpu' {
  const forced = new URLSearchParams(search).get('grow-cut');
  return forced === 'niivue' || forced === 'cpu' ? forced : 'box';
}

/** Grow-cut from VOI seeds (label 1) and background seeds (label 2); the background label is then cleared. */
export function growCut(): void {
  const o = open();
  if (!o) return;
  const noSeeds = 'Grow-cut: draw VOI seeds (Pen) and background seeds (Background) first';
  if (!o.bitmap.includes(VOI_LABEL) || !o.bitmap.includes(BACKGROUND_SEED)) {
    say('warning', noSeeds);
    return;
  }
  const engine = growCutEngine(location.search);
  if (engine === 'niivue') {
    timed('grow-cut', () => o.nv.drawGrowCut());
    // drawGrowCut stored its result (background seeds still in it) as an undo step: the relabelled drawing replaces it (one step)
    const max = o.nv.opts.maxDrawUndoBitmaps;
    o.nv.currentDrawUndoBitmap = (o.nv.currentDrawUndoBitmap - 1 + max) % max;
  } else {
    const back = o.nv.back;
    if (!back?.img) return;
    // NiiVue's int16 copy of the image in the drawing's (RAS) order, as its shader reads it
    const intensity = rasOrdered(back.img, o.session.size, o.session.permRAS, new Int16Array(o.bitmap.length));
    const box = engine === 'box' ? seedBox(o.bitmap, o.dims, GROW_CUT_MARGIN) : wholeBox(o.dims);
    if (!box) {
      say('warning', noSeeds);
      return;
    }
    const size = [box.hi[0] - box.lo[0], box.hi[1] - box.lo[1], box.hi[2] - box.lo[2]];
    const voxels = size.reduce((a, b) => a * b, 1);
    if (voxels > GROW_CUT_ASK_VOXELS && !window.confirm(`Grow-cut over ${size.join('×')} voxels (${(voxels / 1e6).toFixed(1)} million): the page will not respond for a minute or more. Paint the background seeds closer around the tumour for a smaller box. Go on?`)) return;
    timed('grow-cut', () => growCutInBox(o.bitmap, intensity, o.dims, box), box);
  }
  const after = o.nv.drawBitmap;
  if (!after) return;
  relabel(after, BACKGROUND_SEED, 0);
  commit(o.nv);
}

/** The crosshair's voxel in the drawing's RAS grid. */
function crosshairVoxel(nv: Niivue): number[] {
  return Array.from(nv.frac2vox(nv.scene.crosshairPos)).map((x) => Math.round(x));
}

/** Add the 3-D connected region around the crosshair whose intensities lie in [lo, hi]. */
export function windowFill(lo: number, hi: number): void {
  const o = open();
  if (!o) return;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi)) {
    say('warning', `Window fill: the intensity window [${lo}, ${hi}] is not a range`);
    return;
  }
  const before = o.bitmap.slice();
  o.nv.drawFloodFill(crosshairVoxel(o.nv), VOI_LABEL, 1, lo, hi, 6, Number.POSITIVE_INFINITY, false);
  // drawFloodFill adds its own undo step.
  const after = o.nv.drawBitmap;
  if (after && !before.every((v, i) => v === after[i])) drawingChanged('draw');
  else say('info', `Window fill: the crosshair's voxel is not in the window [${lo}, ${hi}]`);
}

export function clearDrawing(): void {
  const o = open();
  if (!o || !o.bitmap.some((v) => v !== 0)) return;
  o.bitmap.fill(0);
  commit(o.nv);
}

/** Next (+1) or previous (−1) axial slice. */
export function stepSlice(delta: number): void {
  useVoiEditor.getState().session?.nv.moveCrosshairInVox(0, 0, delta);
}

function setTool(tool: VoiTool): void {
  useVoiEditor.setState({ tool });
}

function stepPenSize(delta: number): void {
  const { penSize } = useVoiEditor.getState();
  const i = PEN_SIZES.indexOf(penSize);
  const next = PEN_SIZES[Math.min(PEN_SIZES.length - 1, Math.max(0, (i < 0 ? 0 : i) + delta))];
  useVoiEditor.setState({ penSize: next });
}

/** Shortcut keys while a drawing is open (listed in docs/delineation.md and on the buttons' tooltips). */
export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: '↑ / Page Up', what: 'next axial slice' },
  { keys: '↓ / Page Down', what: 'previous axial slice' },
  { keys: 'B', what: 'pen (paintbrush)' },
  { keys: 'E', what: 'eraser' },
  { keys: 'P', what: 'fill an outline (polygon)' },
  { keys: 'G', what: 'background seeds' },
  { keys: '− / +', what: 'smaller / larger brush' },
  { keys: 'Ctrl+Z', what: 'undo' },
  { keys: 'I', what: 'interpolate slices' },
];

function onKey(e: KeyboardEvent): void {
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
  if (e.altKey || e.metaKey) return;
  const ctrl = e.ctrlKey;
  let done = true;
  if (ctrl && e.code === 'KeyZ') undoStroke();
  else if (ctrl) done = false;
  else if (e.code === 'ArrowUp' || e.code === 'PageUp') stepSlice(1);
  else if (e.code === 'ArrowDown' || e.code === 'PageDown') stepSlice(-1);
  else if (e.code === 'KeyB') setTool('pen');
  else if (e.code === 'KeyE') setTool('erase');
  else if (e.code === 'KeyP') setTool('fill');
  else if (e.code === 'KeyG') setTool('background');
  else if (e.key === '-' || e.code === 'NumpadSubtract') stepPenSize(-1);
  else if (e.key === '+' || e.key === '=' || e.code === 'NumpadAdd') stepPenSize(1);
  else if (e.code === 'KeyI') interpolateSlices();
  else done = false;
  if (done) e.preventDefault();
}

/** Installs the shortcuts while a drawing is open. */
export function useDrawingShortcuts(): void {
  const open = useVoiEditor((s) => s.session !== null);
  useEffect(() => {
    if (!open) return;
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
}
