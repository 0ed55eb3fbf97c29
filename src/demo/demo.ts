/**
 * The demo cohort: a synthetic cohort shaped like the paper's (Wu et al. 2025)
 * so that a new user can run the whole method at once, and so that tests can
 * check the pipeline against a known truth.
 *
 * Each patient has three MRI sequences (T2WI, CE-T1WI, FSCE-T1WI) with
 * anisotropic voxels; T2WI is the reference on which the VOI is drawn, the two
 * contrast-enhanced series are on their own coarser grid and misregistered by a
 * small rigid motion; every series carries its own smooth multiplicative bias
 * field and noise. The tumour holds planted subregions (3 in T2WI and CE-T1WI,
 * 4 in FSCE-T1WI, numbered by ascending intensity as the workbench numbers
 * habitats). The outcome ("residual") depends on clinical factors and on a
 * latent imaging phenotype that shows up in one habitat per sequence — T2WI
 * Hab2, CE-T1WI Hab2, FSCE-T1WI Hab3 — as a shift of its intensity level and
 * a change of its texture grain.
 * The signal habitats are inner ones on purpose: a statistic of the brightest
 * or darkest habitat can always be read off the whole tumour's extreme
 * percentiles, while an inner habitat's level is diluted in the whole tumour's
 * mixture (every subregion's fraction and level vary between patients), so
 * habitat-level analysis finds it best.
 *
 * Everything is a pure function of (options, patient index): patients can be
 * generated one at a time (streaming) in Node or in a worker.
 */
import { createRng, createVolume, deriveSeed, type Rng, type Vec3, type Volume } from '../core/index.js';

export const DEMO_SEQUENCES = ['T2WI', 'CE-T1WI', 'FSCE-T1WI'] as const;
export type DemoSequence = (typeof DEMO_SEQUENCES)[number];

/** Planted truth per sequence: number of subregions and the one carrying the outcome signal (1-based, ascending intensity). */
export const DEMO_PLANTED: Record<DemoSequence, { k: number; signalHabitat: number }> = {
  T2WI: { k: 3, signalHabitat: 2 },
  'CE-T1WI': { k: 3, signalHabitat: 2 },
  'FSCE-T1WI': { k: 4, signalHabitat: 3 },
};

export interface DemoOptions {
  /** Number of patients (default 60). */
  patients?: number;
  /** Master seed (default 2025). */
  seed?: number;
  /** Fraction of patients with a second observer's VOI (default 0.3). */
  secondObserverFraction?: number;
  /** Strength of the imaging phenotype's effect on the outcome (log-odds per SD; default 2.5). */
  imagingEffect?: number;
  /** Misregister the contrast-enhanced series against T2WI (default true). */
  motion?: boolean;
  /** Multiply each series by a smooth bias field (default true). */
  biasField?: boolean;
  /**
   * Number of centres (default 1: no centre effect, no `centre` column). Patient i is
   * in centre 1 + (i mod centres); each centre's scanner has its own intensity
   * response and noise texture (DEMO_VENDORS), and centre 2 sees more residual disease.
   * Centres 1–2 are the training centres; a centre from 3 on (an external one) has their
   * case mix: its outcomes at the training centres' prevalence, and each patient's
   * features drawn given the outcome from their pooled population (`clinicalProfile`),
   * so it differs from the training cohort only by its scanner.
   */
  centres?: number;
  /** Extra log-odds of residual disease in centre 2 (default 1.2; only with centres > 1). */
  centreOutcomeShift?: number;
  /** Each centre's scanner (default DEMO_VENDORS), e.g. to render the same patients under another scanner. */
  vendors?: readonly DemoVendor[];
}

/** A demo centre's scanner (DEMO_VENDORS). */
export interface DemoVendor {
  scale: number;
  offset: number;
  gamma: number;
  noise: number;
  grain: number;
  /** In-plane point-spread before the noise: weight β of each neighbour in a [β, 1 − 2β, β] kernel along x and y (default 0: none). */
  blur?: number;
}

/**
 * Scanner of each demo centre: intensity response v → scale·R·(v/R)^gamma + offset
 * (R = the sequence's brightest level, so gamma bends the contrast between habitats and
 * survives min–max normalisation; scale and offset matter without it), noise SD factor,
 * and noise grain (correlation of neighbouring noise samples along x: a different noise
 * texture). Centre 1 is the unchanged demo scanner.
 * The external centre's scanner (3) has no gamma: a γ of 1.2 there moved 15–21 % of the
 * tumour voxels into another habitat of the saved habitat models and left the signal
 * habitats' features almost unranked against centre 1's scanner (Spearman ≈ 0.1 over
 * the same patients; scripts/check/demo-scanner.ts, docs/study.md). That is not a batch
 * effect in feature space, and no feature-level harmonisation can repair it. What is left
 * (scale, offset, noise texture) barely reaches the habitats' features: min–max
 * normalisation takes out scale and offset, and a habitat's first-order features stay
 * within its intensity window; a milder γ (1.06) or a lower SNR shifted the study's
 * Rad-scores by ≤ 0.1 SD, and both together reordered the patients (docs/study.md).
 */
