/**
 * Patients and series from a dropped listing. The cohort layout parser of the
 * core (`parseCohortLayout`, the same one the CLI uses) decides which file is
 * which sequence and which is the VOI, and reports layout problems; patients
 * it leaves out (e.g. no mask) and listings that are not a cohort (loose
 * files, one DICOM folder) are still shown for viewing, grouped by
 * `groupFiles`.
 */
import { parseCohortLayout } from '../../core/index.js';
import { groupFiles, type DroppedFile, type PatientGroup, type SeriesGroup } from './group-files.js';

export interface CohortPatientGroup extends PatientGroup {
  /** Whether the patient satisfies the cohort layout (image(s) + mask) and enters the analysis. */
  inLayout: boolean;
}

export interface CohortFromFiles {
  patients: CohortPatientGroup[];
  ignored: string[];
  /** One line each, from the layout parser. */
  problems: string[];
}

function filesUnder(dropped: DroppedFile[], path: string): File[] {
  const exact = dropped.filter((d) => d.path === path);
  if (exact.length > 0) return exact.map((d) => d.file);
  const prefix = `${path}/`;
  return dropped.filter((d) => d.path.startsWith(prefix) && !d.path.slice(prefix.length).split('/').some((s) => s.startsWith('.'))).map((d) => d.file);
}

function seriesOf(dropped: DroppedFile[], name: string, path: string, role: SeriesGroup['role']): SeriesGroup {
  return { name, label: path, role, files: filesUnder(dropped, path) };
}

export function cohortFromFiles(dropped: DroppedFile[]): CohortFromFiles {
  const grouped = groupFiles(dropped);
  const layout = parseCohortLayout(dropped.map((d) => d.path));
  if (layout.patients.length === 0) {
    return { patients: grouped.patients.map((p) => ({ ...p, inLayout: false })), ignored: grouped.ignored, problems: [] };
  }
  const patients: CohortPatientGroup[] = layout.patients.map((p) => ({
    id: p.id,
    inLayout: true,
    series: Object.entries(p.sequences).map(([name, path]) => seriesOf(dropped, name, path, 'image')),
    masks: [seriesOf(dropped, 'mask', p.mask, 'mask'), ...(p.mask2 ? [seriesOf(dropped, 'mask2', p.mask2, 'mask')] : [])],
  }));
  const inLayout = new Set(patients.map((p) => p.id));
  for (const p of grouped.patients) if (!inLayout.has(p.id)) patients.push({ ...p, inLayout: false });
  patients.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const clinical = layout.clinical;
  const ignored = grouped.ignored.filter((path) => path !== clinical);
  return { patients, ignored, problems: layout.problems };
}
