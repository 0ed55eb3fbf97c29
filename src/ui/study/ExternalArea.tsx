/**
 * The External tab: "Validate on another cohort" (a dropped or picked cohort
 * folder with its clinical.csv, optional ComBat onto the training data) and
 * each external validation of the study: Table 3 with its external column, the
 * DeLong tests, ROC, calibration and decision curves (the study's figure
 * component: static SVG, interactive on request, SVG/PNG export).
 */
import { useMemo, useRef, type DragEvent } from 'react';
import type { PlotTrace } from 'plotly.js-basic-dist-min';
import { externalRunTitle, externalTable3Csv, type ExternalRun } from '../../core/index.js';
import { filesFromDataTransfer, filesFromInput } from '../files/collect-files.js';
import { Plot, type PlotProps } from './Plot.js';
import { CsvTable } from './Results.js';
import { useStudy } from './study-store.js';
import {
  cancelExternalValidation,
  chooseExternalCohort,
  removeExternalRun,
  runExternalValidation,
  setBatchColumn,
  setHarmonise,
  showExternalRun,
  studyModel,
  useExternal,
} from './external-actions.js';

const diagonal: PlotTrace = { x: [0, 1], y: [0, 1], name: 'chance', mode: 'lines', line: { dash: 'dot', color: '#777' } };
const f3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3));

function ValidatePanel() {
  const s = useExternal();
  const view = useStudy((x) => x.view);
  const model = useMemo(() => studyModel(view), [view]);
  const folder = useRef<HTMLInputElement>(null);
  const running = s.status === 'running';
  const onDrop = (e: DragEvent) => {
    // The cohort to validate on, not a new main cohort (App's drop handler leaves drops on a data-drop-target alone).
    e.preventDefault();
    filesFromDataTransfer(e.dataTransfer)
      .then(chooseExternalCohort)
      .catch((err: unknown) => useExternal.setState({ status: 'failed', error: `Could not read the dropped items: ${err instanceof Error ? err.message : String(err)}` }));
  };
  return (
    <section className="apply-model external-panel" aria-label="Validate on another cohort" data-drop-target="external-cohort" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <h3>Validate on another cohort</h3>
      {!model ? (
        <p className="hint">Run a study (Study tab) or import a study bundle first: its models are validated here on a second, labelled cohort.</p>
      ) : (
        <>
          <p className="hint">
            The study's models ({model.models.map((m) => m.name).join(', ')}) on a cohort folder laid out like the study's (one folder per patient with {model.config.sequences.join(', ')} and
            mask; clinical.csv with the columns {model.config.id} and {model.config.outcome}). Each patient is prepared with the study's settings and its habitats come from the study's habitat models.
            Drop the folder here or pick it.
          </p>
          <div className="row">
            <button type="button" className="primary" disabled={running} onClick={() => folder.current?.click()}>
              Validate on another cohort…
            </button>
            <input
              ref={folder}
              type="file"
              hidden
              aria-label="External cohort folder"
              data-testid="external-folder-input"
              {...{ webkitdirectory: '', directory: '' }}
              onChange={(e) => {
                void chooseExternalCohort(filesFromInput(e.target.files));
                e.target.value = '';
              }}
            />
            {s.cohort && (
              <span className="hint" data-testid="external-cohort">
                {s.cohort.title}: {s.cohort.specs.length} patients{s.cohort.clinical ? `, ${s.cohort.clinical.file}` : ''}
                {s.cohort.notes.length ? ` · ${s.cohort.notes.length} note(s)` : ''}
              </span>
            )}
          </div>
          <div className="row">
            <label title={model.harmonisation ? "Map the cohort's best-habitat features onto the training data (ComBat, a batch not seen in training, estimated from its own features only)" : 'The study model has no training harmonisation (a study run before harmonisation existed): run the study again'}>
              <input type="checkbox" checked={s.harmonise && !!model.harmonisation} disabled={!model.harmonisation || running} onChange={(e) => setHarmonise(e.target.checked)} /> Harmonise (ComBat) to training
            </label>
            {s.harmonise && model.harmonisation && s.cohort && s.cohort.columns.length > 0 && (
              <label>
                batches{' '}
                <select aria-label="Batch column" value={s.batchColumn} disabled={running} onChange={(e) => setBatchColumn(e.target.value)}>
                  <option value="">the whole cohort is one batch</option>
                  {s.cohort.columns
                    .filter((c) => c !== model.config.id && c !== model.config.outcome)
                    .map((c) => (
                      <option key={c} value={c}>
                        column {c}
                      </option>
                    ))}
                </select>
              </label>
            )}
            <button type="button" disabled={!s.cohort?.clinical || running} onClick={() => void runExternalValidation()}>
              Run external validation
            </button>
            {running && (
              <button type="button" onClick={cancelExternalValidation}>
                Cancel
              </button>
            )}
            {running && <progress aria-label="External validation progress" max={Math.max(1, s.progress.total)} value={s.progress.done} />}
            <span data-testid="external-status" aria-live="polite">
              {running ? `running · ${s.progress.done}/${s.progress.total} ${s.progress.last}` : s.status}
            </span>
          </div>
        </>
      )}
      {s.error && (
        <p className="settings-error" role="alert">
          {s.error}
        </p>
      )}
    </section>
  );
}