export const DEMO_VENDORS: readonly DemoVendor[] = [
  { scale: 1, offset: 0, gamma: 1, noise: 1, grain: 0 },
  { scale: 1.15, offset: 20, gamma: 0.85, noise: 1.3, grain: 0.5 },
  { scale: 0.8, offset: 10, gamma: 1, noise: 0.8, grain: 0.7 },
];

/** The centre (1-based) of demo patient `index`. */
export function demoCentre(index: number, options: DemoOptions = {}): number {
  const n = options.centres ?? 1;
  return 1 + (index % n);
}

interface Grid {
  size: Vec3;
  spacing: Vec3;
}

/** Through-plane slice profile (mm): each 5 mm slice averages three samples. */
const SLICE_PROFILE = [-1, 0, 1];

/** T2WI: 0.6 × 0.6 × 5 mm (the paper's 384 matrix over 230 mm, 5 mm slices); CE series: 0.72 mm in plane (320 over 230 mm). */
const GRIDS: Record<DemoSequence, Grid> = {
  T2WI: { size: [96, 96, 14], spacing: [0.6, 0.6, 5] },
  'CE-T1WI': { size: [80, 80, 14], spacing: [0.72, 0.72, 5] },
  'FSCE-T1WI': { size: [80, 80, 14], spacing: [0.72, 0.72, 5] },
};

/** Mean intensity (scanner units) of background tissue, air and of the planted subregions, darkest first. */
const INTENSITY: Record<DemoSequence, { tissue: number; air: number; fat: number; vessel: number; habitats: number[]; noise: number }> = {
  T2WI: { tissue: 170, air: 8, fat: 310, vessel: 640, habitats: [220, 340, 460], noise: 7 },
  'CE-T1WI': { tissue: 210, air: 8, fat: 390, vessel: 720, habitats: [260, 380, 500], noise: 8 },
  'FSCE-T1WI': { tissue: 140, air: 6, fat: 70, vessel: 720, habitats: [190, 290, 390, 490], noise: 6 },
};

/**
 * Background anatomy (axial, mm, LPS: −y is anterior): an elliptical head with
 * an anterior airway, two parapharyngeal fat pads, the clivus behind, a muscle
 * band and a vessel — asymmetric, so that rigid registration is well posed.
 */
const ANATOMY: { c: [number, number]; r: [number, number]; tissue: 'air' | 'fat' | 'bone' | 'muscle' | 'vessel' }[] = [
  { c: [0, -13], r: [6, 3.5], tissue: 'air' },
  { c: [-14, -3], r: [3.5, 6], tissue: 'fat' },
  { c: [13, -1], r: [4, 5], tissue: 'fat' },
  { c: [1, 15], r: [9, 3.5], tissue: 'bone' },
  { c: [9, 8], r: [6, 2.5], tissue: 'muscle' },
  // The brightest structure (flow-related or enhancing vessel), so that min–max
  // normalisation of the image is set by anatomy, not by the tumour.
  { c: [-17, 9], r: [2.5, 2.5], tissue: 'vessel' },
];

function backgroundAt(seq: DemoSequence, q: Vec3): number {
  const spec = INTENSITY[seq];
  if ((q[0] / 27) ** 2 + (q[1] / 23) ** 2 >= 1) return spec.air;
  let v = spec.tissue * (1 + 0.05 * Math.sin(q[0] / 6) * Math.cos(q[1] / 7));
  for (const a of ANATOMY) {
    if (((q[0] - a.c[0]) / a.r[0]) ** 2 + ((q[1] - a.c[1]) / a.r[1]) ** 2 >= 1) continue;
    v = { air: spec.air, fat: spec.fat, vessel: spec.vessel, bone: 0.3 * spec.tissue, muscle: 0.8 * spec.tissue }[a.tissue];
  }
  return v;
}

export interface DemoClinical {
  id: string;
  age: number;
  sex: 'male' | 'female';
  pathology: 'I' | 'II' | 'III';
  t_stage: 'T1' | 'T2' | 'T3' | 'T4a';
  n_stage: 'N0' | 'N1' | 'N2' | 'N3';
  clinical_stage: 'II' | 'III' | 'IVa';
  wbc: number;
  rbc: number;
  plt: number;
  ne: number;
  lym: number;
  nlr: number;
  plr: number;
  sii: number;
  lmr: number;
  egfr: 'negative' | 'positive';
  eber: 'negative' | 'positive';
  targeted_therapy: 'no' | 'yes';
  induction_chemo: 'no' | 'yes';
  concurrent_chemo: 'no' | 'yes';
  pgtvnx_dose: number;
  residual: 0 | 1;
  /** With several centres: "centre1", "centre2", … */
  centre?: string;
}

/** Column order of clinical.csv. */
export const DEMO_CLINICAL_COLUMNS: (keyof DemoClinical)[] = [
  'id', 'age', 'sex', 'pathology', 't_stage', 'n_stage', 'clinical_stage', 'wbc', 'rbc', 'plt', 'ne', 'lym',
  'nlr', 'plr', 'sii', 'lmr', 'egfr', 'eber', 'targeted_therapy', 'induction_chemo', 'concurrent_chemo', 'pgtvnx_dose', 'residual',
];

