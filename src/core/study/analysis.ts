/**
 * Stages 4–6 of the study, at cohort level (../shared/SPEC.md §4–6 (Radiomic features … Models and statistics)): ICC filter, the
 * selection funnel and an SVM per region (training cohort only), the best
 * habitat per sequence, the clinical univariate and multivariate logistic
 * regressions, the composite models and their evaluation on the training and
 * validation cohorts. Pure function of its inputs; every random step is seeded.
 *
 * Documented choices (docs/study.md):
 * - the ICC of the config's form (selection.iccType, default ICC(2,1): two-way random, absolute agreement, single rater) between the two
 *   observers' VOIs, when at least 5 patients have a second VOI; otherwise no
 *   ICC filter (noted in the report).
 * - Missing or non-finite feature values (a habitat absent in a patient) are
 *   imputed with the training median; features constant in training are dropped.
 * - The best habitat of a sequence is the one whose region SVM has the highest
 *   5-fold cross-validated AUC in the training cohort (selection fixed, seeded
 *   folds); ties go to the lower habitat number. The validation cohort is never
 *   used to choose anything.
 * - Missing clinical values are imputed with the training median (continuous)
 *   or the most frequent level (categorical dummies).
 * - Every model is an SVM (config kernel, C, gamma) on z-scored inputs (scaler
 *   fitted on training) with Platt-scaled probabilities; thresholds for
 *   accuracy, sensitivity and specificity come from Youden's J on training.
 */
import { aucDeLong, aucMannWhitney, delongTest, rocCurve, youden } from '../stats/roc.js';
import { brierScore, calibrationCurve, hosmerLemeshow, netBenefit } from '../stats/calibration.js';
import { table1, type Table1Row, type Table1Variable } from '../stats/table1.js';
import { selectionFunnel, radScore, type RadScoreModel } from '../learn/selection.js';
import { bestHabitats, compositeFlag, sequenceEvidence, type SequenceEvidence } from './evidence.js';
import { stratifiedFolds } from '../learn/lasso.js';
import { forwardStepwiseLogistic, univariateLogistic, multivariateLogistic, type OddsRatioRow } from '../learn/logistic.js';
import { deriveSeed } from '../util/random.js';
import { clinicalDesign, type ClinicalTable } from './clinical.js';
import type { StudyConfig } from './config.js';
import type { IccType } from '../stats/icc.js';
import { featureIcc, iccKeeps, ICC_MIN_PATIENTS } from './observer-icc.js';
import { habitatRegion, radScoreInput, regionKey, type PatientFeatures, type RegionName } from './patient-features.js';
import type { ClassifierData } from './classifiers.js';
import { fitRegionModelOn, fitScaledModel, predictRegionModel, predictScaledModel, type ScaledModelData } from './region-model.js';

export interface Evaluation {
  n: number;
  positives: number;
  auc: number;
  ci95: [number, number];
  accuracy: number;
  sensitivity: number;
  specificity: number;
  /** DeLong p against the Clinic model on the same cohort (null for Clinic itself). */
  delongP: number | null;
  brier: number;
  hosmerLemeshow: { chi2: number; df: number; p: number } | null;
  calibration: { meanPredicted: number[]; fractionPositive: number[]; counts: number[] };
  roc: { fpr: number[]; tpr: number[] };
}

export interface ModelResult {
  name: string;
  inputs: string[];
  threshold: number;
  training: Evaluation;
  validation: Evaluation;
  /** DeLong p against Clinic on the validation cohort (null for Clinic). */
  delongP: number | null;
  /** Set when the model is built on a habitat without evidence of discrimination (see evidence.ts). */
  flag: string | null;
  /** The fitted classifier (config models.classifier) on the scaled inputs. */
  classifier: ClassifierData;
  scaler: ScaledModelData['scaler'];
}

export interface RegionResult {
  sequence: string;
  region: RegionName;
  funnel: { extracted: number; icc: number; univariate: number; correlation: number; lasso: number };
  selected: { name: string; coefficient: number }[];
  lambda: number | null;
  cv: { lambdas: number[]; cvMean: number[]; cvSe: number[]; lambdaMin: number; lambda1se: number; path: number[][]; pathNames: string[] } | null;
  radScore: RadScoreModel;
  /** cvTrainingCi: mean over the CV repeats of the DeLong 95% CI of the pooled out-of-fold scores. */
  auc: { training: number | null; validation: number | null; cvTraining: number | null; cvTrainingCi: [number, number] | null };
}

