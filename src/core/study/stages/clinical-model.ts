/**
 * Stage: the clinical model, Table 2 (../shared/SPEC.md, "Models and statistics":
 * univariate logistic regression, variables with p < 0.05 enter a multivariate
 * model, the independent predictors make the Clinic model). On the training
 * cohort only. Fallbacks, each noted in the report:
 * - an entered variable that is a linear combination of others is left out as
 *   `aliased` (R's glm reports NA for it);
 * - when no entered variable stays significant, or the multivariate fit fails
 *   (separation), forward stepwise selection by Wald p among the entered ones;
 * - when nothing enters, the single variable with the lowest univariate p.
 */
import { forwardStepwiseLogistic, univariateLogistic, multivariateLogistic, type OddsRatioRow } from '../../learn/logistic.js';
import { clinicalDesign, type ClinicalTable } from '../clinical.js';
import type { StudyConfig } from '../config.js';
import { imputeColumns, pick } from './common.js';

export interface Table2 {
  univariate: (OddsRatioRow | { name: string; error: string })[];
  multivariate: OddsRatioRow[];
  entered: string[];
  aliased: string[];
  independent: string[];
  clinicInputs: string[];
}

export interface ClinicalModel {
  table2: Table2;
  /** The design columns (dummies and continuous variables) kept after imputation, and the cohort's values of each, rows in `ids` order. */
  columns: Record<string, number[]>;
  notes: string[];
}

/** Table 2 and the Clinic model's inputs; `ids` are the cohort's patients, `train` indexes them. */
export function clinicalModel(clinical: ClinicalTable, ids: readonly string[], labels: (0 | 1)[], train: number[], config: StudyConfig): ClinicalModel {
  const notes: string[] = [];
  const ytrain = pick(labels, train);
  const alpha = config.clinical.univariateP;
  // auto: every column but the harmonisation's batch (a centre is not a patient's risk factor)
  const batch = config.harmonisation.method === 'combat' ? config.harmonisation.batch : undefined;
  const varNames = config.clinical.variables === 'auto' ? clinical.variables.map((v) => v.name).filter((v) => v !== batch) : config.clinical.variables;
  const rowOf = new Map(clinical.ids.map((id, r) => [id, r]));
  const design = clinicalDesign(clinical, varNames, ids.map((id) => rowOf.get(id)!));
  if (design.missing.length > 0) notes.push(`${design.missing.length} missing clinical value(s) imputed with the training median / most frequent level`);
  const C = design.X.map((r) => r.slice());
  const keptClin = imputeColumns(C, train);
  const clinNames = keptClin.map((j) => design.columns[j]!);
  const Ck = C.map((r) => keptClin.map((j) => r[j]!));
  const Ctrain = pick(Ck, train);
  const univariate = univariateLogistic(Ctrain, ytrain, clinNames);
  let multi: ReturnType<typeof multivariateLogistic>;
  try {
    multi = multivariateLogistic(Ctrain, ytrain, clinNames, { alpha });
  } catch (e) {
    // e.g. (quasi-)separation among the entered variables in a small training cohort
    const entered = univariate.filter((u): u is OddsRatioRow => 'p' in u && u.p < alpha).map((u) => u.name);
    notes.push(`multivariate logistic regression on the ${entered.length} variable(s) with univariate p < ${alpha} failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
    multi = { entered, rows: [], model: null, independent: [], aliased: [] };
  }
  if (multi.aliased.length > 0) notes.push(`multivariate logistic regression: ${multi.aliased.join(', ')} left out as a linear combination of the intercept and the other entered variables (R's glm reports NA for ${multi.aliased.length > 1 ? 'them' : 'it'})`);
  let clinicInputs = multi.independent;
  if (clinicInputs.length === 0 && multi.entered.length > 0) {
    // Entered variables that share their information (T, N and stage dummies) can all
    // lose significance together: pick a parsimonious subset instead of all of them.
    const candidates = multi.entered.filter((n) => !multi.aliased.includes(n));
    clinicInputs = forwardStepwiseLogistic(Ctrain, ytrain, clinNames, { alpha, candidates });
    notes.push(
      `no entered clinical variable reached p < ${alpha} in the ${multi.model ? 'multivariate model' : 'failed multivariate fit'}; forward stepwise selection among them (Wald p < ${alpha}) gives the Clinic model: ${clinicInputs.join(', ') || 'none'}`,
    );
  }
  if (clinicInputs.length === 0) {
    const ok = univariate.filter((u): u is OddsRatioRow => 'p' in u).sort((a, b) => a.p - b.p);
    clinicInputs = ok.length > 0 ? [ok[0]!.name] : [];
    notes.push(`no clinical variable reached p < ${alpha}; the Clinic model uses ${clinicInputs.join(', ') || 'no variable'}`);
  }
  const columns = Object.fromEntries(clinNames.map((name, j) => [name, Ck.map((r) => r[j]!)]));
  return {
    table2: { univariate, multivariate: multi.rows, entered: multi.entered, aliased: multi.aliased, independent: multi.independent, clinicInputs },
    columns,
    notes,
  };
}
