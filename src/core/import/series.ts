/**
 * Image series of a DICOM export, sorted by header: files are grouped by
 * PatientID → StudyInstanceUID → SeriesInstanceUID, and a series' slices are
 * ordered by their position along the slice normal (never by file name or
 * InstanceNumber). `seriesVolume` stacks native (uncompressed) pixel data into
 * a Volume; compressed series are left to itk-wasm's DICOM reader.
 */
import type { DicomFileInfo, ScannerInfo, SliceHeader } from '../image/dicom-scan.js';
import type { Vec3, Volume, VoxelArray } from '../image/volume.js';

export type Orientation = 'axial' | 'coronal' | 'sagittal' | 'mixed';

export interface SeriesSummary {
  /** A short key for the series within the import (`<patient>/<study n>/<series n>`), never a UID. */
  key: string;
  patientId: string;
  studyUid: string;
  seriesUid: string;
  seriesNumber?: number;
  description: string;
  protocol: string;
  modality: string;
  imageType: string[];
  orientation: Orientation;
  /** Columns × rows × slices. */
  matrix: Vec3;
  /** Column spacing, row spacing, slice spacing (mm). */
  spacing: Vec3;
  slices: number;
  contrast: boolean;
  fatSat: boolean;
  contrastAgent: string;
  scanOptions: string[];
  echoTime?: number;
  repetitionTime?: number;
  bValues: number[];
  frameOfReference: string;
  scanner: ScannerInfo;
  /** Why the slices do not make one volume (mixed orientations, uneven gaps, …); undefined when they do. */
  notAVolume?: string;
  /** The files sorted along the slice normal (or as found when notAVolume); a series has at least one. */
  files: [DicomFileInfo, ...DicomFileInfo[]];
}

const dot = (a: Readonly<Vec3>, b: Readonly<Vec3>) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Readonly<Vec3>, b: Readonly<Vec3>): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** The row and column directions of ImageOrientationPatient. */
function rowColumn(s: SliceHeader): [Vec3, Vec3] {
  const o = s.orientation;
  if (o.length !== 6) throw new Error(`ImageOrientationPatient has ${o.length} values, expected 6`);
  return [[o[0]!, o[1]!, o[2]!], [o[3]!, o[4]!, o[5]!]];
}

export function sliceNormal(s: SliceHeader): Vec3 {
  return cross(...rowColumn(s));
}

export function orientationOf(normal: Readonly<Vec3>): Exclude<Orientation, 'mixed'> {
  const a0 = Math.abs(normal[0]);
  const a1 = Math.abs(normal[1]);
  const a2 = Math.abs(normal[2]);
  if (a2 >= a0 && a2 >= a1) return 'axial';
  return a1 >= a0 ? 'coronal' : 'sagittal';
}

const FAT_SAT_OPTIONS = /^(FS|SFS|FAT_?SAT|SPIR|SPAIR|CHESS|FSS|FC_FREQ_AX_GEMS_FS)$/;

/**
 * Fat-saturation flag from ScanOptions only (the rules file adds name patterns).
 * GE writes FS (or SFS), Philips SPIR/SPAIR, Siemens FS.
 */
export function fatSatFromHeader(scanOptions: readonly string[]): boolean {
  return scanOptions.some((o) => FAT_SAT_OPTIONS.test(o));
}

const same = (a: readonly number[], b: readonly number[], tol: number) => a.length === b.length && a.every((x, n) => Math.abs(x - b[n]!) <= tol);