interface Wave {
  k: Vec3;
  phase: number;
}

interface Tumour {
  centre: Vec3;
  radii: Vec3;
  angle: number;
  harmonics: { n: number; amp: number; phase: number; axis: 'theta' | 'psi' }[];
  /** Blobs whose sum orders the voxels into subregions. */
  blobs: { c: Vec3; w: number; s: number }[];
  /** Per-sequence thresholds on the ordering field (ascending), k − 1 each. */
  thresholds: Record<DemoSequence, number[]>;
  /** Per-sequence extra field so that habitats of different sequences overlap only partly. */
  seqBlobs: Record<DemoSequence, { c: Vec3; w: number; s: number }[]>;
  textureWaves: Wave[];
  /** Texture amplitude (scanner units) per sequence and subregion. */
  texture: Record<DemoSequence, number[]>;
  /** Per sequence and subregion: spatial-frequency factor of the texture waves (1 but in the signal habitat). */
  textureScale: Record<DemoSequence, number[]>;
  /** Shift of each subregion's mean intensity (scanner units) per sequence. */
  shift: Record<DemoSequence, number[]>;
}

export interface DemoPatientProfile {
  index: number;
  clinical: DemoClinical;
  /** Latent imaging phenotype (standard normal), the part of the risk visible only in the images. */
  phenotype: number;
  hasSecondObserver: boolean;
  tumour: Tumour;
  /** Rigid misregistration (rotation about z in degrees, shift in mm) of each series against T2WI. */
  motion: Record<DemoSequence, { angleDeg: number; shift: Vec3 }>;
  bias: Record<DemoSequence, BiasCoefficients>;
}

/** Coefficients of a series' log-quadratic bias field: x, y, z, xy, x², y². */
type BiasCoefficients = [number, number, number, number, number, number];

export interface DemoPatient {
  id: string;
  profile: DemoPatientProfile;
  series: Record<DemoSequence, Volume>;
  /** VOI drawn on T2WI (its grid), label 1. */
  mask: Volume;
  /** Second observer's VOI (a subset of patients). */
  mask2?: Volume;
}

function defaults(o: DemoOptions): Required<DemoOptions> {
  return {
    patients: o.patients ?? 60,
    seed: o.seed ?? 2025,
    secondObserverFraction: o.secondObserverFraction ?? 0.3,
    imagingEffect: o.imagingEffect ?? 2.5,
    motion: o.motion ?? true,
    biasField: o.biasField ?? true,
    centres: o.centres ?? 1,
    centreOutcomeShift: o.centreOutcomeShift ?? 1.2,
    vendors: o.vendors ?? DEMO_VENDORS,
  };
}

