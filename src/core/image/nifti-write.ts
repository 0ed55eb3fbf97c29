/**
 * A small NIfTI-1 writer (single file, `.nii`, optionally gzipped), pure
 * TypeScript so it runs in a worker: the app hands NiiVue NIfTI bytes for
 * every volume it displays, whatever format the volume was read from.
 *
 * Geometry: the Volume is in ITK's LPS frame; NIfTI's qform/sform map voxel
 * indices to RAS (NIfTI-1 header, `nifti1.h`, "3D IMAGE (VOLUME)
 * ORIENTATION AND LOCATION IN SPACE"). So the affine is
 * diag(−1, −1, 1) · [D · diag(spacing) | origin], as ITK's NIfTI writer does.
 * Both the qform (quaternion, method 2) and the sform (method 3) are written,
 * with code 1 (scanner-based anatomical coordinates).
 */
import { gzipSync } from 'fflate';
import type { Volume, VoxelArray } from './volume.js';

/** NIfTI-1 datatype code and bits per voxel for each typed array we store. */
const NIFTI_TYPE: Record<string, [code: number, bitpix: number]> = {
  Uint8Array: [2, 8],
  Int16Array: [4, 16],
  Int32Array: [8, 32],
  Float32Array: [16, 32],
  Float64Array: [64, 64],
  Int8Array: [256, 8],
  Uint16Array: [512, 16],
  Uint32Array: [768, 32],
};

const HEADER_BYTES = 348;
/** Header plus the 4-byte extension flag (all zero: no extensions). */
const VOX_OFFSET = 352;

export interface NiftiWriteOptions {
  /** gzip the whole file (a `.nii.gz`); default false. */
  gzip?: boolean;
  /** Text for the 80-byte `descrip` field (ASCII, truncated). */
  description?: string;
}

/**
 * Unit quaternion (a, b, c, d) of a proper rotation matrix `r` (row-major 3×3),
 * with a ≥ 0 as NIfTI requires (it stores only b, c, d and recovers
 * a = √(1 − b² − c² − d²)).
 */
export function rotationToQuaternion(r: ArrayLike<number>): [number, number, number, number] {
  const [r00, r01, r02, r10, r11, r12, r20, r21, r22] = [r[0]!, r[1]!, r[2]!, r[3]!, r[4]!, r[5]!, r[6]!, r[7]!, r[8]!];
  const trace = r00 + r11 + r22;
  let a: number, b: number, c: number, d: number;
  // Shepperd's method: divide by the largest of the four candidates for stability.
  if (trace > 0) {
    const s = 2 * Math.sqrt(1 + trace);
    a = 0.25 * s;
    b = (r21 - r12) / s;
    c = (r02 - r20) / s;
    d = (r10 - r01) / s;
  } else if (r00 >= r11 && r00 >= r22) {
    const s = 2 * Math.sqrt(Math.max(0, 1 + r00 - r11 - r22));
    a = (r21 - r12) / s;
    b = 0.25 * s;
    c = (r01 + r10) / s;
    d = (r02 + r20) / s;
  } else if (r11 >= r22) {
    const s = 2 * Math.sqrt(Math.max(0, 1 + r11 - r00 - r22));
    a = (r02 - r20) / s;
    b = (r01 + r10) / s;
    c = 0.25 * s;
    d = (r12 + r21) / s;
  } else {
    const s = 2 * Math.sqrt(Math.max(0, 1 + r22 - r00 - r11));
    a = (r10 - r01) / s;
    b = (r02 + r20) / s;
    c = (r12 + r21) / s;
    d = 0.25 * s;
  }
  const norm = Math.hypot(a, b, c, d);
  a /= norm; b /= norm; c /= norm; d /= norm;
  if (a < 0) { a = -a; b = -b; c = -c; d = -d; }
  return [a, b, c, d];
}

/** The RAS direction matrix (row-major) of an LPS direction matrix: flip rows x and y. */
function lpsToRasDirection(d: ArrayLike<number>): number[] {
  return [-d[0]!, -d[1]!, -d[2]!, -d[3]!, -d[4]!, -d[5]!, d[6]!, d[7]!, d[8]!];
}

/** Encode a volume as NIfTI-1 bytes (`.nii`, or `.nii.gz` with `gzip: true`). */
export function writeNiftiBytes(v: Volume, opts: NiftiWriteOptions = {}): Uint8Array {
  const type = NIFTI_TYPE[v.data.constructor.name];
  if (!type) throw new Error(`writeNiftiBytes: unsupported voxel array ${v.data.constructor.name}`);
  const [code, bitpix] = type;
  const data: VoxelArray = v.data;
  const out = new Uint8Array(VOX_OFFSET + data.byteLength);
  const h = new DataView(out.buffer);
  const le = true;

  h.setInt32(0, HEADER_BYTES, le);
  out[38] = 'r'.charCodeAt(0);
  const dims = [3, v.size[0], v.size[1], v.size[2], 1, 1, 1, 1];
  dims.forEach((n, i) => h.setInt16(40 + 2 * i, n, le));
  h.setInt16(70, code, le);
  h.setInt16(72, bitpix, le);

  const ras = lpsToRasDirection(v.direction);
  const det =
    ras[0]! * (ras[4]! * ras[8]! - ras[5]! * ras[7]!) -
    ras[1]! * (ras[3]! * ras[8]! - ras[5]! * ras[6]!) +
    ras[2]! * (ras[3]! * ras[7]! - ras[4]! * ras[6]!);
  // qfac = pixdim[0]: −1 flips the third axis so the quaternion describes a proper rotation.
  const qfac = det < 0 ? -1 : 1;
  const pixdim = [qfac, v.spacing[0], v.spacing[1], v.spacing[2], 0, 0, 0, 0];
  pixdim.forEach((x, i) => h.setFloat32(76 + 4 * i, x, le));
  h.setFloat32(108, VOX_OFFSET, le);
  h.setFloat32(112, 1, le); // scl_slope
  h.setFloat32(116, 0, le); // scl_inter
  out[123] = 2; // xyzt_units: NIFTI_UNITS_MM

  const descrip = (opts.description ?? 'Habitat Workbench').replace(/[^\x20-\x7e]/g, '?').slice(0, 79);
  for (let i = 0; i < descrip.length; i++) out[148 + i] = descrip.charCodeAt(i);

  h.setInt16(252, 1, le); // qform_code: NIFTI_XFORM_SCANNER_ANAT
  h.setInt16(254, 1, le); // sform_code
  const rot = [...ras];
  if (qfac < 0) for (const i of [2, 5, 8]) rot[i] = -rot[i]!;
  const [, b, c, d] = rotationToQuaternion(rot);
  h.setFloat32(256, b, le);
  h.setFloat32(260, c, le);
  h.setFloat32(264, d, le);
  const rasOrigin = [-v.origin[0], -v.origin[1], v.origin[2]];
  rasOrigin.forEach((x, i) => h.setFloat32(268 + 4 * i, x, le));
  for (let r = 0; r < 3; r++) {
    for (let col = 0; col < 3; col++) h.setFloat32(280 + 16 * r + 4 * col, ras[3 * r + col]! * v.spacing[col]!, le);
    h.setFloat32(280 + 16 * r + 12, rasOrigin[r]!, le);
  }
  out.set([0x6e, 0x2b, 0x31, 0x00], 344); // magic "n+1\0": header and data in one file

  // Typed arrays are little-endian on every platform the app runs on.
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), VOX_OFFSET);
  return opts.gzip ? gzipSync(out, { level: 6 }) : out;
}
