/** The viewer toolbar's VOI correction group: Edit VOI, then pen / erase / fill tools, pen size, Undo, Save, Cancel; Download and Revert. */
import { useApp } from '../store.js';
import { cancelEditing, downloadVoi, editBlocker, PEN_SIZES, revertVoi, saveVoi, startEditing, undoStroke, useVoiEditor, type VoiTool } from './voi-edit.js';

const TOOLS: { id: VoiTool; label: string; title: string }[] = [
  { id: 'pen', label: 'Pen', title: 'Add to the VOI: drag on a slice' },
  { id: 'erase', label: 'Erase', title: 'Remove from the VOI: drag on a slice' },
  { id: 'fill', label: 'Fill', title: 'Draw a closed outline on a slice: its inside is added to the VOI' },
  { id: 'erase-fill', label: 'Erase fill', title: 'Draw a closed outline on a slice: its inside is removed from the VOI' },
];

export function VoiEditTools() {
  const image = useApp((s) => s.image);
  const mask = useApp((s) => s.mask);
  const patient = useApp((s) => s.patients.find((p) => p.id === s.selectedPatientId));
  const editing = useVoiEditor((s) => s.editing);
  const open = useVoiEditor((s) => s.session !== null);
  const dirty = useVoiEditor((s) => s.dirty);
  const undoDepth = useVoiEditor((s) => s.undoDepth);
  const drawnVoxels = useVoiEditor((s) => s.drawnVoxels);
  const tool = useVoiEditor((s) => s.tool);
  const penSize = useVoiEditor((s) => s.penSize);
  const busy = useVoiEditor((s) => s.busy);
  const blocker = editBlocker(image, mask);
  const edit = patient?.voiEdit;

  if (!editing) {
    return (
      <div className="voi-edit" role="group" aria-label="VOI correction">
        <button type="button" disabled={blocker !== null} title={blocker ?? 'Correct the VOI with a pen and an eraser'} onClick={startEditing}>
          Edit VOI
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
      </div>
    );
  }
  return (
    <div className="voi-edit editing" role="group" aria-label="VOI correction">
      <div className="segmented" role="group" aria-label="Drawing tool">
        {TOOLS.map((t) => (
          <button key={t.id} type="button" aria-pressed={tool === t.id} title={t.title} disabled={!open} onClick={() => useVoiEditor.setState({ tool: t.id })}>
            {t.label}
          </button>
        ))}
      </div>
      <label>
        Size
        <select value={penSize} disabled={!open} aria-label="Pen size (voxels)" onChange={(e) => useVoiEditor.setState({ penSize: Number(e.target.value) })}>
          {PEN_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={!open || undoDepth < 1} onClick={undoStroke}>
        Undo
      </button>
      <button type="button" className="primary" disabled={!open || busy} onClick={() => void saveVoi()}>
        Save VOI
      </button>
      <button type="button" disabled={busy} onClick={cancelEditing}>
        Cancel
      </button>
      <span className="muted" data-testid="voi-edit-state">
        {!open ? 'Opening the VOI…' : dirty ? 'Unsaved changes' : 'Drag on a slice to draw'}
      </span>
      {open && <span data-testid="voi-drawn">{drawnVoxels} voxels</span>}
    </div>
  );
}
