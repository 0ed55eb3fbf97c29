/**
 * Recognise an image file from its name and first bytes, and check its header
 * before it reaches a reader: a truncated, empty, non-image or absurd file gets
 * a one-line message naming the file and the problem instead of a reader crash.
 */
import { gunzipSync, Gunzip } from 'fflate';
import type { VoxelArray } from './volume.js';

export type ImageFormat = 'nifti' | 'nrrd' | 'metaimage' | 'dicom';

export class ImageFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ImageFileError';
  }
}

/** Largest voxel count accepted (2^31 − 1 voxels ≈ 8 GiB of float32): beyond any MRI series. */
export const MAX_VOXELS = 2 ** 31 - 1;

/** Bytes per voxel of each voxel type a header may declare. */
const VOXEL_BYTES = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8 } as const;
export type VoxelTypeName = keyof typeof VOXEL_BYTES;

/**
 * The typed array of each voxel type the TypeScript readers (nrrd-read.ts,
 * nifti-read.ts) decode; 64-bit integers have none and go to itk-wasm.
 */
export type VoxelCtor = { new (buffer: ArrayBuffer): VoxelArray; BYTES_PER_ELEMENT: number };
export const VOXEL_ARRAYS: Partial<Record<VoxelTypeName, VoxelCtor>> = {
  int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, float32: Float32Array, float64: Float64Array,
};

/** NIfTI-1 datatype codes of the scalar voxel types. */
export const NIFTI_DATATYPES: Record<number, VoxelTypeName> = {
  2: 'uint8', 4: 'int16', 8: 'int32', 16: 'float32', 64: 'float64', 256: 'int8', 512: 'uint16', 768: 'uint32', 1024: 'int64', 1280: 'uint64',
};

/** teem's spellings of each NRRD voxel type (its `nrrdType` table; lower case). */
export const NRRD_TYPES: ReadonlyMap<string, VoxelTypeName> = new Map(([
  ['int8', ['signed char', 'int8', 'int8_t']],
  ['uint8', ['uchar', 'unsigned char', 'uint8', 'uint8_t']],
  ['int16', ['short', 'short int', 'signed short', 'signed short int', 'int16', 'int16_t']],
  ['uint16', ['ushort', 'unsigned short', 'unsigned short int', 'uint16', 'uint16_t']],
  ['int32', ['int', 'signed int', 'int32', 'int32_t']],
  ['uint32', ['uint', 'unsigned int', 'uint32', 'uint32_t']],
  ['int64', ['longlong', 'long long', 'long long int', 'signed long long', 'signed long long int', 'int64', 'int64_t']],
  ['uint64', ['ulonglong', 'unsigned long long', 'unsigned long long int', 'uint64', 'uint64_t']],
  ['float32', ['float']],
  ['float64', ['double']],
] as [VoxelTypeName, string[]][]).flatMap(([name, spellings]) => spellings.map((sp): [string, VoxelTypeName] => [sp, name])));


export interface HeaderSummary {
  format: ImageFormat;
  size: number[];
  /** Voxel type as the header names it. */
  type: string;
}

export function formatFromName(name: string): ImageFormat | null {
  const n = name.toLowerCase();
  if (n.endsWith('.nii') || n.endsWith('.nii.gz') || n.endsWith('.hdr') || n.endsWith('.img')) return 'nifti';
  if (n.endsWith('.nrrd') || n.endsWith('.nhdr')) return 'nrrd';
  if (n.endsWith('.mha') || n.endsWith('.mhd')) return 'metaimage';
  if (n.endsWith('.dcm') || n.endsWith('.ima')) return 'dicom';
  return null;
}

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/**
 * A faster (native) way to learn how many bytes a whole, intact gzip stream
 * decompresses to, counting at least up to `atLeast` (it may stop there); null
 * when the stream is truncated or corrupt, or when it cannot tell. The checks
 * below then run their own decoder for the exact message.
 */
export type FastGunzipLength = (bytes: Uint8Array, atLeast: number) => number | null;

