/**
 * The study configuration: what `habitat study --config study.yaml` and the
 * app's Settings panel hold. Every key has the paper's default (Wu et al.
 * 2025, SPEC.md §2–6), so an empty file reproduces the paper's method.
 * Unknown keys and bad values are one-line errors naming the key.
 */
import { parseDocument, stringify } from 'yaml';

export interface StudyConfig {
  /** Clinical table column holding the patient id (matches the cohort folders). */
  id: string;
  /** Binary outcome column (1 = positive class, e.g. residual disease). */
  outcome: string;
  /** Outcome value that is the positive class, when the column is not 0/1. */
  positive?: string;
  /** Sequence names, as the image files are named in each patient folder. */
  sequences: string[];
  /** The sequence the VOI was drawn on; the others are registered to it. */
  reference: string;
  clinical: {
    /** Variables to consider ('auto' = every column but id and outcome). */
    variables: 'auto' | string[];
    /** Numeric columns to treat as categorical. */
    categorical: string[];
    /** p-value threshold of the univariate logistic screen feeding the multivariate model. */
    univariateP: number;
  };
  preprocessing: {
    n4: boolean;
    /**
     * Finest B-spline control-point spacing (mm) N4 may fit: starting from ITK's
     * default lattice (4 control points per axis, one span over the image) the
     * lattice doubles per fitting level (at most 4, ITK's default) only while the
     * span stays at least this long on the image's shortest axis. null = always
     * ITK's 4 levels, however small the field of view.
     */
    n4SplineDistance: number | null;
    /**
     * Voxels N4 fits the bias field on: 'otsu' (default) the foreground above Otsu's
     * threshold of the series, as SimpleITK's N4 example, ANTsR and c3d do; 'none'
     * every voxel, air included (what studies run before the key existed did).
     */
    n4Mask: 'otsu' | 'none';
    normalize: 'minmax' | 'zscore' | 'none';
    /** Percentile clipping before min–max, e.g. [1, 99]; null = none. */
    clip: [number, number] | null;
    /** Output spacing in mm; null = keep. */
    resample: [number, number, number] | null;
    interpolator: 'bspline' | 'linear' | 'nearest';
    register: 'rigid' | 'affine' | 'none';
    /** elastix effort: multi-resolution levels, iterations per level, metric samples per iteration. */
    registration: { resolutions: number; iterations: number; samples: number };
  };
  habitats: {
    /** 'auto' = GMM/BIC at cohort level; a number for every sequence; or per sequence. */
    k: 'auto' | number | Record<string, number | 'auto'>;
    kMin: number;
    kMax: number;
    /** Voxel descriptors: intensity, plus optional local-window features. */
    features: ('intensity' | 'local-mean' | 'local-entropy' | 'multi-sequence')[];
    kernelRadius: number;
    mode: 'cohort' | 'patient';
    /** Pooled voxels used for fitting (subsampled, seeded). */
    maxVoxels: number;
    /**
     * Per-patient scaling of the intensity descriptor over the VOI: 'none'
     * (default: the preprocessed intensities, already normalised per image as the
     * paper does), 'percentile' ((x − P1)/(P99 − P1)), 'zscore' or 'minmax'.
     * Any scaling over the VOI makes habitat membership depend on the VOI: a
     * z-score moves every habitat with the patient's habitat fractions (the VOI
     * mean does), percentiles with the partial-volume voxels at the VOI's edge
     * (a second observer's VOI then gives other habitats and ICCs drop). Use one
     * when the images are not normalised (preprocessing.normalize: none).
     */
    normalize: 'none' | 'zscore' | 'minmax' | 'percentile';
    /** How k: auto is chosen from the GMM curves: 'icl' (default) or 'bic' (see docs/habitats.md). */
    criterion: 'icl' | 'bic';
    /** Voxels the GMM curves are computed on: 'homogeneous' (default: away from region borders) or 'all'. */
    curveVoxels: 'homogeneous' | 'all';
    seed: number;
  };
  extraction: {
    /** A PyRadiomics parameter file (path, relative to the config) or an inline parameter object; null = the paper's settings. */
    params: string | Record<string, unknown> | null;
  };
  selection: {
    icc: number;
    univariateP: number;
    correlation: number;
    folds: number;
    lambda: 'min' | '1se';
    seed: number;
  };
  models: {
    kernel: 'rbf' | 'linear';
    C: number;
    gamma: 'scale' | number;
    /**
     * 'balanced' (default): C weighted per class by n / (2·n_class), scikit-learn's
     * class_weight='balanced'; 'none': the plain C-SVC. With an imbalanced outcome a
     * weak predictor otherwise gets an almost constant decision function.
     */
    classWeight: 'balanced' | 'none';
  };
  split: {
    validation: number;
    seed: number;
    stratify: boolean;
  };
}

