/**
 * The imported cohort as in-memory NIfTI files laid out as the cohort folder
 * (`<id>/<SEQUENCE>.nii.gz`, `mask.nii.gz`, `mask2.nii.gz`), so that the app
 * opens an import exactly as it opens a dropped cohort folder.
 */
import { writeNiftiBytes } from '../image/nifti-write.js';
import { importPatient, type ImportReaders, type ImportScan, type VoiChoice } from './plan.js';
import type { PatientMapping } from './rules.js';

export interface ImportedFiles {
  /** Patients written, each with its files (paths `<id>/<name>.nii.gz`). */
  files: { path: string; bytes: Uint8Array }[];
  imported: string[];
  /** `<id>: <problem>`, one line each, for the patients left out. */
  problems: string[];
}

export async function importToNiftiFiles(
  scan: ImportScan,
  mappings: readonly PatientMapping[],
  voi: VoiChoice,
  readers: ImportReaders,
  onPatient?: (done: number, total: number, id: string) => void,
): Promise<ImportedFiles> {
  const out: ImportedFiles = { files: [], imported: [], problems: [] };
  let done = 0;
  for (const m of mappings) {
    const p = await importPatient(scan, m, voi, readers);
    onPatient?.(++done, mappings.length, m.patientId);
    if (p.problems.length > 0) {
      for (const line of p.problems) out.problems.push(`${m.patientId}: ${line}`);
      continue;
    }
    for (const [seq, v] of Object.entries(p.images)) out.files.push({ path: `${m.patientId}/${seq}.nii.gz`, bytes: writeNiftiBytes(v, { gzip: true }) });
    if (p.mask) out.files.push({ path: `${m.patientId}/mask.nii.gz`, bytes: writeNiftiBytes(p.mask, { gzip: true }) });
    if (p.mask2) out.files.push({ path: `${m.patientId}/mask2.nii.gz`, bytes: writeNiftiBytes(p.mask2, { gzip: true }) });
    out.imported.push(m.patientId);
  }
  return out;
}