/** The first `n` decompressed bytes of a gzip stream (or fewer when it ends early or is corrupt). */
export function gunzipPrefix(bytes: Uint8Array, n: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let got = 0;
  let failed: unknown = null;
  const g = new Gunzip((chunk) => {
    parts.push(chunk);
    got += chunk.length;
  });
  const step = 1 << 16;
  try {
    for (let off = 0; off < bytes.length && got < n; off += step) {
      g.push(bytes.subarray(off, Math.min(bytes.length, off + step)), off + step >= bytes.length);
    }
  } catch (e) {
    failed = e;
  }
  const out = new Uint8Array(Math.min(n, got));
  let o = 0;
  for (const p of parts) {
    if (o >= out.length) break;
    const take = Math.min(p.length, out.length - o);
    out.set(p.subarray(0, take), o);
    o += take;
  }
  if (out.length === 0 && failed) throw failed;
  return out;
}

/**
 * How many bytes a gzip stream decompresses to, counting up to `atLeast` (then
 * stopping) without keeping the output; `corrupt` when the stream breaks first.
 */
function gunzipLength(bytes: Uint8Array, atLeast: number): { length: number; corrupt: boolean } {
  let got = 0;
  const g = new Gunzip((chunk) => {
    got += chunk.length;
  });
  const step = 1 << 16;
  try {
    for (let off = 0; off < bytes.length && got < atLeast; off += step) {
      g.push(bytes.subarray(off, Math.min(bytes.length, off + step)), off + step >= bytes.length);
    }
  } catch {
    return { length: got, corrupt: true };
  }
  return { length: got, corrupt: false };
}

function checkSize(file: string, size: number[], bytesPerVoxel: number): number {
  if (size.length === 0) throw new ImageFileError(file, 'the header gives no image dimensions');
  for (const s of size) {
    if (!Number.isInteger(s) || s <= 0) throw new ImageFileError(file, `the header gives an invalid image size ${size.join('×')} (every dimension must be a positive integer)`);
  }
  const n = size.reduce((a, b) => a * b, 1);
  if (n > MAX_VOXELS) throw new ImageFileError(file, `the header gives an absurd image size ${size.join('×')} (${n.toExponential(2)} voxels)`);
  return n * bytesPerVoxel;
}

function checkNifti(file: string, bytes: Uint8Array, headerOnly = false, fast?: FastGunzipLength, inflated?: Uint8Array): HeaderSummary {
  const gz = isGzip(bytes);
  let head: Uint8Array;
  try {
    head = gz ? (inflated?.subarray(0, 544) ?? gunzipPrefix(bytes, 544)) : bytes.subarray(0, 544);
  } catch {
    throw new ImageFileError(file, 'the gzip stream is truncated or corrupt (no NIfTI header could be decompressed)');
  }
  if (head.length < 348) throw new ImageFileError(file, `truncated NIfTI header (${head.length} of 348 bytes)`);
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const s = dv.getInt32(0, true);
  let le = true;
  let v2 = false;
  if (s === 348) le = true;
  else if (dv.getInt32(0, false) === 348) le = false;
  else if (s === 540) v2 = true;
  else if (dv.getInt32(0, false) === 540) { v2 = true; le = false; }
  else throw new ImageFileError(file, 'not a NIfTI file (header size field is neither 348 nor 540)');
  let dims: number[];
  let datatype: number;
  let voxOffset: number;
  if (!v2) {
    const nd = dv.getInt16(40, le);
    if (nd < 1 || nd > 7) throw new ImageFileError(file, `the NIfTI header gives ${nd} dimensions (1–7 allowed)`);
    dims = [];
    for (let d = 1; d <= nd; d++) dims.push(dv.getInt16(40 + 2 * d, le));
    datatype = dv.getInt16(70, le);
    voxOffset = dv.getFloat32(108, le);
  } else {
    if (head.length < 540) throw new ImageFileError(file, `truncated NIfTI-2 header (${head.length} of 540 bytes)`);
    const nd = Number(dv.getBigInt64(16, le));
    if (nd < 1 || nd > 7) throw new ImageFileError(file, `the NIfTI header gives ${nd} dimensions (1–7 allowed)`);
    dims = [];
    for (let d = 1; d <= nd; d++) dims.push(Number(dv.getBigInt64(16 + 8 * d, le)));
    datatype = dv.getInt16(12, le);
    voxOffset = Number(dv.getBigInt64(168, le));
  }
  const dt = NIFTI_DATATYPES[datatype];
  if (!dt) throw new ImageFileError(file, `unsupported NIfTI datatype code ${datatype}`);
  const dataBytes = checkSize(file, dims, VOXEL_BYTES[dt]);
  const lower = file.toLowerCase();
  if (gz && !lower.endsWith('.hdr') && !headerOnly) {
    // A .nii.gz cut short keeps a valid header; ITK then fills the missing voxels silently.
    const need = Math.max(voxOffset, v2 ? 544 : 352) + dataBytes;
    const { length, corrupt } = ((inflated?.length ?? fast?.(bytes, need)) ?? -1) >= need ? { length: need, corrupt: false } : gunzipLength(bytes, need);
    if (length < need) {
      throw new ImageFileError(file, `truncated: the header describes ${dims.join('×')} ${dt} voxels (${need} bytes) but the gzip stream ${corrupt ? 'breaks off' : 'ends'} after ${length}`);
    }
  }
  if (!gz && !lower.endsWith('.hdr') && !headerOnly) {
    const need = Math.max(voxOffset, v2 ? 544 : 352) + dataBytes;
    if (bytes.length < need) {
      throw new ImageFileError(file, `truncated: the header describes ${dims.join('×')} ${dt} voxels (${need} bytes) but the file holds ${bytes.length}`);
    }
  }
  return { format: 'nifti', size: dims, type: dt };
}

