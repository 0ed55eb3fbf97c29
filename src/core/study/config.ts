/**
 * The study configuration: what `habitat study --config study.yaml` and the
 * app's Settings panel hold. Every key has the paper's default (Wu et al.
 * 2025, ../shared/SPEC.md §2–6), so an empty file reproduces the paper's method.
 * Unknown keys and bad values are one-line errors naming the key.
 *
 * One table (`STUDY_CONFIG_SCHEMA`) describes every key: its kind (type and
 * range or options), default, one-line doc and its settings-panel control. The
 * `StudyConfig` type, `DEFAULT_STUDY_CONFIG`, the validator, the panel's
 * controls and docs/study.md's table are derived from it. Adding a key is one
 * entry here (plus its test; docs/ARCHITECTURE.md).
 */
import { parseDocument, stringify } from 'yaml';
import { CLASSIFIER_NAMES } from './classifiers.js';
import { KeyError, defaultsOf, key, kinds as k, optionalKey, parseWith, schemaMarkdown, type ConfigOf } from './config-schema.js';

const SEED = k.integer(0, 2 ** 32 - 1);

export const STUDY_CONFIG_SCHEMA = {
  id: key(k.string, { default: 'id', doc: 'Clinical table column holding the patient id (matches the cohort folders).' }),
  outcome: key(k.string, { default: 'residual', doc: 'Binary outcome column (1 = positive class, e.g. residual disease).' }),
  positive: optionalKey(k.label, { doc: 'Outcome value that is the positive class, when the column is not 0/1 (yes/no, true/false).' }),
  sequences: key(k.strings(1, '"sequences" must name at least one sequence'), {
    default: ['T2WI', 'CE-T1WI', 'FSCE-T1WI'],
    doc: 'Sequence names, as the image files are named in each patient folder.',
  }),
  reference: key(k.string, {
    default: 'T2WI',
    defaultText: 'the first sequence',
    defaultFrom: (c: { sequences: string[] }) => c.sequences[0]!, // "sequences" is parsed first and has at least one
    doc: 'The sequence the VOI was drawn on; the others are registered to it.',
  }),
  clinical: {
    variables: key(k.wordOr('auto', k.strings()), { default: 'auto', doc: "Variables to consider ('auto' = every column but id, outcome and the scanner_… batch columns)." }),
    categorical: key(k.strings(), { default: [], doc: 'Numeric columns to treat as categorical.' }),
    univariateP: key(k.number(0, 1), { default: 0.05, doc: 'p-value threshold of the univariate logistic screen feeding the multivariate model.' }),
  },
  // ComBat across centres or scanners (docs/harmonisation.md): fitted on the training patients of
  // each training set (the training cohort, every nested-CV fold) of every region; none = as before.
  harmonisation: {
    method: key(k.oneOf(['none', 'combat'] as const), {
      default: 'none',
      doc: 'combat: ComBat of every region\'s features across the batches, fitted on training patients only (inside each CV fold); none: no harmonisation.',
      ui: { section: 'Harmonisation', label: 'Method', aria: 'Harmonisation method' },
    }),
    batch: optionalKey(k.column, {
      doc: 'Clinical column naming each patient\'s centre or scanner (required with combat; never a clinical predictor).',
      ui: { section: 'Harmonisation', label: 'Batch column', aria: 'Harmonisation batch column' },
    }),
    parametric: key(k.boolean, { default: true, doc: 'Parametric empirical Bayes priors (sva par.prior); false: non-parametric.', ui: { section: 'Harmonisation', label: 'Parametric priors' } }),
    meanOnly: key(k.boolean, { default: false, doc: 'Adjust the location only (sva mean.only).', ui: { section: 'Harmonisation', label: 'Mean only' } }),
    referenceBatch: optionalKey(k.label, {
      doc: 'Batch left unchanged, the others mapped onto it (sva ref.batch); unset: the largest batch of each training set.',
      defaultText: 'the largest training batch',
    }),
    covariates: key(k.columns(), {
      default: [],
      doc: 'Clinical columns whose effects ComBat preserves (never the outcome).',
      ui: { section: 'Harmonisation', label: 'Covariates kept', aria: 'Harmonisation covariates' },
    }),
  },
  preprocessing: {
    n4: key(k.boolean, { default: true, doc: 'N4 bias-field correction.', ui: { section: 'Preprocessing', label: 'N4 bias correction' } }),
    n4SplineDistance: key(k.nullable(k.number(0, 10_000)), {
      default: 25,
      // Finest B-spline control-point spacing N4 may fit: starting from ITK's default lattice
      // (4 control points per axis, one span over the image) the lattice doubles per fitting
      // level (at most 4, ITK's default) only while the span stays at least this long on the
      // image's shortest axis. null = always ITK's 4 levels, however small the field of view.
      doc: "mm: finest N4 B-spline span (the lattice doubles per level only while a span stays this long on the shortest axis); null = ITK's 4 levels.",
      ui: { section: 'Preprocessing', label: 'N4 finest spline spacing (mm)', step: 5 },
    }),
    // Files of config version ≤ 2 (before the key) ran N4 on every voxel: a migration below gives them 'none'.
    n4Mask: key(k.oneOf(['otsu', 'none'] as const), {
      default: 'otsu',
      doc: "Voxels N4 fits the bias field on: otsu = the foreground above Otsu's threshold (as SimpleITK's N4 example, ANTsR and c3d); none = every voxel, air included.",
      ui: { section: 'Preprocessing', label: 'N4 mask' },
    }),
    normalize: key(k.oneOf(['minmax', 'zscore', 'none'] as const), { default: 'minmax', doc: 'Per-image intensity normalisation (minmax: 0–255).', ui: { section: 'Preprocessing', label: 'Normalize' } }),
    clip: key(k.nullable(k.numbers(2, 0, 100, '[low, high] percentiles or null', true)), { default: null, doc: 'Percentile clipping before min–max, e.g. [1, 99]; null = none.' }),
    resample: key(k.nullable(k.numbers(3, 0, 100, '[x, y, z] in mm or null')), {
      default: [1, 1, 1],
      doc: 'Output spacing in mm; null = keep.',
      ui: { section: 'Preprocessing', label: 'Resample (mm)' },
    }),
    interpolator: key(k.oneOf(['bspline', 'linear', 'nearest'] as const), { default: 'bspline', doc: 'Resampling interpolator of the images (the VOI: nearest).' }),
    register: key(k.oneOf(['rigid', 'affine', 'none'] as const), { default: 'rigid', doc: 'Registration of every series onto the reference series.', ui: { section: 'Preprocessing', label: 'Registration' } }),
    // Same-session series differ by small motions: 2 levels × 128 iterations × 1024 samples
    // recover them as well as elastix's heavier default (3 × 256 × 2048) at a fifth of the time.
    registration: {
      resolutions: key(k.integer(1, 6), { default: 2, doc: 'elastix multi-resolution levels.' }),
      iterations: key(k.integer(1, 10000), { default: 128, doc: 'elastix iterations per level.' }),
      samples: key(k.integer(64, 1e6), { default: 1024, doc: 'elastix metric samples per iteration.' }),
    },
  },
  habitats: {
    k: key(k.habitatK(1, 20), {
      default: 'auto',
      doc: "'auto' = GMM at cohort level (minimum of the criterion); a number for every sequence; or per sequence.",
      ui: { section: 'Habitats', label: 'k' },
    }),
    kMin: key(k.integer(1, 20), { default: 1, doc: 'Smallest k the GMM curves try.', ui: { section: 'Habitats', label: 'k min', step: 1 } }),
    kMax: key(k.integer(1, 20), { default: 8, doc: 'Largest k the GMM curves try.', ui: { section: 'Habitats', label: 'k max', step: 1 } }),
    features: key(k.listOf(['intensity', 'local-mean', 'local-entropy', 'multi-sequence'] as const), {
      default: ['intensity'],
      doc: 'Voxel descriptors: intensity, plus optional local-window features.',
    }),
    kernelRadius: key(k.integer(1, 5), { default: 1, doc: 'Radius (voxels) of the local-window descriptors.' }),
    // Per-patient habitats exist (habitat CLI --per-patient) but give regions that differ between patients.
    mode: key(k.oneOf(['cohort'] as const), { default: 'cohort', doc: 'Habitat models fitted on the pooled training cohort (per-patient habitats: the habitats command).' }),
    maxVoxels: key(k.integer(100, 1e8), { default: 200_000, doc: 'Pooled voxels used for fitting (subsampled, seeded).' }),
    // Any scaling over the VOI makes habitat membership depend on the VOI: a z-score moves every
    // habitat with the patient's habitat fractions (the VOI mean does), percentiles with the
    // partial-volume voxels at the VOI's edge (a second observer's VOI then gives other habitats
    // and ICCs drop). Use one when the images are not normalised (preprocessing.normalize: none).
    normalize: key(k.oneOf(['none', 'zscore', 'minmax', 'percentile'] as const), {
      default: 'none',
      doc: 'Per-patient scaling of the intensity descriptor over the VOI (percentile: (x − P1)/(P99 − P1)); none keeps the preprocessed intensities.',
      ui: { section: 'Habitats', label: 'Descriptor scaling' },
    }),
    criterion: key(k.oneOf(['icl', 'bic'] as const), { default: 'icl', doc: 'Which curve’s minimum is k when k is auto (both are reported; docs/habitats.md).', ui: { section: 'Habitats', label: 'k criterion' } }),
    curveVoxels: key(k.oneOf(['homogeneous', 'all'] as const), {
      default: 'homogeneous',
      doc: 'Voxels the GMM curves are computed on: homogeneous (away from region borders) or all.',
      ui: { section: 'Habitats', label: 'Curve voxels' },
    }),
    seed: key(SEED, { default: 42, doc: 'Seed of the voxel subsample and the fits.' }),
  },
  extraction: {
    params: key(k.params, { default: null, doc: "A PyRadiomics parameter file (path, relative to the config) or an inline parameter mapping; null = the paper's settings." }),
  },
  selection: {
    icc: key(k.number(-1, 1), { default: 0.75, doc: 'Features need an ICC (of the form selection.iccType) above this between the two observers’ VOIs.', ui: { section: 'Selection', label: 'ICC ≥', step: 0.05 } }),
    // The paper says only "ICC"; ICC(2,1) (absolute agreement) is the stricter reading and the study's default since its first version.
    iccType: key(k.oneOf(['1,1', '2,1', '3,1'] as const), {
      default: '2,1',
      doc: 'Form of the ICC filter (Shrout & Fleiss): 1,1 one-way random; 2,1 two-way random, absolute agreement; 3,1 two-way mixed, consistency; single rater.',
      ui: { section: 'Selection', label: 'ICC form' },
    }),
    univariateP: key(k.number(0, 1), { default: 0.05, doc: 'p-value threshold of the t-test / Mann–Whitney U screen.', ui: { section: 'Selection', label: 'Univariate p <', step: 0.01 } }),
    correlation: key(k.number(0, 1), { default: 0.85, doc: 'Of two features correlated above this |r|, one is dropped.', ui: { section: 'Selection', label: 'Correlation |r| <', step: 0.05 } }),
    folds: key(k.integer(2, 100), { default: 10, doc: 'Cross-validation folds of the LASSO and the cross-validated AUC.', ui: { section: 'Selection', label: 'CV folds', step: 1 } }),
    lambda: key(k.oneOf(['min', '1se'] as const), { default: 'min', doc: 'LASSO penalty: the CV minimum or the largest within one standard error.', ui: { section: 'Selection', label: 'LASSO λ' } }),
    seed: key(SEED, { default: 42, doc: 'Seed of the CV folds.' }),
  },
  models: {
    classifier: key(k.oneOf(CLASSIFIER_NAMES), {
      default: 'svm',
      doc: 'Classifier of every model (classifiers.ts): svm (the paper) or logistic-l2 (L2-penalised logistic regression, scikit-learn’s LogisticRegression).',
      ui: { section: 'Models and split', label: 'Classifier' },
    }),
    kernel: key(k.oneOf(['rbf', 'linear'] as const), { default: 'rbf', doc: 'SVM kernel.', ui: { section: 'Models and split', label: 'SVM kernel' } }),
    C: key(k.number(1e-9, 1e9), { default: 1, doc: 'Penalty C: the SVM’s box constraint; logistic-l2’s inverse L2 strength.', ui: { section: 'Models and split', label: 'SVM C' } }),
    gamma: key(k.wordOr('scale', k.number(1e-12, 1e6)), { default: 'scale', doc: "RBF kernel width; 'scale' = 1 / (n_features · variance), as scikit-learn." }),
    // With an imbalanced outcome a weak predictor otherwise gets an almost constant decision function.
    classWeight: key(k.oneOf(['balanced', 'none'] as const), {
      default: 'balanced',
      doc: "balanced: C weighted per class by n / (2·n_class), scikit-learn's class_weight='balanced'; none: unweighted.",
      ui: { section: 'Models and split', label: 'Class weights' },
    }),
    bootstrap: key(k.integer(0, 10_000), {
      default: 200,
      doc: "Bootstrap resamples of every model's internal validation corrected for optimism (Harrell's method, as rms::validate: AUC, calibration slope, Brier; and Efron's .632+ AUC and Brier from the same resamples); 0 = off.",
      ui: { section: 'Models and split', label: 'Bootstrap resamples', step: 50 },
    }),
  },
  split: {
    validation: key(k.number(0.05, 0.95), { default: 0.3, doc: 'Fraction of the patients held out for validation.', ui: { section: 'Models and split', label: 'Validation fraction', step: 0.05 } }),
    seed: key(SEED, { default: 42, doc: 'Seed of the training/validation split.', ui: { section: 'Models and split', label: 'Split seed', step: 1 } }),
    stratify: key(k.boolean, { default: true, doc: 'Split stratified by outcome.', ui: { section: 'Models and split', label: 'Stratified', aria: 'Stratified split' } }),
  },
  validation: {
    permutations: key(k.integer(0, 100_000), {
      default: 0,
      doc: "Permutation test: repeat the analysis on the cached features with the training outcomes shuffled this many times; each model's p-value for its internal AUC (0 = no test).",
      ui: { section: 'Models and split', label: 'Permutations', step: 10 },
    }),
  },
};

