/**
 * Importing a DICOM export, in two steps that both the CLI (Node) and the app
 * (browser) drive: `scanExport` reads every file's header once and sorts the
 * export into series, structure sets and one line per other file;
 * `importPatient` builds one patient's sequences and VOI(s) from a mapping
 * (the rules' suggestion, possibly corrected by the user).
 */
import { describeNonImage, scanDicomFile, type DicomFileInfo, type UnreadableFile } from '../image/dicom-scan.js';
import { groupSeries, isNativeSeries, seriesVolume, type SeriesSummary } from './series.js';
import type { PatientMapping } from './rules.js';
import { findRois, parseRtStruct, rasterizeRoi, type StructureSet } from './rtstruct.js';
import { sameGeometry, type Volume } from '../image/volume.js';

/** One file of the export: its path (relative to the export) and a way to read it. */
export interface ExportFile {
  path: string;
  read(): Promise<Uint8Array>;
}

export interface ImportScan {
  series: SeriesSummary[];
  /** RTSTRUCT files, by patient. */
  structureSets: DicomFileInfo[];
  /** DICOM SEG files (not imported yet: listed). */
  segmentations: DicomFileInfo[];
  /** One line per DICOM file that is not part of an image series (RT plan, SR, secondary capture, …). */
  other: { path: string; patientId: string; what: string }[];
  unreadable: UnreadableFile[];
  patients: string[];
  /** ROI names of each patient's structure sets (for choosing the VOI). */
  rois: Record<string, string[]>;
}

