/** The Study tab: settings, run and progress, applying a saved model to a patient, the way to external validation, results. */
import { ApplyModel } from './ApplyModel.js';
import { Results } from './Results.js';
import { RunPanel } from './RunPanel.js';
import { SettingsPanel } from './SettingsPanel.js';
import { useStudy } from './study-store.js';

export function StudyArea() {
  const running = useStudy((s) => s.run.status === 'running');
  const view = useStudy((s) => s.view);
  const setTab = useStudy((s) => s.setTab);
  const external = view?.external?.length ?? 0;
  return (
    <div className="study-area">
      <RunPanel />
      <SettingsPanel disabled={running} />
      <ApplyModel />
      {view && (
        <p className="hint">
          <button type="button" onClick={() => setTab('external')} title="The External tab: this study's models on a second, labelled cohort">
            Validate on another cohort →
          </button>{' '}
          {external > 0 ? `${external} external validation${external > 1 ? 's' : ''} kept with this study (External tab)` : ''}
        </p>
      )}
      {view ? <Results view={view} /> : <p className="hint">No study yet: load a cohort (or the demo cohort), check the settings and press Run study.</p>}
    </div>
  );
}
