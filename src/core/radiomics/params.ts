/**
 * PyRadiomics parameter files (YAML or JSON): `imageType`, `featureClass`,
 * `setting` and `voxelSetting`, validated like PyRadiomics' schema
 * (radiomics/schemas/paramSchema.yaml): an unknown key or a value of the wrong
 * type or range is an Error with a one-line message naming the file and key.
 */
import { Document, isScalar, isSeq, parseDocument } from 'yaml';
import { DEFAULT_FEATURE_CLASS_SETTINGS, type FeatureClassSettings, type WeightingNorm } from './family.js';
import { FEATURE_FAMILIES, getFamily } from './registry.js';

export type ResegmentMode = 'absolute' | 'relative' | 'sigma';

/** Every setting PyRadiomics knows, with its default (PyRadiomics `_getDefaultSettings` and the feature classes). */
export interface ExtractionSettings extends FeatureClassSettings {
  minimumROIDimensions: number;
  minimumROISize: number | null;
  normalize: boolean;
  normalizeScale: number;
  removeOutliers: number | null;
  resampledPixelSpacing: number[] | null;
  interpolator: string | number | null;
  preCrop: boolean;
  padDistance: number;
  resegmentRange: number[] | null;
  resegmentMode: ResegmentMode;
  resegmentShape: boolean;
  label: number;
  label_channel: number;
  additionalInfo: boolean;
  correctMask: boolean;
  geometryTolerance: number | null;
  /** Filter settings (LoG σ, wavelet, …) are passed through to the image types. */
  [filterSetting: string]: unknown;
}

export const DEFAULT_SETTINGS: ExtractionSettings = {
  ...DEFAULT_FEATURE_CLASS_SETTINGS,
  minimumROIDimensions: 2,
  minimumROISize: null,
  normalize: false,
  normalizeScale: 1,
  removeOutliers: null,
  resampledPixelSpacing: null,
  interpolator: 'sitkBSpline',
  preCrop: false,
  padDistance: 5,
  resegmentRange: null,
  resegmentMode: 'absolute',
  resegmentShape: false,
  label: 1,
  label_channel: 0,
  additionalInfo: true,
  correctMask: false,
  geometryTolerance: null,
};

export interface VoxelSettings {
  kernelRadius?: number;
  maskedKernel?: boolean;
  initValue?: number;
  voxelBatch?: number;
}

export interface ExtractionParams {
  /** Enabled image types with their own settings, in file order. */
  imageType: Record<string, Record<string, unknown>>;
  /** Enabled feature classes: null = all non-deprecated features, else the named ones. */
  featureClass: Record<string, string[] | null>;
  /** The full settings (defaults overridden by the file). */
  setting: ExtractionSettings;
  /** The settings as written in the file (for provenance). */
  givenSetting: Record<string, unknown>;
  voxelSetting: VoxelSettings;
}

type Check = (v: unknown) => string | null;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const num = (pred: (x: number) => boolean, what: string, int = false): Check => (v) =>
  isNum(v) && (!int || Number.isInteger(v)) && pred(v) ? null : `must be ${int ? 'an integer' : 'a number'} ${what}`;
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const nullable = (c: Check): Check => (v) => (v === null ? null : c(v));
const list = (c: Check, what: string): Check => (v) =>
  Array.isArray(v) && v.every((x) => c(x) === null) ? null : `must be a list of ${what}`;
const oneOf = (values: readonly (string | null)[]): Check => (v) =>
  values.includes(v as string | null) ? null : `must be one of ${values.map((x) => (x === null ? 'null' : `'${x}'`)).join(', ')}`;

export const INTERPOLATORS = [
  'sitkNearestNeighbor',
  'sitkLinear',
  'sitkBSpline',
  'sitkGaussian',
  'sitkLabelGaussian',
  'sitkHammingWindowedSinc',
  'sitkCosineWindowedSinc',
  'sitkWelchWindowedSinc',
  'sitkLanczosWindowedSinc',
  'sitkBlackmanWindowedSinc',
] as const;