/** Why a set of slices is not one regular volume, or null; sorts `files` in place along the normal. */
function stackProblem(files: SeriesSummary['files']): string | null {
  const s0 = files[0].slice!;
  for (const f of files) {
    const s = f.slice!;
    if (!same(s.orientation, s0.orientation, 1e-4)) return 'slices in several orientations';
    if (s.rows !== s0.rows || s.columns !== s0.columns) return 'slices of different matrix sizes';
    if (!same(s.pixelSpacing, s0.pixelSpacing, 1e-4)) return 'slices of different pixel spacing';
  }
  const n = sliceNormal(s0);
  const pos = new Map(files.map((f) => [f, dot(f.slice!.position, n)]));
  files.sort((a, b) => pos.get(a)! - pos.get(b)!);
  if (files.length < 2) return 'a single slice';
  const gaps: number[] = [];
  for (let k = 1; k < files.length; k++) gaps.push(pos.get(files[k]!)! - pos.get(files[k - 1]!)!);
  const dupes = gaps.filter((g) => Math.abs(g) < 1e-3).length;
  if (dupes > 0) return `${dupes + 1} slices share a position (several echoes, b-values or time points in one series)`;
  const g0 = (pos.get(files[files.length - 1]!)! - pos.get(files[0])!) / (files.length - 1);
  const worst = Math.max(...gaps.map((g) => Math.abs(g - g0)));
  if (worst > Math.max(0.01, 0.01 * g0)) return `uneven slice gaps (${Math.min(...gaps).toFixed(2)}–${Math.max(...gaps).toFixed(2)} mm: a slice missing?)`;
  // in-plane positions must line up with the normal (no sheared stacks)
  for (const f of files) {
    const d = f.slice!.position.map((x, c) => x - files[0].slice!.position[c]! - n[c]! * (pos.get(f)! - pos.get(files[0])!));
    if (Math.hypot(...d) > 0.01) return 'slices not stacked along their normal (gantry tilt or shear)';
  }
  return null;
}

/** Group image files into series (one per SeriesInstanceUID), sorted by patient, study, series number. */
export function groupSeries(images: readonly DicomFileInfo[]): SeriesSummary[] {
  const bySeries = new Map<string, SeriesSummary['files']>();
  for (const f of images) {
    if (f.kind !== 'image' || !f.slice) continue;
    const k = `${f.patientId}\u0000${f.studyUid}\u0000${f.seriesUid}`;
    const list = bySeries.get(k);
    if (list) list.push(f);
    else bySeries.set(k, [f]);
  }
  const out: SeriesSummary[] = [];
  for (const files of bySeries.values()) {
    const f0 = files[0];
    const problem = stackProblem(files);
    const s0 = files[0].slice!;
    const normals = new Set(files.map((f) => orientationOf(sliceNormal(f.slice!))));
    const orientation: Orientation = normals.size > 1 ? 'mixed' : orientationOf(sliceNormal(s0));
    const gap = files.length > 1 && !problem ? (dot(files[files.length - 1]!.slice!.position, sliceNormal(s0)) - dot(s0.position, sliceNormal(s0))) / (files.length - 1) : 0;
    const contrastAgent = files.map((f) => f.contrastAgent).find((a) => a !== '') ?? '';
    out.push({
      key: '',
      patientId: f0.patientId,
      studyUid: f0.studyUid,
      seriesUid: f0.seriesUid,
      seriesNumber: f0.seriesNumber,
      description: f0.seriesDescription,
      protocol: f0.protocolName,
      modality: f0.modality,
      imageType: f0.imageType,
      orientation,
      matrix: [s0.columns, s0.rows, files.length],
      spacing: [s0.pixelSpacing[1], s0.pixelSpacing[0], +gap.toFixed(6)],
      slices: files.length,
      contrast: contrastAgent !== '',
      fatSat: fatSatFromHeader(f0.scanOptions),
      contrastAgent,
      scanOptions: f0.scanOptions,
      echoTime: f0.echoTime,
      repetitionTime: f0.repetitionTime,
      bValues: [...new Set(files.map((f) => f.bValue).filter((b): b is number => b !== undefined))].sort((a, b) => a - b),
      frameOfReference: f0.frameOfReference,
      scanner: f0.scanner,
      notAVolume: problem ?? undefined,
      files,
    });
  }
  out.sort((a, b) => a.patientId.localeCompare(b.patientId, 'en', { numeric: true }) || a.studyUid.localeCompare(b.studyUid) || (a.seriesNumber ?? 0) - (b.seriesNumber ?? 0) || a.seriesUid.localeCompare(b.seriesUid));
  // short keys: patient / study number / series number (or its rank when numbers clash)
  const studyIndex = new Map<string, number>();
  const used = new Set<string>();
  for (const s of out) {
    const sk = `${s.patientId}\u0000${s.studyUid}`;
    if (!studyIndex.has(sk)) studyIndex.set(sk, [...studyIndex.keys()].filter((k) => k.startsWith(s.patientId + '\u0000')).length + 1);
    let key = `${s.patientId}/${studyIndex.get(sk)}/${s.seriesNumber ?? 0}`;
    for (let n = 2; used.has(key); n++) key = `${s.patientId}/${studyIndex.get(sk)}/${s.seriesNumber ?? 0}.${n}`;
    used.add(key);
    s.key = key;
  }
  return out;
}

