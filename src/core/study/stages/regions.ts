/**
 * Stage: one model per region (../shared/SPEC.md, "Feature selection" and "Models
 * and statistics"). For the whole tumour and each habitat of each sequence, on the
 * training cohort only: ICC-kept columns → training-median imputation → selection
 * funnel (z-score, t/U test, correlation filter, LASSO-CV) → Rad-score, and the
 * configured classifier on the selected features with its training, validation
 * and nested, repeated cross-validated AUCs. With `harmonisation.method: combat`,
 * ComBat (./harmonise.ts) is fitted after the imputation on each training set's rows
 * (the training cohort; each nested-CV fold's training part) and applied to every
 * row before selection.
 */
import { aucDeLong } from '../../stats/roc.js';
import { columnOrders, selectionFunnel, radScore, type RadScoreModel, type RowOrigin, type SelectionFunnel } from '../../learn/selection.js';
import { stratifiedFolds } from '../../learn/lasso.js';
import { deriveSeed } from '../../util/random.js';
import type { StudyConfig } from '../config.js';
import { habitatRegion, regionKey, type PatientFeatures, type RegionName } from '../patient-features.js';
import { fitRegionModelOn, predictRegionModel } from '../region-model.js';
import { imputedColumns, pick, safe } from './common.js';
import { iccKeptColumns, type IccPlan } from './icc-filter.js';
import { fitColumnTransform, referenceBatchShortfall, subsetBatches, type CohortBatches, type RowsTransformed } from './harmonise.js';
import type { CombatModel } from '../../harmonise/combat.js';

export { fitColumnTransform, subsetBatches, cohortBatches, type CohortBatches, type ColumnTransform } from './harmonise.js';

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

/** The study's regions in report order: per sequence the whole tumour, then Hab1…HabK. */
export function studyRegions(sequences: readonly string[], habitatCounts: Record<string, number>): { sequence: string; region: RegionName }[] {
  const out: { sequence: string; region: RegionName }[] = [];
  for (const sequence of sequences) {
    out.push({ sequence, region: 'total' });
    for (let h = 1; h <= (habitatCounts[sequence] ?? 0); h++) out.push({ sequence, region: habitatRegion(h) });
  }
  return out;
}

/** A region's feature matrix over the cohort (rows in `ids` order, NaN where a value is missing), its feature names taken from the first patient that has the region. */
export function regionMatrix(ids: readonly string[], features: readonly PatientFeatures[], key: string): { names: string[]; X: number[][] } {
  const byId = new Map(features.map((f) => [f.id, f]));
  const first = features.map((f) => f.regions[key]).find((r) => r && Object.keys(r).length > 0);
  const names = first ? Object.keys(first) : [];
  const X = ids.map((id) => {
    const r = byId.get(id)?.regions[key] ?? {};
    return names.map((n) => (Number.isFinite(r[n]) ? r[n]! : NaN));
  });
  return { names, X };
}