const WAVELETS = [
  'haar', 'db1', 'db2', 'db3', 'db4', 'db5', 'db6', 'db7', 'db8', 'db9', 'db10', 'sym2', 'sym3', 'sym4', 'sym5', 'sym6', 'sym7', 'sym8',
  'coif1', 'coif2', 'coif3', 'coif4', 'coif5', 'bior1.1', 'bior1.3', 'bior1.5', 'bior2.2', 'bior2.4', 'bior2.6', 'bior2.8',
  'bior3.1', 'bior3.3', 'bior3.5', 'bior3.7', 'bior3.9', 'bior4.4', 'bior5.5', 'bior6.8', 'rbio1.1', 'rbio1.3', 'rbio1.5',
  'rbio2.2', 'rbio2.4', 'rbio2.6', 'rbio2.8', 'rbio3.1', 'rbio3.3', 'rbio3.5', 'rbio3.7', 'rbio3.9', 'rbio4.4', 'rbio5.5', 'rbio6.8', 'dmey',
];

/** PyRadiomics' setting schema (paramSchema.yaml) as checks. */
const SETTING_SCHEMA: Record<string, Check> = {
  minimumROIDimensions: num((x) => x >= 1 && x <= 3, 'from 1 to 3', true),
  minimumROISize: nullable(num((x) => x > 0, '> 0', true)),
  geometryTolerance: nullable(num((x) => x > 0, '> 0')),
  correctMask: bool,
  additionalInfo: bool,
  label: num((x) => x > 0, '> 0', true),
  label_channel: num((x) => x >= 0, '≥ 0', true),
  binWidth: num((x) => x > 0, '> 0'),
  binCount: nullable(num((x) => x > 0, '> 0', true)),
  normalize: bool,
  normalizeScale: num((x) => x > 0, '> 0'),
  removeOutliers: nullable(num((x) => x > 0, '> 0')),
  resampledPixelSpacing: nullable(list(num((x) => x >= 0, ''), 'numbers ≥ 0')),
  interpolator: (v) =>
    v === null || (typeof v === 'string' && (INTERPOLATORS as readonly string[]).includes(v)) || (isNum(v) && Number.isInteger(v) && v >= 1 && v <= 10)
      ? null
      : `must be one of ${INTERPOLATORS.join(', ')} (or 1–10)`,
  padDistance: num((x) => x >= 0, '≥ 0', true),
  distances: list(num((x) => x > 0, '', true), 'integers > 0'),
  force2D: bool,
  force2Ddimension: num((x) => x >= 0 && x <= 2, 'from 0 to 2', true),
  resegmentRange: nullable((v) => (list(num(() => true, ''), 'numbers')(v) ?? ((v as number[]).length >= 1 && (v as number[]).length <= 2 ? null : 'must have 1 or 2 values'))),
  resegmentMode: oneOf(['absolute', 'relative', 'sigma']),
  resegmentShape: bool,
  preCrop: bool,
  sigma: list(num((x) => x > 0, ''), 'numbers > 0'),
  start_level: num((x) => x >= 0, '≥ 0', true),
  level: num((x) => x > 0, '> 0', true),
  wavelet: (v) => (typeof v === 'string' && WAVELETS.includes(v) ? null : `must be a PyWavelets wavelet name (e.g. 'coif1')`),
  gradientUseSpacing: bool,
  lbp2DRadius: num((x) => x > 0, '> 0'),
  lbp2DSamples: num((x) => x >= 1, '≥ 1', true),
  lbp2DMethod: oneOf(['default', 'ror', 'uniform', 'var']),
  lbp3DLevels: num((x) => x >= 1, '≥ 1', true),
  lbp3DIcosphereRadius: num((x) => x > 0, '> 0'),
  lbp3DIcosphereSubdivision: num((x) => x >= 0, '≥ 0', true),
  voxelArrayShift: num(() => true, '', true),
  symmetricalGLCM: bool,
  weightingNorm: oneOf(['euclidean', 'manhattan', 'infinity', 'no_weighting', null]),
  gldm_a: num((x) => x >= 0, '≥ 0', true),
};

