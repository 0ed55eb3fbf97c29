import { useEffect, useRef, useState, type DragEvent } from 'react';
import { loadDemoCohort, openDroppedFiles } from './actions.js';
import { filesFromDataTransfer, filesFromInput } from './files/collect-files.js';
import { MessageBar } from './messages/MessageBar.js';
import { UpdateNotice } from './offline/UpdateNotice.js';
import { PatientList } from './patients/PatientList.js';
import { useApp } from './store.js';
import { StatusBar } from './viewer/StatusBar.js';
import { Viewer } from './viewer/Viewer.js';
import { ViewerControls } from './viewer/ViewerControls.js';
import { ObserverIccPreview } from './viewer/ObserverIccPreview.js';
import { StudyArea } from './study/StudyArea.js';
import { ExternalArea } from './study/ExternalArea.js';
import { restoreSaved } from './study/study-actions.js';
import { useStudy } from './study/study-store.js';
import './study/habitat-overlay.js';
import { ImportReview } from './import/ImportReview.js';
import { useImport } from './import/import-store.js';

export function App() {
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const addMessage = useApp((s) => s.addMessage);
  const tab = useStudy((s) => s.tab);
  const setTab = useStudy((s) => s.setTab);
  const importing = useImport((s) => s.review !== null);
  useEffect(() => {
    // The last settings and finished study come back after a reload.
    void restoreSaved();
  }, []);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    // A panel that takes its own drop (the External tab's cohort to validate on) has handled it.
    if (e.target instanceof Element && e.target.closest('[data-drop-target]')) return;
    filesFromDataTransfer(e.dataTransfer)
      .then(openDroppedFiles)
      .catch((err: unknown) => addMessage('error', `Could not read the dropped items: ${err instanceof Error ? err.message : String(err)}`));
  };

  return (
    <div
      className={dragging ? 'app dragging' : 'app'}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="topbar">
        <h1>
          Habitat Workbench <span className="subtitle">MRI habitat radiomics · offline</span>
        </h1>
        <div className="actions">
          <button type="button" className="primary" onClick={() => fileInput.current?.click()}>
            Open files
          </button>
          <button type="button" onClick={() => folderInput.current?.click()}>
            Open folder
          </button>
          <button type="button" onClick={loadDemoCohort} title="A synthetic cohort of 60 patients (T2WI, CE-T1WI, FSCE-T1WI and a VOI), generated in your browser">
            Load demo cohort
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            aria-label="Image files"
            data-testid="file-input"
            onChange={(e) => {
              openDroppedFiles(filesFromInput(e.target.files));
              e.target.value = '';
            }}
          />
          <input
            ref={folderInput}
            type="file"
            hidden
            aria-label="Cohort folder"
            data-testid="folder-input"
            // React does not type the non-standard folder-picker attributes.
            {...{ webkitdirectory: '', directory: '' }}
            onChange={(e) => {
              openDroppedFiles(filesFromInput(e.target.files));
              e.target.value = '';
            }}
          />
        </div>
      </header>
      <div className="body">
        <aside className="sidebar">
          <PatientList />
        </aside>
        <main className="main">
          <UpdateNotice />
          <MessageBar />
          <div className="tabs" role="tablist" aria-label="Workbench areas">
            <button type="button" role="tab" aria-selected={tab === 'review'} className={tab === 'review' ? 'tab active' : 'tab'} onClick={() => setTab('review')}>
              Review
            </button>
            <button type="button" role="tab" aria-selected={tab === 'study'} className={tab === 'study' ? 'tab active' : 'tab'} onClick={() => setTab('study')}>
              Study
            </button>
            <button type="button" role="tab" aria-selected={tab === 'external'} className={tab === 'external' ? 'tab active' : 'tab'} onClick={() => setTab('external')}>
              External
            </button>
          </div>
          {tab === 'review' && importing ? (
            <ImportReview />
          ) : tab === 'review' ? (
            <>
              <ViewerControls />
              <Viewer />
              <StatusBar />
              <ObserverIccPreview />
            </>
          ) : tab === 'study' ? (
            <StudyArea />
          ) : (
            <ExternalArea />
          )}
        </main>
      </div>
      {dragging && <div className="drop-hint">Drop files or a cohort folder</div>}
    </div>
  );
}
