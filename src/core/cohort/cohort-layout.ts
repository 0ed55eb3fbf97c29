/**
 * The cohort folder layout (../shared/SPEC.md §1 (Inputs)):
 *
 *   <cohortDir>/clinical.csv                     optional clinical table
 *   <cohortDir>/<patientId>/<SEQUENCE>.nii.gz    one image per sequence (.nii.gz, .nii, .nrrd, .mha)
 *   <cohortDir>/<patientId>/<SEQUENCE>/…         or a DICOM folder named after the sequence
 *   <cohortDir>/<patientId>/mask.nii.gz          the VOI (.nii.gz, .nii, .nrrd, .mha)
 *   <cohortDir>/<patientId>/mask2.nii.gz         optional second observer's VOI
 *
 * `parseCohortLayout` is a pure function of a file listing, so it serves both
 * a Node directory walk (`cohort-node.ts`) and a browser drag-and-drop listing
 * (`webkitRelativePath`s). Problems are one line each, naming the patient.
 */

export interface CohortPatient {
  id: string;
  /** Sequence name (as spelled in the file or folder name) → file path or DICOM folder path. */
  sequences: Record<string, string>;
  mask: string;
  mask2?: string;
}

export interface CohortLayout {
  /** The cohort folder (common root of the listing), '' when the paths are bare. */
  root: string;
  /** Patients with a mask, sorted by id (numbers in ids compare numerically). */
  patients: CohortPatient[];
  clinical?: string;
  /** Sequence names found in any patient, sorted. */
  sequenceNames: string[];
  problems: string[];
}

export interface CohortLayoutOptions {
  /** The cohort folder; by default the deepest folder common to all paths (see `commonRoot`). */
  root?: string;
}

/** Image file extensions, longest first so ".nii.gz" wins over ".gz". */
const IMAGE_EXTENSIONS = ['.nii.gz', '.nii', '.nrrd', '.mha'];
const IGNORED = /^(\.|__MACOSX$|Thumbs\.db$|desktop\.ini$)/i;

function imageStem(file: string): string | null {
  const lower = file.toLowerCase();
  for (const ext of IMAGE_EXTENSIONS) if (lower.endsWith(ext) && lower.length > ext.length) return file.slice(0, -ext.length);
  return null;
}

