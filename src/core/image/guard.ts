/**
 * Guards run before and right after an image is decoded, so that a volume too
 * large for the browser tab, a grid with impossible geometry, or NaN/Inf voxels
 * inside the ROI are refused with a one-line message naming the file instead
 * of crashing the tab or silently producing NaN features.
 */
import { gunzipSync } from 'fflate';
import { ImageFileError, type HeaderSummary } from './sniff.js';
import type { Volume } from './volume.js';

/** Default decoded-volume budget: 1 GiB, i.e. 2^28 float32 voxels (a 645³ grid). */
export const DEFAULT_VOLUME_BUDGET_BYTES = 2 ** 30;

/**
 * Bytes per voxel of a header's voxel type (NIfTI, NRRD and MetaImage
 * spellings), or null when the type is not recognised (e.g. DICOM, read later).
 */
export function bytesPerVoxelOfType(type: string): number | null {
  const t = type.toLowerCase().replace(/^met_/, '');
  if (/^(u?int8|u?int8_t|u?char|signed char|unsigned char)$/.test(t)) return 1;
  if (/^(u?int16|u?int16_t|u?short|short int|(un)?signed short( int)?|unsigned short( int)?)$/.test(t)) return 2;
  if (/^(u?int32|u?int32_t|u?int|(un)?signed int|unsigned int|u?long|float|float32)$/.test(t)) return 4;
  if (/^(u?int64|u?int64_t|u?longlong|(un)?signed long long( int)?|long long( int)?|unsigned long long( int)?|double|float64)$/.test(t)) return 8;
  return null;
}

/**
 * Bytes the volume will occupy once decoded. The readers keep the stored type,
 * and every processing step works on float32 copies, so a voxel costs at least
 * 4 bytes (8 for 64-bit types).
 */
export function decodedVolumeBytes(header: Pick<HeaderSummary, 'size' | 'type'>): number {
  const voxels = header.size.reduce((a, b) => a * b, 1);
  return voxels * Math.max(4, bytesPerVoxelOfType(header.type) ?? 4);
}

