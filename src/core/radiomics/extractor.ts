/**
 * The feature extractor: image + mask + PyRadiomics parameters → an ordered
 * `{featureName: value}` record with PyRadiomics' names
 * (`original_glcm_Contrast`, `log-sigma-3-0-mm-3D_firstorder_Mean`, …), following
 * `RadiomicsFeatureExtractor.execute`: mask checks, normalisation, resampling or
 * pre-cropping, re-segmentation, shape on the original mask, then every enabled
 * image type cropped to the ROI's bounding box and every enabled feature class.
 *
 * Image types are pluggable: `imageTypes[name](volume, mask, settings)` returns
 * the derived images with their feature-name prefixes; by default the filters
 * module's registry (LoG, Wavelet, Square, …) is used. Filters see the whole
 * preprocessed image (after resampling / pre-cropping), as in PyRadiomics.
 */
import { imageTypes as filterImageTypes, type ImageTypeFunction, type ImageTypeSettings } from '../filters/image-types.js';
import { cropVolume, padBox } from '../image/crop.js';
import { resampleImageAndMask, resampleToGrid, gridOf, type Interpolator } from '../image/resample.js';
import type { Volume } from '../image/volume.js';
import { describeGeometryMismatch, indexToPhysical } from '../image/volume.js';
import { checkFiniteVoxels } from '../image/guard.js';
import { discretise, type DiscretisedRoi } from './discretise.js';
import type { FamilyInput, FeatureClassSettings } from './family.js';
import { defaultParams, weightingNormOf, type ExtractionParams, type ExtractionSettings } from './params.js';
import { countComponents, maskLabels, normalizeImage, resegmentMask } from './preprocess.js';
import { getFamily, orderedFeatures } from './registry.js';
import { cropRoi, derivedRoi, maskBoundingBox, type RoiImage } from './roi.js';
import { cropToBox } from './kernels/grid.js';

/** Image type name (PyRadiomics spelling) → the derived images with their feature-name prefixes. */
export type ImageTypeRegistry = Readonly<Record<string, ImageTypeFunction>>;

/** Every PyRadiomics image type the filters module implements (Original, LoG, Wavelet, Square, …). */
export const DEFAULT_IMAGE_TYPES: ImageTypeRegistry = {
  ...filterImageTypes,
  Original: (volume) => [{ prefix: 'original', volume }],
};

export type FeatureValue = number | string;
export type FeatureVector = Record<string, FeatureValue>;

export interface ExtractOptions {
  params?: ExtractionParams;
  /** Overrides `setting.label`. */
  label?: number;
  /** Image type implementations; default: the filters module's registry. */
  imageTypes?: ImageTypeRegistry;
  /** Names used in error messages and diagnostics. */
  imageName?: string;
  maskName?: string;
}

/** Python literal of a value, as PyRadiomics prints its diagnostics (dicts, lists, tuples, True/None). */
export function pythonRepr(v: unknown, tuple = false): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) && !tuple ? String(v) : pythonFloat(v);
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return tuple ? `(${v.map((x) => pythonRepr(x, true)).join(', ')})` : `[${v.map((x) => pythonRepr(x)).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `'${k}': ${pythonRepr(x)}`)
      .join(', ')}}`;
  return String(v);
}
function pythonFloat(x: number): string {
  if (Number.isInteger(x)) return `${x}.0`;
  return String(x);
}

const INTERPOLATOR_NAMES: Record<string, Interpolator> = {
  sitkNearestNeighbor: 'nearest',
  sitkLinear: 'linear',
  sitkBSpline: 'bspline',
  '1': 'nearest',
  '2': 'linear',
  '3': 'bspline',
};

function featureClassSettings(s: ExtractionSettings): FeatureClassSettings {
  return {
    binWidth: s.binWidth,
    binCount: s.binCount ?? null,
    distances: s.distances,
    force2D: s.force2D,
    force2Ddimension: s.force2Ddimension,
    symmetricalGLCM: s.symmetricalGLCM,
    weightingNorm: weightingNormOf(s.weightingNorm),
    gldm_a: s.gldm_a,
    voxelArrayShift: s.voxelArrayShift,
  };
}

