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
import { parseRtStruct, rasterizeRoi, type StructureSet } from './rtstruct.js';
import { findByName, labelMapOnGrid, labelToMask, parseSegHeader, type LabelSegment } from './labelmap.js';
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
  /** DICOM SEG files, by patient. */
  segmentations: DicomFileInfo[];
  /** One line per DICOM file that is not part of an image series (RT plan, SR, secondary capture, …). */
  other: { path: string; patientId: string; what: string }[];
  unreadable: UnreadableFile[];
  patients: string[];
  /** ROI names of each patient's structure sets and segment labels of its SEGs (for choosing the VOI). */
  rois: Record<string, string[]>;
}

/** How often `scanExport` reports: after every this many files, and after the last. */
export const SCAN_PROGRESS_EVERY = 50;

/** Read every file's header (in order; `onFile` after every SCAN_PROGRESS_EVERY-th and the last) and sort the export. */
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
      } else if (!('problem' in r) && r.kind === 'seg') {
        const names = parseSegHeader(f.path, bytes).segments.map((x) => x.name).filter((x) => x !== '');
        rois[r.patientId] = [...new Set([...(rois[r.patientId] ?? []), ...names])].sort();
      }
    } catch (e) {
      r = { path: f.path, problem: `cannot be read (${e instanceof Error ? e.message.split('\n')[0] : String(e)})` };
    }
    if ('problem' in r) unreadable.push(r);
    else infos.push(r);
    if (++done % SCAN_PROGRESS_EVERY === 0 || done === files.length) onFile?.(done, files.length);
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
  /** Which ROI or segment became mask / mask2, and from which structure set, SEG or label map. */
  vois: VoiUsed[];
  /** Why the patient cannot be imported (one line each); empty when it was. */
  problems: string[];
}

export interface VoiUsed {
  as: 'mask' | 'mask2';
  roi: string;
  /** The structure set's label, the SEG's content label, or 'label map'. */
  structureSet: string;
  /** RTSTRUCT: contours used; SEG / label map: 0. */
  contours: number;
  skipped: string[];
  /** RTSTRUCT, SEG or label map; with how a SEG reached the grid. */
  from?: string;
}

/** A SEG read into label volumes: each segment is the voxels of layer `layer` equal to `value`. */
export interface SegmentationLabels {
  layers: Volume[];
  segments: (LabelSegment & { layer: number; value: number })[];
}

/** A patient's label map (ITK-SNAP / 3D Slicer) and the names of its labels where the file gives them. */
export interface LabelMapFile {
  /** Shown in messages (not written to import.json: it may hold the PatientID). */
  file: string;
  labels: Volume;
  segments: LabelSegment[];
}

export interface ImportReaders {
  read(path: string): Promise<Uint8Array>;
  /** itk-wasm's `readSegmentation` of a DICOM SEG in the export. */
  readSegmentation?(path: string): Promise<SegmentationLabels>;
  /** The patient's label map, when label maps were given. */
  labelMap?(patientId: string): Promise<LabelMapFile | undefined>;
  /** Reader for compressed series (itk-wasm's DICOM series reader), given the files in slice order. */
  readCompressedSeries?(paths: string[], label: string): Promise<Volume>;
}

async function buildSeries(s: SeriesSummary, readers: ImportReaders): Promise<Volume> {
  if (isNativeSeries(s)) return seriesVolume(s, await Promise.all(s.files.map((f) => readers.read(f.path))));
  if (!readers.readCompressedSeries) throw new Error(`series ${s.seriesNumber ?? '?'} "${s.description}": compressed pixel data, and no DICOM series reader here`);
  return readers.readCompressedSeries(s.files.map((f) => f.path), `series ${s.seriesNumber ?? '?'} "${s.description}"`);
}

/** A VOI the query can pick: an RTSTRUCT ROI, a SEG segment or a label of a label map. */
interface VoiCandidate {
  name: string;
  number?: number;
  /** How it is listed in messages. */
  shown: string;
  where: string;
  kind: 'RTSTRUCT' | 'SEG' | 'label map';
  frameOfReference?: string;
  referencedSeries?: string[];
  make(grid: Volume): Promise<{ mask: Volume; contours: number; skipped: string[]; how?: string }>;
}

/** Pick one VOI by name, pattern or (SEG, label map) number; a problem line when none or several match. */
function pickVoi(all: readonly VoiCandidate[], query: string): VoiCandidate | string {
  const hits = findByName(all, query, (c) => c.name, (c) => c.number);
  const [only] = hits;
  if (only && hits.length === 1) return only;
  if (hits.length === 0) {
    if (all.length === 0) return `no RT Structure Set, SEG or label map for VOI "${query}"`;
    const list = (kind: VoiCandidate['kind']) => [...new Set(all.filter((c) => c.kind === kind).map((c) => c.shown))].sort();
    const lists: [string, string[]][] = [['ROIs', list('RTSTRUCT')], ['SEG segments', list('SEG')], ['labels', list('label map')]];
    const parts = lists.filter(([, l]) => l.length > 0).map(([what, l]) => `${what}: ${l.join(', ')}`);
    return `no ${all.every((c) => c.kind === 'RTSTRUCT') ? 'ROI' : 'ROI, segment or label'} matches "${query}" (${parts.join('; ')})`;
  }
  return `"${query}" matches ${hits.length} VOIs (${hits.map((h) => `${h.shown} in ${h.where}`).join(', ')}); give the exact name`;
}

