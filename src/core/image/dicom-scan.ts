/**
 * The header of one DICOM file, read with dicom-parser (cornerstone's Part 10
 * parser: browser-safe, no WebAssembly, and it walks nested sequences such as
 * RTSTRUCT's ROIContourSequence, which itk-wasm's `readDicomTags` does not
 * return). Only the fields the import needs are kept; the identifying ones
 * (names, birth date, address, accession number) are never read. The
 * InstitutionName is read as the site of the scanner (a batch key).
 */
import * as dicomParserModule from 'dicom-parser';

// The package is a UMD bundle: Node's ESM loader puts it on `default`, bundlers on the namespace.
const dicomParser = ((dicomParserModule as unknown as { default?: typeof dicomParserModule }).default ?? dicomParserModule) as typeof dicomParserModule;

export const SOP = {
  rtstruct: '1.2.840.10008.5.1.4.1.1.481.3',
  rtplan: '1.2.840.10008.5.1.4.1.1.481.5',
  seg: '1.2.840.10008.5.1.4.1.1.66.4',
  enhancedMr: '1.2.840.10008.5.1.4.1.1.4.1',
  dicomdir: '1.2.840.10008.1.3.10',
  secondaryCapture: '1.2.840.10008.5.1.4.1.1.7',
} as const;

/** Transfer syntaxes whose pixel data this module decodes itself (uncompressed, little endian). */
const NATIVE_SYNTAXES = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

import { ImageFileError } from './sniff.js';

type DataSet = dicomParserModule.DataSet;

/** One image slice: the geometry and pixel layout needed to stack it into a volume. */
export interface SliceHeader {
  position: [number, number, number];
  /** Row direction then column direction (ImageOrientationPatient). */
  orientation: number[];
  /** [row spacing, column spacing] as PixelSpacing gives them. */
  pixelSpacing: [number, number];
  rows: number;
  columns: number;
  bitsAllocated: number;
  signed: boolean;
  samplesPerPixel: number;
  frames: number;
  slope: number;
  intercept: number;
  transferSyntax: string;
  /** Byte offset and length of native pixel data in the file; undefined when compressed. */
  pixelOffset?: number;
  pixelLength?: number;
  instanceNumber?: number;
}

export interface DicomFileInfo {
  path: string;
  kind: 'image' | 'rtstruct' | 'seg' | 'other';
  sopClass: string;
  sopInstance: string;
  modality: string;
  patientId: string;
  studyUid: string;
  seriesUid: string;
  seriesNumber?: number;
  seriesDescription: string;
  protocolName: string;
  imageType: string[];
  scanOptions: string[];
  contrastAgent: string;
  echoTime?: number;
  repetitionTime?: number;
  bValue?: number;
  frameOfReference: string;
  /** NumberOfFrames (1 for classic single-frame images). */
  frames: number;
  /** The acquisition's site and scanner (batch keys for harmonisation; not about the person). */
  scanner: ScannerInfo;
  slice?: SliceHeader;
}

export interface ScannerInfo {
  institution: string;
  manufacturer: string;
  model: string;
  /** MagneticFieldStrength (T). */
  fieldStrength?: number;
}

/** A file that is not DICOM or cannot be parsed, with the reason in a few words. */
export interface UnreadableFile {
  path: string;
  problem: string;
}

const str = (ds: DataSet, tag: string): string => (ds.string(tag) ?? '').trim();

function num(ds: DataSet, tag: string): number | undefined {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return undefined;
  const vr = el.vr;
  if (vr === 'FD') return ds.double(tag);
  if (vr === 'FL') return ds.float(tag);
  if (vr === 'US') return ds.uint16(tag);
  if (vr === 'SS') return ds.int16(tag);
  if (vr === 'UL') return ds.uint32(tag);
  const v = ds.floatString(tag);
  return v === undefined || Number.isNaN(v) ? undefined : v;
}

function nums(ds: DataSet, tag: string): number[] {
  const s = ds.string(tag);
  if (!s) return [];
  return s.split('\\').map((t) => Number(t.trim()));
}

