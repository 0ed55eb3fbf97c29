/**
 * Group dropped files into patients and series following the cohort layout
 * `<patientId>/<SEQUENCE>.nii.gz` + `<patientId>/mask.nii.gz` (../shared/SPEC.md §1 (Inputs)), with
 * DICOM series as folders `<patientId>/<SEQUENCE>/*.dcm`. Loose files at the
 * top level pair up by name: `brain1_image.nrrd` + `brain1_label.nrrd` are
 * patient "brain1". Pure string handling: no file is read here.
 */
import { formatFromName } from '../../core/index.js';

export interface DroppedFile {
  /** Path relative to what the user dropped or picked, `/`-separated. */
  path: string;
  file: File;
}

export interface SeriesGroup {
  /** Series name (the sequence, e.g. T2WI), or the mask's name. */
  name: string;
  /** Path used in messages: the file, or the DICOM folder. */
  label: string;
  role: 'image' | 'mask';
  files: File[];
}

export interface PatientGroup {
  id: string;
  series: SeriesGroup[];
  masks: SeriesGroup[];
}

export interface GroupedFiles {
  patients: PatientGroup[];
  /** Files that are not images by name (e.g. notes.txt), listed so the user knows. */
  ignored: string[];
}

/** VOI / label-map names: mask.nii.gz, mask2.nii.gz, voi.nrrd, brain1_label.nrrd, seg.nii, roi_T2.nii.gz. */
const MASK_NAME = /(^|[_\-.])(mask\d*|voi\d*|roi\d*|label\d*|labels|seg|segmentation)($|[_\-.])/i;
const IMAGE_SUFFIX = /[_\-.](image|img|t1|t2|scan|volume)$/i;

function stripExtension(name: string): string {
  return name.replace(/\.(nii\.gz|nii|nrrd|nhdr|mha|mhd|hdr|img|dcm|ima)$/i, '');
}

function isHidden(path: string): boolean {
  return path.split('/').some((s) => s.startsWith('.') || s === '__MACOSX');
}

/** A file the readers could take: an image extension, or no extension (DICOM files often have none). */
function looksLikeImage(name: string): boolean {
  if (formatFromName(name) !== null) return true;
  const base = name.split('/').pop() ?? name;
  return !base.includes('.');
}

export function isMaskName(fileName: string): boolean {
  return MASK_NAME.test(stripExtension(fileName));
}

/** How many leading folders every path shares (the dropped cohort folder itself), as long as they are above the patients. */
function commonRootDepth(paths: string[][]): number {
  for (let depth = 0; ; depth++) {
    const root = paths[0]?.[depth];
    if (root === undefined || !paths.every((p) => p.length - depth >= 3 && p[depth] === root)) return depth;
  }
}

export function groupFiles(dropped: DroppedFile[]): GroupedFiles {
  const ignored: string[] = [];
  const kept: DroppedFile[] = [];
  for (const d of dropped) {
    if (isHidden(d.path)) continue;
    if (looksLikeImage(d.path)) kept.push(d);
    else ignored.push(d.path);
  }
  const entries = kept.map((d) => ({ d, segs: d.path.split('/').filter((s) => s.length > 0) }));
  const depth = commonRootDepth(entries.map((e) => e.segs));
  const patients = new Map<string, PatientGroup>();
  const dicomSeries = new Map<string, SeriesGroup>();
  const patient = (id: string): PatientGroup => {
    let p = patients.get(id);
    if (!p) {
      p = { id, series: [], masks: [] };
      patients.set(id, p);
    }
    return p;
  };
  for (const { d, segs: path } of entries) {
    const segs = path.slice(depth);
    const [first, ...rest] = segs;
    if (first === undefined) {
      ignored.push(d.path); // no name at all
      continue;
    }
    const fileName = rest.at(-1) ?? first;
    const dicomLike = formatFromName(fileName) === 'dicom' || !fileName.includes('.');
    if (dicomLike) {
      // DICOM: the files of one folder are one series. <patient>/<SERIES>/<files>
      // is the cohort layout; a lone folder is its own patient and series.
      const folder = segs.slice(0, -1);
      const id = folder[0] ?? 'DICOM';
      const name = folder.length >= 2 ? folder.slice(1).join('/') : (folder[0] ?? 'DICOM series');
      const key = folder.join('/');
      let g = dicomSeries.get(key);
      if (!g) {
        const label = d.path.split('/').slice(0, -1).join('/') || 'DICOM series';
        g = { name, label, role: isMaskName(name) ? 'mask' : 'image', files: [] };
        dicomSeries.set(key, g);
        (g.role === 'mask' ? patient(id).masks : patient(id).series).push(g);
      }
      g.files.push(d.file);
      continue;
    }
    if (rest.length === 0) {
      // A loose file: the patient is its name without the mask/image suffix.
      const stem = stripExtension(fileName);
      const mask = isMaskName(fileName);
      const id = stem.replace(mask ? /[_\-.]?(mask\d*|voi\d*|roi\d*|label\d*|labels|seg|segmentation)$/i : IMAGE_SUFFIX, '') || stem;
      const g: SeriesGroup = { name: stem, label: d.path, role: mask ? 'mask' : 'image', files: [d.file] };
      (mask ? patient(id).masks : patient(id).series).push(g);
      continue;
    }
    const name = stripExtension(rest.join('/'));
    const mask = isMaskName(fileName);
    const g: SeriesGroup = { name, label: d.path, role: mask ? 'mask' : 'image', files: [d.file] };
    (mask ? patient(first).masks : patient(first).series).push(g);
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, undefined, { numeric: true });
  const list = [...patients.values()].sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  for (const p of list) {
    p.series.sort(byName);
    p.masks.sort(byName);
  }
  return { patients: list, ignored };
}
