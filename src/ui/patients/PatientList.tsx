import { selectSeries } from '../actions.js';
import { useApp, type SeriesItem } from '../store.js';

function SeriesButton({ patientId, item, selected }: { patientId: string; item: SeriesItem; selected: boolean }) {
  const failure = useApp((s) => s.failed[item.key]);
  return (
    <li>
      <button
        type="button"
        className={`series ${item.role}${selected ? ' selected' : ''}`}
        aria-pressed={selected}
        title={failure ?? item.label}
        onClick={() => void selectSeries(patientId, item.key)}
      >
        <span className="series-name">{item.name}</span>
        {failure && <span className="tag error">unreadable</span>}
        {item.role === 'mask' && <span className="tag">VOI</span>}
      </button>
    </li>
  );
}

/** Patients and their series, as grouped from the dropped files. */
export function PatientList() {
  const patients = useApp((s) => s.patients);
  const selectedPatientId = useApp((s) => s.selectedPatientId);
  const selectedSeriesKey = useApp((s) => s.selectedSeriesKey);
  const title = useApp((s) => s.cohortTitle);
  if (patients.length === 0) {
    return (
      <nav className="patients empty" aria-label="Patients">
        <p>No cohort loaded.</p>
        <p className="hint">
          Expected layout: <code>&lt;patientId&gt;/&lt;SEQUENCE&gt;.nii.gz</code> and <code>&lt;patientId&gt;/mask.nii.gz</code>; DICOM series as folders.
        </p>
      </nav>
    );
  }
  return (
    <nav className="patients" aria-label="Patients">
      <div className="cohort-title">{title}</div>
      <ul className="patient-list">
        {patients.map((p) => {
          const open = p.id === selectedPatientId;
          return (
            <li key={p.id} className={open ? 'patient open' : 'patient'}>
              <button
                type="button"
                className={p.inLayout ? 'patient-id' : 'patient-id outside'}
                aria-expanded={open}
                title={p.inLayout ? undefined : 'Not in the cohort layout (no mask or no image): viewable, not analysed'}
                onClick={() => void selectSeries(p.id, (p.series[0] ?? p.masks[0])?.key ?? null)}
              >
                {p.id}
                <span className="count">
                  {p.series.length} series{p.masks.length > 0 ? (p.voiEdit ? ' · VOI edited' : ' · VOI') : ''}
                </span>
              </button>
              {open && (
                <ul className="series-list" aria-label={`Series of ${p.id}`}>
                  {[...p.series, ...p.masks].map((s) => (
                    <SeriesButton key={s.key} patientId={p.id} item={s} selected={s.key === selectedSeriesKey} />
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
