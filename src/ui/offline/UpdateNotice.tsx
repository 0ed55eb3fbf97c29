import { useApplyModel } from '../study/apply-model-actions.js';
import { useStudy } from '../study/study-store.js';
import { reloadToNewVersion, useAppUpdate } from './app-update.js';

/** One line when a new version of the app is ready; reloading waits while a study or a prediction runs. */
export function UpdateNotice() {
  const ready = useAppUpdate((s) => s.ready);
  const studyRunning = useStudy((s) => s.run.status === 'running');
  const applying = useApplyModel((s) => s.status === 'running');
  if (!ready) return null;
  const busy = studyRunning || applying;
  return (
    <div className="messages">
      <div className="message info" role="status">
        <span className="message-text">A new version is ready — reload{busy ? ' when the running study has finished' : ''}</span>
        <button type="button" disabled={busy} onClick={reloadToNewVersion}>
          Reload
        </button>
      </div>
    </div>
  );
}