function checkNrrd(file: string, bytes: Uint8Array, headerOnly = false, fast?: FastGunzipLength): HeaderSummary {
  const limit = Math.min(bytes.length, 1 << 16);
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, limit));
  if (!text.startsWith('NRRD000')) throw new ImageFileError(file, 'not a NRRD file (missing the NRRD000x magic line)');
  const end = text.search(/\r?\n\r?\n/);
  const headerText = end >= 0 ? text.slice(0, end) : text;
  const fields: Record<string, string> = {};
  for (const line of headerText.split(/\r?\n/).slice(1)) {
    if (line.startsWith('#') || !line.includes(':')) continue;
    const idx = line.indexOf(':');
    if (line[idx + 1] === '=') continue; // key:=value pairs
    fields[line.slice(0, idx).trim().toLowerCase()] = line.slice(idx + 1).trim();
  }
  const type = fields['type'];
  if (!type) throw new ImageFileError(file, 'the NRRD header has no "type" field');
  const typeName = NRRD_TYPES.get(type.toLowerCase());
  if (!typeName) throw new ImageFileError(file, `unsupported NRRD type "${type}"`);
  const sizesText = fields['sizes'];
  if (!sizesText) throw new ImageFileError(file, 'the NRRD header has no "sizes" field');
  const sizes = sizesText.split(/\s+/).map(Number);
  const dimension = Number(fields['dimension']);
  if (!Number.isInteger(dimension) || dimension !== sizes.length) {
    throw new ImageFileError(file, `the NRRD header's dimension (${fields['dimension']}) does not match its sizes (${sizesText})`);
  }
  const dataBytes = checkSize(file, sizes, VOXEL_BYTES[typeName]);
  const encoding = (fields['encoding'] ?? '').toLowerCase();
  if (end < 0 && !fields['data file'] && !fields['datafile']) throw new ImageFileError(file, 'truncated: the NRRD header never ends (no blank line before the data)');
  if (!fields['data file'] && !fields['datafile'] && end >= 0 && !headerOnly) {
    const dataStart = new TextEncoder().encode(text.slice(0, end)).length + (text[end] === '\r' ? 4 : 2);
    const have = bytes.length - dataStart;
    if (encoding === 'raw' && have < dataBytes) {
      throw new ImageFileError(file, `truncated: the header describes ${sizes.join('×')} ${type} voxels (${dataBytes} bytes) but the file holds ${have}`);
    }
    if ((encoding === 'gzip' || encoding === 'gz') && have > 0 && fast?.(bytes.subarray(dataStart), Infinity) == null) {
      try {
        gunzipSync(bytes.subarray(dataStart));
      } catch {
        throw new ImageFileError(file, 'the gzip-compressed voxel data is truncated or corrupt');
      }
    }
  }
  return { format: 'nrrd', size: sizes, type };
}