const VOXEL_SCHEMA: Record<string, Check> = {
  kernelRadius: num((x) => x > 0, '> 0', true),
  maskedKernel: bool,
  initValue: (v) => (typeof v === 'number' || v === 'nan' || v === 'NaN' ? null : 'must be a number or nan'),
  voxelBatch: num((x) => x > 0, '> 0', true),
};

/** PyRadiomics' image type names (getImageTypes). */
export const IMAGE_TYPE_NAMES = ['Original', 'Wavelet', 'LoG', 'Square', 'SquareRoot', 'Logarithm', 'Exponential', 'Gradient', 'LBP2D', 'LBP3D'];

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

function checkSettings(map: unknown, path: string, schema: Record<string, Check>, source: string): Record<string, unknown> {
  if (map === null || map === undefined) return {};
  if (!isMap(map)) throw new Error(`${source}: ${path} must be a mapping of settings`);
  for (const [k, v] of Object.entries(map)) {
    const check = schema[k];
    if (!check) throw new Error(`${source}: unknown setting ${path}.${k}`);
    const problem = check(v);
    if (problem) throw new Error(`${source}: ${path}.${k} ${problem}, got ${show(v)}`);
  }
  return map;
}

/** Validate an already-parsed parameter object (the content of a YAML/JSON file). */
export function validateParams(raw: unknown, source = 'parameters'): ExtractionParams {
  if (raw === null || raw === undefined) raw = {};
  if (!isMap(raw)) throw new Error(`${source}: the parameter file must be a mapping with imageType, featureClass, setting, voxelSetting`);
  for (const k of Object.keys(raw))
    if (!['imageType', 'featureClass', 'setting', 'voxelSetting'].includes(k))
      throw new Error(`${source}: unknown top-level key "${k}" (expected imageType, featureClass, setting, voxelSetting)`);

  const given = checkSettings(raw.setting, 'setting', SETTING_SCHEMA, source);
  const voxel = checkSettings(raw.voxelSetting, 'voxelSetting', VOXEL_SCHEMA, source) as VoxelSettings;

  const imageType: Record<string, Record<string, unknown>> = {};
  if (raw.imageType !== undefined && raw.imageType !== null) {
    if (!isMap(raw.imageType)) throw new Error(`${source}: imageType must be a mapping of image type names`);
    for (const [name, custom] of Object.entries(raw.imageType)) {
      if (!IMAGE_TYPE_NAMES.includes(name))
        throw new Error(`${source}: unknown image type imageType.${name} (known: ${IMAGE_TYPE_NAMES.join(', ')})`);
      imageType[name] = { ...checkSettings(custom, `imageType.${name}`, SETTING_SCHEMA, source) };
    }
  }
  if (Object.keys(imageType).length === 0) imageType.Original = {};

  const featureClass: Record<string, string[] | null> = {};
  if (raw.featureClass !== undefined) {
    if (!isMap(raw.featureClass)) throw new Error(`${source}: featureClass must be a mapping of feature class names`);
    for (const [cls, features] of Object.entries(raw.featureClass)) {
      const family = getFamily(cls);
      if (!family)
        throw new Error(`${source}: unknown feature class featureClass.${cls} (known: ${FEATURE_FAMILIES.map((f) => f.name).join(', ')})`);
      if (features === null || (Array.isArray(features) && features.length === 0)) featureClass[cls] = null;
      else if (!Array.isArray(features) || !features.every((f) => typeof f === 'string'))
        throw new Error(`${source}: featureClass.${cls} must be a list of feature names or empty`);
      else {
        for (const f of features as string[])
          if (!family.features.some((d) => d.name === f))
            throw new Error(`${source}: unknown feature featureClass.${cls}: ${f}`);
        featureClass[cls] = features as string[];
      }
    }
  }
  if (Object.keys(featureClass).length === 0)
    for (const f of FEATURE_FAMILIES) featureClass[f.name] = null;

  return {
    imageType,
    featureClass,
    setting: { ...DEFAULT_SETTINGS, ...given, ...(voxel as Record<string, unknown>) } as ExtractionSettings,
    givenSetting: { ...given },
    voxelSetting: voxel,
  };
}