/** The geometry of a series that forms a volume (origin = first slice along the normal). */
export function seriesGeometry(s: SeriesSummary): Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction'> {
  if (s.notAVolume) throw new Error(`series ${s.key} (${s.description}): ${s.notAVolume}`);
  const s0 = s.files[0].slice!;
  const n = sliceNormal(s0);
  const [r, c] = rowColumn(s0);
  const direction = Float64Array.from([r[0], c[0], n[0], r[1], c[1], n[1], r[2], c[2], n[2]]);
  for (let k = 0; k < 9; k++) if (direction[k] === 0) direction[k] = 0;
  return { size: [...s.matrix] as Vec3, spacing: [...s.spacing] as Vec3, origin: [...s0.position] as Vec3, direction };
}

/** Whether this module can stack the series' pixel data itself (native transfer syntax, 8/16/32-bit grey). */
export function isNativeSeries(s: SeriesSummary): boolean {
  return s.files.every((f) => f.slice!.pixelOffset !== undefined && [8, 16, 32].includes(f.slice!.bitsAllocated));
}

/**
 * Stack a series into a Volume from the bytes of its files (same order as
 * `s.files`). Stored values are kept as they are when every slice has
 * RescaleSlope 1 and RescaleIntercept 0; otherwise the volume is float32 of
 * slope · stored + intercept, slice by slice.
 */
export function seriesVolume(s: SeriesSummary, bytes: readonly Uint8Array[]): Volume {
  const geo = seriesGeometry(s);
  if (bytes.length !== s.files.length) throw new Error(`series ${s.key} (${s.description}): ${bytes.length} files read for ${s.files.length} slices`);
  if (!isNativeSeries(s)) throw new Error(`series ${s.key} (${s.description}): compressed pixel data; read it with the DICOM series reader`);
  const s0 = s.files[0].slice!;
  const perSlice = s0.rows * s0.columns;
  const identity = s.files.every((f) => f.slice!.slope === 1 && f.slice!.intercept === 0);
  const n = perSlice * s.files.length;
  const Raw = s0.bitsAllocated === 8 ? (s0.signed ? Int8Array : Uint8Array) : s0.bitsAllocated === 16 ? (s0.signed ? Int16Array : Uint16Array) : s0.signed ? Int32Array : Uint32Array;
  for (const f of s.files) {
    const h = f.slice!;
    if (h.bitsAllocated !== s0.bitsAllocated || h.signed !== s0.signed) throw new Error(`${f.path}: pixel type differs from the rest of series ${s.key}`);
  }
  const data: VoxelArray = identity ? new Raw(n) : new Float32Array(n);
  s.files.forEach((f, k) => {
    const h = f.slice!;
    const b = bytes[k]!;
    const src = b.slice(h.pixelOffset!, h.pixelOffset! + h.pixelLength!); // a copy, aligned for the typed view
    const raw = new Raw(src.buffer, 0, perSlice);
    if (identity) data.set(raw, k * perSlice);
    else for (let i = 0; i < perSlice; i++) data[k * perSlice + i] = raw[i]! * h.slope + h.intercept;
  });
  return { ...geo, data, metadata: { source: `series ${s.seriesNumber ?? '?'} ${s.description}`.trim(), format: 'dicom', files: String(s.files.length) } };
}
