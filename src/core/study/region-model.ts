/**
 * The study's models as one pipeline with `fit` / `predict`:
 *
 *   RegionModel  = selection funnel (t/U test → |r| filter → LASSO) → ScaledModel
 *   ScaledModel  = z-score scaler (fitted on training) → classifier → probability calibration
 *
 * Training (a region's model, the composite Clinic / Clinic + habitat / Combined
 * models), the nested cross-validation of a region and `predictPatient` all go
 * through these, so a step added here (another classifier: classifiers.ts) is
 * added everywhere.
 */
import { fitScaler, transformScaler } from '../learn/scaler.js';
import { selectionFunnel, type FunnelOptions, type SelectionFunnel } from '../learn/selection.js';
import { classifierOf, CLASSIFIERS, type ClassifierData, type ClassifierName, type ClassifierSettings } from './classifiers.js';

/** What the models read from the study config (`models`). */
export type ModelSettings = ClassifierSettings & { classifier: ClassifierName };

/** A fitted scaler and classifier as plain data (model.json). */
export interface ScaledModelData {
  scaler: { mean: number[]; sd: number[] };
  classifier: ClassifierData;
}

export interface ScaledModelFit {
  model: ScaledModelData;
  calibrationRefitted: boolean;
}

/** Fit the scaler and the classifier on training rows (raw inputs, samples × inputs). */
export function fitScaledModel(Xtrain: number[][], ytrain: (0 | 1)[], settings: ModelSettings, options: { seed?: number; probability: boolean }): ScaledModelFit {
  const scaler = fitScaler(Xtrain);
  const fit = CLASSIFIERS[settings.classifier].fit(transformScaler(scaler, Xtrain), ytrain, settings, options);
  return { model: { scaler: { mean: scaler.mean, sd: scaler.sd }, classifier: fit.data }, calibrationRefitted: fit.calibrationRefitted };
}

const scaled = (m: ScaledModelData, X: number[][]) => transformScaler({ kind: 'zscore', mean: m.scaler.mean, sd: m.scaler.sd }, X);

/** Calibrated P(class 1) of raw input rows. */
export function predictScaledModel(m: ScaledModelData, X: number[][]): number[] {
  return classifierOf(m.classifier).proba(m.classifier, scaled(m, X));
}

/** Decision values of raw input rows. */
export function decisionScaledModel(m: ScaledModelData, X: number[][]): number[] {
  return classifierOf(m.classifier).decision(m.classifier, scaled(m, X));
}

export interface RegionModel {
  funnel: SelectionFunnel;
  /** null when the funnel selects no feature. */
  model: ScaledModelData | null;
  calibrationRefitted: boolean;
}

/**
 * Fit a region's model on its training rows (every feature column, named
 * `names`): the selection funnel, then the scaled classifier on the selected
 * features. Throws what the funnel throws (e.g. LASSO on separable data).
 */
export function fitRegionModel(
  Xtrain: number[][],
  ytrain: (0 | 1)[],
  names: string[],
  settings: ModelSettings,
  options: { funnel: FunnelOptions; seed?: number; probability: boolean },
): RegionModel {
  return fitRegionModelOn(selectionFunnel(Xtrain, ytrain, names, options.funnel), Xtrain, ytrain, settings, options);
}

/** The second half of `fitRegionModel`: the scaled classifier on what a fitted funnel selected. */
export function fitRegionModelOn(funnel: SelectionFunnel, Xtrain: number[][], ytrain: (0 | 1)[], settings: ModelSettings, options: { seed?: number; probability: boolean }): RegionModel {
  if (funnel.selected.length === 0) return { funnel, model: null, calibrationRefitted: false };
  const fit = fitScaledModel(pickSelected(funnel, Xtrain), ytrain, settings, { seed: options.seed, probability: options.probability });
  return { funnel, model: fit.model, calibrationRefitted: fit.calibrationRefitted };
}

/** The selected features' columns of rows holding every feature column. */
export function pickSelected(funnel: SelectionFunnel, X: number[][]): number[][] {
  return X.map((row) => funnel.selected.map((s) => row[s.index]!));
}

/** Probabilities (or decision values) of rows holding every feature column; null without a model. */
export function predictRegionModel(r: RegionModel, X: number[][], output: 'probability' | 'decision' = 'probability'): number[] | null {
  if (!r.model) return null;
  const Xs = pickSelected(r.funnel, X);
  return output === 'probability' ? predictScaledModel(r.model, Xs) : decisionScaledModel(r.model, Xs);
}