export interface AnalysisResult {
  ids: string[];
  labels: (0 | 1)[];
  split: { training: string[]; validation: string[] };
  icc: { type: IccType; threshold: number; patients: string[]; applied: boolean; keptPerRegion: Record<string, number> };
  regions: RegionResult[];
  bestHabitat: Record<string, RegionName>;
  /** Per sequence: whether any habitat shows discrimination, and the plain sentence when none does. */
  evidence: SequenceEvidence[];
  table1: Table1Row[];
  table2: { univariate: (OddsRatioRow | { name: string; error: string })[]; multivariate: OddsRatioRow[]; entered: string[]; aliased: string[]; independent: string[]; clinicInputs: string[] };
  models: ModelResult[];
  decisionCurve: { thresholds: number[]; training: Record<string, number[]>; validation: Record<string, number[]>; treatAll: { training: number[]; validation: number[] } };
  /** Per patient: cohort, outcome, and each model's predicted probability. */
  predictions: { id: string; cohort: 'training' | 'validation'; outcome: 0 | 1; probabilities: Record<string, number>; radScores: Record<string, number> }[];
  notes: string[];
}

/** A region that could not be modelled (no usable feature, one outcome class, or a failed selection). */
function regionWithoutModel(sequence: string, region: RegionName, funnel: { extracted: number; icc: number }): RegionResult {
  return {
    sequence,
    region,
    funnel: { ...funnel, univariate: 0, correlation: 0, lasso: 0 },
    selected: [],
    lambda: null,
    cv: null,
    radScore: { kind: 'rad-score', names: [], mean: [], sd: [], coefficients: [], intercept: 0 },
    auc: { training: null, validation: null, cvTraining: null, cvTrainingCi: null },
  };
}

const median = (xs: number[]): number => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Impute non-finite values per column with the training median; returns the columns kept (finite median, not constant in training). */
function imputeColumns(X: number[][], train: number[]): number[] {
  const p = X[0]?.length ?? 0;
  const kept: number[] = [];
  for (let j = 0; j < p; j++) {
    const med = median(train.map((i) => X[i][j]));
    if (!Number.isFinite(med)) continue;
    for (const row of X) if (!Number.isFinite(row[j])) row[j] = med;
    const first = X[train[0]][j];
    if (train.some((i) => Math.abs(X[i][j] - first) > 1e-12 * Math.max(1, Math.abs(first)))) kept.push(j);
  }
  return kept;
}

function safe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/**
 * AUC with its DeLong 95 % CI; with fewer than 2 cases or controls (a tiny
 * validation cohort) the AUC alone (NaN without a case or a control) and no CI,
 * instead of failing the whole study.
 */
function aucWithCi(labels: (0 | 1)[], probs: number[]): { auc: number; ci95: [number, number] } {
  const a = safe(() => aucDeLong(labels, probs));
  if (a) return { auc: a.auc, ci95: [a.ci95[0], a.ci95[1]] };
  return { auc: safe(() => aucMannWhitney(labels, probs)) ?? NaN, ci95: [NaN, NaN] };
}

function evaluate(labels: (0 | 1)[], probs: number[], threshold: number, reference: number[] | null): Evaluation {
  const a = aucWithCi(labels, probs);
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  labels.forEach((y, i) => {
    const pos = probs[i] >= threshold;
    if (y === 1 && pos) tp++;
    else if (y === 1) fn++;
    else if (pos) fp++;
    else tn++;
  });
  const roc = rocCurve(labels, probs);
  const cal = calibrationCurve(labels, probs, 5);
  return {
    n: labels.length,
    positives: tp + fn,
    auc: a.auc,
    ci95: [Math.max(0, a.ci95[0]), Math.min(1, a.ci95[1])],
    accuracy: (tp + tn) / labels.length,
    sensitivity: tp / Math.max(1, tp + fn),
    specificity: tn / Math.max(1, tn + fp),
    delongP: reference ? (safe(() => delongTest(labels, probs, reference).p) ?? null) : null,
    brier: brierScore(labels, probs),
    hosmerLemeshow: safe(() => {
      const h = hosmerLemeshow(labels, probs, 10);
      return { chi2: h.chi2, df: h.df, p: h.p };
    }),
    calibration: { meanPredicted: cal.meanPredicted, fractionPositive: cal.fractionPositive, counts: cal.counts },
    roc: { fpr: Array.from(roc.fpr), tpr: Array.from(roc.tpr) },
  };
}

