/**
 * Apply model: a saved study model applied to one patient — the risk of every
 * model (with its training threshold) and the patient's habitat maps, shown
 * in the viewer or downloaded as NIfTI. Clinical values for the Clinic and
 * Combined models are entered here, pre-filled from the clinical table.
 */
import { useState } from 'react';
import { clinicalInputs } from '../../core/index.js';
import { filesFromInput } from '../files/collect-files.js';
import { useApp } from '../store.js';
import {
  cancelPrediction,
  chooseCohortPatient,
  chooseModelFile,
  choosePatientFiles,
  chooseStudyModel,
  currentBundle,
  downloadHabitats,
  runPrediction,
  setClinicalValue,
  showHabitatsInViewer,
  useApplyModel,
} from './apply-model-actions.js';
import { useStudy } from './study-store.js';

/** Reference level of a categorical variable whose name the model does not hold (it has no dummy column). */
const OTHER_LEVEL = '(reference level)';

export function ApplyModel() {
  const s = useApplyModel();
  const view = useStudy((x) => x.view);
  const patients = useApp((x) => x.patients);
  const [sequence, setSequence] = useState<string>('');
  const model = currentBundle();
  const inputs = model ? clinicalInputs(model.bundle, s.levels) : [];
  const habitatSeqs = s.result ? Object.keys(s.result.habitats) : [];
  const shownSeq = habitatSeqs.includes(sequence) ? sequence : (habitatSeqs[0] ?? '');
  const shownHabitats = s.result?.habitats[shownSeq];
  const running = s.status === 'running';

  return (
    <section className="apply-model" aria-label="Apply model">
      <h3>Apply model to a patient</h3>
      <div className="row">
        <label>
          Model{' '}
          <select aria-label="Model" value={s.modelFile ? 'file' : 'study'} disabled={running} onChange={(e) => e.target.value === 'study' && chooseStudyModel()}>
            <option value="study" disabled={!view}>
              {view ? `last study (${new Date(view.finishedAt).toLocaleString()})` : 'last study (none yet)'}
            </option>
            {s.modelFile && <option value="file">{s.modelFile.name}</option>}
          </select>
        </label>
        <label className="upload">
          Open model.json…
          <input
            type="file"
            accept=".json"
            aria-label="Model file"
            disabled={running}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void chooseModelFile(f);
              e.target.value = '';
            }}
          />
        </label>
        <label>
          Patient{' '}
          <select aria-label="Patient to apply the model to" value={s.patient?.kind === 'cohort' ? s.patient.id : s.patient ? '(files)' : ''} disabled={running} onChange={(e) => chooseCohortPatient(e.target.value)}>
            <option value="">choose…</option>
            {s.patient?.kind === 'files' && <option value="(files)">{s.patient.id} (dropped files)</option>}
            {patients.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id}
              </option>
            ))}
          </select>
        </label>
        <label className="upload" title="The patient's sequences named as in the model (e.g. T2WI.nii.gz) and its VOI (mask.nii.gz), or their folder">
          New patient's files…
          <input
            type="file"
            multiple
            aria-label="New patient files"
            disabled={running}
            onChange={(e) => {
              choosePatientFiles(filesFromInput(e.target.files));
              e.target.value = '';
            }}
          />
        </label>
      </div>
      {model && (
        <p className="hint">
          Model from {model.source}: sequences {model.bundle.config.sequences.join(', ')} (VOI on {model.bundle.config.reference}); models {model.bundle.models.map((m) => m.name).join(', ')}.
        </p>
      )}
      {inputs.length > 0 && (
        <div className="row clinical-inputs" role="group" aria-label="Clinical values">
          {inputs.map((v) => {
            const value = s.clinical[v.name] ?? '';
            return (
              <label key={v.name} title={`used by ${v.models.join(', ')}`}>
                {v.name}{' '}
                {v.kind === 'continuous' ? (
                  <input aria-label={`Clinical ${v.name}`} inputMode="decimal" value={value} onChange={(e) => setClinicalValue(v.name, e.target.value)} />
                ) : (
                  <select aria-label={`Clinical ${v.name}`} value={value} onChange={(e) => setClinicalValue(v.name, e.target.value)}>
                    <option value="">choose…</option>
                    {v.levels.map((l) => (
                      <option key={l} value={l}>
                        {l}
                      </option>
                    ))}
                    {value && !v.levels.includes(value) && <option value={value}>{value}</option>}
                    {!s.levels[v.name] && <option value={OTHER_LEVEL}>{OTHER_LEVEL}</option>}
                  </select>
                )}
              </label>
            );
          })}
          {s.clinicalFrom && <span className="hint">{s.clinicalFrom}</span>}
        </div>
      )}
      <div className="row">
        <button type="button" className="primary" disabled={!model || !s.patient || running} onClick={() => void runPrediction()}>
          {running ? 'Applying…' : 'Apply model'}
        </button>
        {running && (
          <button type="button" onClick={cancelPrediction}>
            Cancel
          </button>
        )}
        <span data-testid="apply-status">{s.status}</span>
      </div>
      {s.error && (
        <p className="settings-error" role="alert">
          {s.error}
        </p>
      )}
      {s.result && (
        <div aria-label="Prediction">
          <table aria-label="Predicted risk">
            <caption>
              Patient {s.result.id} · model from {s.resultFor} · {s.result.seconds.toFixed(1)} s
            </caption>
            <thead>
              <tr>
                <th>model</th>
                <th>risk</th>
                <th>threshold</th>
                <th>call</th>
              </tr>
            </thead>
            <tbody>
              {s.result.models.map((m) => (
                <tr key={m.name} data-testid={`risk-${m.name}`} data-probability={String(m.probability)}>
                  <td>{m.name}</td>
                  <td>{m.probability.toFixed(3)}</td>
                  <td>{Number.isFinite(m.threshold) ? m.threshold.toFixed(3) : m.threshold < 0 ? '−∞' : '∞'}</td>
                  <td className={m.positive ? 'positive' : undefined}>{m.positive ? 'positive' : 'negative'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">
            {Object.entries(s.result.radScores)
              .map(([k, v]) => `${k} ${v.toFixed(3)}`)
              .join(' · ')}
          </p>
          <div className="row">
            <label>
              Habitat map{' '}
              <select aria-label="Predicted habitat map" value={shownSeq} onChange={(e) => setSequence(e.target.value)}>
                {habitatSeqs.map((q) => (
                  <option key={q} value={q}>
                    {q}
                  </option>
                ))}
              </select>
            </label>
            {shownHabitats && (
              <span className="hint">
                {shownHabitats.fractions.map((f, h) => `Hab${h + 1} ${(100 * f).toFixed(0)} %`).join(', ')}
              </span>
            )}
            <button type="button" disabled={!shownSeq} onClick={() => void showHabitatsInViewer(shownSeq)}>
              Show in viewer
            </button>
            <button type="button" disabled={!shownSeq} onClick={() => downloadHabitats(shownSeq)}>
              Download NIfTI
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