function maskOf(mask: Volume, label: number): Uint8Array {
  const d = mask.data;
  const out = new Uint8Array(d.length);
  // integer voxel types need no truncation (PyRadiomics casts the mask to UInt32)
  if (d instanceof Float32Array || d instanceof Float64Array) for (let i = 0; i < out.length; i++) out[i] = Math.trunc(d[i]!) === label ? 1 : 0;
  else for (let i = 0; i < out.length; i++) out[i] = d[i] === label ? 1 : 0;
  return out;
}

/** Compute the features of the enabled classes on one ROI image (no shape classes). */
export function computeFeatureClasses(
  roi: RoiImage,
  prefix: string,
  featureClass: Record<string, string[] | null>,
  settings: ExtractionSettings,
  out: FeatureVector,
): void {
  const fcs = featureClassSettings(settings);
  let binnedCache: DiscretisedRoi | null = null;
  const input: FamilyInput = {
    roi,
    binned: () => (binnedCache ??= discretise(roi, { binWidth: fcs.binWidth, binCount: fcs.binCount })),
    settings: fcs,
  };
  for (const [cls, names] of Object.entries(featureClass)) {
    if (cls.startsWith('shape')) continue;
    computeOneClass(cls, names, input, prefix, out);
  }
}

function computeOneClass(cls: string, names: string[] | null, input: FamilyInput, prefix: string, out: FeatureVector): void {
  const family = getFamily(cls);
  if (!family) throw new Error(`unknown feature class "${cls}"`);
  const ctx = family.prepare(input);
  const defs = names
    ? names.map((n) => family.features.find((d) => d.name === n)!)
    : orderedFeatures(family).filter((d) => !d.deprecated);
  for (const d of defs) {
    if (d.removed) continue;
    out[`${prefix}_${cls}_${d.name}`] = d.compute(ctx);
  }
}

function fmtVec(v: readonly number[]): string {
  return pythonRepr([...v], true);
}

function addImageDiagnostics(out: FeatureVector, image: Volume, prefix: string): void {
  let sum = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < image.data.length; i++) {
    const v = image.data[i]!;
    sum += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (prefix === 'original') out['diagnostics_Image-original_Dimensionality'] = '3D';
  out[`diagnostics_Image-${prefix}_Spacing`] = fmtVec(image.spacing);
  out[`diagnostics_Image-${prefix}_Size`] = pythonRepr([...image.size].map((x) => x), false).replace(/^\[/, '(').replace(/\]$/, ')');
  out[`diagnostics_Image-${prefix}_Mean`] = sum / image.data.length;
  out[`diagnostics_Image-${prefix}_Minimum`] = lo;
  out[`diagnostics_Image-${prefix}_Maximum`] = hi;
}