async function voiCandidates(scan: ImportScan, patientId: string, readers: ImportReaders, problems: string[]): Promise<VoiCandidate[]> {
  const out: VoiCandidate[] = [];
  const oneLine = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0]! : String(e)); // split gives at least one piece
  for (const f of scan.structureSets.filter((x) => x.patientId === patientId)) {
    let set: StructureSet;
    try {
      set = parseRtStruct(f.path, await readers.read(f.path));
    } catch (e) {
      problems.push(oneLine(e));
      continue;
    }
    for (const roi of set.rois)
      out.push({
        name: roi.name,
        shown: roi.name,
        where: set.label || 'a structure set',
        kind: 'RTSTRUCT',
        frameOfReference: roi.frameOfReference || set.frameOfReference[0] || '',
        referencedSeries: set.referencedSeries,
        make: async (grid) => {
          const r = rasterizeRoi(roi, grid, roi.name);
          return { mask: r.mask, contours: r.used, skipped: r.skipped };
        },
      });
  }
  for (const f of scan.segmentations.filter((x) => x.patientId === patientId)) {
    let head;
    try {
      head = parseSegHeader(f.path, await readers.read(f.path));
    } catch (e) {
      problems.push(oneLine(e));
      continue;
    }
    let labels: Promise<SegmentationLabels> | undefined;
    for (const seg of head.segments)
      out.push({
        name: seg.name,
        number: seg.number,
        shown: `${seg.number} ${seg.name}`.trim(),
        where: `SEG ${head.label || 'segmentation'}`,
        kind: 'SEG',
        frameOfReference: head.frameOfReference,
        referencedSeries: head.referencedSeries,
        make: async (grid) => {
          if (!readers.readSegmentation) throw new Error(`${f.path}: no DICOM SEG reader here`);
          const l = await (labels ??= readers.readSegmentation(f.path));
          const s = l.segments.find((x) => x.number === seg.number);
          if (!s) throw new Error(`${f.path}: segment ${seg.number} "${seg.name}" holds no voxels`);
          const layer = l.layers[s.layer];
          if (!layer) throw new Error(`${f.path}: segment ${seg.number} "${seg.name}" is in layer ${s.layer + 1}, the file has ${l.layers.length}`);
          const p = labelToMask(layer, s.value, grid, `${f.path}: segment ${seg.number} "${seg.name}"`, true);
          return { mask: p.mask, contours: 0, skipped: [], how: p.how === 'placed' ? 'SEG, on the reference grid voxel for voxel' : 'SEG, resampled (nearest neighbour) onto the reference grid' };
        },
      });
  }
  let map: LabelMapFile | undefined;
  try {
    map = await readers.labelMap?.(patientId);
  } catch (e) {
    problems.push(oneLine(e));
  }
  if (map) {
    const lm = map;
    const values = [...new Set(Array.from(lm.labels.data as ArrayLike<number>))].filter((v) => v !== 0).sort((a, b) => a - b);
    for (const v of values) {
      const name = lm.segments.find((s) => s.number === v)?.name ?? '';
      out.push({
        name,
        number: v,
        shown: `${v}${name ? ` ${name}` : ''}`,
        where: 'the label map',
        kind: 'label map',
        make: async (grid) => {
          labelMapOnGrid(lm.labels, grid, lm.file);
          return { mask: labelToMask(lm.labels, v, grid, lm.file, false).mask, contours: 0, skipped: [] };
        },
      });
    }
  }
  return out;
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
  const refKey = mapping.chosen[voi.reference];
  const refSeries = refKey === undefined ? undefined : byKey.get(refKey);
  if (!ref || !refSeries) {
    out.problems.push(`the VOI's reference sequence ${voi.reference} is not among the imported sequences`);
    return out;
  }
  const candidates = await voiCandidates(scan, mapping.patientId, readers, out.problems);
  const exportSeries = new Set(scan.series.map((s) => s.seriesUid));
  for (const [as, query] of [['mask', voi.voi], ['mask2', voi.voi2]] as const) {
    if (!query) continue;
    const hit = pickVoi(candidates, query);
    if (typeof hit === 'string') {
      out.problems.push(`${as}: ${hit}`);
      continue;
    }
    const what = hit.kind === 'RTSTRUCT' ? `ROI "${hit.name}"` : hit.kind === 'SEG' ? `segment ${hit.shown}` : `label ${hit.shown}`;
    if (hit.frameOfReference !== undefined && hit.frameOfReference !== refSeries.frameOfReference) {
      const refs = hit.referencedSeries ?? [];
      const missing = refs.length > 0 && refs.every((u) => !exportSeries.has(u));
      out.problems.push(`${as}: ${what} is on another frame of reference than the images${missing ? ', drawn on a series that is not in the export' : ''}; register it first or export the images it was drawn on`);
      continue;
    }
    try {
      const r = await hit.make(ref);
      if (!r.mask.data.some((x) => x !== 0)) {
        out.problems.push(`${as}: ${what} covers no voxel centre of ${voi.reference}${r.skipped.length ? ` (${r.skipped[0]})` : ''}`);
        continue;
      }
      if (!sameGeometry(r.mask, ref)) throw new Error('internal: mask off the reference grid');
      out[as] = r.mask;
      out.vois.push({ as, roi: hit.name || String(hit.number), structureSet: hit.kind === 'label map' ? 'label map' : hit.where, contours: r.contours, skipped: r.skipped, from: r.how ?? hit.kind });
    } catch (e) {
      out.problems.push(`${as}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  return out;
}
