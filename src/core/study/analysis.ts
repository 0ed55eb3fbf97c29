/**
 * Stages 4–6 of the study at cohort level (../shared/SPEC.md, "Radiomic features",
 * "Feature selection", "Models and statistics"), as a composition of the stages in
 * ./stages/, each a pure function with its own unit tests:
 *
 *   icc-filter → regions (funnel + classifier + nested CV per region)
 *     → evidence (best habitat per sequence) → clinical-model (Table 2)
 *     → composite (Clinic, Clinic + habitat, Combined) → evaluation (DCA, Table 1)
 *
 * Everything is fitted on the training cohort only; the validation cohort is never
 * used to choose anything, and every random step is seeded from
 * `config.selection.seed`. Documented choices (docs/study.md):
 * - The ICC of the configured form (selection.iccType, default ICC(2,1)) between the
 *   two observers' VOIs when at least 5 patients have a second VOI; otherwise no ICC
 *   filter (noted in the report).
 * - Missing or non-finite values (a habitat absent in a patient; a missing clinical
 *   value) are imputed with the training median (or most frequent level); features
 *   constant in training are dropped.
 * - The best habitat of a sequence is the habitat with a model whose nested-CV AUC
 *   on training is highest (evidence.ts).
 * - Every model is the configured classifier on z-scored inputs with calibrated
 *   probabilities; thresholds for accuracy, sensitivity and specificity come from
 *   Youden's J on training.
 */
import type { Table1Row } from '../stats/table1.js';
import type { IccType } from '../stats/icc.js';
import { bestHabitats, sequenceEvidence, type SequenceEvidence } from './evidence.js';
import type { ClinicalTable } from './clinical.js';
import type { StudyConfig } from './config.js';
import { regionKey, type PatientFeatures, type RegionName } from './patient-features.js';
import { iccPlan } from './stages/icc-filter.js';
import { analyseRegion, cohortBatches, regionMatrix, studyRegions, type RegionHarmonisation, type RegionResult } from './stages/regions.js';
import { clinicalModel, type Table2 } from './stages/clinical-model.js';
import { compositeSpecs, fitCompositeModels, type ModelResult } from './stages/composite.js';
import { decisionCurves, studyTable1, type DecisionCurves } from './stages/evaluation.js';
import type { PermutationTest } from './permutation-result.js';
import { optimismTask, optimismValidation, type OptimismTask, type OptimismValidation } from './stages/optimism.js';
import { pick } from './stages/common.js';

export type { Evaluation } from './stages/evaluation.js';
export type { ModelResult } from './stages/composite.js';
export type { RegionResult } from './stages/regions.js';
export { CV_REPEATS } from './stages/regions.js';

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
  table2: Table2;
  models: ModelResult[];
  decisionCurve: DecisionCurves;
  /** Per patient: cohort, outcome, and each model's predicted probability. */
  predictions: { id: string; cohort: 'training' | 'validation'; outcome: 0 | 1; probabilities: Record<string, number>; radScores: Record<string, number> }[];
  /** Bootstrap internal validation corrected for optimism of every model (stages/optimism.ts); null when `models.bootstrap` is 0. Absent in studies saved before it. */
  optimism?: OptimismValidation | null;
  /** ComBat across batches (harmonisation.method: combat); absent with method none. */
  harmonisation?: StudyHarmonisation;
  notes: string[];
  /** The permutation test (config validation.permutations > 0; set by runStudy after the analysis). */
  permutation?: PermutationTest;
}

export interface StudyHarmonisation {
  batch: string;
  covariates: string[];
  /** Per region key: the columns, the model fitted on the training cohort, each cohort's batches and modes. */
  regions: Record<string, RegionHarmonisation>;
  /** One line per cohort: which mode its batches got. */
  summary: { training: string; validation: string };
}

/** The report's line for a cohort's batches (the first region that was harmonised). */
function modesLine(batches: RegionHarmonisation['training'], training: boolean): string {
  const label = (mode: RegionHarmonisation['training'][number]['mode']): string => {
    if (mode === 'reference') return training ? 'reference batch' : 'reference batch, unchanged';
    if (mode === 'training estimates') return training ? 'fitted' : 'seen-batch training estimates';
    if (mode === 'new batch') return 'batch not seen in training, mapped to the reference from its own features';
    return mode;
  };
  return batches.map((b) => `${b.name} ${b.n} (${label(b.mode)})`).join(', ');
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
  /** Called after each bootstrap resample of the internal validation. */
  onBootstrap?: (done: number, total: number) => void;
  /** The caller runs the bootstrap itself (in a worker pool, from `optimismTaskOf`): `optimism` is left null here. */
  deferBootstrap?: boolean;
}

