/**
 * A NIfTI-1 reader in plain TypeScript for the common case: a single-file
 * 3-D scalar `.nii` / `.nii.gz` (either byte order) whose geometry ITK 5's
 * NiftiImageIO takes from the qform alone or from a SCANNER_ANAT (or
 * qform-less) orthonormal sform. It gives what itk-wasm's NIfTI pipeline
 * gives (test/image/fast-read.test.ts compares every NIfTI file of the
 * reference data and nibabel-written variants with it):
 * - spacing: pixdim[1..3];
 * - the qform: nifti1_io's `nifti_quatern_to_mat44`, in float like it; the
 *   sform: srow_x/y/z;
 * - origin: the matrix's last column, direction: its first three columns
 *   normalised, the first two rows negated (RAS → LPS);
 * - `scl_slope` ≠ 1 or `scl_inter` ≠ 0 (slope 0 counts as 1): integer voxels
 *   become float32, and every voxel x becomes x·slope + inter (in float for
 *   float32, in double for float64); NaN and ±Inf stay as stored (ITK 5 zeroes
 *   them, and io-node.ts restores them; see guard.ts).
 *
 * Anything else (NIfTI-2, .hdr/.img pairs, other dimensions, intents, vector
 * or complex types, 64-bit integers, both qform and an sform of another
 * code, an sform that is not clearly orthonormal, no qform nor sform) returns
 * null, and the caller reads the file with itk-wasm. Gzip inflation is passed
 * in (io-node.ts: Node's zlib), so this file stays free of Node imports.
 */
import { ImageFileError, NIFTI_DATATYPES, VOXEL_ARRAYS } from './sniff.js';
import { swapBytes, type StoredGrid } from './nrrd-read.js';
import type { Vec3, Volume } from './volume.js';



const f32 = Math.fround;
/** nifti1_io's FIXED_FLOAT: a non-finite header float read as 0. */
const fixed = (x: number) => (Number.isFinite(x) ? x : 0);

/** nifti1_io's `nifti_quatern_to_mat44` (float results, as it stores them): rows 0–2 of the 4×4. */
function quaternToMat(qb: number, qc: number, qd: number, qx: number, qy: number, qz: number, dx: number, dy: number, dz: number, qfac: number): number[][] {
  let b = qb;
  let c = qc;
  let d = qd;
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    a = 1 / Math.sqrt(b * b + c * c + d * d);
    b *= a;
    c *= a;
    d *= a;
    a = 0;
  } else a = Math.sqrt(a);
  const xd = dx > 0 ? dx : 1;
  const yd = dy > 0 ? dy : 1;
  let zd = dz > 0 ? dz : 1;
  if (qfac < 0) zd = -zd;
  return [
    [f32((a * a + b * b - c * c - d * d) * xd), f32(2 * (b * c - a * d) * yd), f32(2 * (b * d + a * c) * zd), qx],
    [f32(2 * (b * c + a * d) * xd), f32((a * a + c * c - b * b - d * d) * yd), f32(2 * (c * d - a * b) * zd), qy],
    [f32(2 * (b * d - a * c) * xd), f32(2 * (c * d + a * b) * yd), f32((a * a + d * d - c * c - b * b) * zd), qz],
  ];
}

/** Whether the 3×3 of an sform, its columns normalised, is orthonormal well inside ITK's 1e-4 tolerance (near the edge: null, undecided). */
function sformOrthonormal(m: number[][]): boolean | null {
  const cols = [0, 1, 2].map((c) => {
    const v = [m[0]![c]!, m[1]![c]!, m[2]![c]!];
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  });
  let worst = 0;
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      // (R Rᵀ)[i][j] with R's columns normalised
      const rrt = cols[0]![i]! * cols[0]![j]! + cols[1]![i]! * cols[1]![j]! + cols[2]![i]! * cols[2]![j]!;
      worst = Math.max(worst, Math.abs(rrt - (i === j ? 1 : 0)));
    }
  if (!Number.isFinite(worst)) return false;
  if (worst < 1e-5) return true;
  if (worst > 1e-3) return false;
  return null;
}

export interface NiftiParts extends StoredGrid {
  voxOffset: number;
  slope: number;
  inter: number;
}

/**
 * Parse an uncompressed NIfTI-1 header (the first 348 bytes or more); null
 * when the file is outside what this reader supports (see the module comment).
 */