function multi(ds: DataSet, tag: string): string[] {
  const s = ds.string(tag);
  return s ? s.split('\\').map((t) => t.trim()).filter((t) => t !== '') : [];
}

/** Parse a whole file; dicom-parser's own messages are reduced to a few words. */
export function parseDicomBytes(path: string, bytes: Uint8Array): DataSet | UnreadableFile {
  if (bytes.length < 132 || bytes[128] !== 0x44 || bytes[129] !== 0x49 || bytes[130] !== 0x43 || bytes[131] !== 0x4d) {
    return { path, problem: 'not a DICOM file (no DICM marker at byte 128)' };
  }
  try {
    return dicomParser.parseDicom(bytes);
  } catch (e) {
    // Pixel data cut short makes the parser run off the end: parse up to the pixel data
    // element so that the slice check can say how many bytes are missing.
    try {
      const head = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
      const px = head.elements['x7fe00010'];
      if (px && px.dataOffset + px.length > bytes.length) return head;
    } catch {
      /* the header itself is broken: report the first error */
    }
    const msg = e instanceof Error ? e.message : typeof e === 'object' && e && 'exception' in e ? String((e as { exception: unknown }).exception) : String(e);
    const short = msg.replace(/^dicomParser\.[A-Za-z]+:\s*/, '').split('\n')[0];
    return { path, problem: `unreadable DICOM (${short})` };
  }
}

function sliceHeader(path: string, ds: DataSet, bytes: Uint8Array): SliceHeader | UnreadableFile | undefined {
  const rows = ds.uint16('x00280010');
  const columns = ds.uint16('x00280011');
  const pixel = ds.elements['x7fe00010'];
  if (!rows || !columns || !pixel) return undefined;
  const position = nums(ds, 'x00200032');
  const orientation = nums(ds, 'x00200037');
  const spacing = nums(ds, 'x00280030');
  const transferSyntax = str(ds, 'x00020010');
  const bitsAllocated = ds.uint16('x00280100') ?? 16;
  const samplesPerPixel = ds.uint16('x00280002') ?? 1;
  const frames = Number(ds.intString('x00280008') ?? 1) || 1;
  const h: SliceHeader = {
    // A value the file lacks is NaN (it was undefined, which compares and computes as NaN):
    // scanDicomFile refuses a non-finite position, the series check a non-finite spacing.
    position: [position[0] ?? NaN, position[1] ?? NaN, position[2] ?? NaN],
    orientation,
    pixelSpacing: [spacing[0] ?? NaN, spacing[1] ?? NaN],
    rows,
    columns,
    bitsAllocated,
    signed: ds.uint16('x00280103') === 1,
    samplesPerPixel,
    frames,
    slope: num(ds, 'x00281053') ?? 1,
    intercept: num(ds, 'x00281052') ?? 0,
    transferSyntax,
    instanceNumber: ds.intString('x00200013'),
  };
  if (NATIVE_SYNTAXES.has(transferSyntax) && !pixel.encapsulatedPixelData) {
    const need = rows * columns * samplesPerPixel * frames * (bitsAllocated / 8);
    const have = Math.min(pixel.length, bytes.length - pixel.dataOffset);
    if (have < need) return { path, problem: `truncated pixel data: ${rows}×${columns}${frames > 1 ? `×${frames}` : ''} ${bitsAllocated}-bit pixels need ${need} bytes, the file holds ${Math.max(0, have)}` };
    h.pixelOffset = pixel.dataOffset;
    h.pixelLength = need;
  }
  return h;
}