export type StudyConfig = ConfigOf<typeof STUDY_CONFIG_SCHEMA>;

export const DEFAULT_STUDY_CONFIG: StudyConfig = defaultsOf(STUDY_CONFIG_SCHEMA);

/** The paper's PyRadiomics settings: Original + LoG σ 1, 3, 5 mm + coif1 wavelet, binWidth 25, 1 mm B-spline, label 1. */
export const PAPER_EXTRACTION_PARAMS = {
  imageType: { Original: {}, LoG: { sigma: [1.0, 3.0, 5.0] }, Wavelet: {} },
  featureClass: { shape: null, firstorder: null, glcm: null, glrlm: null, glszm: null, gldm: null, ngtdm: null },
  setting: { binWidth: 25, resampledPixelSpacing: [1, 1, 1], interpolator: 'sitkBSpline', label: 1 },
};

/**
 * The study.yaml format version this program writes (`version: N` at the top;
 * a file without it — one written by hand — is read as the current version).
 * Files newer than this are refused; older ones go through the migrations.
 */
export const STUDY_CONFIG_VERSION = 3;

type RawConfig = Record<string, unknown>;
/** The raw mapping of a section, created when absent (a section of the wrong kind is left for the validator). */
const rawSection = (raw: RawConfig, name: string): RawConfig | null => {
  if (raw[name] === undefined || raw[name] === null) raw[name] = {};
  const v = raw[name];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawConfig) : null;
};