export function parseNiftiHeader(head: Uint8Array): NiftiParts | null {
  if (head.length < 348) return null;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const le = dv.getInt32(0, true) === 348;
  if (!le && dv.getInt32(0, false) !== 348) return null;
  if (head[344] !== 0x6e || head[345] !== 0x2b || head[346] !== 0x31 || head[347] !== 0) return null; // "n+1\0": single file
  const i16 = (o: number) => dv.getInt16(o, le);
  const fl = (o: number) => fixed(dv.getFloat32(o, le));
  if (i16(40) !== 3) return null;
  const size: Vec3 = [i16(42), i16(44), i16(46)];
  if (!size.every((s) => s > 0)) return null;
  if (i16(68) !== 0) return null; // intent_code
  const typeName = NIFTI_DATATYPES[i16(70)];
  const ctor = typeName && VOXEL_ARRAYS[typeName];
  if (!ctor) return null;
  const pixdim0 = fl(76);
  const spacing: Vec3 = [fl(80), fl(84), fl(88)];
  const voxOffset = dv.getFloat32(108, le);
  if (!Number.isInteger(voxOffset) || voxOffset < 352) return null;
  let slope = fl(112);
  const inter = fl(116);
  if (Math.abs(slope) < Number.EPSILON) slope = 1;
  const qformCode = i16(252);
  const sformCode = i16(254);
  const srow = [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => fl(280 + 16 * r + 4 * c)));
  let m: number[][];
  if (sformCode > 0 && (qformCode <= 0 || sformCode === 1)) {
    // ITK takes a decomposable sform when there is no qform or it is SCANNER_ANAT
    const ortho = sformOrthonormal(srow);
    if (ortho === null) return null;
    if (ortho) m = srow;
    else if (qformCode > 0) m = quaternToMat(fl(256), fl(260), fl(264), fl(268), fl(272), fl(276), spacing[0], spacing[1], spacing[2], pixdim0 < 0 ? -1 : 1);
    else return null;
  } else if (sformCode <= 0 && qformCode > 0) {
    m = quaternToMat(fl(256), fl(260), fl(264), fl(268), fl(272), fl(276), spacing[0], spacing[1], spacing[2], pixdim0 < 0 ? -1 : 1);
  } else return null; // both known with another sform code (ITK compares them by SVD), or neither
  const origin: Vec3 = [-m[0]![3]!, -m[1]![3]!, m[2]![3]!];
  const direction = new Float64Array(9);
  for (let c = 0; c < 3; c++) {
    const v = [-m[0]![c]!, -m[1]![c]!, m[2]![c]];
    const n = Math.sqrt(v[0]! * v[0]! + v[1]! * v[1]! + v[2]! * v[2]!);
    if (!(n > 0)) return null;
    for (let r = 0; r < 3; r++) direction[3 * r + c] = v[r]! / n || 0; // no -0 (as imageToVolume)
  }
  return { size, spacing, origin, direction, ctor, littleEndian: le, voxOffset, slope, inter };
}

/**
 * The volume of a single-file NIfTI-1 held in memory, or null when
 * `parseNiftiHeader` declines it. `inflate` decompresses a whole gzip stream
 * (null when it is corrupt). Throws an ImageFileError naming `file` for
 * short data.
 */
export function readNifti(file: string, bytes: Uint8Array, inflate: (gz: Uint8Array) => Uint8Array | null): Volume | null {
  let raw = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const out = inflate(bytes);
    if (!out) throw new ImageFileError(file, 'the gzip stream is truncated or corrupt');
    raw = out;
  }
  const h = parseNiftiHeader(raw);
  if (!h) return null;
  const count = h.size[0] * h.size[1] * h.size[2];
  const width = h.ctor.BYTES_PER_ELEMENT;
  const need = count * width;
  if (raw.length < h.voxOffset + need) {
    throw new ImageFileError(file, `truncated: the header describes ${h.size.join('×')} voxels (${need} bytes from byte ${h.voxOffset}) but the data holds ${Math.max(0, raw.length - h.voxOffset)}`);
  }
  const buf = new ArrayBuffer(need);
  const b = new Uint8Array(buf);
  b.set(raw.subarray(h.voxOffset, h.voxOffset + need));
  if (!h.littleEndian && width > 1) swapBytes(b, width);
  let data = new h.ctor(buf);
  if (h.slope !== 1 || h.inter !== 0) {
    // integers are cast to float32 first (ITK's CastCopy), then rescaled
    const out = data instanceof Float64Array || data instanceof Float32Array ? data : new Float32Array(count);
    const cast = out === data ? (x: number) => x : f32;
    for (let i = 0; i < count; i++) {
      const x = cast(data[i]!);
      out[i] = Number.isFinite(x) ? x * h.slope + h.inter : x;
    }
    data = out;
  }
  return { size: h.size, spacing: h.spacing, origin: h.origin, direction: h.direction, data };
}
