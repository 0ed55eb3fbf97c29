/**
 * NIfTI-2 (540-byte header, 64-bit dims and double geometry; what nibabel's
 * Nifti2Image writes) rewritten as NIfTI-1 so that itk-wasm's NIfTI reader,
 * which only takes NIfTI-1, reads it with its own qform/sform logic. The voxel
 * bytes are copied unchanged; the geometry fields go from double to float, as
 * NIfTI-1 stores them (about 1e-7 relative). Dimensions beyond 32767 cannot be
 * expressed in NIfTI-1 and are refused.
 */
import { gunzipSync } from 'fflate';
import { gunzipPrefix, ImageFileError } from './sniff.js';

/** Whether the (possibly gzipped) bytes start a NIfTI-2 header. */
export function isNifti2(bytes: Uint8Array): boolean {
  let head = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      head = gunzipPrefix(bytes, 4); // only the start is decoded, not the whole file
    } catch {
      return false;
    }
  }
  if (head.length < 4) return false;
  const dv = new DataView(head.buffer, head.byteOffset, 4);
  return dv.getInt32(0, true) === 540 || dv.getInt32(0, false) === 540;
}

/** The NIfTI-1 (.nii) bytes of a NIfTI-2 file (gzipped or not). */
export function nifti2ToNifti1(file: string, bytes: Uint8Array): Uint8Array {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  if (raw.length < 540) throw new ImageFileError(file, `truncated NIfTI-2 header (${raw.length} of 540 bytes)`);
  const src = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = src.getInt32(0, true) === 540;
  const i64 = (o: number) => Number(src.getBigInt64(o, le));
  const f64 = (o: number) => src.getFloat64(o, le);
  const voxOffset = i64(168);
  if (voxOffset < 540 || voxOffset > raw.length) throw new ImageFileError(file, `NIfTI-2 vox_offset ${voxOffset} lies outside the file`);
  const data = raw.subarray(voxOffset);
  const out = new Uint8Array(352 + data.length);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, 348, true);
  dv.setUint8(39, src.getUint8(524)); // dim_info
  for (let d = 0; d < 8; d++) {
    const v = i64(16 + 8 * d);
    if (v > 32767 || v < -32768) throw new ImageFileError(file, `NIfTI-2 dimension ${v} is too large for this reader (at most 32767 per axis)`);
    dv.setInt16(40 + 2 * d, v, true);
  }
  dv.setFloat32(56, f64(80), true);
  dv.setFloat32(60, f64(88), true);
  dv.setFloat32(64, f64(96), true);
  dv.setInt16(68, src.getInt32(504, le), true); // intent_code
  dv.setInt16(70, src.getInt16(12, le), true); // datatype
  dv.setInt16(72, src.getInt16(14, le), true); // bitpix
  dv.setInt16(74, i64(224), true); // slice_start
  for (let d = 0; d < 8; d++) dv.setFloat32(76 + 4 * d, f64(104 + 8 * d), true);
  dv.setFloat32(108, 352, true);
  dv.setFloat32(112, f64(176), true); // scl_slope
  dv.setFloat32(116, f64(184), true); // scl_inter
  dv.setInt16(120, i64(232), true); // slice_end
  dv.setUint8(122, src.getInt32(496, le)); // slice_code
  dv.setUint8(123, src.getInt32(500, le)); // xyzt_units
  dv.setFloat32(124, f64(192), true); // cal_max
  dv.setFloat32(128, f64(200), true); // cal_min
  dv.setFloat32(132, f64(208), true); // slice_duration
  dv.setFloat32(136, f64(216), true); // toffset
  out.set(raw.subarray(240, 320), 148); // descrip
  out.set(raw.subarray(320, 344), 228); // aux_file
  dv.setInt16(252, src.getInt32(344, le), true); // qform_code
  dv.setInt16(254, src.getInt32(348, le), true); // sform_code
  for (let k = 0; k < 6; k++) dv.setFloat32(256 + 4 * k, f64(352 + 8 * k), true); // quatern_b..qoffset_z
  for (let k = 0; k < 12; k++) dv.setFloat32(280 + 4 * k, f64(400 + 8 * k), true); // srow_x, srow_y, srow_z
  out.set(raw.subarray(508, 524), 328); // intent_name
  out.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  if (le) out.set(data, 352);
  else {
    // big-endian voxels: swap to little endian, as the header now says
    const width = Math.max(1, src.getInt16(14, le) / 8);
    out.set(data, 352);
    if (width > 1) for (let p = 352; p + width <= out.length; p += width) out.subarray(p, p + width).reverse();
  }
  return out;
}