/** A region that could not be modelled (no usable feature, one outcome class, or a failed selection). */
export function regionWithoutModel(sequence: string, region: RegionName, funnel: { extracted: number; icc: number }): RegionResult {
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

/** Repeats of the 5-fold cross-validation behind a region's CV AUC. */
export const CV_REPEATS = 5;

/**
 * Nested, repeated (5 × 5-fold, stratified) cross-validated AUC of a region on the
 * training cohort: in every fold the selection funnel (z-score, t/U test,
 * correlation filter, LASSO at the λ the region's own LASSO-CV chose — refitting
 * the inner 10-fold LASSO-CV as well would cost 25 LASSO-CVs per region for little
 * difference) is refitted on the other folds, the classifier is trained on what it
 * selects, and the held-out patients are scored by its decision function (a fold
 * that selects nothing scores its patients 0). The AUC of the pooled out-of-fold
 * scores is averaged over the repeats; null when a fold's training part has one
 * outcome class only or the AUC is undefined.
 *
 * Selecting features on the whole training cohort and then cross-validating the
 * classifier on them alone would reward chance: among a few habitats × hundreds of
 * features some pass p < 0.05 by luck, and their CV AUC is then optimistic by
 * construction. Refitting the selection inside each fold makes such a region score
 * near 0.5, so the habitat named best is the one whose signal survives selection on
 * unseen patients.
 *
 * With `batches` (rows aligned with Xtrain), ComBat is refitted in every fold on the
 * fold's training part and applied to its held-out part, as selection is. A repeat
 * with a fold whose training part lacks the configured reference batch cannot be
 * harmonised as configured: it is left out of the average, with a note in `notes`
 * (null when every repeat is left out).
 *
 * `origin`: where Xtrain's rows come from (learn/selection.ts `RowOrigin`); without
 * ComBat each fold's funnel then reads its sorted outcome groups off the column
 * orders instead of sorting (the same numbers).
 */
export function nestedCvAuc(
  Xtrain: number[][], y: (0 | 1)[], names: string[], config: StudyConfig, lambda: number, seed: number,
  batches: CohortBatches | null = null, notes: string[] = [], origin: RowOrigin | null = null,
): { auc: number; ci: [number, number] } | null {
  let sum = 0;
  const ci: [number, number] = [0, 0];
  const partsOf = (folds: number[], f: number) => ({ tr: y.map((_, i) => i).filter((i) => folds[i] !== f), te: y.map((_, i) => i).filter((i) => folds[i] === f) });
  const foldsOf = (rep: number) => stratifiedFolds(y, 5, deriveSeed(seed, 'repeat', rep));
  const usable: number[] = [];
  let shortfall: string | null = null;
  for (let rep = 0; rep < CV_REPEATS; rep++) {
    const folds = foldsOf(rep);
    const why = [0, 1, 2, 3, 4].map((f) => referenceBatchShortfall(batches, partsOf(folds, f).tr)).find((w) => w !== null) ?? null;
    if (why === null) usable.push(rep);
    else shortfall ??= why;
  }
  if (shortfall !== null) {
    notes.push(`nested CV: ${CV_REPEATS - usable.length} of ${CV_REPEATS} repeats left out (a fold's training part cannot be harmonised: ${shortfall})${usable.length === 0 ? '; no CV AUC' : ''}`);
  }
  if (usable.length === 0) return null;
  for (const rep of usable) {
    const folds = foldsOf(rep);
    const scores = new Array<number>(y.length).fill(0);
    for (let f = 0; f < 5; f++) {
      const { tr, te } = partsOf(folds, f);
      if (te.length === 0) continue;
      const ytr = pick(y, tr);
      if (!ytr.includes(0) || !ytr.includes(1)) return null;
      const fold = foldMatrices(Xtrain, tr, te, batches);
      const Xtr = fold.train;
      let funnel;
      try {
        // without ComBat a fold's rows are rows of Xtrain as they are: the funnel reads its sorted groups off `origin`
        const foldOrigin = origin && !batches ? { rowOf: tr.map((i) => origin.rowOf[i]!), orders: origin.orders } : undefined;
        funnel = selectionFunnel(Xtr, ytr, names, { alpha: config.selection.univariateP, correlationThreshold: config.selection.correlation, lambda, origin: foldOrigin });
      } catch {
        continue; // e.g. a separable fold: nothing selected, its patients keep score 0
      }
      const model = fitRegionModelOn(funnel, Xtr, ytr, config.models, { probability: false });
      const d = predictRegionModel(model, fold.test, 'decision');
      if (!d) continue;
      te.forEach((i, k) => (scores[i] = d[k]!));
    }
    const a = safe(() => aucDeLong(y, scores));
    if (a === null) return null;
    sum += a.auc;
    ci[0] += Math.max(0, a.ci95[0]) / usable.length;
    ci[1] += Math.min(1, a.ci95[1]) / usable.length;
  }
  return { auc: sum / usable.length, ci };
}

/**
 * A fold's training and held-out rows of X, harmonised by ComBat fitted on the
 * training rows when `batches` is given (else the rows as they are).
 */
export function foldMatrices(X: number[][], tr: readonly number[], te: readonly number[], batches: CohortBatches | null): { train: number[][]; test: number[][] } {
  if (!batches) return { train: pick(X, tr), test: pick(X, te) };
  const t = fitColumnTransform(batches, X, tr);
  return { train: t.apply(X, tr).X, test: t.apply(X, te).X };
}

/** What harmonisation did to a region: the fitted model (columns in `names` order) and each cohort's batches and modes. */
export interface RegionHarmonisation {
  names: string[];
  model: CombatModel | null;
  training: RowsTransformed['batches'];
  validation: RowsTransformed['batches'];
}

export interface RegionInput {
  sequence: string;
  region: RegionName;
  /** Feature names and the cohort's matrix (rows = patients, NaN = missing), before the ICC filter. */
  names: string[];
  X: number[][];
}

export interface RegionAnalysis {
  result: RegionResult;
  /** The region's Rad-score for every patient of the cohort (0 without a model). */
  radScores: number[];
  notes: string[];
  /** ComBat of the region's columns (null with harmonisation none or no usable column). */
  harmonisation: RegionHarmonisation | null;
}

/**
 * The part of a region's analysis that does not look at the outcome: the columns
 * the ICC filter keeps, imputed with their training medians, minus those constant
 * on the training rows. The permutation test computes it once per region and
 * reuses it in every permuted run; nothing downstream writes into `Xi`.
 */
export interface PreparedRegion {
  colNames: string[];
  /** Every cohort row, the kept columns only (imputed). */
  Xi: number[][];
  funnelBase: { extracted: number; icc: number };
  /** Each column of `Xi`'s rows in ascending order (learn/selection.ts `columnOrders`): every funnel on rows of `Xi` reads its sorted outcome groups off them. */
  orders: Int32Array[];
}

export function prepareRegion(input: RegionInput, train: readonly number[], config: StudyConfig, icc: { plan: IccPlan; features: readonly PatientFeatures[] }): PreparedRegion {
  const { names, X } = input;
  const cols = iccKeptColumns(icc.plan, icc.features, regionKey(input.sequence, input.region), names, config.selection.icc, config.selection.iccType);
  const Xc = X.map((row) => cols.map((j) => row[j]!));
  const { kept, rows: Xi } = imputedColumns(Xc, train);
  return {
    colNames: kept.map((j) => names[cols[j]!]!),
    Xi,
    funnelBase: { extracted: names.length, icc: cols.length },
    orders: columnOrders(Xi),
  };
}

/**
 * Fits and evaluates one region's model (the module comment); `train`/`val` index the cohort's rows.
 * `prepared`: the region's `prepareRegion` for the same input, split and config, when the caller kept it.
 */
export function analyseRegion(
  input: RegionInput, labels: (0 | 1)[], split: { train: number[]; validation: number[] }, config: StudyConfig,
  icc: { plan: IccPlan; features: readonly PatientFeatures[] },
  batches: CohortBatches | null = null,
  prepared: PreparedRegion = prepareRegion(input, split.train, config, icc),
): RegionAnalysis {
  const { sequence, region, X } = input;
  const { train, validation: val } = split;
  const key = regionKey(sequence, region);
  const seed = config.selection.seed;
  const ytrain = pick(labels, train);
  const { colNames, Xi, funnelBase, orders } = prepared;
  // ComBat fitted on the training rows (after imputation) and applied to every row
  let harmonisation: RegionHarmonisation | null = null;
  let Xk = Xi;
  if (batches && colNames.length > 0) {
    const t = fitColumnTransform(batches, Xi, train);
    const all = X.map((_, i) => i);
    Xk = t.apply(Xi, all).X;
    harmonisation = { names: colNames, model: t.model, training: t.apply(Xi, train).batches, validation: t.apply(Xi, val).batches };
  }
  const none = (notes: string[]): RegionAnalysis => ({ result: regionWithoutModel(sequence, region, funnelBase), radScores: X.map(() => 0), notes, harmonisation });
  if (colNames.length === 0 || !ytrain.includes(0) || !ytrain.includes(1)) return none([]);
  let funnel: SelectionFunnel;
  try {
    funnel = selectionFunnel(pick(Xk, train), ytrain, colNames, {
      alpha: config.selection.univariateP,
      correlationThreshold: config.selection.correlation,
      folds: config.selection.folds,
      seed: deriveSeed(seed, 'lasso', key),
      lambdaRule: config.selection.lambda,
      origin: Xk === Xi ? { rowOf: train, orders } : undefined,
    });
  } catch (e) {
    // not expected on valid data (the LASSO keeps its path up to the last good λ, as glmnet does)
    return none([`${sequence} ${region}: feature selection failed (${e instanceof Error ? e.message : String(e)}); no features selected`]);
  }
  const notes = funnel.notes.map((note) => `${sequence} ${region}: ${note}`);
  const radScores = radScore(funnel.radScore, Xk, colNames);
  const auc: RegionResult['auc'] = { training: null, validation: null, cvTraining: null, cvTrainingCi: null };
  const model = fitRegionModelOn(funnel, pick(Xk, train), ytrain, config.models, { seed: deriveSeed(seed, 'svm', key), probability: true });
  const probs = predictRegionModel(model, Xk);
  if (probs) {
    auc.training = safe(() => aucDeLong(ytrain, pick(probs, train)).auc);
    auc.validation = safe(() => aucDeLong(pick(labels, val), pick(probs, val)).auc);
    const cvNotes: string[] = [];
    const cv = nestedCvAuc(pick(batches ? Xi : Xk, train), ytrain, colNames, config, funnel.lambda!, deriveSeed(seed, 'cv', key), subsetBatches(batches, train), cvNotes, { rowOf: train, orders });
    notes.push(...cvNotes.map((n) => `${sequence} ${region}: ${n}`));
    auc.cvTraining = cv?.auc ?? null;
    auc.cvTrainingCi = cv?.ci ?? null;
  }
  const result: RegionResult = {
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
  };
  return { result, radScores, notes, harmonisation };
}