/** Read every file's header (in order, `onFile` after each) and sort the export. */
export async function scanExport(files: readonly ExportFile[], onFile?: (done: number, total: number) => void): Promise<ImportScan> {
  const infos: DicomFileInfo[] = [];
  const unreadable: UnreadableFile[] = [];
  const rois: Record<string, string[]> = {};
  let done = 0;
  for (const f of files) {
    let r: DicomFileInfo | UnreadableFile;
    try {
      const bytes = await f.read();
      r = scanDicomFile(f.path, bytes);
      if (!('problem' in r) && r.kind === 'rtstruct') {
        const names = parseRtStruct(f.path, bytes).rois.map((x) => x.name);
        rois[r.patientId] = [...new Set([...(rois[r.patientId] ?? []), ...names])].sort();
      }
    } catch (e) {
      r = { path: f.path, problem: `cannot be read (${e instanceof Error ? e.message.split('\n')[0] : String(e)})` };
    }
    if ('problem' in r) unreadable.push(r);
    else infos.push(r);
    onFile?.(++done, files.length);
  }
  const series = groupSeries(infos.filter((f) => f.kind === 'image'));
  const other = infos.filter((f) => f.kind === 'other').map((f) => ({ path: f.path, patientId: f.patientId, what: describeNonImage(f) }));
  const patients = [...new Set(infos.map((f) => f.patientId))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return { series, structureSets: infos.filter((f) => f.kind === 'rtstruct'), segmentations: infos.filter((f) => f.kind === 'seg'), other, unreadable, patients, rois };
}

export interface VoiChoice {
  /** ROI name, or a glob (* ?) or /regex/ on ROI names. */
  voi?: string;
  voi2?: string;
  /** The sequence whose grid the VOI is rasterised onto (the study's reference series). */
  reference: string;
}

export interface PatientImport {
  patientId: string;
  images: Record<string, Volume>;
  mask?: Volume;
  mask2?: Volume;
  /** Which ROI became mask / mask2, and from which structure set. */
  vois: { as: 'mask' | 'mask2'; roi: string; structureSet: string; contours: number; skipped: string[] }[];
  /** Why the patient cannot be imported (one line each); empty when it was. */
  problems: string[];
}

export interface ImportReaders {
  read(path: string): Promise<Uint8Array>;
  /** Reader for compressed series (itk-wasm's DICOM series reader), given the files in slice order. */
  readCompressedSeries?(paths: string[], label: string): Promise<Volume>;
}

async function buildSeries(s: SeriesSummary, readers: ImportReaders): Promise<Volume> {
  if (isNativeSeries(s)) return seriesVolume(s, await Promise.all(s.files.map((f) => readers.read(f.path))));
  if (!readers.readCompressedSeries) throw new Error(`series ${s.seriesNumber ?? '?'} "${s.description}": compressed pixel data, and no DICOM series reader here`);
  return readers.readCompressedSeries(s.files.map((f) => f.path), `series ${s.seriesNumber ?? '?'} "${s.description}"`);
}

/** Pick one ROI by name or pattern across a patient's structure sets; a problem line when none or several match. */
function pickRoi(sets: readonly StructureSet[], query: string): { set: StructureSet; roi: StructureSet['rois'][number] } | string {
  const hits = sets.flatMap((set) => findRois(set.rois, query).map((roi) => ({ set, roi })));
  if (hits.length === 1) return hits[0];
  const all = [...new Set(sets.flatMap((s) => s.rois.map((r) => r.name)))].sort();
  if (hits.length === 0) return sets.length === 0 ? `no RT Structure Set in the export for VOI "${query}"` : `no ROI matches "${query}" (ROIs: ${all.join(', ') || 'none'})`;
  return `"${query}" matches ${hits.length} ROIs (${hits.map((h) => `${h.roi.name} in ${h.set.label || 'a structure set'}`).join(', ')}); give the exact name`;
}

/** Build one patient's sequences and VOI(s); problems are returned as lines, nothing is guessed. */
export async function importPatient(scan: ImportScan, mapping: PatientMapping, voi: VoiChoice, readers: ImportReaders): Promise<PatientImport> {
  const out: PatientImport = { patientId: mapping.patientId, images: {}, vois: [], problems: [...mapping.problems] };
  if (out.problems.length > 0) return out;
  const byKey = new Map(scan.series.map((s) => [s.key, s]));
  for (const [seq, key] of Object.entries(mapping.chosen)) {
    const s = byKey.get(key);
    if (!s) {
      out.problems.push(`${seq}: series ${key} is not in the export`);
      continue;
    }
    try {
      out.images[seq] = await buildSeries(s, readers);
    } catch (e) {
      out.problems.push(`${seq}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  if (out.problems.length > 0 || (!voi.voi && !voi.voi2)) return out;
  const ref = out.images[voi.reference];
  const refSeries = byKey.get(mapping.chosen[voi.reference]);
  if (!ref || !refSeries) {
    out.problems.push(`the VOI's reference sequence ${voi.reference} is not among the imported sequences`);
    return out;
  }
  const sets: StructureSet[] = [];
  for (const f of scan.structureSets.filter((x) => x.patientId === mapping.patientId)) {
    try {
      sets.push(parseRtStruct(f.path, await readers.read(f.path)));
    } catch (e) {
      out.problems.push(e instanceof Error ? e.message.split('\n')[0] : String(e));
    }
  }
  const exportSeries = new Set(scan.series.map((s) => s.seriesUid));
  for (const [as, query] of [['mask', voi.voi], ['mask2', voi.voi2]] as const) {
    if (!query) continue;
    const hit = pickRoi(sets, query);
    if (typeof hit === 'string') {
      out.problems.push(`${as}: ${hit}`);
      continue;
    }
    const { set, roi } = hit;
    const roiFor = roi.frameOfReference || set.frameOfReference[0] || '';
    if (roiFor !== refSeries.frameOfReference) {
      const missing = set.referencedSeries.length > 0 && set.referencedSeries.every((u) => !exportSeries.has(u));
      out.problems.push(`${as}: ROI "${roi.name}" is on another frame of reference than the images${missing ? ', drawn on a series that is not in the export' : ''}; register it first or export the images it was drawn on`);
      continue;
    }
    try {
      const r = rasterizeRoi(roi, ref, roi.name);
      if (!r.mask.data.some((x) => x !== 0)) {
        out.problems.push(`${as}: ROI "${roi.name}" covers no voxel centre of ${voi.reference}${r.skipped.length ? ` (${r.skipped[0]})` : ''}`);
        continue;
      }
      if (!sameGeometry(r.mask, ref)) throw new Error('internal: mask off the reference grid');
      out[as] = r.mask;
      out.vois.push({ as, roi: roi.name, structureSet: set.label, contours: r.used, skipped: r.skipped });
    } catch (e) {
      out.problems.push(`${as}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  return out;
}