/**
 * The configured classifier on training rows, standardised on training, with
 * calibrated probabilities for every row (region-model.ts, classifiers.ts).
 */
function fitModel(X: number[][], labels: (0 | 1)[], train: number[], config: StudyConfig, seed: number) {
  const fit = fitScaledModel(train.map((i) => X[i]), train.map((i) => labels[i]), config.models, { seed, probability: true });
  return { model: fit.model, probs: predictScaledModel(fit.model, X), plattRefitted: fit.calibrationRefitted };
}

/** Repeats of the 5-fold cross-validation behind a region's CV AUC. */
export const CV_REPEATS = 5;

/**
 * Nested, repeated (5 × 5-fold, stratified) cross-validated AUC of a region on the
 * training cohort: in every fold the selection funnel (z-score, t/U test,
 * correlation filter, LASSO at the λ the region's own LASSO-CV chose — refitting
 * the inner 10-fold LASSO-CV as well would cost 25 LASSO-CVs per region for little
 * difference) is refitted on the other folds, an SVM is trained on what it selects,
 * and the held-out patients are scored by its decision function (a fold that
 * selects nothing scores its patients 0). The AUC of the pooled out-of-fold scores
 * is averaged over the repeats.
 *
 * Selecting features on the whole training cohort and then cross-validating the SVM
 * on them alone would reward chance: among a few habitats × hundreds of features some
 * pass p < 0.05 by luck, and their CV AUC is then optimistic by construction. Refitting
 * the selection inside each fold makes such a region score near 0.5, so the habitat
 * named best is the one whose signal survives selection on unseen patients.
 */
function nestedCvAuc(Xtrain: number[][], y: (0 | 1)[], names: string[], config: StudyConfig, lambda: number, seed: number): { auc: number; ci: [number, number] } | null {
  let sum = 0;
  const ci: [number, number] = [0, 0];
  for (let rep = 0; rep < CV_REPEATS; rep++) {
    const folds = stratifiedFolds(y, 5, deriveSeed(seed, 'repeat', rep));
    const scores = new Array<number>(y.length).fill(0);
    for (let f = 0; f < 5; f++) {
      const tr = y.map((_, i) => i).filter((i) => folds[i] !== f);
      const te = y.map((_, i) => i).filter((i) => folds[i] === f);
      if (te.length === 0) continue;
      const ytr = tr.map((i) => y[i]);
      if (!ytr.includes(0) || !ytr.includes(1)) return null;
      const Xtr = tr.map((i) => Xtrain[i]);
      let funnel;
      try {
        funnel = selectionFunnel(Xtr, ytr, names, { alpha: config.selection.univariateP, correlationThreshold: config.selection.correlation, lambda });
      } catch {
        continue; // e.g. a separable fold: nothing selected, its patients keep score 0
      }
      const model = fitRegionModelOn(funnel, Xtr, ytr, config.models, { probability: false });
      const d = predictRegionModel(model, te.map((i) => Xtrain[i]), 'decision');
      if (!d) continue;
      te.forEach((i, k) => (scores[i] = d[k]));
    }
    const a = safe(() => aucDeLong(y, scores));
    if (a === null) return null;
    sum += a.auc;
    ci[0] += Math.max(0, a.ci95[0]) / CV_REPEATS;
    ci[1] += Math.min(1, a.ci95[1]) / CV_REPEATS;
  }
  return { auc: sum / CV_REPEATS, ci };
}

export interface AnalysisInput {
  ids: string[];
  labels: (0 | 1)[];
  split: { train: number[]; validation: number[] };
  features: PatientFeatures[];
  clinical: ClinicalTable;
  config: StudyConfig;
  /** Sequence → habitat count, in config order. */
  habitatCounts: Record<string, number>;
}

