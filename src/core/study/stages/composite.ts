/**
 * Stage: the composite models (../shared/SPEC.md, "Models and statistics"): Clinic,
 * Clinic + each sequence's best-habitat Rad-score, and Combined (Clinic + every best
 * habitat's Rad-score). Each is the configured classifier on scaled inputs fitted on
 * the training cohort, with probabilities for every patient, a threshold by Youden's
 * J on training, and its evaluation on both cohorts (DeLong against Clinic).
 */
import { youden } from '../../stats/roc.js';
import { deriveSeed } from '../../util/random.js';
import type { ClassifierData } from '../classifiers.js';
import type { StudyConfig } from '../config.js';
import { compositeFlag, type SequenceEvidence } from '../evidence.js';
import { radScoreInput, regionKey, type RegionName } from '../patient-features.js';
import { fitScaledModel, predictScaledModel, type ScaledModelData } from '../region-model.js';
import { entryOf, pick } from './common.js';
import { evaluate, type Evaluation } from './evaluation.js';

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

export interface ModelSpec {
  name: string;
  inputs: string[];
  /** One cohort-length column per input. */
  columns: number[][];
}

/** The composite models' specifications, in report order; a sequence without a best habitat adds no model. */
export function compositeSpecs(
  clinicInputs: readonly string[], clinicalColumns: Record<string, number[]>, bestHabitat: Record<string, RegionName>,
  radScores: Record<string, number[]>, sequences: readonly string[],
): ModelSpec[] {
  const clinicColumns = clinicInputs.map((name) => entryOf(clinicalColumns, name, 'clinical columns'));
  const specs: ModelSpec[] = [{ name: 'Clinic', inputs: [...clinicInputs], columns: clinicColumns }];
  const bestCols: number[][] = [];
  const bestNames: string[] = [];
  for (const seq of sequences) {
    const h = bestHabitat[seq];
    if (!h) continue;
    const rs = entryOf(radScores, regionKey(seq, h), 'rad-scores');
    bestCols.push(rs);
    bestNames.push(radScoreInput(seq, h));
    specs.push({ name: `Clinic + ${seq} ${h}`, inputs: [...clinicInputs, radScoreInput(seq, h)], columns: [...clinicColumns, rs] });
  }
  if (bestCols.length > 0) specs.push({ name: 'Combined', inputs: [...clinicInputs, ...bestNames], columns: [...clinicColumns, ...bestCols] });
  return specs;
}

export interface CompositeModels {
  models: ModelResult[];
  /** Each model's predicted probability for every patient of the cohort. */
  probsByModel: Record<string, number[]>;
  notes: string[];
}

/** Fits every spec with at least one input on the training rows and evaluates it on both cohorts. */
export function fitCompositeModels(
  specs: readonly ModelSpec[], labels: (0 | 1)[], split: { train: number[]; validation: number[] }, config: StudyConfig, evidence: SequenceEvidence[],
): CompositeModels {
  const { train, validation: val } = split;
  const notes: string[] = [];
  const probsByModel: Record<string, number[]> = {};
  const ytrain = pick(labels, train);
  const yval = pick(labels, val);
  const fitted = specs
    .filter((s) => s.columns.length > 0)
    .map((spec) => {
      const X = labels.map((_, i) => spec.columns.map((c) => c[i]!));
      const fit = fitScaledModel(pick(X, train), ytrain, config.models, { seed: deriveSeed(config.selection.seed, 'model', spec.name), probability: true });
      if (fit.calibrationRefitted) notes.push(`${spec.name}: Platt scaling on out-of-fold decision values came out inverted; refitted on the training decision values`);
      const probs = predictScaledModel(fit.model, X);
      probsByModel[spec.name] = probs;
      return { spec, model: fit.model, probs };
    });
  const clinicProbs = probsByModel['Clinic'] ?? null;
  const models = fitted.map(({ spec, model, probs }): ModelResult => {
    const ptrain = pick(probs, train);
    const pval = pick(probs, val);
    const threshold = youden(ytrain, ptrain).threshold;
    const vsClinic = spec.name !== 'Clinic' && clinicProbs !== null;
    const training = evaluate(ytrain, ptrain, threshold, vsClinic ? pick(clinicProbs, train) : null);
    const validation = evaluate(yval, pval, threshold, vsClinic ? pick(clinicProbs, val) : null);
    return {
      name: spec.name,
      inputs: spec.inputs,
      threshold,
      training,
      validation,
      delongP: validation.delongP,
      flag: compositeFlag(spec.inputs, evidence),
      classifier: model.classifier,
      scaler: model.scaler,
    };
  });
  return { models, probsByModel, notes };
}
