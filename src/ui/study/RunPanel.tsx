/** Run study / Cancel, a progress bar per stage and a cell per patient. */
import { useRef } from 'react';
import { useApp } from '../store.js';
import { cancelStudy, clearCache, exportReport, importStudy, runStudyInBrowser } from './study-actions.js';
import { STAGES, useStudy } from './study-store.js';

const STAGE_LABEL = { prepare: 'Preprocessing', habitats: 'Habitats', features: 'Features', analysis: 'Selection & models' } as const;

export function RunPanel() {
  const run = useStudy((s) => s.run);
  const view = useStudy((s) => s.view);
  const hasCohort = useApp((s) => s.patients.length > 0);
  const running = run.status === 'running';
  const patients = Object.entries(run.patients);
  const bundleInput = useRef<HTMLInputElement>(null);
  return (
    <section className="run-panel" aria-label="Study run">
      <div className="run-actions">
        <button type="button" className="primary" disabled={running || !hasCohort} onClick={() => void runStudyInBrowser()} title={hasCohort ? 'Run the whole study in this browser' : 'Load a cohort first'}>
          Run study
        </button>
        <button type="button" disabled={!running} onClick={cancelStudy}>
          Cancel
        </button>
        <button type="button" disabled={!view || running} onClick={exportReport} title="Download a zip: HTML report, report.json, CSVs, SVG figures, study.yaml, params.yaml, model.json — Import study reads it back">
          Export report
        </button>
        <button type="button" disabled={running} onClick={() => bundleInput.current?.click()} title="Open a zip written by Export report: its results and settings replace the current ones">
          Import study
        </button>
        <input
          ref={bundleInput}
          type="file"
          accept=".zip,application/zip"
          hidden
          aria-label="Study bundle to import"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (f) void importStudy(f);
          }}
        />
        <button type="button" disabled={running} onClick={() => void clearCache()}>
          Clear cache
        </button>
        <span className="run-status" data-testid="run-status" aria-live="polite">
          {run.status === 'idle' ? (hasCohort ? 'ready' : 'load a cohort to start') : run.status === 'failed' ? `failed: ${run.error}` : running ? `${run.last} · ${((Date.now() - run.startedAt) / 1000).toFixed(0)} s` : run.status}
        </span>
      </div>
      {run.status !== 'idle' && patients.length > 0 && (
        <>
          <div className="stages">
            {STAGES.map((st) => {
              const p = run.stages[st];
              return (
                <div className="stage" key={st}>
                  <span>{STAGE_LABEL[st]}</span>
                  <progress aria-label={`${STAGE_LABEL[st]} progress`} max={Math.max(1, p.total)} value={p.done} />
                  <span className="count">
                    {p.done}/{p.total}
                    {p.cached ? ` (${p.cached} cached)` : ''}
                  </span>
                  {running && p.left ? <span className="left">{p.left}</span> : null}
                </div>
              );
            })}
          </div>
          <ul className="patient-cells" aria-label="Patients">
            {patients.map(([id, p]) => (
              <li key={id} className={`cell ${p.status}`} title={`${id}: ${p.message ?? p.status}`}>
                {id}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
