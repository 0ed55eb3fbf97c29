import { useApp, type SliceView } from '../store.js';
import { useStudy } from '../study/study-store.js';
import { VoiEditTools } from './VoiEditTools.js';
import { useVoiEditor } from './voi-edit.js';

const VIEWS: { id: SliceView; label: string }[] = [
  { id: 'axial', label: 'Axial' },
  { id: 'coronal', label: 'Coronal' },
  { id: 'sagittal', label: 'Sagittal' },
  { id: 'multiplanar', label: 'Multiplanar' },
  { id: 'render', label: '3D' },
];

/** NiiVue colour maps offered for the VOI overlay. */
export const OVERLAY_COLORMAPS = ['red', 'green', 'blue', 'warm', 'cool', 'hot', 'winter', 'violet'];

export function ViewerControls() {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const editingVoi = useVoiEditor((s) => s.editing);
  // While the VOI is edited its drawing stands in for the overlay.
  const hasMask = useApp((s) => s.mask !== null) && !editingVoi;
  const habitatModels = useStudy((s) => s.view?.habitatModels);
  const habitatSequences = habitatModels ? Object.keys(habitatModels) : [];
  return (
    <div className="viewer-controls" role="toolbar" aria-label="Viewer">
      <div className="segmented" role="group" aria-label="View">
        {VIEWS.map((v) => (
          <button key={v.id} type="button" aria-pressed={view.sliceView === v.id} onClick={() => setView({ sliceView: v.id })}>
            {v.label}
          </button>
        ))}
      </div>
      <div className="overlay-controls" role="group" aria-label="VOI overlay">
        <label className="check">
          <input type="checkbox" checked={view.overlayVisible} disabled={!hasMask} onChange={(e) => setView({ overlayVisible: e.target.checked })} />
          VOI
        </label>
        <label>
          Opacity
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={view.overlayOpacity}
            disabled={!hasMask}
            aria-label="VOI opacity"
            onChange={(e) => setView({ overlayOpacity: Number(e.target.value) })}
          />
        </label>
        <label>
          Colour
          <select value={view.overlayColormap} disabled={!hasMask} aria-label="VOI colour map" onChange={(e) => setView({ overlayColormap: e.target.value })}>
            {OVERLAY_COLORMAPS.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        {habitatSequences.length > 0 && (
          <label>
            Habitats
            <select
              value={view.habitatSequence ?? ''}
              disabled={!hasMask}
              aria-label="Habitat map"
              onChange={(e) => setView({ habitatSequence: e.target.value || null })}
            >
              <option value="">off</option>
              {habitatSequences.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <VoiEditTools />
    </div>
  );
}
