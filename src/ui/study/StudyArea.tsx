/** The Study tab: settings, run and progress, applying a saved model to a patient, results. */
import { ApplyModel } from './ApplyModel.js';
import { Results } from './Results.js';
import { RunPanel } from './RunPanel.js';
import { SettingsPanel } from './SettingsPanel.js';
import { useStudy } from './study-store.js';

export function StudyArea() {
  const running = useStudy((s) => s.run.status === 'running');
  const view = useStudy((s) => s.view);
  return (
    <div className="study-area">
      <RunPanel />
      <SettingsPanel disabled={running} />
      <ApplyModel />
      {view ? <Results view={view} /> : <p className="hint">No study yet: load a cohort (or the demo cohort), check the settings and press Run study.</p>}
    </div>
  );
}