/**
 * STUDY_CONFIG_MIGRATIONS[v] turns a raw config of version v into version v + 1
 * (in place): a key added later gets the value that reproduces what files of
 * version v did, where that differs from its new default.
 */
const STUDY_CONFIG_MIGRATIONS: Record<number, (raw: RawConfig) => void> = {
  // 1 → 2: preprocessing.n4SplineDistance (default 25 mm); studies before it used ITK's 4 N4 levels.
  1: (raw) => {
    const pp = rawSection(raw, 'preprocessing');
    if (pp && !('n4SplineDistance' in pp)) pp.n4SplineDistance = null;
  },
  // 2 → 3: preprocessing.n4Mask (default otsu); studies before it fitted N4 on every voxel.
  2: (raw) => {
    const pp = rawSection(raw, 'preprocessing');
    if (pp && !('n4Mask' in pp)) pp.n4Mask = 'none';
  },
};

/**
 * A raw config of `version` brought to the current version (a copy), or a
 * one-line error for a version that is not a whole number ≥ 1 or is newer
 * than this program.
 */
export function migrateStudyConfig(raw: RawConfig, version: unknown, where: string): RawConfig {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) fail(where, `"version" must be a whole number ≥ 1, got ${JSON.stringify(version)}`);
  if (version > STUDY_CONFIG_VERSION) fail(where, `study config version ${version} is newer than this workbench reads (${STUDY_CONFIG_VERSION}); update the workbench`);
  const out = structuredClone(raw);
  for (let v = version; v < STUDY_CONFIG_VERSION; v++) {
    const migrate = STUDY_CONFIG_MIGRATIONS[v];
    if (!migrate) throw new Error(`study config: no migration from version ${v}`);
    migrate(out);
  }
  return out;
}