export const DEFAULT_STUDY_CONFIG: StudyConfig = {
  id: 'id',
  outcome: 'residual',
  sequences: ['T2WI', 'CE-T1WI', 'FSCE-T1WI'],
  reference: 'T2WI',
  clinical: { variables: 'auto', categorical: [], univariateP: 0.05 },
  preprocessing: {
    n4: true,
    n4SplineDistance: 25,
    n4Mask: 'otsu',
    normalize: 'minmax',
    clip: null,
    resample: [1, 1, 1],
    interpolator: 'bspline',
    register: 'rigid',
    // Same-session series differ by small motions: 2 levels × 128 iterations × 1024 samples
    // recover them as well as elastix's heavier default (3 × 256 × 2048) at a fifth of the time.
    registration: { resolutions: 2, iterations: 128, samples: 1024 },
  },
  habitats: { k: 'auto', kMin: 1, kMax: 8, features: ['intensity'], kernelRadius: 1, mode: 'cohort', maxVoxels: 200_000, normalize: 'none', criterion: 'icl', curveVoxels: 'homogeneous', seed: 42 },
  extraction: { params: null },
  selection: { icc: 0.75, univariateP: 0.05, correlation: 0.85, folds: 10, lambda: 'min', seed: 42 },
  models: { kernel: 'rbf', C: 1, gamma: 'scale', classWeight: 'balanced' },
  split: { validation: 0.3, seed: 42, stratify: true },
};

/** The paper's PyRadiomics settings: Original + LoG σ 1, 3, 5 mm + coif1 wavelet, binWidth 25, 1 mm B-spline, label 1. */
export const PAPER_EXTRACTION_PARAMS = {
  imageType: { Original: {}, LoG: { sigma: [1.0, 3.0, 5.0] }, Wavelet: {} },
  featureClass: { shape: null, firstorder: null, glcm: null, glrlm: null, glszm: null, gldm: null, ngtdm: null },
  setting: { binWidth: 25, resampledPixelSpacing: [1, 1, 1], interpolator: 'sitkBSpline', label: 1 },
};

type Obj = Record<string, unknown>;

function fail(where: string, msg: string): never {
  throw new Error(`${where}: ${msg}`);
}

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function checkKeys(where: string, path: string, o: Obj, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) fail(where, `unknown key "${path ? path + '.' : ''}${k}" (allowed: ${allowed.join(', ')})`);
  }
}