export function analyseStudy(input: AnalysisInput): AnalysisResult {
  const { ids, labels, split, features, clinical, config } = input;
  const notes: string[] = [];
  const train = split.train;
  const val = split.validation;
  const ytrain = train.map((i) => labels[i]);
  const byId = new Map(features.map((f) => [f.id, f]));
  const seed = config.selection.seed;

  // --- ICC patients
  const iccPatients = ids.filter((id) => byId.get(id)?.regions2);
  const iccApplied = iccPatients.length >= ICC_MIN_PATIENTS;
  if (!iccApplied && iccPatients.length > 0) notes.push(`ICC filter skipped: only ${iccPatients.length} patients have a second observer's VOI (at least 5 needed)`);

  // --- regions
  const regionKeys: { sequence: string; region: RegionName }[] = [];
  for (const seq of config.sequences) {
    regionKeys.push({ sequence: seq, region: 'total' });
    for (let h = 1; h <= (input.habitatCounts[seq] ?? 0); h++) regionKeys.push({ sequence: seq, region: habitatRegion(h) });
  }
  const regions: RegionResult[] = [];
  const keptPerRegion: Record<string, number> = {};
  const radScores: Record<string, number[]> = {};
  for (const { sequence, region } of regionKeys) {
    const key = regionKey(sequence, region);
    const first = features.find((f) => f.regions[key] && Object.keys(f.regions[key]).length > 0);
    const names = first ? Object.keys(first.regions[key]) : [];
    const X = ids.map((id) => {
      const r = byId.get(id)?.regions[key] ?? {};
      return names.map((n) => (Number.isFinite(r[n]) ? r[n] : NaN));
    });
    let cols = names.map((_, j) => j);
    if (iccApplied) {
      const observers = iccPatients.map((id) => byId.get(id)!);
      cols = cols.filter((j) => iccKeeps(featureIcc(observers, key, names[j], config.selection.iccType), config.selection.icc));
    }
    keptPerRegion[key] = cols.length;
    const Xc = X.map((row) => cols.map((j) => row[j]));
    const kept = imputeColumns(Xc, train);
    const colNames = kept.map((j) => names[cols[j]]);
    const Xk = Xc.map((row) => kept.map((j) => row[j]));
    const funnelBase = { extracted: names.length, icc: cols.length };
    if (colNames.length === 0 || !ytrain.includes(0) || !ytrain.includes(1)) {
      regions.push(regionWithoutModel(sequence, region, funnelBase));
      radScores[key] = ids.map(() => 0);
      continue;
    }
    let funnel;
    try {
      funnel = selectionFunnel(train.map((i) => Xk[i]), ytrain, colNames, {
        alpha: config.selection.univariateP,
        correlationThreshold: config.selection.correlation,
        folds: config.selection.folds,
        seed: deriveSeed(seed, 'lasso', key),
        lambdaRule: config.selection.lambda,
      });
    } catch (e) {
      // not expected on valid data (the LASSO keeps its path up to the last good λ, as glmnet does)
      notes.push(`${sequence} ${region}: feature selection failed (${e instanceof Error ? e.message : String(e)}); no features selected`);
      regions.push(regionWithoutModel(sequence, region, funnelBase));
      radScores[key] = ids.map(() => 0);
      continue;
    }
    for (const note of funnel.notes) notes.push(`${sequence} ${region}: ${note}`);
    const rs = radScore(funnel.radScore, Xk, colNames);
    radScores[key] = rs;
    const auc: RegionResult['auc'] = { training: null, validation: null, cvTraining: null, cvTrainingCi: null };
    const model = fitRegionModelOn(funnel, train.map((i) => Xk[i]), ytrain, config.models, { seed: deriveSeed(seed, 'svm', key), probability: true });
    const probs = predictRegionModel(model, Xk);
    if (probs) {
      auc.training = safe(() => aucDeLong(ytrain, train.map((i) => probs[i])).auc);
      auc.validation = safe(() => aucDeLong(val.map((i) => labels[i]), val.map((i) => probs[i])).auc);
      const cv = nestedCvAuc(train.map((i) => Xk[i]), ytrain, colNames, config, funnel.lambda!, deriveSeed(seed, 'cv', key));
      auc.cvTraining = cv?.auc ?? null;
      auc.cvTrainingCi = cv?.ci ?? null;
    }
    regions.push({
      sequence,
      region,
      funnel: { ...funnelBase, univariate: funnel.counts.univariate, correlation: funnel.counts.correlation, lasso: funnel.counts.lasso },
      selected: funnel.selected.map((s) => ({ name: s.name, coefficient: s.coefficient })),
      lambda: funnel.lambda,
      cv: funnel.cv
        ? {
            lambdas: funnel.cv.lambdas,
            cvMean: funnel.cv.cvMean,
            cvSe: funnel.cv.cvSe,
            lambdaMin: funnel.cv.lambdaMin,
            lambda1se: funnel.cv.lambda1se,
            path: funnel.cv.path.coefficients,
            pathNames: funnel.lassoInput,
          }
        : null,
      radScore: funnel.radScore,
      auc,
    });
  }

  // --- best habitat per sequence (training CV AUC, regions with a model only) and the evidence for one
  const bestHabitat = bestHabitats(regions, config.sequences);
  const evidence = sequenceEvidence(regions, config.sequences);

  // --- clinical: Table 2 on the training cohort
  const varNames = config.clinical.variables === 'auto' ? clinical.variables.map((v) => v.name) : config.clinical.variables;
  const rowOf = new Map(clinical.ids.map((id, r) => [id, r]));
  const design = clinicalDesign(clinical, varNames, ids.map((id) => rowOf.get(id)!));
  if (design.missing.length > 0) notes.push(`${design.missing.length} missing clinical value(s) imputed with the training median / most frequent level`);
  const C = design.X.map((r) => r.slice());
  const keptClin = imputeColumns(C, train);
  const clinNames = keptClin.map((j) => design.columns[j]);
  const Ck = C.map((r) => keptClin.map((j) => r[j]));
  const univariate = univariateLogistic(train.map((i) => Ck[i]), ytrain, clinNames);
  let multi: ReturnType<typeof multivariateLogistic>;
  try {
    multi = multivariateLogistic(train.map((i) => Ck[i]), ytrain, clinNames, { alpha: config.clinical.univariateP });
  } catch (e) {
    // e.g. (quasi-)separation among the entered variables in a small training cohort
    const entered = univariate.filter((u): u is OddsRatioRow => 'p' in u && u.p < config.clinical.univariateP).map((u) => u.name);
    notes.push(`multivariate logistic regression on the ${entered.length} variable(s) with univariate p < ${config.clinical.univariateP} failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
    multi = { entered, rows: [], model: null, independent: [], aliased: [] };
  }
  if (multi.aliased.length > 0) notes.push(`multivariate logistic regression: ${multi.aliased.join(', ')} left out as a linear combination of the intercept and the other entered variables (R's glm reports NA for ${multi.aliased.length > 1 ? 'them' : 'it'})`);
  let clinicInputs = multi.independent;
  if (clinicInputs.length === 0 && multi.entered.length > 0) {
    // Entered variables that share their information (T, N and stage dummies) can all
    // lose significance together: pick a parsimonious subset instead of all of them.
    const candidates = multi.entered.filter((n) => !multi.aliased.includes(n));
    clinicInputs = forwardStepwiseLogistic(train.map((i) => Ck[i]), ytrain, clinNames, { alpha: config.clinical.univariateP, candidates });
    notes.push(
      `no entered clinical variable reached p < ${config.clinical.univariateP} in the ${multi.model ? 'multivariate model' : 'failed multivariate fit'}; forward stepwise selection among them (Wald p < ${config.clinical.univariateP}) gives the Clinic model: ${clinicInputs.join(', ') || 'none'}`,
    );
  }
  if (clinicInputs.length === 0) {
    const ok = univariate.filter((u): u is OddsRatioRow => 'p' in u).sort((a, b) => a.p - b.p);
    clinicInputs = ok.length > 0 ? [ok[0].name] : [];
    notes.push(`no clinical variable reached p < ${config.clinical.univariateP}; the Clinic model uses ${clinicInputs.join(', ') || 'no variable'}`);
  }
  const clinCol = (name: string) => Ck.map((r) => r[clinNames.indexOf(name)]);

  // --- composite models
  const modelSpecs: { name: string; inputs: string[]; columns: number[][] }[] = [];
  const clinicColumns = clinicInputs.map(clinCol);
  modelSpecs.push({ name: 'Clinic', inputs: [...clinicInputs], columns: clinicColumns });
  const bestCols: number[][] = [];
  const bestNames: string[] = [];
  for (const seq of config.sequences) {
    const h = bestHabitat[seq];
    if (!h) continue;
    const rs = radScores[regionKey(seq, h)];
    bestCols.push(rs);
    bestNames.push(radScoreInput(seq, h));
    modelSpecs.push({ name: `Clinic + ${seq} ${h}`, inputs: [...clinicInputs, radScoreInput(seq, h)], columns: [...clinicColumns, rs] });
  }
  if (bestCols.length > 0) modelSpecs.push({ name: 'Combined', inputs: [...clinicInputs, ...bestNames], columns: [...clinicColumns, ...bestCols] });

  const probsByModel: Record<string, number[]> = {};
  const fitted = modelSpecs
    .filter((s) => s.columns.length > 0)
    .map((s) => {
      const X = ids.map((_, i) => s.columns.map((c) => c[i]));
      const m = fitModel(X, labels, train, config, deriveSeed(seed, 'model', s.name));
      if (m.plattRefitted) notes.push(`${s.name}: Platt scaling on out-of-fold decision values came out inverted; refitted on the training decision values`);
      probsByModel[s.name] = m.probs;
      return { spec: s, m };
    });
  const clinicProbs = probsByModel['Clinic'] ?? null;
  const yval = val.map((i) => labels[i]);
  const models: ModelResult[] = fitted.map(({ spec, m }) => {
    const ptrain = train.map((i) => m.probs[i]);
    const pval = val.map((i) => m.probs[i]);
    const threshold = youden(ytrain, ptrain).threshold;
    const isClinic = spec.name === 'Clinic';
    const training = evaluate(ytrain, ptrain, threshold, isClinic || !clinicProbs ? null : train.map((i) => clinicProbs[i]));
    const validation = evaluate(yval, pval, threshold, isClinic || !clinicProbs ? null : val.map((i) => clinicProbs[i]));
    return {
      name: spec.name,
      inputs: spec.inputs,
      threshold,
      training,
      validation,
      delongP: validation.delongP,
      flag: compositeFlag(spec.inputs, evidence),
      classifier: m.model.classifier,
      scaler: m.model.scaler,
    };
  });

  // --- decision curves
  const thresholds = Array.from({ length: 99 }, (_, k) => (k + 1) / 100);
  const dca = { thresholds, training: {} as Record<string, number[]>, validation: {} as Record<string, number[]>, treatAll: { training: [] as number[], validation: [] as number[] } };
  for (const [name, probs] of Object.entries(probsByModel)) {
    const t = netBenefit(ytrain, train.map((i) => probs[i]), thresholds);
    const v = netBenefit(yval, val.map((i) => probs[i]), thresholds);
    dca.training[name] = Array.from(t.model);
    dca.validation[name] = Array.from(v.model);
    dca.treatAll = { training: Array.from(t.treatAll), validation: Array.from(v.treatAll) };
  }

  // --- Table 1: training vs validation
  const inValidation = new Set(val);
  const group = ids.map((_, i) => (inValidation.has(i) ? 1 : 0));
  const t1vars: Table1Variable[] = clinical.variables.map((v) => {
    const cells = ids.map((id) => clinical.values[v.name][rowOf.get(id)!]);
    return v.kind === 'continuous'
      ? { name: v.name, kind: 'continuous', values: cells.map((c) => (c === '' ? null : Number(c))) }
      : { name: v.name, kind: 'categorical', values: cells.map((c) => (c === '' ? null : c)) };
  });
  t1vars.push({ name: config.outcome, kind: 'categorical', values: labels.map((y) => clinical.outcomeLabels[y]) });
  const t1 = table1(t1vars, group);

  const predictions = ids.map((id, i) => ({
    id,
    cohort: (inValidation.has(i) ? 'validation' : 'training') as 'training' | 'validation',
    outcome: labels[i],
    probabilities: Object.fromEntries(Object.entries(probsByModel).map(([k, p]) => [k, p[i]])),
    radScores: Object.fromEntries(Object.entries(radScores).map(([k, r]) => [k, r[i]])),
  }));

  return {
    ids,
    labels,
    split: { training: train.map((i) => ids[i]), validation: val.map((i) => ids[i]) },
    icc: { type: config.selection.iccType, threshold: config.selection.icc, patients: iccPatients, applied: iccApplied, keptPerRegion },
    regions,
    bestHabitat,
    evidence,
    table1: t1,
    table2: { univariate, multivariate: multi.rows, entered: multi.entered, aliased: multi.aliased, independent: multi.independent, clinicInputs },
    models,
    decisionCurve: dca,
    predictions,
    notes,
  };
}
