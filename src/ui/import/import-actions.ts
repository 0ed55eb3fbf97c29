/** Dropped DICOM exports: header scan in the worker, review, then the import opened as a cohort folder. */
import * as Comlink from 'comlink';
import { defaultImportRules, importRulesToYaml, rulesWithChoices, stageClocks, type PatientMapping } from '../../core/index.js';
import { downloadBlob } from '../download.js';
import type { DroppedFile } from '../cohort/group-files.js';
import { imageReader } from '../reader-client.js';
import { useApp } from '../store.js';
import { useImport } from './import-store.js';

const IMAGE_FILE = /\.(nii|nii\.gz|nrrd|nhdr|mha|mhd|hdr|img)$/i;
const DICOM_LIKE = /(^|\/)[^/.]+$|\.(dcm|ima)$/i;

/** Whether a drop holds only DICOM-like files (no NIfTI/NRRD/MetaImage): then its headers decide. */
export function mayBeExport(dropped: readonly DroppedFile[]): boolean {
  return !dropped.some((d) => IMAGE_FILE.test(d.path)) && dropped.some((d) => DICOM_LIKE.test(d.path));
}

/**
 * Scan the drop's DICOM headers; an export (several series per folder, an RT
 * Structure Set, a DICOMDIR) goes to the review table, anything else to `open`.
 */
export async function reviewOrOpen(dropped: DroppedFile[], open: (d: DroppedFile[]) => void): Promise<void> {
  const app = useApp.getState();
  app.setLoading(`reading the DICOM headers of ${dropped.length} files`);
  const clocks = stageClocks();
  const onProgress = (done: number, total: number) => {
    const left = clocks.update('scan', done, total);
    useApp.getState().setLoading(`reading the DICOM headers: ${done}/${total} files${left ? ` · ${left}` : ''}`);
  };
  try {
    const review = await imageReader().scanExport(dropped.map((d) => ({ path: d.path, file: d.file })), Comlink.proxy(onProgress));
    if (!review.isExport) {
      open(dropped);
      return;
    }
    useImport.getState().open(review);
    app.addMessage('info', `DICOM export: ${review.mappings.length} patient(s), ${review.series.length} series; check the suggested sequences, then Import`);
  } catch (e) {
    app.addMessage('error', `Could not read the DICOM headers: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  } finally {
    useApp.getState().setLoading(null);
  }
}

/** Build the reviewed patients in the worker and `open` them as a cohort folder would open. */
export async function importReviewedExport(mappings: PatientMapping[], open: (d: DroppedFile[]) => void): Promise<void> {
  const imp = useImport.getState();
  const review = imp.review;
  if (!review) return;
  const app = useApp.getState();
  const reference = review.sequences[0];
  if (reference === undefined) {
    app.addMessage('error', 'Import failed: the reviewed export has no sequence to register the others to');
    return;
  }
  imp.setBusy(true);
  const clocks = stageClocks();
  const onProgress = (done: number, total: number, id: string) => {
    const left = clocks.update('import', done, total);
    useApp.getState().setLoading(`importing: ${done}/${total} patients (${id})${left ? ` · ${left}` : ''}`);
  };
  try {
    const res = await imageReader().importExport(
      {
        mappings: mappings.filter((m) => m.problems.length === 0),
        voi: imp.voi.trim() || undefined,
        voi2: imp.voi2.trim() || undefined,
        reference,
      },
      Comlink.proxy(onProgress),
    ).finally(() => useApp.getState().setLoading(null)); // before open(), which shows its own loading line
    const left = mappings.filter((m) => m.problems.length > 0).map((m) => `${m.patientId}: ${m.problems.join('; ')}`);
    for (const line of [...left, ...res.problems]) app.addMessage('warning', `Import left out ${line}`);
    if (res.imported.length === 0) {
      imp.setBusy(false);
      return;
    }
    useImport.getState().close();
    open(res.files.map((f) => ({ path: `import/${f.path}`, file: new File([f.bytes], f.path.slice(f.path.lastIndexOf('/') + 1)) })));
  } catch (e) {
    app.addMessage('error', `Import failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    useImport.getState().setBusy(false);
  }
}

/** Download the default rules with the review table's choices as `import-rules.yaml` (read back by `habitat import --map`). */
export function saveChoicesAsRules(mappings: PatientMapping[]): void {
  const review = useImport.getState().review;
  if (!review) return;
  const { rules, notes } = rulesWithChoices(defaultImportRules(), review.mappings, mappings, review.series);
  const yaml = `# habitat import rules with the review table's choices (docs/import.md); use with --map\n${importRulesToYaml(rules)}`;
  downloadBlob(new Blob([yaml], { type: 'application/yaml' }), 'import-rules.yaml');
  for (const n of notes) useApp.getState().addMessage('warning', `Rules file: ${n}`);
}
