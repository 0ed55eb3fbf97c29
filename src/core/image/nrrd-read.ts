/**
 * A NRRD reader in plain TypeScript for the common case: one attached
 * 3-D scalar volume, raw or gzip encoding, `space directions` in LPS, RAS or
 * LAS. It gives the geometry exactly as ITK's NrrdImageIO (through teem) does,
 * so the volume equals the one itk-wasm's NRRD pipeline reads, voxel for voxel
 * and bit for bit in the geometry (test/image/fast-read.test.ts checks every
 * NRRD file of the reference data against itk-wasm):
 * - spacing of an axis = the Euclidean norm of its space direction (teem's
 *   `nrrdSpacingCalculate`), its direction = the space direction times
 *   1/spacing;
 * - RAS and LAS are turned into LPS by negating the first two (RAS) or the first
 *   (LAS) components of each direction and of the origin;
 * - voxels keep the stored type, first axis fastest.
 *
 * Anything else (detached data, a non-domain axis, `spacings` instead of space
 * directions, ascii/hex/bzip2 encodings, skips, 64-bit integers, another space)
 * returns null, and the caller reads the file with itk-wasm instead: this
 * reader never guesses. Gzip inflation is passed in (`inflate`), so this file
 * stays free of Node imports (Node's zlib in io-node.ts).
 */
import { ImageFileError, NRRD_TYPES, VOXEL_ARRAYS, type VoxelCtor } from './sniff.js';
import type { Vec3, Volume } from './volume.js';


/** The geometry and storage of a file's voxels, as the TypeScript readers (this file, nifti-read.ts) parse them from its header. */
export interface StoredGrid {
  size: Vec3;
  spacing: Vec3;
  origin: Vec3;
  direction: Float64Array;
  ctor: VoxelCtor;
  littleEndian: boolean;
}

/** Reverse the byte order of each `width`-byte value of `b`, in place (a big-endian file on this little-endian reader). */
export function swapBytes(b: Uint8Array, width: number): void {
  for (let i = 0; i + width <= b.length; i += width) {
    for (let lo = i, hi = i + width - 1; lo < hi; lo++, hi--) {
      const t = b[lo]!;
      b[lo] = b[hi]!;
      b[hi] = t;
    }
  }
}


/** Sign flips that take each supported space to LPS (ITK's NrrdImageIO); spellings the tests cover. */
const TO_LPS = new Map<string, Vec3>([
  ['left-posterior-superior', [1, 1, 1]],
  ['right-anterior-superior', [-1, -1, 1]],
  ['ras', [-1, -1, 1]],
  ['left-anterior-superior', [-1, 1, 1]],
]);

/** Fields this reader understands; any other field (except comments and key:=value pairs) sends the file to itk-wasm. */
const KNOWN = new Set(['type', 'dimension', 'sizes', 'encoding', 'endian', 'space', 'space directions', 'space origin', 'kinds', 'content', 'space units', 'centers', 'centerings', 'labels', 'units', 'thicknesses', 'measurement frame']);

/** A parenthesised vector "(a,b,c)" of finite numbers, or null. */
function vector(text: string): number[] | null {
  const m = /^\(([^()]*)\)$/.exec(text.trim());
  if (!m) return null;
  const xs = m[1]!.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  return xs.every(Number.isFinite) ? xs : null;
}

export interface NrrdParts extends StoredGrid {
  gzip: boolean;
  /** Byte offset of the (possibly compressed) voxel data in the file. */
  dataStart: number;
}

/**
 * Parse a NRRD header; null when the file is outside what this reader
 * supports (see the module comment). The header checks of `checkImageHeader`
 * are assumed to have run (they give the messages for broken headers).
 */