/** Bytes per component of MetaIO element types (MET_ValueTypeSize). */
const META_TYPES: Record<string, number> = {
  MET_CHAR: 1, MET_UCHAR: 1, MET_SHORT: 2, MET_USHORT: 2, MET_INT: 4, MET_UINT: 4, MET_LONG: 4, MET_ULONG: 4,
  MET_LONG_LONG: 8, MET_ULONG_LONG: 8, MET_FLOAT: 4, MET_DOUBLE: 8,
};

function checkMeta(file: string, bytes: Uint8Array, headerOnly = false): HeaderSummary {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 1 << 14)));
  const m = /DimSize\s*=\s*([^\r\n]+)/.exec(text);
  if (!/ObjectType\s*=/.test(text) && !/NDims\s*=/.test(text)) throw new ImageFileError(file, 'not a MetaImage file (no ObjectType/NDims field)');
  if (!m) throw new ImageFileError(file, 'the MetaImage header has no DimSize field');
  const size = m[1]!.trim().split(/\s+/).map(Number);
  const t = /ElementType\s*=\s*(\S+)/.exec(text);
  const type = t ? t[1]! : 'unknown'; // a required group
  const channels = Number(/ElementNumberOfChannels\s*=\s*(\d+)/.exec(text)?.[1] ?? 1);
  const dataBytes = checkSize(file, size, (META_TYPES[type.toUpperCase()] ?? 1) * Math.max(1, channels));
  // ElementDataFile is the last header field; with LOCAL the voxels follow it in this file
  const local = /ElementDataFile\s*=\s*LOCAL[ \t]*\r?\n/.exec(text);
  if (local && !headerOnly) {
    const have = bytes.length - new TextEncoder().encode(text.slice(0, local.index + local[0].length)).length;
    const compressed = /CompressedData\s*=\s*True/i.test(text);
    const compressedSize = Number(/CompressedDataSize\s*=\s*(\d+)/.exec(text)?.[1] ?? NaN);
    const need = compressed ? compressedSize : dataBytes;
    if (Number.isFinite(need) && have < need) {
      throw new ImageFileError(file, `truncated: the header describes ${size.join('×')} ${type} voxels (${need}${compressed ? ' compressed' : ''} bytes) but the file holds ${have}`);
    }
  }
  return { format: 'metaimage', size, type };
}

function looksLikeDicom(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/**
 * Check the header of one image file held in memory. Throws an ImageFileError
 * whose message is one line naming the file; returns the recognised format.
 * With `headerOnly`, `bytes` may be just the start of the file (e.g. the first
 * 64 KiB of a File in the browser, enough for a gzipped NIfTI header): the
 * checks that need the voxel data (truncation, gzip integrity) are skipped, so
 * `checkVolumeBudget` can refuse a huge volume before it is read.
 */
export function checkImageHeader(
  file: string,
  bytes: Uint8Array,
  opts: { headerOnly?: boolean; gunzipLength?: FastGunzipLength; /** a gzip NIfTI's whole stream already inflated (intact) */ inflated?: Uint8Array } = {},
): HeaderSummary {
  const headerOnly = opts.headerOnly ?? false;
  const fast = opts.gunzipLength;
  if (bytes.length === 0) throw new ImageFileError(file, 'the file is empty');
  const byName = formatFromName(file);
  if (byName === 'nifti') return checkNifti(file, bytes, headerOnly, fast, opts.inflated);
  if (byName === 'nrrd') return checkNrrd(file, bytes, headerOnly, fast);
  if (byName === 'metaimage') return checkMeta(file, bytes, headerOnly);
  if (byName === 'dicom' || looksLikeDicom(bytes)) {
    if (!looksLikeDicom(bytes)) throw new ImageFileError(file, 'not a DICOM Part 10 file (no DICM marker at byte 128)');
    return { format: 'dicom', size: [], type: 'dicom' };
  }
  // Unknown extension: try the content.
  const start = new TextDecoder('latin1').decode(bytes.subarray(0, 8));
  if (start.startsWith('NRRD000')) return checkNrrd(file, bytes, headerOnly, fast);
  if (isGzip(bytes) || bytes.length >= 348) {
    try {
      return checkNifti(file, bytes, headerOnly, fast);
    } catch {
      /* fall through */
    }
  }
  throw new ImageFileError(file, 'not a recognised image file (NIfTI .nii/.nii.gz, NRRD .nrrd, MetaImage .mha/.mhd or DICOM expected)');
}