/** Rules between keys, checked after every key is read. */
const CONFIG_RULES: ((c: StudyConfig) => string | null)[] = [
  (c) => (c.sequences.includes(c.reference) ? null : `"reference" (${c.reference}) must be one of the sequences (${c.sequences.join(', ')})`),
  (c) => (c.habitats.kMin > c.habitats.kMax ? '"habitats.kMin" must not exceed "habitats.kMax"' : null),
  (c) => (c.harmonisation.method === 'combat' && c.harmonisation.batch === undefined ? '"harmonisation.batch" must name the clinical column of the centre or scanner when "harmonisation.method" is combat' : null),
  (c) => (c.harmonisation.covariates.includes(c.outcome) ? `"harmonisation.covariates" must not hold the outcome column "${c.outcome}": ComBat would then preserve the outcome's effect on the features (the outcome would leak into the harmonised features)` : null),
  (c) => (c.harmonisation.batch !== undefined && (c.harmonisation.batch === c.outcome || c.harmonisation.batch === c.id) ? `"harmonisation.batch" must not be the ${c.harmonisation.batch === c.id ? 'id' : 'outcome'} column "${c.harmonisation.batch}"` : null),
  (c) => (c.harmonisation.batch !== undefined && c.harmonisation.covariates.includes(c.harmonisation.batch) ? `"harmonisation.covariates" must not hold the batch column "${c.harmonisation.batch}" (a covariate confounded with batch)` : null),
];