/** Parse and validate a PyRadiomics parameter file's text (YAML, of which JSON is a subset). */
export function parseParams(text: string, source = 'parameters'): ExtractionParams {
  // logLevel 'error': YAML warnings (e.g. collection keys) are not printed; errors stay fatal
  const doc = parseDocument(text, { logLevel: 'error' });
  const [yamlError] = doc.errors;
  if (yamlError) throw new Error(`${source}: not valid YAML (${yamlError.message.split('\n')[0]})`);
  let raw: unknown;
  try {
    raw = doc.toJS(); // an alias to an anchor defined later fails only here
  } catch (e) {
    throw new Error(`${source}: not valid YAML (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
  }
  const params = validateParams(raw, source);
  // LoG σ names follow the YAML spelling: `3` → log-sigma-3-mm-3D, `3.0` → log-sigma-3-0-mm-3D
  const keepIntegerSpelling = (path: string[], target: Record<string, unknown>) => {
    const node = doc.getIn(path, true);
    if (!isSeq(node)) return;
    target.sigma = node.items.map((item) =>
      isScalar(item) && typeof item.source === 'string' && /^[-+]?\d+$/.test(item.source) ? item.source : isScalar(item) ? item.value : item,
    );
  };
  for (const [name, custom] of Object.entries(params.imageType)) keepIntegerSpelling(['imageType', name, 'sigma'], custom);
  if ('sigma' in params.setting) keepIntegerSpelling(['setting', 'sigma'], params.setting);
  return params;
}

/** The extractor's defaults when no parameter file is given: Original image, all classes but shape2D. */
/**
 * The parameters as a PyRadiomics parameter file (YAML): image types, feature
 * classes, the settings as given, voxel settings when any. `parseParams` of
 * the result gives the same parameters back.
 */
export function paramsToYaml(params: ExtractionParams): string {
  const doc: Record<string, unknown> = { imageType: params.imageType, featureClass: params.featureClass, setting: params.givenSetting };
  if (Object.keys(params.voxelSetting).length > 0) doc.voxelSetting = params.voxelSetting;
  const d = new Document(doc);
  // σ spelling decides LoG feature names (parseParams): integer spelling was kept as a
  // string ("3" → sigma-3-mm), a number was written with a fraction (3.0 → sigma-3-0-mm).
  const respell = (node: unknown) => {
    if (!isSeq(node)) return;
    for (const item of node.items) {
      if (!isScalar(item)) continue;
      if (typeof item.value === 'string' && /^[-+]?\d+$/.test(item.value)) item.value = Number(item.value);
      else if (typeof item.value === 'number') item.minFractionDigits = 1;
    }
  };
  for (const name of Object.keys(params.imageType)) respell(d.getIn(['imageType', name, 'sigma'], true));
  respell(d.getIn(['setting', 'sigma'], true));
  return d.toString();
}

export function defaultParams(): ExtractionParams {
  const featureClass: Record<string, string[] | null> = {};
  for (const f of FEATURE_FAMILIES) if (f.name !== 'shape2D') featureClass[f.name] = null;
  return { imageType: { Original: {} }, featureClass, setting: { ...DEFAULT_SETTINGS }, givenSetting: {}, voxelSetting: {} };
}

/** Settings with overrides (e.g. from the command line), re-validated. */
export function withSettings(params: ExtractionParams, overrides: Record<string, unknown>, source = 'settings'): ExtractionParams {
  const given = checkSettings(overrides, 'setting', SETTING_SCHEMA, source);
  return { ...params, setting: { ...params.setting, ...given }, givenSetting: { ...params.givenSetting, ...given } };
}

/** Narrow the weighting norm setting. */
export function weightingNormOf(v: unknown): WeightingNorm {
  return v === 'manhattan' || v === 'euclidean' || v === 'infinity' || v === 'no_weighting' ? v : null;
}
