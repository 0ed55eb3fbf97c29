/**
 * Node side of the import: walk an export folder, scan it, and write the
 * cohort layout that `study` reads (docs/import.md):
 *
 *   <out>/<id>/<SEQUENCE>.nii.gz, mask.nii.gz, mask2.nii.gz
 *   <out>/clinical.csv   (id first; when a clinical table is given)
 *   <out>/import.json    which series became which sequence, why the others were left out
 *
 * Privacy: no name, birth date, address, accession number or UID is written;
 * ids are PatientIDs, or P001… with `pseudonymise` (the key goes only to `keyOut`).
 */
import { mkdir, readdir, readFile, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { listFilesRecursive } from '../cohort/cohort-node.js';
import { readDicomSegmentation, readDicomSeries, readVolume, writeVolume } from '../image/io-node.js';
import { segmentationLabels, slicerSegmentNames } from './labelmap.js';
import { imageToVolume } from '../image/itk-image.js';
import type { ScannerInfo } from '../image/dicom-scan.js';
import { importPatient, scanExport, type ImportReaders, type ImportScan, type LabelMapFile, type VoiUsed } from './plan.js';
import { importRulesToYaml, mapSeries, type ImportRules, type PatientMapping } from './rules.js';

export interface ImportOptions {
  rules: ImportRules;
  voi?: string;
  voi2?: string;
  /** Folder of label maps named by PatientID (<id>.nii.gz, .nii, .nrrd, .seg.nrrd, .mha). */
  labels?: string;
  /** Sequence the VOI is rasterised onto (default: the first sequence of the rules). */
  reference?: string;
  clinical?: string;
  /** Column of the clinical table holding the PatientID (default: its first column). */
  idColumn?: string;
  pseudonymise?: boolean;
  /** Where the pseudonym key (id,PatientID) is written; required with pseudonymise. */
  keyOut?: string;
  /** As file headers are read (`scan`, see scanExport) and after every patient built (`import`). */
  onProgress?: (p: ImportProgress) => void;
}

/** Progress of an import: `done` of `total` files scanned, or patients built (`what`: the patient). */
export interface ImportProgress {
  stage: 'scan' | 'import';
  done: number;
  total: number;
  what?: string;
}

export interface ImportJson {
  tool: string;
  sequences: string[];
  reference: string;
  rules: string;
  patients: {
    id: string;
    imported: boolean;
    problems: string[];
    sequences: Record<string, string>;
    vois: VoiUsed[];
    series: { series: string; description: string; protocol: string; orientation: string; matrix: number[]; spacing: number[]; slices: number; contrast: boolean; fatSat: boolean; echoTime?: number; repetitionTime?: number; becomes?: string; why?: string }[];
  }[];
  otherFiles: { file?: string; id: string; what: string }[];
  unreadableFiles: { file?: string; problem: string }[];
  clinical?: { rows: number; unmatched: number };
  /** Columns of clinical.csv that describe the scanner (batch keys for ComBat); 'auto' clinical variables leave them out. */
  batchColumns?: string[];
}

export interface ImportResult {
  json: ImportJson;
  imported: string[];
  problems: string[];
}

/** The export's files, as `ExportFile`s with paths relative to the export (a DICOMDIR is read like any other file). */
export async function listExportFiles(exportDir: string) {
  const st = await stat(exportDir).catch(() => null);
  if (!st?.isDirectory()) throw new Error(`${exportDir}: not a folder`);
  const files = await listFilesRecursive(exportDir);
  return files.map((abs) => ({ path: path.relative(exportDir, abs), read: async () => new Uint8Array(await readFile(abs)) }));
}

const LABEL_MAP_EXT = ['.nii.gz', '.nii', '.seg.nrrd', '.nrrd', '.nhdr', '.mha', '.mhd'];

/** The label map of a patient in `dir` (`<PatientID>.<ext>`); messages name the file, or "label map of P001" when pseudonymised. */
async function readLabelMap(dir: string, patientId: string, pseudonym?: string): Promise<LabelMapFile | undefined> {
  const names = new Set(await readdir(dir).catch(() => {
    throw new Error(`${dir}: the label map folder cannot be read`);
  }));
  const found = LABEL_MAP_EXT.map((e) => patientId + e).filter((n) => names.has(n));
  const [name] = found;
  if (name === undefined) return undefined;
  const shown = pseudonym ? `label map of ${pseudonym}` : path.join(dir, name);
  if (found.length > 1) throw new Error(`${pseudonym ? shown : path.join(dir, patientId)}.*: several label maps (${found.length}) for one patient; keep one`);
  const file = path.join(dir, name);
  let labels;
  try {
    labels = await readVolume(file);
  } catch (e) {
    throw new Error(`${shown}: ${(e instanceof Error ? e.message.split('\n')[0]! : String(e)).split(file).join('').replace(/^:\s*/, '')}`);
  }
  const { segments, layers } = slicerSegmentNames(new Uint8Array(await readFile(file)));
  if (layers > 1) throw new Error(`${shown}: a Slicer segmentation with ${layers} layers (overlapping segments); export it as a label map`);
  return { file: shown, labels, segments };
}

function nodeReaders(exportDir: string, labelDir?: string, pseudonym?: (pid: string) => string): ImportReaders {
  return {
    labelMap: labelDir ? (pid) => readLabelMap(labelDir, pid, pseudonym?.(pid)) : undefined,
    read: async (p) => new Uint8Array(await readFile(path.join(exportDir, p))),
    readCompressedSeries: async (paths, label) => {
      const res = await readDicomSeries(paths.map((p) => path.join(exportDir, p)), true);
      return imageToVolume(res.outputImage, label);
    },
    readSegmentation: async (p) => {
      let res;
      try {
        res = await readDicomSegmentation(path.join(exportDir, p));
      } catch (e) {
        throw new Error(`${p}: itk-wasm cannot read this DICOM SEG (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
      }
      return segmentationLabels(res, p);
    },
  };
}

/** Pseudonyms P001… in PatientID order (wider when there are more than 999 patients). */
export function pseudonyms(patientIds: readonly string[]): Map<string, string> {
  const width = Math.max(3, String(patientIds.length).length);
  return new Map(patientIds.map((id, n) => [id, `P${String(n + 1).padStart(width, '0')}`]));
}

/** Scan an export folder (no writing). */
export async function scanExportFolder(exportDir: string, onProgress?: (p: ImportProgress) => void): Promise<ImportScan> {
  const files = await listExportFiles(exportDir);
  return scanExport(files, onProgress && ((done, total) => onProgress({ stage: 'scan', done, total })));
}

/** The folder holds no DICOM image series (nothing is written). */
export class NoDicomSeriesError extends Error {
  constructor(dir: string) {
    super(`${dir}: no DICOM image series found`);
    this.name = 'NoDicomSeriesError';
  }
}

const FILE_SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Import an export folder into a cohort folder. */
export async function importExport(exportDir: string, outDir: string, opts: ImportOptions): Promise<ImportResult> {
  if (opts.pseudonymise && !opts.keyOut) throw new Error('--pseudonymise needs --key-out <file> (where the key may be written)');
  if (opts.labels && !(await stat(opts.labels).catch(() => null))?.isDirectory()) throw new Error(`${opts.labels}: not a folder (--labels)`);
  const reference = opts.reference ?? opts.rules.sequences[0];
  if (reference === undefined) throw new Error('import: the rules name no sequence');
  if (!opts.rules.sequences.includes(reference)) throw new Error(`reference ${reference} is not one of the sequences (${opts.rules.sequences.join(', ')})`);
  const scan = await scanExportFolder(exportDir, opts.onProgress);
  if (scan.series.length === 0) throw new NoDicomSeriesError(exportDir);
  const mappings = mapSeries(scan.series, opts.rules);
  const ids = opts.pseudonymise ? pseudonyms(scan.patients) : new Map(scan.patients.map((p) => [p, p]));
  const idOf = (p: string) => ids.get(p) ?? p;
  if (opts.pseudonymise) {
    const key = 'id,PatientID\n' + scan.patients.map((p) => `${idOf(p)},${csvCell(p)}`).join('\n') + '\n';
    await mkdir(path.dirname(path.resolve(opts.keyOut!)), { recursive: true });
    await writeFile(opts.keyOut!, key);
  }
  await mkdir(outDir, { recursive: true });
  const readers = nodeReaders(exportDir, opts.labels, opts.pseudonymise ? idOf : undefined);
  const json: ImportJson = {
    tool: 'habitat import',
    sequences: opts.rules.sequences,
    reference,
    // per-patient choices are keyed by PatientID: with pseudonyms, by the pseudonym instead
    rules: importRulesToYaml({ ...opts.rules, patients: Object.fromEntries(Object.entries(opts.rules.patients).map(([pid, m]) => [idOf(pid), m])) }),
    patients: [],
    otherFiles: scan.other.map((o) => ({ file: opts.pseudonymise ? undefined : o.path, id: idOf(o.patientId), what: o.what })),
    unreadableFiles: scan.unreadable.map((u) => ({ file: opts.pseudonymise ? undefined : u.path, problem: u.problem })),
  };
  const imported: string[] = [];
  const problems: string[] = [];
  const scanners = new Map<string, ScannerInfo>();
  const byPatient = new Map<string, PatientMapping>(mappings.map((m) => [m.patientId, m]));
  for (const pid of scan.patients) {
    const id = idOf(pid);
    const m = byPatient.get(pid) ?? { patientId: pid, chosen: {}, series: [], problems: ['no image series in the export'] };
    if (!FILE_SAFE_ID.test(id)) m.problems.push(`the PatientID cannot be a folder name; use --pseudonymise`);
    const series = scan.series.filter((s) => s.patientId === pid);
    const choice = new Map(m.series.map((c) => [c.key, c]));
    const rekey = (k: string) => id + k.slice(pid.length);
    const entry: ImportJson['patients'][number] = {
      id,
      imported: false,
      problems: [],
      sequences: Object.fromEntries(Object.entries(m.chosen).map(([q, k]) => [q, rekey(k)])),
      vois: [],
      series: series.map((s) => ({
        series: rekey(s.key),
        description: s.description,
        protocol: s.protocol,
        orientation: s.orientation,
        matrix: s.matrix,
        spacing: s.spacing,
        slices: s.slices,
        contrast: s.contrast,
        fatSat: s.fatSat,
        echoTime: s.echoTime,
        repetitionTime: s.repetitionTime,
        becomes: choice.get(s.key)?.sequence,
        why: choice.get(s.key)?.why,
      })),
    };
    const p = await importPatient(scan, m, { voi: opts.voi, voi2: opts.voi2, reference }, readers);
    entry.problems = p.problems;
    entry.vois = p.vois;
    if (p.problems.length === 0) {
      const dir = path.join(outDir, id);
      await mkdir(dir, { recursive: true });
      for (const [seq, v] of Object.entries(p.images)) {
        v.metadata = { source: seq };
        await writeVolume(v, path.join(dir, `${seq}.nii.gz`));
      }
      if (p.mask) await writeVolume(p.mask, path.join(dir, 'mask.nii.gz'));
      if (p.mask2) await writeVolume(p.mask2, path.join(dir, 'mask2.nii.gz'));
      entry.imported = true;
      imported.push(id);
      const refSeries = scan.series.find((s) => s.key === m.chosen[reference]);
      if (refSeries) scanners.set(id, refSeries.scanner);
    } else for (const line of p.problems) problems.push(`${id}: ${line}`);
    json.patients.push(entry);
    opts.onProgress?.({ stage: 'import', done: json.patients.length, total: scan.patients.length, what: id });
  }
  if (opts.clinical) {
    json.clinical = await writeClinical(opts.clinical, path.join(outDir, 'clinical.csv'), opts.idColumn, ids, new Set(imported), problems, scannerColumns(scanners, opts.pseudonymise === true));
    json.batchColumns = SCANNER_COLUMNS;
  }
  await writeFile(path.join(outDir, 'import.json'), JSON.stringify(json, null, 1) + '\n');
  return { json, imported, problems };
}

/** The scanner columns import adds to clinical.csv (the `scanner_` prefix keeps them out of 'auto' clinical variables). */
export const SCANNER_COLUMNS = ['scanner_institution', 'scanner_manufacturer', 'scanner_model', 'scanner_field_T'];

/**
 * Each imported patient's scanner cells (from its reference series). The
 * institution is the site's name, or with pseudonyms site1, site2… in order of
 * first appearance (the name of a small site can narrow down who a patient is).
 */
function scannerColumns(scanners: Map<string, ScannerInfo>, pseudonymise: boolean): Map<string, string[]> {
  const sites = new Map<string, string>();
  const out = new Map<string, string[]>();
  for (const [id, sc] of scanners) {
    let site = sc.institution;
    if (pseudonymise && site !== '') {
      if (!sites.has(site)) sites.set(site, `site${sites.size + 1}`);
      site = sites.get(site)!;
    }
    out.set(id, [site, sc.manufacturer, sc.model, sc.fieldStrength === undefined ? '' : String(sc.fieldStrength)]);
  }
  return out;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Copy the clinical table with the id first (renamed "id", pseudonymised when asked), keeping only imported patients' rows. */
async function writeClinical(file: string, out: string, idColumn: string | undefined, ids: Map<string, string>, imported: Set<string>, problems: string[], scanner: Map<string, string[]>): Promise<{ rows: number; unmatched: number }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  const [err] = parsed.errors;
  if (err) throw new Error(`${file}: row ${(err.row ?? 0) + 1}: ${err.message}`);
  const [header, ...rows] = parsed.data;
  if (!header) throw new Error(`${file}: empty table`);
  const col = idColumn === undefined ? 0 : header.indexOf(idColumn);
  if (col < 0) throw new Error(`${file}: no column "${idColumn}" (columns: ${header.join(', ')})`);
  const clash = header.find((h) => SCANNER_COLUMNS.includes(h));
  if (clash) throw new Error(`${file}: has a column "${clash}", which import writes itself (the scanner of each patient); rename it`);
  const others = header.map((_, n) => n).filter((n) => n !== col);
  const lines = [['id', ...header.filter((_, n) => n !== col), ...SCANNER_COLUMNS].map(csvCell).join(',')];
  let unmatched = 0;
  let kept = 0;
  for (const r of rows) {
    const pid = (r[col] ?? '').trim();
    const id = ids.get(pid);
    if (!id || !imported.has(id)) {
      unmatched++;
      continue;
    }
    lines.push([id, ...others.map((n) => r[n] ?? ''), ...(scanner.get(id) ?? SCANNER_COLUMNS.map(() => ''))].map(csvCell).join(','));
    kept++;
  }
  if (unmatched > 0) problems.push(`${file}: ${unmatched} row(s) match no imported patient (left out of clinical.csv)`);
  await writeFile(out, lines.join('\n') + '\n');
  return { rows: kept, unmatched };
}