function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${+(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${+(n / 2 ** 20).toFixed(1)} MiB`;
  return `${Math.round(n)} bytes`;
}

/**
 * Refuse a volume whose decoded size exceeds `budgetBytes`, from its header
 * alone (call it after `checkImageHeader`, before reading the voxels).
 * Headers without a size (DICOM, known only after the series is read) pass.
 */
export function checkVolumeBudget(
  header: Pick<HeaderSummary, 'size' | 'type'> & { file?: string },
  budgetBytes: number = DEFAULT_VOLUME_BUDGET_BYTES,
  file: string = header.file ?? 'image',
): void {
  if (header.size.length === 0) return;
  const need = decodedVolumeBytes(header);
  if (need > budgetBytes) {
    throw new ImageFileError(
      file,
      `the image is too large for the memory budget: ${header.size.join('×')} ${header.type} voxels need ${formatBytes(need)} decoded, the budget is ${formatBytes(budgetBytes)}; crop or downsample it first`,
    );
  }
}

/** The geometry of a voxel grid, without its voxels. */
export type Geometry = Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction'>;

/**
 * Check that a decoded grid is usable: positive finite spacing, finite origin
 * and a finite, non-degenerate direction matrix. ITK reads a NIfTI pixdim of −2
 * as a spacing of −2 and a NaN pixdim silently; neither can be resampled or
 * measured, so both are refused here.
 */
export function checkGeometry(file: string, g: Geometry): void {
  const f = (x: ArrayLike<number>) => Array.from(x, (n) => +n.toPrecision(6)).join('×');
  if (g.spacing.some((s) => !Number.isFinite(s) || s <= 0))
    throw new ImageFileError(file, `invalid voxel spacing ${f(g.spacing)} mm (every spacing must be a positive finite number)`);
  if (g.origin.some((o) => !Number.isFinite(o))) throw new ImageFileError(file, `invalid origin ${f(g.origin)} (not finite)`);
  const d = g.direction;
  if (d.length !== 9) throw new ImageFileError(file, `direction matrix ${f(d)} has ${d.length} entries, not 9`);
  if (Array.from(d).some((x) => !Number.isFinite(x))) throw new ImageFileError(file, `invalid direction matrix ${f(d)} (not finite)`);
  const det = d[0]! * (d[4]! * d[8]! - d[5]! * d[7]!) - d[1]! * (d[3]! * d[8]! - d[5]! * d[6]!) + d[2]! * (d[3]! * d[7]! - d[4]! * d[6]!);
  if (Math.abs(det) < 1e-6) throw new ImageFileError(file, `degenerate direction matrix ${f(d)} (axes are not independent)`);
}

/** Number of NaN or ±Infinity voxels, overall or (with `inRoi`) inside a 0/1 ROI. */
export function countNonFinite(data: ArrayLike<number>, inRoi?: ArrayLike<number>): number {
  // integer voxel types hold no NaN or infinity
  if (ArrayBuffer.isView(data) && !(data instanceof Float32Array || data instanceof Float64Array)) return 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]) && (!inRoi || inRoi[i])) n++;
  return n;
}

/**
 * Refuse NaN/Inf image voxels inside the ROI. PyRadiomics has no answer for
 * them: its fixed-bin-width edges come from `min`/`max` of the ROI values, and
 * `numpy.arange` over a NaN or infinite range raises, so the texture classes
 * fail and first-order features come out NaN. Outside the ROI they matter only
 * when the whole image is used (normalisation, resampling, filters), where
 * they spread into the ROI; `wholeImage` says whether that is the case.
 */
export function checkFiniteVoxels(file: string, image: Volume, inRoi: ArrayLike<number>, label: number, wholeImage: boolean): void {
  const inside = countNonFinite(image.data, inRoi);
  if (inside > 0)
    throw new ImageFileError(file, `${inside} voxel${inside === 1 ? ' is' : 's are'} NaN or infinite inside the ROI (label ${label}); fix the image or the mask`);
  if (wholeImage) {
    const all = countNonFinite(image.data);
    if (all > 0)
      throw new ImageFileError(
        file,
        `${all} voxel${all === 1 ? ' is' : 's are'} NaN or infinite outside the ROI, and normalisation, resampling or a filter would spread them into it; replace them (e.g. by 0) first`,
      );
  }
}

/**
 * NaN/±Inf voxels stored in a NIfTI file (float32 or float64). ITK 5's
 * NiftiImageIO — used by itk-wasm here and by SimpleITK, hence PyRadiomics —
 * overwrites them with 0 while reading (nifti_read_buffer; ITK 6 keeps them,
 * InsightSoftwareConsortium/ITK#6683), so a decoded volume no longer shows
 * them; this count, from the raw bytes, does. 0 for other voxel types or an
 * unreadable file (the header checks report those).
 */
export function countNonFiniteInNifti(bytes: Uint8Array): number {
  let count = 0;
  scanNiftiFloats(bytes, () => void count++);
  return count;
}

/**
 * Put the NaN/±Inf voxels of a NIfTI file back into the volume ITK 5 read from
 * it (as 0, see `countNonFiniteInNifti`), so that feature computation refuses
 * them inside the ROI (`checkFiniteVoxels`) instead of using zeros. ITK keeps
 * NIfTI's voxel order, so the file's n-th voxel is `data[n]`. Returns the count.
 */
export function restoreNonFiniteFromNifti(v: Volume, bytes: Uint8Array): number {
  if (!(v.data instanceof Float32Array || v.data instanceof Float64Array)) return 0;
  const data = v.data;
  let count = 0;
  scanNiftiFloats(bytes, (n, x) => {
    if (n < data.length) data[n] = x;
    count++;
  });
  return count;
}

/** Call `hit(index, value)` for every non-finite float voxel stored in a NIfTI-1 file. */
function scanNiftiFloats(bytes: Uint8Array, hit: (index: number, value: number) => void): void {
  let raw = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes);
    } catch {
      return;
    }
  }
  if (raw.length < 352) return;
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = dv.getInt32(0, true) === 348;
  if (!le && dv.getInt32(0, false) !== 348) return; // NIfTI-1 only (NIfTI-2 is converted first)
  const datatype = dv.getInt16(70, le);
  const width = datatype === 16 ? 4 : datatype === 64 ? 8 : 0;
  if (width === 0) return;
  const nd = dv.getInt16(40, le);
  let n = 1;
  for (let d = 1; d <= nd && d <= 7; d++) n *= Math.max(1, dv.getInt16(40 + 2 * d, le));
  const offset = Math.max(352, Math.floor(dv.getFloat32(108, le)));
  const end = Math.min(raw.length, offset + n * width);
  for (let p = offset, k = 0; p + width <= end; p += width, k++) {
    const x = width === 4 ? dv.getFloat32(p, le) : dv.getFloat64(p, le);
    if (!Number.isFinite(x)) hit(k, x);
  }
}
