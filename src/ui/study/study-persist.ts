/**
 * What the study area keeps: the settings and the finished study in
 * IndexedDB, and the study bundle (Export report / Import study). A full
 * storage quota never loses a finished study: it stays shown and exportable,
 * and the user is told in one line why it was not saved.
 */
import { readStudyBundle, SOFTWARE, writeStudyBundle, type StudyView } from '../../core/index.js';
import { SAVED_SETTINGS_KEY, SAVED_STUDY_KEY, saveState } from '../../../workers/study-db.js';
import { useApp } from '../store.js';
import { useStudy } from './study-store.js';
import { downloadBlob } from '../download.js';

/** An error's message up to its first line break. */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}

export async function saveSettings(): Promise<void> {
  const s = useStudy.getState();
  try {
    await saveState(SAVED_SETTINGS_KEY, { config: s.config, paramsYaml: s.paramsYaml, paramsFile: s.paramsFile, patientLimit: s.patientLimit });
  } catch (e) {
    useApp.getState().addMessage('warning', firstLine(e));
  }
}

/**
 * Show a finished (or imported) study, then save it as the last study. Returns
 * whether it was saved; when not (e.g. the quota is exhausted), the study stays
 * in the page and a warning says so.
 */
export async function keepFinishedStudy(view: StudyView): Promise<boolean> {
  useStudy.getState().setView(view);
  useStudy.getState().finishRun('done');
  try {
    await saveState(SAVED_STUDY_KEY, view);
    return true;
  } catch (e) {
    useApp.getState().addMessage('warning', `${firstLine(e)} — the study is not saved for the next visit; it stays open here: Export report keeps it`);
    return false;
  }
}

/** The study bundle of a view (the Export report zip): report files + what Import study needs. */
export function studyBundle(view: StudyView): Uint8Array {
  return writeStudyBundle(view, SOFTWARE);
}

export function bundleFileName(view: StudyView): string {
  return `habitat-study-${view.finishedAt.slice(0, 19).replace(/[:T]/g, '-')}.zip`;
}

export function exportReport(): void {
  const view = useStudy.getState().view;
  if (!view) return;
  downloadBlob(new Blob([studyBundle(view) as BlobPart], { type: 'application/zip' }), bundleFileName(view));
}

/**
 * Import study: read an exported bundle, restore its settings and results,
 * and save both like a finished run. Errors are one line naming the file.
 */
export async function importStudy(file: { name: string; arrayBuffer(): Promise<ArrayBuffer> }): Promise<boolean> {
  const app = useApp.getState();
  if (useStudy.getState().run.status === 'running') {
    app.addMessage('error', 'Import study: a study is running; cancel it or wait for it to finish');
    return false;
  }
  let imported;
  try {
    imported = readStudyBundle(file.name, new Uint8Array(await file.arrayBuffer()));
  } catch (e) {
    app.addMessage('error', `Import study: ${firstLine(e)}`);
    return false;
  }
  const study = useStudy.getState();
  study.setConfig(imported.config);
  study.setParams(imported.paramsYaml, imported.paramsFile);
  await saveSettings();
  await keepFinishedStudy(imported.view);
  const v = imported.view;
  app.addMessage('info', `Imported the study of ${v.cohortTitle} (finished ${v.finishedAt.slice(0, 16).replace('T', ' ')}): ${v.result.analysis.ids.length} patients`);
  return true;
}
