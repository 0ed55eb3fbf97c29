/**
 * The classifiers a study model can use (config `models.classifier`), behind
 * one interface: fit on standardised rows, decision values, calibrated
 * probabilities, all from plain JSON-serialisable data (model.json). A new
 * classifier is one entry in CLASSIFIERS (with its fitter in learn/ and a
 * reference test); the config option, training, the nested CV, model.json and
 * prediction follow (docs/ARCHITECTURE.md).
 */
import { logisticL2Decision, logisticL2Proba, trainLogisticL2, type LogisticL2Data } from '../learn/logistic-l2.js';
import { plattScaling, svmDecisionFunction, svmPredictProba, trainSvm, type SvmModelData } from '../learn/svm.js';

/** The study config's `models` section as the classifiers read it. */
export interface ClassifierSettings {
  kernel: 'rbf' | 'linear';
  C: number;
  gamma: 'scale' | number;
  classWeight: 'balanced' | 'none';
}

export interface ClassifierFit<D> {
  data: D;
  /** The probability calibration was refitted on the training decision values (SVM: an inverted Platt sigmoid). */
  calibrationRefitted: boolean;
}

export interface Classifier<D extends { kind: string }> {
  /**
   * Fit on standardised training rows. `probability: false` when only decision
   * values are needed (inside a cross-validation), so no calibration is fitted.
   */
  fit(X: number[][], y: (0 | 1)[], settings: ClassifierSettings, options: { seed?: number; probability: boolean }): ClassifierFit<D>;
  /** Decision values (higher = class 1). */
  decision(data: D, X: number[][]): number[];
  /** Calibrated P(class 1). */
  proba(data: D, X: number[][]): number[];
}

const classWeight = (s: ClassifierSettings) => (s.classWeight === 'balanced' ? ('balanced' as const) : null);

/**
 * SVM (config kernel, C, gamma, class weights). Probabilities by libsvm's Platt
 * scaling (sigmoid fitted on 5-fold out-of-fold decision values). When those
 * out-of-fold values rank the outcome backwards — a weak model overfitting a
 * small cohort — the sigmoid comes out inverted (A ≥ 0) and every probability
 * would contradict the decision function; the sigmoid is then refitted on the
 * training decision values, so probabilities always rise with the decision value.
 */
const svm: Classifier<SvmModelData> = {
  fit(X, y, s, o) {
    const base = { kernel: s.kernel, C: s.C, gamma: s.gamma, classWeight: classWeight(s) };
    const m = trainSvm(X, y, o.probability ? { ...base, seed: o.seed } : { ...base, probability: false });
    let calibrationRefitted = false;
    if (o.probability && m.platt && m.platt.A >= 0) {
      m.platt = plattScaling(m.decisionFunction(X), y);
      calibrationRefitted = true;
    }
    return { data: { ...m, kind: 'svm' }, calibrationRefitted };
  },
  decision: svmDecisionFunction,
  proba: svmPredictProba,
};

/** L2 logistic regression (config C = inverse penalty, class weights); its probabilities need no calibration. */
const logisticL2: Classifier<LogisticL2Data> = {
  fit: (X, y, s) => ({ data: trainLogisticL2(X, y, { C: s.C, classWeight: classWeight(s) }), calibrationRefitted: false }),
  decision: logisticL2Decision,
  proba: logisticL2Proba,
};

export const CLASSIFIERS = { svm, 'logistic-l2': logisticL2 };
export type ClassifierName = keyof typeof CLASSIFIERS;
export const CLASSIFIER_NAMES = Object.keys(CLASSIFIERS) as ClassifierName[];

/** A fitted classifier as plain data; `kind` names its entry in CLASSIFIERS. */
export type ClassifierData = SvmModelData | LogisticL2Data;

/** The classifier that reads this data. */
export function classifierOf(data: ClassifierData): Classifier<ClassifierData> {
  const c = (CLASSIFIERS as unknown as Record<string, Classifier<ClassifierData> | undefined>)[data.kind];
  if (!c) throw new Error(`unknown classifier "${String((data as { kind?: unknown }).kind)}" (known: ${CLASSIFIER_NAMES.join(', ')})`);
  return c;
}