/** The import's view of one file, or why it cannot be used. */
export function scanDicomFile(path: string, bytes: Uint8Array): DicomFileInfo | UnreadableFile {
  const ds = parseDicomBytes(path, bytes);
  if ('problem' in ds) return ds;
  const sopClass = str(ds, 'x00080016') || str(ds, 'x00020002');
  const info: DicomFileInfo = {
    path,
    kind: 'other',
    sopClass,
    sopInstance: str(ds, 'x00080018'),
    modality: str(ds, 'x00080060'),
    patientId: str(ds, 'x00100020'),
    studyUid: str(ds, 'x0020000d'),
    seriesUid: str(ds, 'x0020000e'),
    seriesNumber: ds.intString('x00200011'),
    seriesDescription: str(ds, 'x0008103e'),
    protocolName: str(ds, 'x00181030'),
    imageType: multi(ds, 'x00080008').map((t) => t.toUpperCase()),
    scanOptions: multi(ds, 'x00180022').map((t) => t.toUpperCase()),
    contrastAgent: str(ds, 'x00180010'),
    echoTime: num(ds, 'x00180081'),
    repetitionTime: num(ds, 'x00180080'),
    bValue: num(ds, 'x00189087') ?? num(ds, 'x0019100c') ?? num(ds, 'x00431039'),
    frameOfReference: str(ds, 'x00200052'),
    frames: Number(ds.intString('x00280008') ?? 1) || 1,
    scanner: { institution: str(ds, 'x00080080'), manufacturer: str(ds, 'x00080070'), model: str(ds, 'x00081090'), fieldStrength: num(ds, 'x00180087') },
  };
  if (sopClass === SOP.rtstruct) info.kind = 'rtstruct';
  else if (sopClass === SOP.seg) info.kind = 'seg';
  else if (sopClass !== SOP.secondaryCapture && sopClass !== SOP.dicomdir && sopClass !== SOP.enhancedMr && info.frames === 1) {
    const s = sliceHeader(path, ds, bytes);
    if (s && 'problem' in s) return s;
    if (s && s.samplesPerPixel === 1 && s.orientation.length === 6 && s.position.every(Number.isFinite)) {
      info.kind = 'image';
      info.slice = s;
    }
  }
  return info;
}

/** A short name of what a non-image file is, for its one line in the report. */
export function describeNonImage(f: DicomFileInfo): string {
  if (f.sopClass === SOP.dicomdir) return 'DICOMDIR (directory index; the files are found by walking the folders)';
  if (f.sopClass === SOP.rtplan || f.modality === 'RTPLAN') return 'RT plan (not an image)';
  if (f.sopClass === SOP.enhancedMr || (f.frames > 1 && f.modality === 'MR'))
    return `enhanced (multi-frame) MR image, ${f.frames} frames${f.seriesDescription ? ` "${f.seriesDescription}"` : ''}: not supported yet; export the series as classic single-frame MR images`;
  if (f.sopClass === SOP.secondaryCapture) return 'secondary capture (screenshot, not a measured image)';
  if (f.modality === 'SR' || f.sopClass.startsWith('1.2.840.10008.5.1.4.1.1.88.')) return 'structured report (not an image)';
  if (f.modality === 'RTDOSE') return 'RT dose (not used)';
  if (f.modality === 'PR' || f.sopClass.startsWith('1.2.840.10008.5.1.4.1.1.11.')) return 'presentation state (not an image)';
  if (f.frames > 1) return `multi-frame ${f.modality || 'DICOM'} image (${f.frames} frames): not supported; export it as single-frame images`;
  return `${f.modality || 'DICOM'} object without an image geometry (SOP class ${f.sopClass || 'unknown'})`;
}

/** Refuse a DICOM file that is not an image slice, or whose pixel data is cut short, in one line naming it. */
export function checkDicomSlice(file: string, bytes: Uint8Array): void {
  const info = scanDicomFile(file, bytes);
  if ('problem' in info) throw new ImageFileError(file, info.problem);
  if (info.kind === 'rtstruct') throw new ImageFileError(file, 'an RT Structure Set, not an image (import it with `habitat import --voi NAME`)');
  if (info.kind === 'seg') throw new ImageFileError(file, 'a DICOM SEG segmentation, not an image');
  if (info.kind !== 'image') throw new ImageFileError(file, describeNonImage(info));
}