function ExternalResult({ run }: { run: ExternalRun }) {
  const r = run.result;
  const figs = useMemo((): PlotProps[] => {
    const top = Math.max(0.05, ...Object.values(r.decisionCurve.models).flat(), ...r.decisionCurve.treatAll);
    return [
      {
        label: 'ROC curve',
        title: 'ROC curve — external',
        file: 'roc-external',
        data: [...r.models.map((m) => ({ x: m.roc.fpr, y: m.roc.tpr, name: `${m.name} (AUC ${m.auc.toFixed(3)})`, mode: 'lines' as const })), diagonal],
        layout: { xaxis: { range: [0, 1], title: { text: '1 − specificity' } }, yaxis: { range: [0, 1], title: { text: 'sensitivity' } } },
      },
      {
        label: 'Calibration curve',
        title: 'Calibration curve — external',
        file: 'calibration-external',
        data: [
          ...r.models.map((m) => ({ x: m.calibration.meanPredicted, y: m.calibration.fractionPositive, name: `${m.name} (slope ${f3(m.calibrationFit?.slope)})`, mode: 'lines+markers' as const })),
          diagonal,
        ],
        layout: { xaxis: { range: [0, 1], title: { text: 'mean predicted probability' } }, yaxis: { range: [0, 1], title: { text: 'observed fraction positive' } } },
      },
      {
        label: 'Decision curve',
        title: 'Decision curve — external',
        file: 'decision-external',
        data: [
          ...Object.entries(r.decisionCurve.models).map(([name, nb]) => ({ x: r.decisionCurve.thresholds, y: nb, name, mode: 'lines' as const })),
          { x: r.decisionCurve.thresholds, y: r.decisionCurve.treatAll, name: 'Treat all', mode: 'lines' as const, line: { dash: 'dash' } },
          { x: [0, 1], y: [0, 0], name: 'Treat none', mode: 'lines' as const, line: { dash: 'dot', color: '#aaa' } },
        ] as PlotTrace[],
        layout: { xaxis: { range: [0, 1], title: { text: 'threshold probability' } }, yaxis: { range: [-0.05, top * 1.05], title: { text: 'net benefit' } } },
      },
    ];
  }, [r]);
  const table3 = useMemo(() => externalTable3Csv(r), [r]);
  return (
    <section className="results" aria-label="External validation results">
      <h2>
        External validation · {externalRunTitle(run)} · {r.n} patients ({r.positives} positive) · {run.seconds.toFixed(0)} s · {new Date(run.finishedAt).toLocaleString()}
      </h2>
      <p className="hint" data-testid="external-harmonisation">
        Harmonisation: {r.harmonisation}
      </p>
      <p className="hint">
        AUC (external):{' '}
        {r.models.map((m) => (
          <span key={m.name} data-testid={`external-auc-${m.name}`} data-auc={String(m.auc)} data-ci={`${m.ci95[0]},${m.ci95[1]}`}>
            {m.name} {m.auc.toFixed(3)} ({f3(m.ci95[0])}–{f3(m.ci95[1])}){' · '}
          </span>
        ))}
      </p>
      <div className="plots">
        {figs.map((f) => (
          <Plot key={f.file} {...f} />
        ))}
      </div>
      <CsvTable title="Table 3 — models, with the external validation column" csv={table3} />
      <div className="table-wrap">
        <table aria-label="DeLong tests on the external cohort">
          <caption>DeLong tests — external cohort</caption>
          <thead>
            <tr>
              <th>model</th>
              <th>external AUC (95% CI)</th>
              <th>paired DeLong p vs Clinic (external)</th>
              <th>internal validation AUC</th>
              <th>unpaired DeLong D (df)</th>
              <th>external vs internal p</th>
            </tr>
          </thead>
          <tbody>
            {r.models.map((m) => (
              <tr key={m.name}>
                <td>{m.name}</td>
                <td>
                  {f3(m.auc)} ({f3(m.ci95[0])}–{f3(m.ci95[1])})
                </td>
                <td>{m.delongP === null ? '—' : f3(m.delongP)}</td>
                <td>{f3(m.internal?.validation.auc)}</td>
                <td>{m.vsInternal ? `${f3(m.vsInternal.d)} (${m.vsInternal.df === null ? '—' : m.vsInternal.df.toFixed(1)})` : '—'}</td>
                <td>{f3(m.vsInternal?.p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.notes.length > 0 && (
        <details>
          <summary>{r.notes.length} note(s)</summary>
          <ul>
            {r.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

export function ExternalArea() {
  const view = useStudy((s) => s.view);
  const shown = useExternal((s) => s.shown);
  const runs = view?.external ?? [];
  const k = Math.min(shown, runs.length - 1);
  return (
    <div className="study-area">
      <ValidatePanel />
      {runs.length > 0 && (
        <div className="row">
          <label>
            External validation{' '}
            <select aria-label="External validation shown" value={k} onChange={(e) => showExternalRun(Number(e.target.value))}>
              {runs.map((r, i) => (
                <option key={i} value={i}>
                  {i + 1}. {externalRunTitle(r)} · {r.result.n} patients
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="button" onClick={() => void removeExternalRun(k)} title="Remove this external validation from the study (and its export)">
            Remove
          </button>
        </div>
      )}
      {runs[k] ? <ExternalResult run={runs[k]} /> : view && <p className="hint">No external validation of this study yet.</p>}
    </div>
  );
}
