/** The review table of a dropped export: each patient's series, the suggested sequence, and the user's choice. */
import { mappingFromChoices } from '../../core/index.js';
import { importReviewedExport, saveChoicesAsRules } from './import-actions.js';
import { openCohortFiles } from '../actions.js';
import { useImport } from './import-store.js';

const fmt = (xs: number[], digits = 2) => xs.map((x) => +x.toFixed(digits)).join(' × ');

/** The caption's ROI part: the patient's RT Structure Set / SEG ROIs, or that it has none. */
const roiNote = (rois: string[] | undefined) => (rois ? ` · ROIs: ${rois.join(', ')}` : ' · no RT Structure Set or SEG');

export function ImportReview() {
  const { review, choices, voi, voi2, busy, choose, setVoi, close } = useImport();
  if (!review) return null;
  const mappings = review.mappings.map((m) => mappingFromChoices(m, choices[m.patientId] ?? {}, review.sequences));
  const ready = mappings.filter((m) => m.problems.length === 0).length;
  const allRois = [...new Set(Object.values(review.rois).flat())].sort();
  return (
    <section className="import-review" aria-label="Import review">
      <h2>DICOM export: {review.mappings.length} patients, {review.series.length} series</h2>
      <p className="hint">Series are sorted by their DICOM headers. Check the sequence suggested for each series; a patient with a sequence missing or chosen twice is left out.</p>
      <div className="import-vois">
        <label className="field">
          VOI (RT Structure Set ROI or SEG segment)
          <input list="import-rois" value={voi} onChange={(e) => setVoi('voi', e.target.value)} aria-label="VOI ROI name" />
        </label>
        <label className="field">
          Second observer (optional)
          <input list="import-rois" value={voi2} onChange={(e) => setVoi('voi2', e.target.value)} aria-label="Second observer ROI name" />
        </label>
        <datalist id="import-rois">
          {allRois.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      </div>
      {mappings.map((m) => (
        <div className="table-wrap" key={m.patientId} data-testid={`import-patient-${m.patientId}`}>
          <table>
            <caption>
              {m.patientId} {m.problems.length === 0 ? '· ready' : `· left out: ${m.problems.join('; ')}`}
              {roiNote(review.rois[m.patientId])}
            </caption>
            <thead>
              <tr>
                <th>#</th>
                <th>description</th>
                <th>protocol</th>
                <th>orientation</th>
                <th>matrix</th>
                <th>spacing (mm)</th>
                <th>contrast</th>
                <th>fat sat</th>
                <th>use as</th>
                <th>note</th>
              </tr>
            </thead>
            <tbody>
              {review.series
                .filter((s) => s.patientId === m.patientId)
                .map((s) => {
                  const c = m.series.find((x) => x.key === s.key);
                  return (
                    <tr key={s.key}>
                      <td>{s.seriesNumber ?? ''}</td>
                      <td>{s.description}</td>
                      <td>{s.protocol}</td>
                      <td>{s.orientation}</td>
                      <td>{fmt(s.matrix, 0)}</td>
                      <td>{fmt(s.spacing)}</td>
                      <td>{s.contrast ? 'yes' : ''}</td>
                      <td>{s.fatSat ? 'yes' : ''}</td>
                      <td>
                        <select aria-label={`Use of ${m.patientId} series ${s.seriesNumber ?? s.key}`} value={choices[m.patientId]?.[s.key] ?? ''} disabled={!!s.notAVolume} onChange={(e) => choose(m.patientId, s.key, e.target.value)}>
                          <option value="">not used</option>
                          {review.sequences.map((q) => (
                            <option key={q} value={q}>
                              {q}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>{c?.sequence ? '' : (c?.why ?? '')}</td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
        </div>
      ))}
      {review.notes.length > 0 && (
        <details>
          <summary>{review.notes.length} other file(s): not image series</summary>
          <ul>
            {review.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={busy || ready === 0} onClick={() => void importReviewedExport(mappings, openCohortFiles)}>
          {busy ? 'Importing…' : `Import ${ready} patient${ready === 1 ? '' : 's'}`}
        </button>
        <button type="button" disabled={busy} onClick={() => saveChoicesAsRules(mappings)} title="The rules with these choices, for habitat import --map or the next export">
          Save choices as rules (YAML)
        </button>
        <button type="button" disabled={busy} onClick={close}>
          Cancel
        </button>
      </div>
    </section>
  );
}