export function parseNrrdHeader(bytes: Uint8Array): NrrdParts | null {
  const limit = Math.min(bytes.length, 1 << 16);
  let end = -1;
  for (let i = 0; i + 1 < limit; i++) {
    if (bytes[i] === 0x0d) return null; // CR line ends: left to teem
    if (bytes[i] === 0x0a && bytes[i + 1] === 0x0a) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, end));
  const lines = text.split('\n');
  if (!/^NRRD000[1-5]$/.test(lines[0]!)) return null;
  const f = new Map<string, string>();
  for (const line of lines.slice(1)) {
    if (line.startsWith('#')) continue;
    if (/^[^:]*:=/.test(line)) continue; // key:=value pairs (metadata only)
    const idx = line.indexOf(': ');
    if (idx < 0) return null;
    const key = line.slice(0, idx).toLowerCase();
    if (!KNOWN.has(key) || f.has(key)) return null;
    f.set(key, line.slice(idx + 2).trim());
  }
  const typeName = NRRD_TYPES.get((f.get('type') ?? '').toLowerCase());
  const ctor = typeName && VOXEL_ARRAYS[typeName];
  const encoding = (f.get('encoding') ?? '').toLowerCase();
  const flip = TO_LPS.get((f.get('space') ?? '').toLowerCase());
  if (!ctor || f.get('dimension') !== '3' || !flip || !f.has('space directions')) return null;
  if (encoding !== 'raw' && encoding !== 'gzip' && encoding !== 'gz') return null;
  const endian = (f.get('endian') ?? '').toLowerCase();
  if (ctor.BYTES_PER_ELEMENT > 1 && endian !== 'little' && endian !== 'big') return null;
  const kinds = f.get('kinds')?.split(/\s+/);
  if (kinds && (kinds.length !== 3 || !kinds.every((k) => k.toLowerCase() === 'domain' || k.toLowerCase() === 'space'))) return null;
  const sizes = (f.get('sizes') ?? '').split(/\s+/).map(Number);
  if (sizes.length !== 3 || !sizes.every((s) => Number.isInteger(s) && s > 0)) return null;
  const dirs = (f.get('space directions') ?? '').match(/\([^()]*\)|\S+/g) ?? [];
  if (dirs.length !== 3) return null;
  const spacing: number[] = [];
  const direction = new Float64Array(9);
  for (let axis = 0; axis < 3; axis++) {
    const v = vector(dirs[axis]!);
    if (!v || v.length !== 3) return null;
    const norm = Math.sqrt(v[0]! * v[0]! + v[1]! * v[1]! + v[2]! * v[2]!);
    if (!(norm > 0)) return null;
    const scale = 1 / norm;
    spacing.push(norm);
    for (let r = 0; r < 3; r++) direction[3 * r + axis] = v[r]! * scale * flip[r]! || 0; // no -0 (as imageToVolume)
  }
  let origin: Vec3 = [0, 0, 0];
  if (f.has('space origin')) {
    const o = vector(f.get('space origin')!);
    if (!o || o.length !== 3) return null;
    origin = [o[0]! * flip[0], o[1]! * flip[1], o[2]! * flip[2]];
  }
  return {
    size: sizes as Vec3,
    spacing: spacing as Vec3,
    origin,
    direction,
    ctor,
    littleEndian: endian !== 'big',
    gzip: encoding !== 'raw',
    dataStart: end + 2,
  };
}

/** Bytes of voxel data the header describes (uncompressed). */
export function nrrdDataBytes(h: NrrdParts): number {
  return h.size[0] * h.size[1] * h.size[2] * h.ctor.BYTES_PER_ELEMENT;
}

/**
 * The volume of a NRRD file held in memory, or null when `parseNrrdHeader`
 * declines it or the data is not exactly as long as the header says (both
 * left to itk-wasm). `inflate` decompresses a whole gzip stream (null when it
 * is corrupt); its output becomes the volume's buffer when it is exactly the
 * voxels' size (so it must not be shared). Throws an ImageFileError naming `file` for short data.
 */
export function readNrrd(file: string, bytes: Uint8Array, inflate: (gz: Uint8Array) => Uint8Array | null, h = parseNrrdHeader(bytes)): Volume | null {
  if (!h) return null;
  const need = nrrdDataBytes(h);
  let raw = bytes.subarray(h.dataStart);
  if (h.gzip) {
    const out = inflate(raw);
    if (!out) throw new ImageFileError(file, 'the gzip-compressed voxel data is truncated or corrupt');
    raw = out;
    if (raw.length !== need) {
      if (raw.length < need) throw new ImageFileError(file, `truncated: the header describes ${h.size.join('×')} voxels (${need} bytes) but the gzip data holds ${raw.length}`);
      return null;
    }
  } else if (raw.length < need) {
    throw new ImageFileError(file, `truncated: the header describes ${h.size.join('×')} voxels (${need} bytes) but the file holds ${raw.length}`);
  }
  // the voxels in a buffer of their own, exactly their size (the inflated output when it is one already, else a copy)
  let buf = raw.buffer as ArrayBuffer;
  if (!h.gzip || raw.byteOffset !== 0 || buf.byteLength !== need) {
    buf = new ArrayBuffer(need);
    new Uint8Array(buf).set(raw.subarray(0, need));
  }
  const width = h.ctor.BYTES_PER_ELEMENT;
  if (!h.littleEndian && width > 1) swapBytes(new Uint8Array(buf), width);
  return { size: h.size, spacing: h.spacing, origin: h.origin, direction: h.direction, data: new h.ctor(buf) };
}
