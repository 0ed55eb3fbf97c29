/**
 * IBSI 1 mode of the feature engine: `extractIbsi(image, mask, config)` runs the IBSI 1 image
 * processing of `config` and returns every IBSI 1 feature under its workbook tag
 * (`morph_volume`, `cm_joint_max_3D_avg`, …), together with the workbook's diagnostic rows
 * (`img_dim_x_init_img`, `int_mask_vox_count_reseg_roi`, …).
 *
 * Where the IBSI and PyRadiomics definitions differ this mode keeps the IBSI one (see docs/ibsi.md).
 */
import type { Volume } from '../../image/volume.js';
import { describeGeometryMismatch } from '../../image/volume.js';
import type { Discretisation, IbsiConfig } from './config.js';
import { glcmFamily } from './glcm.js';
import { glrlmFamily } from './glrlm.js';
import { localIntensityFeatures } from './local-intensity.js';
import { morphologyFeatures } from './morphology.js';
import { ngldmFamily, ngtdmFamily } from './neighbourhood.js';
import { discretise, resampleGrid, resampleMask, resegment } from './preprocess.js';
import { boxSize, countMask, maskBoundingBox, maskedValues } from '../kernels/grid.js';
import { cropRoi, type DiscreteGrid, type IbsiRoi, type Size3 } from './roi.js';
import { intensityHistogram, intensityStatistics, intensityVolumeHistogram, type IvhSettings } from './statistics.js';
import { gldzmFamily, glszmFamily } from './zones.js';

export * from './config.js';
export * from './compliance.js';
export type { IbsiRoi, DiscreteGrid } from './roi.js';

/** Mask voxels are those with value ≥ 0.5 (NIfTI masks hold 0/1). */
function binaryMask(data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let v = 0; v < data.length; v++) out[v] = data[v]! >= 0.5 ? 1 : 0;
  return out;
}

function minMeanMax(values: ArrayLike<number>): [number, number, number] {
  let lo = Infinity, hi = -Infinity, s = 0;
  for (let t = 0; t < values.length; t++) {
    const x = values[t]!;
    s += x;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, s / values.length, hi];
}

/** Bounding-box size of a mask (−∞ on each axis when the mask is empty, as the diagnostics report it). */
function boundingBoxSize(size: Size3, mask: Uint8Array): Size3 {
  const bb = maskBoundingBox(mask, size);
  return bb ? boxSize(bb) : [-Infinity, -Infinity, -Infinity];
}

/** The workbook's diagnostic rows for one processing stage. */
function imageDiagnostics(stage: string, size: Size3, spacing: Size3, image: ArrayLike<number>): Record<string, number> {
  const [lo, mean, hi] = minMeanMax(image);
  const out: Record<string, number> = {};
  'xyz'.split('').forEach((a, c) => {
    out[`img_dim_${a}_${stage}_img`] = size[c]!;
    out[`vox_dim_${a}_${stage}_img`] = spacing[c]!;
  });
  out[`mean_int_${stage}_img`] = mean;
  out[`min_int_${stage}_img`] = lo;
  out[`max_int_${stage}_img`] = hi;
  return out;
}

function roiDiagnostics(stage: string, size: Size3, image: ArrayLike<number>, intMask: Uint8Array, morphMask: Uint8Array): Record<string, number> {
  const out: Record<string, number> = {};
  const bbI = boundingBoxSize(size, intMask);
  const bbM = boundingBoxSize(size, morphMask);
  'xyz'.split('').forEach((a, c) => {
    out[`int_mask_dim_${a}_${stage}_roi`] = size[c]!;
    out[`int_mask_bb_dim_${a}_${stage}_roi`] = bbI[c]!;
    out[`morph_mask_bb_dim_${a}_${stage}_roi`] = bbM[c]!;
  });
  const values = maskedValues(image, intMask);
  out[`int_mask_vox_count_${stage}_roi`] = values.length;
  out[`morph_mask_vox_count_${stage}_roi`] = countMask(morphMask);
  const [lo, mean, hi] = minMeanMax(values);
  out[`int_mask_mean_int_${stage}_roi`] = mean;
  out[`int_mask_min_int_${stage}_roi`] = lo;
  out[`int_mask_max_int_${stage}_roi`] = hi;
  return out;
}

/** IVH input (IBSI 1 §3.5): the possible intensities and the range that maps to γ ∈ [0, 1]. */
function ivhInput(
  image: ArrayLike<number>,
  intMask: Uint8Array,
  d: Discretisation,
  range: [number, number] | null,
): { values: Float64Array; settings: IvhSettings } {
  const raw = maskedValues(image, intMask);
  let lo = Infinity, hi = -Infinity;
  for (const x of raw) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  if (d.method === 'none') {
    // Discrete intensities: the re-segmentation range, when it is finite, bounds γ.
    const a = range && Number.isFinite(range[0]) ? range[0] : lo;
    const b = range && Number.isFinite(range[1]) ? range[1] : hi;
    return { values: raw, settings: { step: 1, gridStart: a, gridEnd: b, lo: a, hi: b } };
  }
  const lower = range && Number.isFinite(range[0]) ? range[0] : null;
  const disc = discretise(image, intMask, d, lower);
  const levels = maskedValues(disc.levels, intMask);
  if (d.method === 'fbs') {
    // Fixed bin size: bins stand for their centres X_min + (X_d − ½)·w, in intensity units.
    const w = d.binSize;
    const top = range && Number.isFinite(range[1]) ? Math.floor((range[1] - disc.min) / w) + 1 : disc.ng;
    const centre = (q: number) => disc.min + (q - 0.5) * w;
    const values = levels.map(centre);
    return { values, settings: { step: w, gridStart: centre(1), gridEnd: centre(top), lo: centre(1), hi: centre(top) } };
  }
  return { values: levels, settings: { step: 1, gridStart: 1, gridEnd: disc.ng, lo: 1, hi: disc.ng } };
}

