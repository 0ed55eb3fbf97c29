/**
 * Stage: evaluation of predicted probabilities (../shared/SPEC.md, "Models and
 * statistics"): AUC with its DeLong CI, accuracy / sensitivity / specificity at a
 * threshold fixed on training, the paired DeLong test against a reference model,
 * Brier score, Hosmer–Lemeshow, calibration curve, ROC; decision curves; and the
 * Table 1 comparison of the training and validation cohorts.
 */
import { delongTest, rocCurve } from '../../stats/roc.js';
import { brierScore, calibrationCurve, hosmerLemeshow, netBenefit } from '../../stats/calibration.js';
import { table1, type Table1Row, type Table1Variable } from '../../stats/table1.js';
import { clinicalColumn, type ClinicalTable } from '../clinical.js';
import { aucWithCi, pick, safe } from './common.js';

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

/** Evaluates `probs` against `labels`; `threshold` classifies (≥ is positive); `reference` gives the paired DeLong p. */
export function evaluate(labels: (0 | 1)[], probs: number[], threshold: number, reference: number[] | null): Evaluation {
  const a = aucWithCi(labels, probs);
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  labels.forEach((y, i) => {
    const pos = probs[i]! >= threshold;
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

export interface DecisionCurves {
  thresholds: number[];
  training: Record<string, number[]>;
  validation: Record<string, number[]>;
  treatAll: { training: number[]; validation: number[] };
}

/** Net benefit of every model at thresholds 0.01…0.99 on both cohorts, with treat-all. */
export function decisionCurves(probsByModel: Record<string, number[]>, labels: (0 | 1)[], split: { train: number[]; validation: number[] }): DecisionCurves {
  const thresholds = Array.from({ length: 99 }, (_, k) => (k + 1) / 100);
  const ytrain = pick(labels, split.train);
  const yval = pick(labels, split.validation);
  const dca: DecisionCurves = { thresholds, training: {}, validation: {}, treatAll: { training: [], validation: [] } };
  for (const [name, probs] of Object.entries(probsByModel)) {
    const t = netBenefit(ytrain, pick(probs, split.train), thresholds);
    const v = netBenefit(yval, pick(probs, split.validation), thresholds);
    dca.training[name] = Array.from(t.model);
    dca.validation[name] = Array.from(v.model);
    dca.treatAll = { training: Array.from(t.treatAll), validation: Array.from(v.treatAll) };
  }
  return dca;
}

/** Table 1: every clinical variable and the outcome, training (group 0) against validation (group 1). */
export function studyTable1(clinical: ClinicalTable, ids: readonly string[], labels: (0 | 1)[], validation: readonly number[], outcome: string): Table1Row[] {
  const rowOf = new Map(clinical.ids.map((id, r) => [id, r]));
  const inValidation = new Set(validation);
  const group = ids.map((_, i) => (inValidation.has(i) ? 1 : 0));
  const vars: Table1Variable[] = clinical.variables.map((v) => {
    const column = clinicalColumn(clinical, v.name);
    const cells = ids.map((id) => column[rowOf.get(id)!]!);
    return v.kind === 'continuous'
      ? { name: v.name, kind: 'continuous', values: cells.map((c) => (c === '' ? null : Number(c))) }
      : { name: v.name, kind: 'categorical', values: cells.map((c) => (c === '' ? null : c)) };
  });
  vars.push({ name: outcome, kind: 'categorical', values: labels.map((y) => clinical.outcomeLabels[y]!) });
  return table1(vars, group);
}