export function demoPatientId(index: number): string {
  return `P${String(index + 1).padStart(3, '0')}`;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** One of `choices` ([item, weight], at least one), drawn with probability proportional to its weight. */
function pick<T>(rng: Rng, choices: readonly [readonly [T, number], ...(readonly [T, number])[]]): T {
  const total = choices.reduce((a, [, w]) => a + w, 0);
  let u = rng.next() * total;
  let item = choices[0][0];
  for (const [it, w] of choices) {
    item = it;
    u -= w;
    if (u < 0) return it;
  }
  return item;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Index of an external-centre patient (centre 3 on) among the cohort's external patients, in order. */
function externalIndex(index: number, centres: number): number {
  return Math.floor(index / centres) * (centres - 2) + (index % centres) - 2;
}

/** Prevalence of residual disease among the training centres' (1–2) patients of the cohort; cheap (no images), kept per draw. */
const trainingPrevalences = new Map<string, number>();
function trainingPrevalence(o: Required<DemoOptions>): number {
  const key = JSON.stringify([o.seed, o.patients, o.centres, o.imagingEffect, o.centreOutcomeShift]);
  let prevalence = trainingPrevalences.get(key);
  if (prevalence === undefined) {
    let n = 0;
    let positive = 0;
    // at least patients 0 and 1 (centres 1 and 2), so a cohort too small to hold one still has a prevalence
    for (let i = 0; i < Math.max(2, o.patients); i++)
      if (demoCentre(i, o) <= 2) {
        n++;
        positive += drawClinical(i, o, createRng(deriveSeed(o.seed, i, 'clinical')), o.centreOutcomeShift * (demoCentre(i, o) - 1)).clinical.residual;
      }
    prevalence = positive / n;
    trainingPrevalences.set(key, prevalence);
  }
  return prevalence;
}

/**
 * The outcome of external patient j (0-based, in cohort order): the external centres'
 * outcomes are laid out systematically at the training prevalence π (positives at j
 * where ⌊(j+1)π + u⌋ > ⌊jπ + u⌋, u uniform per seed), so any run of n external
 * patients has nπ ± 1 positives.
 */
function externalOutcome(j: number, o: Required<DemoOptions>): 0 | 1 {
  const pi = trainingPrevalence(o);
  const u = createRng(deriveSeed(o.seed, 'external-outcomes')).next();
  return Math.floor((j + 1) * pi + u) > Math.floor(j * pi + u) ? 1 : 0;
}

/**
 * Clinical variables distributed roughly as the paper's Table 1, the latent
 * imaging phenotype, and the outcome drawn from a logistic model in which the
 * paper's independent predictors (T4a, stage IVa, lymphocytes, SII) and the
 * phenotype carry the risk.
 *
 * A training centre's patient (and every patient of a one-centre demo) is drawn
 * forwards: features, then the outcome given them (centre 2 with its extra risk).
 * An external centre's patient (3 on) has its outcome first, at the training
 * prevalence (`externalOutcome`), and then features drawn given that outcome from the
 * training centres' pooled population: draws of features and an outcome (at risk
 * ½σ(ℓ) + ½σ(ℓ + shift), centres 1 and 2 being the same size) on the patient's own
 * streams until the outcome drawn is the one laid out. So the external centre has the
 * training cohort's case mix, and the training models' risks, P(y | features), hold
 * there, up to the sampling of features; its outcomes add no sampling noise of their own
 * (at 80 patients a free draw gave centre 3 14 positives against the 30 of the
 * training prevalence, and every model an intercept near −1.3, Clinic's included).
 */
function clinicalProfile(index: number, o: Required<DemoOptions>): { clinical: DemoClinical; phenotype: number } {
  const centre = demoCentre(index, o);
  let drawn: { clinical: DemoClinical; phenotype: number };
  if (centre <= 2) drawn = drawClinical(index, o, createRng(deriveSeed(o.seed, index, 'clinical')), o.centreOutcomeShift * (centre - 1));
  else {
    const want = externalOutcome(externalIndex(index, o.centres), o);
    for (let attempt = 0; ; attempt++) {
      if (attempt === 10000) throw new Error(`demo: no draw of patient ${demoPatientId(index)} has residual ${want} in 10000 attempts`);
      drawn = drawClinical(index, o, createRng(deriveSeed(o.seed, index, 'clinical-external', attempt)), 'pooled');
      if (drawn.clinical.residual === want) break;
    }
  }
  if (o.centres > 1) drawn.clinical.centre = `centre${centre}`;
  return drawn;
}

/**
 * One draw of a patient's clinical variables, phenotype and outcome from `rng`;
 * `extraRisk`: the centre's extra log-odds, or 'pooled' for the risk of the training
 * centres pooled (half of them with centre 2's shift).
 */
function drawClinical(index: number, o: Required<DemoOptions>, rng: Rng, extraRisk: number | 'pooled'): { clinical: DemoClinical; phenotype: number } {
  const t_stage = pick(rng, [['T1', 10], ['T2', 17], ['T3', 62], ['T4a', 36]] as const);
  const n_stage = pick(rng, [['N0', 3], ['N1', 27], ['N2', 63], ['N3', 32]] as const);
  // AJCC 8th edition, M0: IVa for T4 or N3; III for T3 or N2; II otherwise (stage I patients are excluded as in the paper's cohort).
  const clinical_stage = t_stage === 'T4a' || n_stage === 'N3' ? 'IVa' : t_stage === 'T3' || n_stage === 'N2' ? 'III' : 'II';
  const lym = Math.exp(Math.log(1.5) + 0.35 * rng.normal());
  const ne = Math.exp(Math.log(4.1) + 0.4 * rng.normal());
  const mono = Math.exp(Math.log(0.45) + 0.3 * rng.normal());
  const plt = Math.max(60, 180 + 50 * rng.normal());
  const wbc = ne + lym + mono + Math.abs(0.3 * rng.normal());
  const sii = (plt * ne) / lym;
  const phenotype = rng.normal();
  const logit =
    -2.5 +
    1.3 * (t_stage === 'T4a' ? 1 : 0) +
    0.8 * (clinical_stage === 'IVa' ? 1 : 0) +
    0.8 * ((Math.log(sii) - 6.2) / 0.6) -
    0.7 * ((Math.log(lym) - Math.log(1.5)) / 0.35) +
    o.imagingEffect * phenotype;
  const risk = extraRisk === 'pooled' ? 0.5 * sigmoid(logit) + 0.5 * sigmoid(logit + o.centreOutcomeShift) : sigmoid(logit + extraRisk);
  const residual = rng.next() < risk ? 1 : 0;
  const clinical: DemoClinical = {
    id: demoPatientId(index),
    age: Math.round(Math.min(80, Math.max(20, 51 + 10.3 * rng.normal()))),
    sex: rng.next() < 0.7 ? 'male' : 'female',
    pathology: pick(rng, [['I', 7], ['II', 18], ['III', 154]] as const),
    t_stage,
    n_stage,
    clinical_stage,
    wbc: round(wbc, 2),
    rbc: round(4.42 + 0.45 * rng.normal(), 2),
    plt: Math.round(plt),
    ne: round(ne, 2),
    lym: round(lym, 2),
    nlr: round(ne / lym, 2),
    plr: round(plt / lym, 1),
    sii: round(sii, 1),
    lmr: round(lym / mono, 2),
    egfr: rng.next() < 0.52 ? 'positive' : 'negative',
    eber: rng.next() < 0.68 ? 'positive' : 'negative',
    targeted_therapy: rng.next() < 0.41 ? 'yes' : 'no',
    induction_chemo: rng.next() < 0.9 ? 'yes' : 'no',
    concurrent_chemo: rng.next() < 0.55 ? 'yes' : 'no',
    pgtvnx_dose: round(70.3 + 1.8 * rng.normal(), 2),
    residual,
  };
  return { clinical, phenotype };
}

function randomBlob(rng: Rng, spread: number, size: number): { c: Vec3; w: number; s: number } {
  return {
    c: [spread * (rng.next() - 0.5), spread * (rng.next() - 0.5), 0.6 * spread * (rng.next() - 0.5)],
    w: rng.next() < 0.5 ? -1 : 1,
    s: size * (0.7 + 0.6 * rng.next()),
  };
}

function randomWaves(rng: Rng, n: number, minLambda: number, maxLambda: number): Wave[] {
  const waves: Wave[] = [];
  for (let m = 0; m < n; m++) {
    const lambda = minLambda + (maxLambda - minLambda) * rng.next();
    const theta = 2 * Math.PI * rng.next();
    const tilt = 0.25 * rng.normal(); // mostly in-plane: slices are 5 mm thick
    const kk = (2 * Math.PI) / lambda;
    waves.push({ k: [kk * Math.cos(theta), kk * Math.sin(theta), kk * tilt], phase: 2 * Math.PI * rng.next() });
  }
  return waves;
}

/** Everything about a patient except the voxels: cheap, so the clinical table needs no images. */
export function demoPatientProfile(index: number, options: DemoOptions = {}): DemoPatientProfile {
  const o = defaults(options);
  const { clinical, phenotype } = clinicalProfile(index, o);
  const rng = createRng(deriveSeed(o.seed, index, 'anatomy'));
  const radii: Vec3 = [9 + 6 * rng.next(), 8 + 6 * rng.next(), 9 + 5 * rng.next()];
  const minR = Math.min(radii[0], radii[1]);
  const thresholds = {} as Record<DemoSequence, number[]>;
  const seqBlobs = {} as Tumour['seqBlobs'];
  const texture = {} as Tumour['texture'];
  const textureScale = {} as Tumour['textureScale'];
  const shift = {} as Tumour['shift'];
  const seqRng = createRng(deriveSeed(o.seed, index, 'sequences'));
  for (const seq of DEMO_SEQUENCES) {
    const { k, signalHabitat } = DEMO_PLANTED[seq];
    // Subregion fractions vary between patients; thresholds are quantiles of the ordering field, set after sampling.
    const cuts: number[] = [];
    let acc = 0;
    const w = Array.from({ length: k }, (_, h) => (h + 1 === signalHabitat ? 0.3 + 0.8 * seqRng.next() : 0.4 + 1.2 * seqRng.next()));
    const tot = w.reduce((a, b) => a + b, 0);
    for (let n = 0; n < k - 1; n++) {
      acc += w[n]! / tot;
      cuts.push(acc);
    }
    thresholds[seq] = cuts;
    seqBlobs[seq] = [randomBlob(seqRng, minR, minR * 0.6), randomBlob(seqRng, minR, minR * 0.6)];
    // The signal habitat's level follows the phenotype (as this sequence measures it:
    // own; ≈ 20 % of the contrast between subregions per SD); every other subregion's
    // level varies at random, and every subregion's texture amplitude (the signal
    // habitat's also with the phenotype). Kept well below
    // the contrast between subregions, so that they stay separable and exchange few
    // voxels. Measured in the habitat this is a clear signal; in the whole tumour it is
    // diluted by the other subregions, whose fractions and levels vary between patients
    // (the signal habitat is also the smaller one on average, so that the whole
    // tumour's median falls in it less often).
    const base = INTENSITY[seq].noise * 1.1;
    const own = phenotype + 0.25 * seqRng.normal();
    texture[seq] = Array.from({ length: k }, () => base * Math.exp(0.4 * seqRng.normal()));
    // The signal habitat's texture grain follows the phenotype too (spatial frequency
    // × 1.15 per SD; the amplitude, hence the intensity histogram, is unchanged), so the
    // outcome shows in its texture features as well as in its level.
    textureScale[seq] = Array.from({ length: k }, (_, h) => (h + 1 === signalHabitat ? Math.exp(0.14 * own) : 1));
    shift[seq] = Array.from({ length: k }, (_, h) => (h + 1 === signalHabitat ? 22 * own : 15 * seqRng.normal()));
  }
  const tumour: Tumour = {
    centre: [4 * rng.normal(), 4 * rng.normal(), 3 * rng.normal()],
    radii,
    angle: Math.PI * rng.next(),
    harmonics: [
      { n: 3, amp: 0.06 * rng.next(), phase: 2 * Math.PI * rng.next(), axis: 'theta' },
      { n: 2, amp: 0.08 * rng.next(), phase: 2 * Math.PI * rng.next(), axis: 'theta' },
      { n: 2, amp: 0.05 * rng.next(), phase: 2 * Math.PI * rng.next(), axis: 'psi' },
    ],
    blobs: [randomBlob(rng, minR, minR * 0.7), randomBlob(rng, minR, minR * 0.7), randomBlob(rng, minR, minR * 0.5)],
    thresholds,
    seqBlobs,
    textureWaves: randomWaves(rng, 24, 4, 8),
    texture,
    textureScale,
    shift,
  };
  const motion = {} as DemoPatientProfile['motion'];
  const bias = {} as DemoPatientProfile['bias'];
  for (const seq of DEMO_SEQUENCES) {
    const m = { angleDeg: 3 * rng.normal(), shift: [1.5 * rng.normal(), 1.5 * rng.normal(), 1.0 * rng.normal()] as Vec3 };
    motion[seq] = seq === 'T2WI' || !o.motion ? { angleDeg: 0, shift: [0, 0, 0] } : m;
    const b: BiasCoefficients = [0.07 * rng.normal(), 0.07 * rng.normal(), 0.07 * rng.normal(), 0.07 * rng.normal(), 0.07 * rng.normal(), 0.07 * rng.normal()];
    bias[seq] = o.biasField ? b : [0, 0, 0, 0, 0, 0];
  }
  const hasSecondObserver = createRng(deriveSeed(o.seed, index, 'observer')).next() < o.secondObserverFraction;
  return { index, clinical, phenotype, hasSecondObserver, tumour, motion, bias };
}

/** The clinical table of the whole demo cohort as CSV text (no images needed). */
export function demoClinicalCsv(options: DemoOptions = {}, only?: number[]): string {
  const o = defaults(options);
  const columns: (keyof DemoClinical)[] = o.centres > 1 ? [...DEMO_CLINICAL_COLUMNS.slice(0, -1), 'centre', 'residual'] : DEMO_CLINICAL_COLUMNS;
  const lines = [columns.join(',')];
  for (let i = 0; i < o.patients; i++) {
    if (only && !only.includes(demoCentre(i, o))) continue;
    const c = demoPatientProfile(i, o).clinical;
    lines.push(columns.map((k) => String(c[k])).join(','));
  }
  return lines.join('\n') + '\n';
}

/** Normalised radius of point q (tumour frame, mm) and its surface perturbation; inside when ρ < 1 + perturbation. */
/** q in the tumour's ellipsoid frame (radii 1) and its radius there. */
function ellipsoidal(t: Tumour, q: Vec3): { x: number; y: number; z: number; rho: number } {
  const dx = q[0] - t.centre[0];
  const dy = q[1] - t.centre[1];
  const dz = q[2] - t.centre[2];
  const c = Math.cos(t.angle);
  const s = Math.sin(t.angle);
  const x = (c * dx + s * dy) / t.radii[0];
  const y = (-s * dx + c * dy) / t.radii[1];
  const z = dz / t.radii[2];
  return { x, y, z, rho: Math.sqrt(x * x + y * y + z * z) };
}

function tumourRho(t: Tumour, q: Vec3): { rho: number; surface: number } {
  const { x, y, z, rho } = ellipsoidal(t, q);
  const theta = Math.atan2(y, x);
  const psi = Math.atan2(z, Math.hypot(x, y));
  let surface = 1;
  for (const h of t.harmonics) surface += h.amp * Math.sin(h.n * (h.axis === 'theta' ? theta : psi) + h.phase);
  return { rho, surface };
}

function blobField(blobs: { c: Vec3; w: number; s: number }[], q: Vec3, centre: Vec3): number {
  let f = 0;
  for (const b of blobs) {
    const dx = q[0] - centre[0] - b.c[0];
    const dy = q[1] - centre[1] - b.c[1];
    const dz = q[2] - centre[2] - b.c[2];
    // Elongated through-plane (σz = 3σ): subregion boundaries run mostly across
    // the 5 mm slices, so habitats are not smeared by the slice profile.
    f += b.w * Math.exp(-(dx * dx + dy * dy + (dz * dz) / 9) / (2 * b.s * b.s));
  }
  return f;
}

function orderingField(t: Tumour, seq: DemoSequence, q: Vec3): number {
  return blobField(t.blobs, q, t.centre) + 0.6 * blobField(t.seqBlobs[seq], q, t.centre);
}

function textureField(t: Tumour, q: Vec3, scale = 1): number {
  let f = 0;
  for (const w of t.textureWaves) f += Math.cos(scale * (w.k[0] * q[0] + w.k[1] * q[1] + w.k[2] * q[2]) + w.phase);
  return f * Math.sqrt(2 / t.textureWaves.length);
}

/** Grid of a series: centred on the world origin, axial (LPS identity direction). */
function seriesGeometry(seq: DemoSequence): { size: Vec3; spacing: Vec3; origin: Vec3 } {
  const g = GRIDS[seq];
  const origin: Vec3 = [-((g.size[0] - 1) * g.spacing[0]) / 2, -((g.size[1] - 1) * g.spacing[1]) / 2, -((g.size[2] - 1) * g.spacing[2]) / 2];
  return { size: [...g.size] as Vec3, spacing: [...g.spacing] as Vec3, origin };
}

/** Point of the anatomy seen at world point p by a series moved by `motion` (rotation about z, then shift). */
function moved(p: Vec3, motion: { angleDeg: number; shift: Vec3 }): Vec3 {
  const a = (motion.angleDeg * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  return [c * p[0] - s * p[1] + motion.shift[0], s * p[0] + c * p[1] + motion.shift[1], p[2] + motion.shift[2]];
}

/** Quantile thresholds of the ordering field over the tumour, sampled on a fine regular grid. */
function orderingThresholds(t: Tumour, seq: DemoSequence): number[] {
  const vals: number[] = [];
  const r = Math.max(...t.radii) * 1.3;
  for (let z = -r; z <= r; z += 1)
    for (let y = -r; y <= r; y += 1)
      for (let x = -r; x <= r; x += 1) {
        const q: Vec3 = [t.centre[0] + x, t.centre[1] + y, t.centre[2] + z];
        const { rho, surface } = tumourRho(t, q);
        if (rho < surface) vals.push(orderingField(t, seq, q));
      }
  vals.sort((a, b) => a - b);
  return t.thresholds[seq].map((f) => {
    const v = vals[Math.min(vals.length - 1, Math.floor(f * vals.length))];
    if (v === undefined) throw new Error(`demo: the tumour holds no sample point of ${seq}`);
    return v;
  });
}

/**
 * Whether q is surely outside the tumour: its ellipsoidal radius is at least
 * 1 + Σ|amp|, which no surface radius exceeds (each rounded term of
 * `tumourRho`'s sum is at most |amp|, and rounded sums grow with their terms,
 * so the same sum in the same order bounds it exactly). Spares most of the
 * field of view the angles and harmonics; the answer is `tumourRho`'s.
 */
function surelyOutside(t: Tumour, q: Vec3): boolean {
  let bound = 1;
  for (const h of t.harmonics) bound += Math.abs(h.amp);
  return ellipsoidal(t, q).rho >= bound;
}

/** Planted subregion (0-based, ascending intensity) at tumour point q, or −1 outside the tumour. */
function subregionAt(t: Tumour, seq: DemoSequence, cuts: number[], q: Vec3): number {
  if (surelyOutside(t, q)) return -1;
  const { rho, surface } = tumourRho(t, q);
  if (rho >= surface) return -1;
  const f = orderingField(t, seq, q);
  let h = 0;
  while (h < cuts.length && f >= cuts[h]!) h++;
  return h;
}

/** Render one patient's three series and VOIs. */
export function generateDemoPatient(index: number, options: DemoOptions = {}): DemoPatient {
  const o = defaults(options);
  const profile = demoPatientProfile(index, o);
  const t = profile.tumour;
  const series = {} as Record<DemoSequence, Volume>;
  const zOffsets = SLICE_PROFILE;
  for (const seq of DEMO_SEQUENCES) {
    const geom = seriesGeometry(seq);
    const rng = createRng(deriveSeed(o.seed, index, 'noise', seq));
    const cuts = orderingThresholds(t, seq);
    const spec = INTENSITY[seq];
    const [b0, b1, b2, b3, b4, b5] = profile.bias[seq];
    const vendor = o.vendors[(demoCentre(index, o) - 1) % o.vendors.length];
    if (!vendor) throw new Error(`demo: no scanner for centre ${demoCentre(index, o)} (vendors is empty)`);
    // each planted subregion's level, shift, texture amplitude and grain (subregionAt gives 0 … cuts.length)
    const subregions = Array.from({ length: cuts.length + 1 }, (_, h) => {
      const level = spec.habitats[h];
      const shift = t.shift[seq][h];
      const texture = t.texture[seq][h];
      const scale = t.textureScale[seq][h];
      if (level === undefined || shift === undefined || texture === undefined || scale === undefined) throw new Error(`demo: ${seq} has no intensity for subregion ${h + 1}`);
      return { level, shift, texture, scale };
    });
    const top = spec.vessel;
    let grain = 0;
    const [nx, ny, nz] = geom.size;
    const data = new Int16Array(nx * ny * nz);
    const signal = new Float64Array(nx * ny * nz);
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          let acc = 0;
          for (const dz of zOffsets) {
            const p: Vec3 = [geom.origin[0] + i * geom.spacing[0], geom.origin[1] + j * geom.spacing[1], geom.origin[2] + k * geom.spacing[2] + dz];
            const q = moved(p, profile.motion[seq]);
            let v = backgroundAt(seq, q);
            const h = subregionAt(t, seq, cuts, q);
            if (h >= 0) {
              const r = subregions[h]!;
              v = r.level + r.shift + r.texture * textureField(t, q, r.scale);
            }
            acc += v;
          }
          const p0: Vec3 = [geom.origin[0] + i * geom.spacing[0], geom.origin[1] + j * geom.spacing[1], geom.origin[2] + k * geom.spacing[2]];
          // Smooth multiplicative bias field over the field of view (log-quadratic in x, y, z; a
          // few per cent across a tumour, ±10 % or so over the field of view).
          const u = p0[0] / 60;
          const w = p0[1] / 60;
          const z = p0[2] / 70;
          const bias = Math.exp(b0 * u + b1 * w + b2 * z + b3 * u * w + b4 * (u * u - 0.3) + b5 * (w * w - 0.3));
          signal[i + nx * (j + ny * k)] = (acc / zOffsets.length) * bias;
        }
    if (o.centres > 1 && vendor.blur) blurInPlane(signal, geom.size, vendor.blur);
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const s = signal[i + nx * (j + ny * k)]!;
          let val: number;
          if (o.centres === 1) val = s + spec.noise * rng.normal();
          else {
            const clean = Math.max(0, s);
            grain = i === 0 ? rng.normal() : vendor.grain * grain + Math.sqrt(1 - vendor.grain * vendor.grain) * rng.normal();
            val = vendor.scale * top * (clean / top) ** vendor.gamma + vendor.offset + spec.noise * vendor.noise * grain;
          }
          data[i + nx * (j + ny * k)] = Math.max(0, Math.round(val));
        }
    series[seq] = createVolume(geom.size, { spacing: geom.spacing, origin: geom.origin, data });
    series[seq].metadata = { source: `${demoPatientId(index)}/${seq}`, sequence: seq };
  }
  const mask = renderMask(t, 1, null);
  let mask2: Volume | undefined;
  if (profile.hasSecondObserver) {
    const r = createRng(deriveSeed(o.seed, index, 'observer2'));
    mask2 = renderMask(t, 1 + 0.04 * r.normal(), { n: 4, amp: 0.04, phase: 2 * Math.PI * r.next() });
  }
  return { id: profile.clinical.id, profile, series, mask, mask2 };
}

/** The scanner's in-plane point-spread: each row along x, then along y, convolved with [β, 1 − 2β, β] (edges repeated). */
function blurInPlane(v: Float64Array, size: Vec3, beta: number): void {
  const [nx, ny, nz] = size;
  for (const [n, stride, lines] of [[nx, 1, ny * nz], [ny, nx, nx * nz]] as const)
    for (let l = 0; l < lines; l++) {
      const start = stride === 1 ? l * nx : (l % nx) + Math.floor(l / nx) * nx * ny;
      let prev = v[start]!;
      for (let m = 0; m < n; m++) {
        const at = start + m * stride;
        const cur = v[at]!;
        const next = m + 1 < n ? v[at + stride]! : cur;
        v[at] = beta * prev + (1 - 2 * beta) * cur + beta * next;
        prev = cur;
      }
    }
}

/**
 * A uint8 volume on the T2WI grid whose voxel is `value(at)`, where `at(dz)` is the
 * voxel centre moved dz mm through-plane (world frame, mm).
 */
function onT2Grid(value: (at: (dz: number) => Vec3) => number): Volume {
  const geom = seriesGeometry('T2WI');
  const [nx, ny, nz] = geom.size;
  const data = new Uint8Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const at = (dz: number): Vec3 => [geom.origin[0] + i * geom.spacing[0], geom.origin[1] + j * geom.spacing[1], geom.origin[2] + k * geom.spacing[2] + dz];
        data[i + nx * (j + ny * k)] = value(at);
      }
  return createVolume(geom.size, { spacing: geom.spacing, origin: geom.origin, data });
}