/** The processed ROI of `extractIbsi` before feature computation, with its diagnostics. */
export interface IbsiProcessed {
  roi: IbsiRoi;
  diagnostics: Record<string, number>;
}

/** IBSI 1 image processing of `config`: rounding, interpolation, partial-volume mask, re-segmentation. */
export function processIbsi(image: Volume, mask: Volume, config: IbsiConfig): IbsiProcessed {
  const mismatch = describeGeometryMismatch(image, mask);
  if (mismatch) throw new Error(`IBSI: image and mask grids differ (${mismatch})`);
  let size = [...image.size] as Size3;
  let spacing = [...image.spacing] as Size3;
  let data: Float64Array = Float64Array.from(image.data);
  if (config.roundIntensities) for (let v = 0; v < data.length; v++) data[v] = Math.round(data[v]!);
  let morphMask = binaryMask(mask.data);
  const diagnostics: Record<string, number> = {
    ...imageDiagnostics('init', size, spacing, data),
    ...roiDiagnostics('init', size, data, morphMask, morphMask),
  };
  if (config.resampling) {
    const r = config.resampling;
    const img = resampleGrid({ size, spacing, data }, r.spacing, r.image);
    const maskGrid = { size, spacing, data: Float64Array.from(morphMask) };
    morphMask = resampleMask(maskGrid, r.spacing, r.maskThreshold);
    size = img.size;
    spacing = img.spacing;
    data = img.data;
    if (config.roundIntensities) for (let v = 0; v < data.length; v++) data[v] = Math.round(data[v]!);
  }
  Object.assign(diagnostics, imageDiagnostics('interp', size, spacing, data), roiDiagnostics('interp', size, data, morphMask, morphMask));
  const intMask = resegment(data, morphMask, config.resegRange, config.resegOutlierSigma);
  let kept = 0;
  for (let v = 0; v < intMask.length; v++) if (intMask[v]) kept++;
  if (kept === 0) {
    const range = config.resegRange ? ` (range [${config.resegRange.join(', ')}])` : '';
    throw new Error(`no voxel of the ROI is left after re-segmentation${range}; check the configuration against the image's intensities`);
  }
  Object.assign(diagnostics, roiDiagnostics('reseg', size, data, intMask, morphMask));
  return { roi: { size, spacing, image: data, morphMask, intMask }, diagnostics };
}

/** Radius (mm) of the 1 cm³ sphere of the local intensity features, for the crop margin. */
const PEAK_RADIUS_MM = 10 * Math.cbrt(3 / (4 * Math.PI));

/** All IBSI 1 features of a processed ROI, by workbook tag. */
export function ibsiFeatures(fullRoi: IbsiRoi, config: IbsiConfig): Record<string, number> {
  const margin = fullRoi.spacing.map((s) => Math.ceil(PEAK_RADIUS_MM / s) + 1) as Size3;
  const roi = cropRoi(fullRoi, margin);
  const out: Record<string, number> = {};
  Object.assign(out, morphologyFeatures(roi));
  Object.assign(out, localIntensityFeatures(roi));
  const values = maskedValues(roi.image, roi.intMask);
  Object.assign(out, intensityStatistics(values));
  const lower = config.resegRange && Number.isFinite(config.resegRange[0]) ? config.resegRange[0] : null;
  const disc = discretise(roi.image, roi.intMask, config.discretisation, lower);
  Object.assign(out, intensityHistogram(maskedValues(disc.levels, roi.intMask), disc.ng));
  const ivh = ivhInput(roi.image, roi.intMask, config.ivh, config.resegRange);
  Object.assign(out, intensityVolumeHistogram(ivh.values, ivh.settings));
  const grid: DiscreteGrid = { size: roi.size, levels: disc.levels, ng: disc.ng };
  const which = { twoD: config.texture !== '3D', threeD: config.texture !== '2D' };
  Object.assign(out, glcmFamily(grid, which));
  Object.assign(out, glrlmFamily(grid, which));
  Object.assign(out, glszmFamily(grid, which));
  Object.assign(out, gldzmFamily(grid, roi.morphMask, which));
  Object.assign(out, ngtdmFamily(grid, which));
  Object.assign(out, ngldmFamily(grid, which));
  return out;
}

/**
 * IBSI 1 features of `image` inside `mask` (same grid; mask voxels ≥ 0.5) processed with
 * `config`, keyed by the IBSI 1 workbook tag; includes the diagnostic rows.
 */
export function extractIbsi(image: Volume, mask: Volume, config: IbsiConfig): Record<string, number> {
  const { roi, diagnostics } = processIbsi(image, mask, config);
  return { ...diagnostics, ...ibsiFeatures(roi, config) };
}