/**
 * The clinical columns a study reads: undefined = every column (clinical.variables
 * auto), else the listed variables plus the harmonisation's batch and covariates.
 */
export function clinicalColumnsRead(c: StudyConfig): string[] | undefined {
  if (c.clinical.variables === 'auto') return undefined;
  const h = c.harmonisation;
  const extra = h.method === 'combat' ? [...(h.batch !== undefined ? [h.batch] : []), ...h.covariates] : [];
  return [...new Set([...c.clinical.variables, ...extra])];
}

/**
 * The harmonisation's columns checked against a clinical table's columns: a
 * one-line error naming `where` (the config file) and the key of an unknown column.
 */
export function checkHarmonisationColumns(c: StudyConfig, columns: readonly string[], where: string, table: string): void {
  const h = c.harmonisation;
  if (h.method !== 'combat') return;
  const keys: [string, string][] = [...(h.batch !== undefined ? [['harmonisation.batch', h.batch] as [string, string]] : []), ...h.covariates.map((v) => ['harmonisation.covariates', v] as [string, string])];
  for (const [k, col] of keys) {
    if (!columns.includes(col)) fail(where, `"${k}": no column "${col}" in ${table} (columns: ${columns.join(', ')})`);
  }
}

/** docs/study.md's table of the keys (a test keeps the docs in step). */
export const studyConfigMarkdown = () => schemaMarkdown(STUDY_CONFIG_SCHEMA);

function fail(where: string, msg: string): never {
  throw new Error(`${where}: ${msg}`);
}

/**
 * Merge a parsed YAML object over the defaults, validating every key.
 * `where` names the source (file name) in messages. The object's own
 * `version` key, else `version`, says which format version it is (default:
 * the current one); older versions are migrated first.
 */
export function studyConfigFrom(given: unknown, where = 'study config', version: number = STUDY_CONFIG_VERSION): StudyConfig {
  if (given === null || given === undefined) return structuredClone(DEFAULT_STUDY_CONFIG);
  if (typeof given !== 'object' || Array.isArray(given)) fail(where, 'the study config must be a mapping of keys to values');
  const { version: own, ...rest } = given as RawConfig;
  const raw = migrateStudyConfig(rest, own ?? version, where);
  let c: StudyConfig;
  try {
    // habitats.mode: patient is a known value with its own answer.
    const hb = (raw as { habitats?: { mode?: unknown } }).habitats;
    if (hb && typeof hb === 'object' && hb.mode === 'patient') {
      throw new KeyError('"habitats.mode: patient" is not supported by the study pipeline (use the habitats command with --per-patient); use cohort');
    }
    c = parseWith(STUDY_CONFIG_SCHEMA, raw);
  } catch (e) {
    if (e instanceof KeyError) fail(where, e.message);
    throw e;
  }
  for (const rule of CONFIG_RULES) {
    const problem = rule(c);
    if (problem) fail(where, problem);
  }
  return c;
}

/** Parse study-config YAML text; `file` names the source in messages. */
export function parseStudyConfig(text: string, file = 'study.yaml', version: number = STUDY_CONFIG_VERSION): StudyConfig {
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
  return studyConfigFrom(raw, file, version);
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
 * filled with its default (after the migrations from `version`, when older).
 * Throws the parser's one-line error.
 */
export function studyConfigWithDefaults(config: unknown, where: string, version: number = STUDY_CONFIG_VERSION): StudyConfig {
  return parseStudyConfig(stringify(config), where, version);
}

/** study.yaml text of a config, with the format version it is written in. */
export function studyConfigYaml(config: StudyConfig): string {
  return stringify({ version: STUDY_CONFIG_VERSION, ...config });
}