/** VOI on the T2WI grid: voxel centres inside the (possibly scaled and perturbed) tumour surface. */
function renderMask(t: Tumour, scale: number, wobble: { n: number; amp: number; phase: number } | null): Volume {
  // The reader draws the VOI where the tumour fills the slice: every point of the slice profile inside.
  const v = onT2Grid((at) =>
    SLICE_PROFILE.every((dz) => {
      const q = at(dz);
      const { rho, surface } = tumourRho(t, q);
      let s = surface * scale;
      if (wobble) s += wobble.amp * Math.sin(wobble.n * Math.atan2(q[1] - t.centre[1], q[0] - t.centre[0]) + wobble.phase);
      return rho < s;
    })
      ? 1
      : 0,
  );
  v.metadata = { source: 'mask' };
  return v;
}

/**
 * The planted subregion map of a patient on the T2WI grid for one sequence
 * (0 outside the VOI, 1..k inside, ascending intensity), as the truth that
 * habitat maps are scored against. Misregistration is undone: this is where
 * the subregions lie in the T2WI frame.
 */
export function demoPlantedHabitats(index: number, seq: DemoSequence, options: DemoOptions = {}): Volume {
  const t = demoPatientProfile(index, defaults(options)).tumour;
  const cuts = orderingThresholds(t, seq);
  return onT2Grid((at) => subregionAt(t, seq, cuts, at(0)) + 1);
}
