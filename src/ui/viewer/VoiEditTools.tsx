/**
 * The viewer toolbar's VOI group. Outside edit mode: the observer (2 is
 * blinded to the first VOI), Edit VOI / Draw VOI, Download, Revert, and the
 * two observers' agreement. In edit mode: pen / erase / fill / background-seed
 * tools, pen size, Undo, the delineation operations (voi-draw-ops.ts), Save,
 * Download drawing, Cancel, and the VOI's size.
 */
import { useState } from 'react';
import { useApp, type Observer } from '../store.js';
import { clearDrawing, fillHoles, growCut, interpolateSlices, windowFill } from './voi-draw-ops.js';
import { ObserverAgreement } from './ObserverAgreement.js';
import {
  cancelEditing,
  downloadDrawing,
  downloadVoi,
  drawBlocker,
  PEN_SIZES,
  revertVoi,
  saveVoi,
  setObserver,
  startEditing,
  undoStroke,
  useVoiEditor,
  type VoiTool,
} from './voi-edit.js';

const TOOLS: { id: VoiTool; label: string; title: string }[] = [
  { id: 'pen', label: 'Pen', title: 'Add to the VOI: drag on a slice (B)' },
  { id: 'erase', label: 'Erase', title: 'Remove from the VOI: drag on a slice (E)' },
  { id: 'fill', label: 'Fill', title: 'Draw a closed outline on a slice: its inside is added to the VOI (P)' },
  { id: 'erase-fill', label: 'Erase fill', title: 'Draw a closed outline on a slice: its inside is removed from the VOI' },
  { id: 'background', label: 'Background', title: 'Background seeds for grow-cut (G); never saved' },
];

export function VoiEditTools() {
  const image = useApp((s) => s.image);
  const mask = useApp((s) => s.mask);
  const observer = useApp((s) => s.observer);
  const selectedKey = useApp((s) => s.selectedSeriesKey);
  const patient = useApp((s) => s.patients.find((p) => p.id === s.selectedPatientId));
  const editing = useVoiEditor((s) => s.editing);
  const session = useVoiEditor((s) => s.session);
  const open = session !== null;
  const dirty = useVoiEditor((s) => s.dirty);
  const undoDepth = useVoiEditor((s) => s.undoDepth);
  const drawnVoxels = useVoiEditor((s) => s.drawnVoxels);
  const tool = useVoiEditor((s) => s.tool);
  const penSize = useVoiEditor((s) => s.penSize);
  const busy = useVoiEditor((s) => s.busy);
  const [win, setWin] = useState<{ lo: string; hi: string }>({ lo: '', hi: '' });
  const blocker = drawBlocker(image, mask, selectedKey, patient);
  const edit = observer === 1 ? patient?.voiEdit : undefined;

  if (!editing) {
    return (
      <div className="voi-edit" role="group" aria-label="VOI correction">
        <label title="Observer 2 draws the second VOI (mask2.nii.gz) without seeing the first">
          Observer
          <select value={observer} aria-label="Observer" onChange={(e) => void setObserver(Number(e.target.value) as Observer)}>
            <option value={1}>1</option>
            <option value={2}>2 (blinded)</option>
          </select>
        </label>
        <button type="button" disabled={blocker !== null} title={blocker ?? (mask ? 'Correct the VOI with a pen and an eraser' : 'Delineate a VOI on this series')} onClick={startEditing}>
          {mask ? 'Edit VOI' : 'Draw VOI'}
        </button>
        {edit && (
          <span className="tag edited" data-testid="voi-edited" title={`Edited ${edit.savedAt.slice(0, 16).replace('T', ' ')}: ${edit.originalVoxels} → ${edit.voxels} voxels`}>
            VOI edited
          </span>
        )}
        <button type="button" disabled={!mask} title="Save the VOI the study uses as NIfTI" onClick={downloadVoi}>
          Download VOI
        </button>
        {edit && (
          <button type="button" title="Go back to the original VOI" onClick={() => void revertVoi()}>
            Revert VOI
          </button>
        )}
        <ObserverAgreement />
      </div>
    );
  }
  const target = session?.target === 'mask2' ? 'mask2.nii.gz' : session?.target === 'mask' ? 'mask.nii.gz' : 'the VOI';
  return (
    <div className="voi-edit editing" role="group" aria-label="VOI correction">
      <div className="segmented" role="group" aria-label="Drawing tool">
        {TOOLS.map((t) => (
          <button key={t.id} type="button" aria-pressed={tool === t.id} title={t.title} disabled={!open} onClick={() => useVoiEditor.setState({ tool: t.id })}>
            {t.label}
          </button>
        ))}
      </div>
      <label title="Brush size (− / +)">
        Size
        <select value={penSize} disabled={!open} aria-label="Pen size (voxels)" onChange={(e) => useVoiEditor.setState({ penSize: Number(e.target.value) })}>
          {PEN_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={!open || undoDepth < 1} title="Ctrl+Z" onClick={undoStroke}>
        Undo
      </button>
      <div className="segmented" role="group" aria-label="Delineation">
        <button type="button" disabled={!open} title="Fill the axial slices between drawn ones (I)" onClick={() => interpolateSlices()}>
          Interpolate
        </button>
        <button type="button" disabled={!open} title="Fill enclosed holes: in each axial slice, then in 3-D" onClick={() => fillHoles()}>
          Fill holes
        </button>
        <button type="button" disabled={!open} title="Grow the VOI seeds (Pen) against the background seeds (Background) within their bounding box plus 5 voxels" onClick={growCut}>
          Grow-cut
        </button>
        <button type="button" disabled={!open} title="Remove everything drawn (Undo brings it back)" onClick={clearDrawing}>
          Clear
        </button>
      </div>
      <div className="window-fill" role="group" aria-label="Intensity window">
        <input type="number" aria-label="Window minimum" placeholder="min" value={win.lo} disabled={!open} onChange={(e) => setWin({ ...win, lo: e.target.value })} />
        <input type="number" aria-label="Window maximum" placeholder="max" value={win.hi} disabled={!open} onChange={(e) => setWin({ ...win, hi: e.target.value })} />
        <button
          type="button"
          disabled={!open || win.lo === '' || win.hi === ''}
          title="Add the region around the crosshair (3-D, connected) whose intensities lie in the window"
          onClick={() => windowFill(Number(win.lo), Number(win.hi))}
        >
          Window fill
        </button>
      </div>
      <button type="button" className="primary" disabled={!open || busy} title={`Save as ${target}`} onClick={() => void saveVoi()}>
        Save VOI
      </button>
      <button type="button" disabled={!open || busy} title="The drawing as it is now, as NIfTI" onClick={() => void downloadDrawing()}>
        Download drawing
      </button>
      <button type="button" disabled={busy} onClick={cancelEditing}>
        Cancel
      </button>
      <span className="muted" data-testid="voi-edit-state">
        {!open ? 'Opening the VOI…' : dirty ? 'Unsaved changes' : 'Drag on a slice to draw'}
      </span>
      {open && <span data-testid="voi-drawn">{drawnVoxels} voxels</span>}
      {open && session && <span data-testid="voi-drawn-ml">{(drawnVoxels * session.voxelMl).toFixed(2)} mL</span>}
    </div>
  );
}