const num = (where: string, key: string, v: unknown, lo: number, hi: number, integer = false): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    fail(where, `"${key}" must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
  }
  return v;
};
const bool = (where: string, key: string, v: unknown): boolean => {
  if (typeof v !== 'boolean') fail(where, `"${key}" must be true or false, got ${JSON.stringify(v)}`);
  return v;
};
const str = (where: string, key: string, v: unknown): string => {
  if (typeof v !== 'string' || v.trim() === '') fail(where, `"${key}" must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
};
function oneOf<T extends string>(where: string, key: string, v: unknown, options: readonly T[]): T {
  if (typeof v !== 'string' || !options.includes(v as T)) fail(where, `"${key}" must be one of ${options.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}
const strList = (where: string, key: string, v: unknown): string[] => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(where, `"${key}" must be a list of strings`);
  return v as string[];
};

/**
 * Merge a parsed YAML object over the defaults, validating every key.
 * `where` names the source (file name) in messages.
 */
export function studyConfigFrom(raw: unknown, where = 'study config'): StudyConfig {
  const c: StudyConfig = structuredClone(DEFAULT_STUDY_CONFIG);
  if (raw === null || raw === undefined) return c;
  if (!isObj(raw)) fail(where, 'the study config must be a mapping of keys to values');
  const top = ['id', 'outcome', 'positive', 'sequences', 'reference', 'clinical', 'preprocessing', 'habitats', 'extraction', 'selection', 'models', 'split'] as const;
  checkKeys(where, '', raw, top);
  if (raw.id !== undefined) c.id = str(where, 'id', raw.id);
  if (raw.outcome !== undefined) c.outcome = str(where, 'outcome', raw.outcome);
  if (raw.positive !== undefined) c.positive = String(raw.positive);
  if (raw.sequences !== undefined) {
    c.sequences = strList(where, 'sequences', raw.sequences);
    if (c.sequences.length === 0) fail(where, '"sequences" must name at least one sequence');
    if (raw.reference === undefined) c.reference = c.sequences[0];
  }
  if (raw.reference !== undefined) c.reference = str(where, 'reference', raw.reference);
  if (!c.sequences.includes(c.reference)) fail(where, `"reference" (${c.reference}) must be one of the sequences (${c.sequences.join(', ')})`);

  const section = (name: string, allowed: readonly string[]): Obj | null => {
    const v = raw[name];
    if (v === undefined || v === null) return null;
    if (!isObj(v)) fail(where, `"${name}" must be a mapping`);
    checkKeys(where, name, v, allowed);
    return v;
  };

  const cl = section('clinical', ['variables', 'categorical', 'univariateP']);
  if (cl) {
    if (cl.variables !== undefined) c.clinical.variables = cl.variables === 'auto' ? 'auto' : strList(where, 'clinical.variables', cl.variables);
    if (cl.categorical !== undefined) c.clinical.categorical = strList(where, 'clinical.categorical', cl.categorical);
    if (cl.univariateP !== undefined) c.clinical.univariateP = num(where, 'clinical.univariateP', cl.univariateP, 0, 1);
  }
  const pp = section('preprocessing', ['n4', 'n4SplineDistance', 'n4Mask', 'normalize', 'clip', 'resample', 'interpolator', 'register', 'registration']);
  if (pp) {
    if (pp.n4 !== undefined) c.preprocessing.n4 = bool(where, 'preprocessing.n4', pp.n4);
    if (pp.n4SplineDistance !== undefined) c.preprocessing.n4SplineDistance = pp.n4SplineDistance === null ? null : num(where, 'preprocessing.n4SplineDistance', pp.n4SplineDistance, 0, 10_000);
    if (pp.n4Mask !== undefined) c.preprocessing.n4Mask = oneOf(where, 'preprocessing.n4Mask', pp.n4Mask, ['otsu', 'none'] as const);
    if (pp.normalize !== undefined) c.preprocessing.normalize = oneOf(where, 'preprocessing.normalize', pp.normalize, ['minmax', 'zscore', 'none'] as const);
    if (pp.clip !== undefined) {
      if (pp.clip === null) c.preprocessing.clip = null;
      else {
        if (!Array.isArray(pp.clip) || pp.clip.length !== 2) fail(where, '"preprocessing.clip" must be [low, high] percentiles or null');
        const lo = num(where, 'preprocessing.clip[0]', pp.clip[0], 0, 100);
        const hi = num(where, 'preprocessing.clip[1]', pp.clip[1], 0, 100);
        if (lo >= hi) fail(where, '"preprocessing.clip" must have low < high');
        c.preprocessing.clip = [lo, hi];
      }
    }
    if (pp.resample !== undefined) {
      if (pp.resample === null) c.preprocessing.resample = null;
      else {
        if (!Array.isArray(pp.resample) || pp.resample.length !== 3) fail(where, '"preprocessing.resample" must be [x, y, z] in mm or null');
        c.preprocessing.resample = pp.resample.map((v, n) => num(where, `preprocessing.resample[${n}]`, v, 0, 100)) as [number, number, number];
      }
    }
    if (pp.interpolator !== undefined) c.preprocessing.interpolator = oneOf(where, 'preprocessing.interpolator', pp.interpolator, ['bspline', 'linear', 'nearest'] as const);
    if (pp.register !== undefined) c.preprocessing.register = oneOf(where, 'preprocessing.register', pp.register, ['rigid', 'affine', 'none'] as const);
    if (pp.registration !== undefined) {
      const r = pp.registration;
      if (!isObj(r)) fail(where, '"preprocessing.registration" must be a mapping {resolutions, iterations, samples}');
      checkKeys(where, 'preprocessing.registration', r, ['resolutions', 'iterations', 'samples']);
      if (r.resolutions !== undefined) c.preprocessing.registration.resolutions = num(where, 'preprocessing.registration.resolutions', r.resolutions, 1, 6, true);
      if (r.iterations !== undefined) c.preprocessing.registration.iterations = num(where, 'preprocessing.registration.iterations', r.iterations, 1, 10000, true);
      if (r.samples !== undefined) c.preprocessing.registration.samples = num(where, 'preprocessing.registration.samples', r.samples, 64, 1e6, true);
    }
  }
  const hb = section('habitats', ['k', 'kMin', 'kMax', 'features', 'kernelRadius', 'mode', 'maxVoxels', 'normalize', 'criterion', 'curveVoxels', 'seed']);
  if (hb) {
    if (hb.k !== undefined) {
      if (hb.k === 'auto') c.habitats.k = 'auto';
      else if (typeof hb.k === 'number') c.habitats.k = num(where, 'habitats.k', hb.k, 1, 20, true);
      else if (isObj(hb.k)) {
        const per: Record<string, number | 'auto'> = {};
        for (const [s, v] of Object.entries(hb.k)) {
          if (!c.sequences.includes(s)) fail(where, `"habitats.k.${s}": no such sequence (${c.sequences.join(', ')})`);
          per[s] = v === 'auto' ? 'auto' : num(where, `habitats.k.${s}`, v, 1, 20, true);
        }
        c.habitats.k = per;
      } else fail(where, '"habitats.k" must be auto, a number, or a mapping from sequence to number');
    }
    if (hb.kMin !== undefined) c.habitats.kMin = num(where, 'habitats.kMin', hb.kMin, 1, 20, true);
    if (hb.kMax !== undefined) c.habitats.kMax = num(where, 'habitats.kMax', hb.kMax, 1, 20, true);
    if (c.habitats.kMin > c.habitats.kMax) fail(where, '"habitats.kMin" must not exceed "habitats.kMax"');
    if (hb.features !== undefined) {
      const allowed = ['intensity', 'local-mean', 'local-entropy', 'multi-sequence'] as const;
      c.habitats.features = strList(where, 'habitats.features', hb.features).map((f) => oneOf(where, 'habitats.features', f, allowed));
    }
    if (hb.kernelRadius !== undefined) c.habitats.kernelRadius = num(where, 'habitats.kernelRadius', hb.kernelRadius, 1, 5, true);
    if (hb.mode !== undefined) {
      c.habitats.mode = oneOf(where, 'habitats.mode', hb.mode, ['cohort', 'patient'] as const);
      // Per-patient habitats exist (habitat CLI --per-patient) but give regions that differ between patients.
      if (c.habitats.mode === 'patient') fail(where, '"habitats.mode: patient" is not supported by the study pipeline (use the habitats command with --per-patient); use cohort');
    }
    if (hb.maxVoxels !== undefined) c.habitats.maxVoxels = num(where, 'habitats.maxVoxels', hb.maxVoxels, 100, 1e8, true);
    if (hb.normalize !== undefined) c.habitats.normalize = oneOf(where, 'habitats.normalize', hb.normalize, ['none', 'zscore', 'minmax', 'percentile'] as const);
    if (hb.criterion !== undefined) c.habitats.criterion = oneOf(where, 'habitats.criterion', hb.criterion, ['icl', 'bic'] as const);
    if (hb.curveVoxels !== undefined) c.habitats.curveVoxels = oneOf(where, 'habitats.curveVoxels', hb.curveVoxels, ['homogeneous', 'all'] as const);
    if (hb.seed !== undefined) c.habitats.seed = num(where, 'habitats.seed', hb.seed, 0, 2 ** 32 - 1, true);
  }
  const ex = section('extraction', ['params']);
  if (ex && ex.params !== undefined) {
    if (ex.params === null || typeof ex.params === 'string' || isObj(ex.params)) c.extraction.params = ex.params as StudyConfig['extraction']['params'];
    else fail(where, '"extraction.params" must be a parameter file path or a PyRadiomics parameter mapping');
  }
  const se = section('selection', ['icc', 'univariateP', 'correlation', 'folds', 'lambda', 'seed']);
  if (se) {
    if (se.icc !== undefined) c.selection.icc = num(where, 'selection.icc', se.icc, -1, 1);
    if (se.univariateP !== undefined) c.selection.univariateP = num(where, 'selection.univariateP', se.univariateP, 0, 1);
    if (se.correlation !== undefined) c.selection.correlation = num(where, 'selection.correlation', se.correlation, 0, 1);
    if (se.folds !== undefined) c.selection.folds = num(where, 'selection.folds', se.folds, 2, 100, true);
    if (se.lambda !== undefined) c.selection.lambda = oneOf(where, 'selection.lambda', se.lambda, ['min', '1se'] as const);
    if (se.seed !== undefined) c.selection.seed = num(where, 'selection.seed', se.seed, 0, 2 ** 32 - 1, true);
  }
  const mo = section('models', ['kernel', 'C', 'gamma', 'classWeight']);
  if (mo) {
    if (mo.kernel !== undefined) c.models.kernel = oneOf(where, 'models.kernel', mo.kernel, ['rbf', 'linear'] as const);
    if (mo.C !== undefined) c.models.C = num(where, 'models.C', mo.C, 1e-9, 1e9);
    if (mo.gamma !== undefined) c.models.gamma = mo.gamma === 'scale' ? 'scale' : num(where, 'models.gamma', mo.gamma, 1e-12, 1e6);
    if (mo.classWeight !== undefined) c.models.classWeight = oneOf(where, 'models.classWeight', mo.classWeight, ['balanced', 'none'] as const);
  }
  const sp = section('split', ['validation', 'seed', 'stratify']);
  if (sp) {
    if (sp.validation !== undefined) c.split.validation = num(where, 'split.validation', sp.validation, 0.05, 0.95);
    if (sp.seed !== undefined) c.split.seed = num(where, 'split.seed', sp.seed, 0, 2 ** 32 - 1, true);
    if (sp.stratify !== undefined) c.split.stratify = bool(where, 'split.stratify', sp.stratify);
  }
  return c;
}

/** Parse study-config YAML text; `file` names the source in messages. */
export function parseStudyConfig(text: string, file = 'study.yaml'): StudyConfig {
  let raw: unknown;
  try {
    // Warnings (e.g. unknown tags) are ignored; errors are fatal.
    const doc = parseDocument(text, { prettyErrors: false, logLevel: 'error' });
    if (doc.errors.length > 0) throw doc.errors[0];
    raw = doc.toJS();
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new Error(`${file}: malformed YAML: ${msg}`);
  }
  return studyConfigFrom(raw, file);
}

/** Number of habitats requested for a sequence, or 'auto'. */
export function habitatK(c: StudyConfig, sequence: string): number | 'auto' {
  const k = c.habitats.k;
  if (k === 'auto' || typeof k === 'number') return k;
  return k[sequence] ?? 'auto';
}

/**
 * A config object (saved settings, a bundle's recorded config) checked by the same
 * parser as a study.yaml, with every key it lacks — keys added by later versions —
 * filled with its default. Throws the parser's one-line error.
 */
export function studyConfigWithDefaults(config: unknown, where: string): StudyConfig {
  return parseStudyConfig(stringify(config), where);
}