export function analyseStudy(input: AnalysisInput): AnalysisResult {
  const { ids, labels, split, features, clinical, config } = input;
  const notes: string[] = [];

  const icc = iccPlan(ids, features);
  if (icc.note) notes.push(icc.note);
  const batches = cohortBatches(config, clinical, ids, split.train);
  const harmonised: Record<string, RegionHarmonisation> = {};

  const regions: RegionResult[] = [];
  const keptPerRegion: Record<string, number> = {};
  const radScores: Record<string, number[]> = {};
  for (const { sequence, region } of studyRegions(config.sequences, input.habitatCounts)) {
    const key = regionKey(sequence, region);
    const r = analyseRegion({ sequence, region, ...regionMatrix(ids, features, key) }, labels, split, config, { plan: icc, features }, batches);
    if (r.harmonisation) harmonised[key] = r.harmonisation;
    keptPerRegion[key] = r.result.funnel.icc;
    radScores[key] = r.radScores;
    regions.push(r.result);
    notes.push(...r.notes);
  }

  const bestHabitat = bestHabitats(regions, config.sequences);
  const evidence = sequenceEvidence(regions, config.sequences);

  const clinic = clinicalModel(clinical, ids, labels, split.train, config);
  notes.push(...clinic.notes);

  const specs = compositeSpecs(clinic.table2.clinicInputs, clinic.columns, bestHabitat, radScores, config.sequences);
  const composite = fitCompositeModels(specs, labels, split, config, evidence);
  notes.push(...composite.notes);

  const optimism = config.models.bootstrap > 0 && !input.deferBootstrap
    ? optimismValidation(optimismTask({ ...input, train: split.train }, icc, regions, bestHabitat, composite.models.map((m) => m.name), batches), config.models.bootstrap, input.onBootstrap)
    : null;
  notes.push(...(optimism?.notes ?? []));
  let harmonisation: StudyHarmonisation | undefined;
  if (batches) {
    const h = config.harmonisation;
    const first = Object.values(harmonised).find((r) => r.model !== null);
    const unadjusted = Object.entries(harmonised).filter(([, r]) => r.model && r.model.unadjusted.length > 0);
    harmonisation = {
      batch: h.batch!,
      covariates: h.covariates,
      regions: harmonised,
      summary: {
        training: first ? `fitted on the training patients: ${modesLine(first.training, true)}` : 'nothing to harmonise (no region with 2 usable features)',
        validation: first ? modesLine(first.validation, false) : '—',
      },
    };
    const how = `${h.parametric ? 'parametric' : 'non-parametric'}${h.meanOnly ? ', mean only' : ''}${h.covariates.length ? `, preserving ${h.covariates.join(', ')}` : ''}`;
    notes.push(`ComBat harmonisation across "${h.batch}" (${how}), fitted on training patients only and refitted in every nested-CV fold; training cohort: ${harmonisation.summary.training}; validation cohort: ${harmonisation.summary.validation}`);
    if (unadjusted.length > 0) notes.push(`ComBat left features constant within a training batch unadjusted (as sva does): ${unadjusted.map(([k, r]) => `${k.replace('|', ' ')} ${r.model!.unadjusted.length}`).join(', ')}`);
  }

  const inValidation = new Set(split.validation);
  const predictions = ids.map((id, i) => ({
    id,
    cohort: (inValidation.has(i) ? 'validation' : 'training') as 'training' | 'validation',
    outcome: labels[i]!,
    probabilities: Object.fromEntries(Object.entries(composite.probsByModel).map(([k, p]) => [k, p[i]!])),
    radScores: Object.fromEntries(Object.entries(radScores).map(([k, r]) => [k, r[i]!])),
  }));

  return {
    ids,
    labels,
    split: { training: pick(ids, split.train), validation: pick(ids, split.validation) },
    icc: { type: config.selection.iccType, threshold: config.selection.icc, patients: icc.patients, applied: icc.applied, keptPerRegion },
    regions,
    bestHabitat,
    evidence,
    table1: studyTable1(clinical, ids, labels, split.validation, config.outcome),
    table2: clinic.table2,
    models: composite.models,
    decisionCurve: decisionCurves(composite.probsByModel, labels, split),
    predictions,
    optimism,
    ...(harmonisation ? { harmonisation } : {}),
    notes,
  };
}

/** The bootstrap's task of a finished analysis (what `analyseStudy` runs in this thread unless deferred). */
export function optimismTaskOf(input: AnalysisInput, a: AnalysisResult): OptimismTask {
  return optimismTask({ ...input, train: input.split.train }, iccPlan(input.ids, input.features), a.regions, a.bestHabitat, a.models.map((m) => m.name), cohortBatches(input.config, input.clinical, input.ids, input.split.train));
}