function addMaskDiagnostics(out: FeatureVector, image: Volume | null, mask: Volume, inRoi: Uint8Array, prefix: string): void {
  const bb = maskBoundingBox(inRoi, mask.size);
  out[`diagnostics_Mask-${prefix}_Spacing`] = fmtVec(mask.spacing);
  out[`diagnostics_Mask-${prefix}_Size`] = `(${mask.size.join(', ')})`;
  if (!bb) return;
  out[`diagnostics_Mask-${prefix}_BoundingBox`] = `(${[...bb.lower, ...bb.upper.map((h, c) => h - bb.lower[c]! + 1)].join(', ')})`;
  let n = 0;
  const com: [number, number, number] = [0, 0, 0];
  const [nx, ny] = mask.size;
  let sum = 0;
  let lo = Infinity;
  let hi = -Infinity;
  // only the bounding box holds ROI voxels
  for (let z = bb.lower[2]; z <= bb.upper[2]; z++)
    for (let y = bb.lower[1]; y <= bb.upper[1]; y++)
      for (let x = bb.lower[0], i = x + nx * (y + ny * z); x <= bb.upper[0]; x++, i++) {
        if (!inRoi[i]) continue;
        n++;
        com[0] += x;
        com[1] += y;
        com[2] += z;
        if (image) {
          const v = image.data[i]!;
          sum += v;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
  out[`diagnostics_Mask-${prefix}_VoxelNum`] = n;
  const cropped = cropRoi(inRoi, inRoi, mask.size, mask.spacing, bb, (v) => v !== 0);
  out[`diagnostics_Mask-${prefix}_VolumeNum`] = countComponents(cropped.mask, cropped.size);
  const ci = com.map((c) => c / n);
  out[`diagnostics_Mask-${prefix}_CenterOfMassIndex`] = fmtVec(ci);
  out[`diagnostics_Mask-${prefix}_CenterOfMass`] = fmtVec(indexToPhysical(mask, ci[0]!, ci[1]!, ci[2]!));
  if (image) {
    out[`diagnostics_Mask-${prefix}_Mean`] = sum / n;
    out[`diagnostics_Mask-${prefix}_Minimum`] = lo;
    out[`diagnostics_Mask-${prefix}_Maximum`] = hi;
  }
}

/** Extract the enabled features of one image and mask. */
export function extractFeatures(image: Volume, mask: Volume, opts: ExtractOptions = {}): FeatureVector {
  const params = opts.params ?? defaultParams();
  const imageName = opts.imageName ?? 'image';
  const maskName = opts.maskName ?? 'mask';
  const label = opts.label ?? params.setting.label;
  const settings: ExtractionSettings = { ...params.setting, label };
  const registry: ImageTypeRegistry = opts.imageTypes ?? DEFAULT_IMAGE_TYPES;
  const imageTypes = Object.entries(params.imageType).map(([t, custom]) => {
    const filter = registry[t];
    if (!filter) throw new Error(`image type ${t} is not available in this build (available: ${Object.keys(registry).join(', ')})`);
    return { filter, custom };
  });

  // getMask: the label must be present
  // NaN/±Inf mask voxels are background, as SimpleITK's Cast to UInt32 makes them (x86-64)
  const labels = maskLabels(mask).filter(Number.isFinite);
  if (labels.length === 0) throw new Error(`${maskName}: the mask is empty (no voxel is labelled)`);
  if (!labels.includes(label)) throw new Error(`${maskName}: label ${label} is not present in the mask (labels: ${labels.join(', ')})`);

  // NaN/Inf image voxels (guard.ts): refused inside the ROI, and anywhere when the whole image is used
  const wholeImage = settings.normalize || !!settings.resampledPixelSpacing || Object.keys(params.imageType).some((t) => t !== 'Original');
  const originalRoi = maskOf(mask, label);
  if (!describeGeometryMismatch(image, mask)) checkFiniteVoxels(imageName, image, originalRoi, label, wholeImage);

  const out: FeatureVector = {};
  const diag = settings.additionalInfo;
  if (diag) {
    out.diagnostics_Versions_HabitatWorkbench = '0.1.0';
    out.diagnostics_Configuration_Settings = pythonRepr({ ...params.setting, ...params.givenSetting, label });
    out.diagnostics_Configuration_EnabledImageTypes = pythonRepr(params.imageType);
    addImageDiagnostics(out, image, 'original');
    addMaskDiagnostics(out, null, mask, originalRoi, 'original');
  }

  let img = image;
  let msk = mask;
  if (settings.normalize) img = normalizeImage(img, settings.normalizeScale, settings.removeOutliers);

  const interpolator = settings.interpolator;
  if (settings.resampledPixelSpacing && interpolator !== null && interpolator !== undefined) {
    const interp = INTERPOLATOR_NAMES[String(interpolator)];
    if (!interp) throw new Error(`setting.interpolator ${String(interpolator)} is not supported here (use sitkBSpline, sitkLinear or sitkNearestNeighbor)`);
    const r = resampleImageAndMask(img, msk, {
      spacing: settings.resampledPixelSpacing,
      interpolator: interp,
      padDistance: settings.padDistance,
      label,
    });
    img = r.image;
    msk = r.mask;
    if (diag) {
      addImageDiagnostics(out, img, 'interpolated');
      addMaskDiagnostics(out, img, msk, maskOf(msk, label), 'interpolated');
    }
  } else if (settings.preCrop) {
    const bb = maskBoundingBox(maskOf(msk, label), msk.size);
    if (!bb) throw new Error(`${maskName}: label ${label} is not present in the mask`);
    const padded = padBox(bb, settings.padDistance, msk.size);
    img = cropVolume(img, padded);
    msk = cropVolume(msk, padded);
  }

  // checkMask: geometry, bounding box, minimum dimensions and size
  const mismatch = describeGeometryMismatch(img, msk, settings.geometryTolerance ?? 1e-5);
  if (mismatch) {
    if (!settings.correctMask)
      throw new Error(`${maskName}: geometry differs from ${imageName} (${mismatch}); set correctMask: true to resample the mask onto the image`);
    msk = resampleToGrid(msk, gridOf(img), { interpolator: 'nearest' });
  }
  let inRoi = msk === mask ? originalRoi : maskOf(msk, label);
  const box = maskBoundingBox(inRoi, msk.size);
  if (!box) throw new Error(`${maskName}: label ${label} is not present in the mask after preprocessing`);
  const extent = box.upper.map((h, c) => h - box.lower[c]! + 1);
  const ndims = extent.filter((e) => e > 1).length;
  if (ndims === 0) throw new Error(`${maskName}: the ROI is a single voxel; cannot extract features`);
  if (ndims < settings.minimumROIDimensions)
    throw new Error(`${maskName}: the ROI has ${ndims} dimension(s), minimumROIDimensions is ${settings.minimumROIDimensions}`);
  checkFiniteVoxels(imageName, img, inRoi, label, false);
  let roiSize = 0;
  for (let i = 0; i < inRoi.length; i++) roiSize += inRoi[i]!;
  if (settings.minimumROISize != null && roiSize <= settings.minimumROISize)
    throw new Error(`${maskName}: the ROI has ${roiSize} voxels, minimumROISize is ${settings.minimumROISize}`);

  let textureRoi = inRoi;
  let textureBox = box;
  if (settings.resegmentRange) {
    const r = resegmentMask(img.data, inRoi, settings.resegmentRange, settings.resegmentMode, label);
    textureRoi = r.mask;
    const b2 = maskBoundingBox(textureRoi, msk.size);
    if (!b2) throw new Error(`${maskName}: re-segmentation removed every voxel`);
    textureBox = b2;
    if (diag) {
      addMaskDiagnostics(out, img, msk, textureRoi, 'resegmented');
    }
    if (settings.resegmentShape) inRoi = textureRoi;
  }

  // shape: on the (original or re-segmented) mask cropped to its bounding box
  const shapeBox = settings.resegmentShape ? textureBox : box;
  const inside = (v: number) => v !== 0;
  for (const cls of ['shape', 'shape2D']) {
    const names = params.featureClass[cls];
    if (names === undefined) continue;
    if (cls === 'shape2D') {
      const dimExtent = shapeBox.upper[2 - settings.force2Ddimension]! - shapeBox.lower[2 - settings.force2Ddimension]! + 1;
      if (!settings.force2D || dimExtent > 1) continue; // PyRadiomics warns and skips
    }
    const roi = cropRoi(img.data, inRoi, img.size, img.spacing, shapeBox, inside);
    computeOneClass(cls, names, { roi, binned: () => discretise(roi, settings), settings: featureClassSettings(settings) }, 'original', out);
  }

  // image types, each cropped to the (re-segmented) ROI's bounding box (where the filters may stop)
  const boxMask = cropToBox(textureRoi, img.size, textureBox, Uint8Array, (v) => (inside(v) ? 1 : 0));
  for (const { filter, custom } of imageTypes) {
    const typeSettings = { ...settings, ...custom } as ExtractionSettings;
    for (const derived of filter(img, msk, { ...typeSettings, readBox: textureBox } as ImageTypeSettings)) {
      const roi = derivedRoi(derived, img.size, img.spacing, textureBox, boxMask);
      computeFeatureClasses(roi, derived.prefix, params.featureClass, typeSettings, out);
    }
  }
  return out;
}