function normalise(p: string): string {
  return p.replace(/\\/g, '/').replace(/\/{2,}/g, '/').replace(/^\.\//, '').replace(/\/$/, '');
}

/**
 * The cohort folder of a listing: the deepest folder common to all paths; if
 * every file sits directly in that folder (a single patient was listed), or a
 * clinical.csv lies higher up, the folder above.
 */
export function commonRoot(paths: readonly string[]): string {
  const clinical = paths.map(normalise).find((p) => p.split('/').pop()?.toLowerCase() === 'clinical.csv');
  if (clinical !== undefined) return clinical.split('/').slice(0, -1).join('/');
  const dirs = paths.map((p) => normalise(p).split('/').slice(0, -1));
  let prefix = dirs[0];
  if (prefix === undefined) return '';
  for (const d of dirs) {
    let n = 0;
    while (n < prefix.length && n < d.length && prefix[n] === d[n]) n++;
    prefix = prefix.slice(0, n);
  }
  const common = prefix.length;
  if (dirs.every((d) => d.length === common) && common > 0) prefix = prefix.slice(0, -1);
  return prefix.join('/');
}

const byId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Read the cohort layout from a listing of file paths (see the module comment). */
export function parseCohortLayout(paths: readonly string[], opts: CohortLayoutOptions = {}): CohortLayout {
  const root = normalise(opts.root ?? commonRoot(paths));
  const rootParts = root === '' ? [] : root.split('/');
  const join = (...parts: string[]) => [...rootParts, ...parts].join('/');
  const problems: string[] = [];
  let clinical: string | undefined;
  interface Draft {
    sequences: Map<string, string[]>;
    masks: string[];
    masks2: string[];
  }
  const drafts = new Map<string, Draft>();
  const draft = (id: string) => {
    let d = drafts.get(id);
    if (!d) drafts.set(id, (d = { sequences: new Map(), masks: [], masks2: [] }));
    return d;
  };
  const sorted = [...paths].map(normalise).sort();
  for (const full of sorted) {
    const parts = full.split('/');
    if (parts.length <= rootParts.length || rootParts.some((r, n) => parts[n] !== r)) {
      problems.push(`${full}: outside the cohort folder "${root}" (ignored)`);
      continue;
    }
    const rel = parts.slice(rootParts.length);
    if (rel.some((p) => IGNORED.test(p))) continue;
    const [id, name] = rel;
    if (id === undefined) continue; // not reached: the path is longer than the root
    if (name === undefined) {
      if (id.toLowerCase() === 'clinical.csv') clinical = full;
      continue;
    }
    if (rel.length === 2) {
      const stem = imageStem(name);
      if (stem === null) continue; // notes, spreadsheets… are not part of the layout
      const key = stem.toLowerCase();
      const d = draft(id);
      if (key === 'mask') d.masks.push(full);
      else if (key === 'mask2') d.masks2.push(full);
      else {
        const list = d.sequences.get(stem) ?? [];
        list.push(full);
        d.sequences.set(stem, list);
      }
    } else {
      // Deeper files belong to a DICOM folder named after the sequence; image
      // files in subfolders (e.g. an output folder such as habitats/P001/…) do not.
      if (imageStem(rel[rel.length - 1] ?? '') !== null) continue;
      const folder = join(id, name);
      const d = draft(id);
      const key = name.toLowerCase();
      const target = key === 'mask' ? d.masks : key === 'mask2' ? d.masks2 : null;
      if (target) {
        if (!target.includes(folder)) target.push(folder);
        continue;
      }
      const list = d.sequences.get(name) ?? [];
      if (!list.includes(folder)) list.push(folder);
      d.sequences.set(name, list);
    }
  }

  const pick = (id: string, what: string, list: string[]): string | undefined => {
    if (list.length > 1) {
      const names = list.map((p) => p.split('/').pop()).join(', ');
      problems.push(`patient ${id}: ${list.length} files for ${what} (${names}); using ${list[0]?.split('/').pop()}`);
    }
    return list[0];
  };
  const ids = [...drafts.keys()].sort(byId);
  const allSequences = new Set<string>();
  for (const d of drafts.values()) for (const s of d.sequences.keys()) allSequences.add(s);
  const sequenceNames = [...allSequences].sort(byId);
  // Sequence names that differ only in letter case are almost always one sequence misspelt.
  const lowerSeen = new Map<string, string>();
  for (const s of sequenceNames) {
    const prev = lowerSeen.get(s.toLowerCase());
    if (prev) problems.push(`sequence names "${prev}" and "${s}" differ only in letter case; rename one`);
    else lowerSeen.set(s.toLowerCase(), s);
  }
  const patients: CohortPatient[] = [];
  for (const id of ids) {
    const d = drafts.get(id) as Draft;
    const sequences: Record<string, string> = {};
    for (const s of [...d.sequences.keys()].sort(byId)) sequences[s] = pick(id, `sequence ${s}`, d.sequences.get(s) as string[]) as string;
    // (a patient with no image at all gets one line below, not one per sequence)
    for (const s of Object.keys(sequences).length > 0 ? sequenceNames : []) {
      if (!(s in sequences)) {
        const others = ids.filter((o) => drafts.get(o)?.sequences.has(s)).length;
        problems.push(`patient ${id}: no ${s} image (${others} other patient${others === 1 ? ' has' : 's have'} one)`);
      }
    }
    const mask = pick(id, 'the mask', d.masks);
    const mask2 = pick(id, 'the second mask', d.masks2);
    if (!mask) {
      problems.push(`patient ${id}: no mask (expected ${join(id, 'mask.nii.gz')} or mask.nrrd); patient left out`);
      continue;
    }
    if (Object.keys(sequences).length === 0) {
      problems.push(`patient ${id}: a mask but no sequence image; patient left out`);
      continue;
    }
    patients.push(mask2 ? { id, sequences, mask, mask2 } : { id, sequences, mask });
  }
  if (drafts.size === 0) problems.push(`no patient folders found under "${root || '.'}"`);
  // file names may hold line breaks; a problem stays one line
  const oneLine = problems.map((p) => p.replace(/\r/g, '\\r').replace(/\n/g, '\\n'));
  return clinical ? { root, patients, clinical, sequenceNames, problems: oneLine } : { root, patients, sequenceNames, problems: oneLine };
}
