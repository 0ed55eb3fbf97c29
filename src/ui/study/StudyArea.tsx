/** The Study tab: settings, run and progress, results. */
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
      {view ? <Results view={view} /> : <p className="hint">No study yet: load a cohort (or the demo cohort), check the settings and press Run study.</p>}
    </div>
  );
}
