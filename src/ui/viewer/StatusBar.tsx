import { useApp } from '../store.js';

const fmt = (x: number, d = 2) => (Number.isInteger(x) ? String(x) : x.toFixed(d));

/** The voxel under the crosshair and a summary of the displayed series. */
export function StatusBar() {
  const cursor = useApp((s) => s.cursor);
  const image = useApp((s) => s.image);
  const mask = useApp((s) => s.mask);
  const loading = useApp((s) => s.loading);
  const edited = useApp((s) => s.patients.find((p) => p.id === s.selectedPatientId)?.voiEdit?.item.key === mask?.key && mask !== null);
  return (
    <footer className="statusbar">
      <div className="readout" aria-live="polite" data-testid="readout">
        {cursor ? (
          <>
            <span>
              voxel <b>{cursor.voxel.join(', ')}</b>
            </span>
            <span>
              LPS <b>{cursor.lps.map((x) => x.toFixed(1)).join(', ')}</b> mm
            </span>
            <span>
              Intensity <b data-testid="intensity">{cursor.intensity === null ? '—' : fmt(cursor.intensity)}</b>
            </span>
            {mask && (
              <span>
                VOI <b>{cursor.maskValue === null ? '—' : fmt(cursor.maskValue, 0)}</b>
              </span>
            )}
          </>
        ) : (
          <span className="muted">{image ? 'Click to read the intensity under the cursor · right-drag to set contrast · scroll to change slice' : ''}</span>
        )}
      </div>
      <div className="series-info" data-testid="series-info">
        {loading ? (
          <span className="muted">Reading {loading}…</span>
        ) : image ? (
          <>
            <span title={image.label}>{image.label}</span>
            <span>{image.summary.size.join('×')}</span>
            <span>{image.summary.spacing.map((x) => fmt(x, 3)).join('×')} mm</span>
            <span>{image.summary.voxelType}</span>
            <span>
              range {fmt(image.summary.range[0])} – {fmt(image.summary.range[1])}
            </span>
            {mask && (
              <span data-testid="voi-size" title={mask.label}>
                VOI{edited ? ' (edited)' : ''} {mask.summary.nonzeroVoxels} voxels · {mask.summary.nonzeroVolumeMl.toFixed(2)} mL
              </span>
            )}
          </>
        ) : null}
      </div>
    </footer>
  );
}
