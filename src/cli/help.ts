/**
 * The one-line help of every command, in the order `habitat --help` lists them.
 * Kept apart from the commands (which load only when they run) so that
 * `habitat --help` loads nothing else.
 */
export const HELP = {
  extract:
    'extract <image> <mask> [--params p.yaml] [--label N] [--standard pyradiomics|ibsi] [--format csv|json] [--out f]   radiomic features',
  preprocess:
    'preprocess <image> [--mask m] [--n4] [--n4-mask otsu|none|file] [--shrink f] [--normalize minmax|zscore] [--clip p1,p99] [--resample x,y,z] [--interpolator bspline|linear|nearest] [--register-to fixed] [--affine] --out file.nii.gz [--mask-out m.nii.gz]\n' +
    '                                  N4 → normalise → resample → register; writes <out>.json with the recorded settings\n' +
    '                                  N4 fits the bias field on --n4-mask: otsu (default without --mask: the foreground above\n' +
    "                                  Otsu's threshold, as SimpleITK's N4 example), none (every voxel, air included) or a mask file",
  info:
    'info <image> [--json]            size, spacing, origin, orientation and intensity range',
  filter:
    'filter <image> --type T [options] --out f.nii.gz   PyRadiomics image types (log, wavelet, square, squareroot, logarithm, exponential, gradient, lbp2d, lbp3d) and IBSI 2 filters (mean, laws, gabor, simoncelli, riesz, ibsi2-log, ibsi2-wavelet)',
  demo:
    "demo --out <dir> [--patients N] [--seed S] [--centres N [--only 1,2]]   write the synthetic demo cohort (cohort folder layout); --centres: several scanners (a `centre` column), --only: those centres' patients",
  habitats:
    'habitats <cohortDir> --sequence NAME [--k auto|N] [--seed S] [--out dir]   cohort habitat maps (GMM/BIC + K-means)',
  compliance:
    'compliance ibsi1|ibsi2 ...       IBSI compliance against the reference values (see `compliance <standard> --help`)',
  check:
    'check <cohortDir> [--config study.yaml] [--deep] [--json]   report every broken file, mask and clinical row',
  study:
    "study <cohortDir> [--config study.yaml] --out <dir> [--jobs N] [--no-cache] [--bundle] [--maps] [--permutations N]   the whole method: habitats, features, selection, models, report (--permutations: also a permutation test of every model's internal AUC, N analyses with the training outcomes shuffled, on the cached features; --bundle: also study-bundle.zip, as the app exports and imports it; --maps: also every patient's habitat maps, habitats/<id>/<SEQ>-habitats.nii.gz)",
  predict:
    'predict <patientDir> --model model.json [--clinical clinical.csv] [--out dir]   risk of a new patient from a saved study model, with its habitat maps',
  'extract-cohort':
    'extract-cohort <cohortDir> --params p.yaml [--jobs N] [--shard i/n | --shards n] [--label N] --out f.csv   features of every patient × sequence',
  merge:
    'merge <a.csv> <b.csv> … --out all.csv   merge extract-cohort shard CSVs (same as one unsharded run)',
  import:
    'import <exportDir> --out <cohortDir> [--map rules.yaml] [--voi NAME] [--voi2 NAME] [--clinical c.csv --id-column NAME] [--pseudonymise --key-out FILE]   PACS/RT export → cohort layout',
  validate:
    'validate <cohortDir> --model model.json --out <dir> [--clinical clinical.csv] [--harmonise [--batch column]] [--jobs N]   external validation of a saved study on a second labelled cohort: Table 3 with an external column, ROC/DeLong, calibration, decision curves; --harmonise: ComBat of the cohort\'s features onto the training cohort first',
} as const;

export type CommandName = keyof typeof HELP;
