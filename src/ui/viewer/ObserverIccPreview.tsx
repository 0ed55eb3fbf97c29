/**
 * The ICC filter before a study run: once at least 5 of the study's patients
 * have both observers' VOIs, "Feature ICCs" computes the features of both
 * VOIs with the current settings in a study runner worker (core
 * observer-preview.ts, the study's own stages and cache) and shows each
 * feature's ICC and whether the filter keeps it: every region (whole tumour
 * and habitats) once the study's clinical table is known, else the whole
 * tumour only, with one line saying why.
 */
import { create } from 'zustand';
import type { ObserverIccPreview as Preview } from '../../../workers/study-api.js';
import { ICC_MIN_PATIENTS } from '../../core/index.js';
import { useApp } from '../store.js';
import { ObserverIccTable } from '../study/ObserverIccTable.js';
import { observerIccBeforeRunInBrowser, observerPairs } from '../study/study-actions.js';
import { useStudy } from '../study/study-store.js';

interface PreviewState {
  status: 'idle' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  stage?: string;
  preview: Preview | null;
  error: string | null;
  abort: AbortController | null;
  /** What the table was computed from (compared by identity: any change of VOIs or settings makes it out of date). */
  basis: unknown[] | null;
}

/** The inputs of the table: the cohort's patients (and their VOIs), the settings, the patient limit. */
function currentBasis(): unknown[] {
  const st = useStudy.getState();
  return [useApp.getState().patients, st.config, st.paramsYaml, st.patientLimit];
}

const usePreview = create<PreviewState>(() => ({ status: 'idle', done: 0, total: 0, preview: null, error: null, abort: null, basis: null }));

async function computeFeatureIccs(total: number): Promise<void> {
  if (usePreview.getState().status === 'running') return;
  const abort = new AbortController();
  const basis = currentBasis();
  usePreview.setState({ status: 'running', done: 0, total, error: null, abort });
  try {
    const preview = await observerIccBeforeRunInBrowser((p) => usePreview.setState({ done: p.done, total: p.total, stage: p.stage }), abort.signal);
    if (usePreview.getState().abort !== abort) return;
    usePreview.setState({ status: 'done', preview, abort: null, basis });
    for (const e of preview.excluded.slice(0, 3)) useApp.getState().addMessage('warning', `Feature ICCs: ${e.reason}`);
  } catch (e) {
    if (usePreview.getState().abort !== abort) return;
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    usePreview.setState({ status: abort.signal.aborted ? 'idle' : 'failed', error: abort.signal.aborted ? null : msg, abort: null });
  }
}

function cancel(): void {
  const { abort } = usePreview.getState();
  usePreview.setState({ abort: null, status: 'idle' });
  abort?.abort();
}

export function ObserverIccPreview() {
  // Re-counted when the cohort, its VOIs or the study's settings change.
  useApp((s) => s.patients);
  useStudy((s) => s.patientLimit);
  useStudy((s) => s.config);
  useStudy((s) => s.paramsYaml);
  const { status, done, total, stage, preview, error, basis } = usePreview();
  const now = currentBasis();
  const outdated = basis !== null && basis.some((x, i) => x !== now[i]);
  const pairs = observerPairs().length;
  if (pairs === 0 && !preview) return null;
  const enough = pairs >= ICC_MIN_PATIENTS;
  return (
    <section className="observer-preview" aria-label="Feature ICCs before the study">
      <div className="observer-preview-head">
        <span data-testid="observer-pairs">
          {pairs} patient{pairs === 1 ? '' : 's'} with two VOIs
        </span>
        <button
          type="button"
          disabled={!enough || status === 'running'}
          title={enough ? "Features of both observers' VOIs with the study's settings, and the ICC filter's verdict" : `The ICC filter needs at least ${ICC_MIN_PATIENTS} patients with both VOIs`}
          onClick={() => void computeFeatureIccs(pairs)}
        >
          Feature ICCs
        </button>
        {status === 'running' && (
          <>
            <progress aria-label="Feature ICC progress" value={done} max={Math.max(total, 1)} />
            <span className="muted">
              {stage === 'habitats' ? `habitat models ${done}/${total}` : `${stage === 'prepare' ? 'preparing ' : ''}${done}/${total} patients`}
            </span>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </>
        )}
        {status === 'failed' && (
          <span role="alert" className="error">
            Feature ICCs: {error}
          </span>
        )}
      </div>
      {preview && status !== 'running' && (
        <>
          <p className="muted" data-testid="observer-preview-scope">
            {outdated
              ? 'The VOIs or the settings changed since this table was computed: press Feature ICCs again.'
              : preview.noHabitats
                ? `Whole tumour only: ${preview.noHabitats} (map the clinical CSV in Settings).`
                : "Whole tumour and habitats of every sequence, with the current settings and the study's habitat models (fitted on its training split)."}
          </p>
          <ObserverIccTable table={preview.table} />
        </>
      )}
    </section>
  );
}
