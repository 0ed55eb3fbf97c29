/**
 * External validation of a saved study on a labelled cohort, from the patients'
 * images: the one procedure behind `habitat validate` (Node worker pool) and the
 * app's "Validate on another cohort" (the study runner worker and its pool).
 * Each patient goes through the study's own stages with the settings saved in
 * model.json (preparation, habitat maps from the saved habitat models without
 * refit, features), optionally ComBat onto the training data, then the
 * best-habitat Rad-scores and every saved model; `externalValidation` gives the
 * figures and tests. A patient that cannot be scored is excluded with a note.
 */
import { validateParams } from '../radiomics/params.js';
import { clinicalColumn, parseClinicalCsv, type ClinicalTable } from './clinical.js';
import { bestHabitatRadScores, externalValidation, harmoniseExternal, type ExternalPatient, type ExternalValidationResult } from './external.js';
import type { StudyExecutor, StudyPatientSource } from './pipeline.js';
import { applyStudyModels, type StudyModelBundle } from './predict.js';

export interface ExternalRunOptions {
  /** Harmonise the best habitats' features onto the training data (ComBat, model.json's harmonisation block). */
  harmonise?: boolean;
  /** Clinical column naming each patient's batch (centre, scanner); absent: the whole cohort is one batch. */
  batchColumn?: string;
  /** Notes of the caller (patients it left out), carried into the result. */
  notes?: string[];
  /** Names the model in messages (e.g. its file). */
  modelName?: string;
  /** After each patient's features (or failure). */
  progress?: (done: number, total: number, id: string) => void;
}

/** The external cohort's clinical table, read with the study's id and outcome columns (the outcome is required). */
export function externalClinicalTable(bundle: StudyModelBundle, file: string, text: string): ClinicalTable {
  const c = bundle.config;
  return parseClinicalCsv(file, text, { idColumn: c.id, outcomeColumn: c.outcome, positive: c.positive, categorical: c.clinical.categorical });
}

export function checkExternalOptions(bundle: StudyModelBundle, clinical: ClinicalTable, opts: ExternalRunOptions): void {
  const model = opts.modelName ?? 'model.json';
  if (opts.harmonise && !bundle.harmonisation) throw new Error(`${model}: has no training harmonisation block (written before harmonisation existed); rerun the study to validate with harmonisation`);
  if (opts.batchColumn && !opts.harmonise) throw new Error('a batch column is only used with harmonisation');
  if (opts.batchColumn && !clinical.values[opts.batchColumn]) throw new Error(`${clinical.file}: no column "${opts.batchColumn}" (batch)`);
}

/** Evaluate `bundle` on the patients of `sources` with outcomes from `clinical`. */
export async function validateExternalCohort(
  bundle: StudyModelBundle,
  sources: StudyPatientSource[],
  clinical: ClinicalTable,
  executor: StudyExecutor,
  opts: ExternalRunOptions = {},
): Promise<ExternalValidationResult> {
  checkExternalOptions(bundle, clinical, opts);
  const config = bundle.config;
  const params = validateParams({ imageType: bundle.extraction.imageType, featureClass: bundle.extraction.featureClass, setting: bundle.extraction.setting }, `${opts.modelName ?? 'model.json'}: extraction`);
  const notes = [...(opts.notes ?? [])];
  const patients = sources.filter((s) => {
    if (clinical.ids.includes(s.id)) return true;
    notes.push(`patient ${s.id}: no row in ${clinical.file}; excluded`);
    return false;
  });
  if (patients.length === 0) throw new Error(`${clinical.file}: none of the cohort's patients has a clinical row`);
  let done = 0;
  const results = await Promise.all(
    patients.map(async (src) => {
      try {
        const prepared = await executor.prepare(src, config);
        return { id: src.id, features: await executor.features(prepared, bundle.habitatModels, params) };
      } catch (e) {
        return { id: src.id, error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
      } finally {
        done++;
        opts.progress?.(done, patients.length, src.id);
      }
    }),
  );
  let featured = results.flatMap((r) => {
    if (r.error !== undefined) {
      notes.push(`patient ${r.id}: ${r.error}; excluded`);
      return [];
    }
    return [r.features!];
  });
  // every patient left has a clinical row (filtered above)
  const rowOf = (id: string): number => {
    const row = clinical.ids.indexOf(id);
    if (row < 0) throw new Error(`${clinical.file}: no row for patient ${id}`);
    return row;
  };
  let harmonisation = 'none';
  if (opts.harmonise) {
    const column = opts.batchColumn;
    const batchOf = (id: string) => (column ? clinicalColumn(clinical, column)[rowOf(id)]! : 'external');
    const clinicalRow = (id: string) => {
      const row = rowOf(id);
      return Object.fromEntries(Object.entries(clinical.values).map(([name, cells]) => [name, cells[row] ?? '']));
    };
    const h = harmoniseExternal(bundle.harmonisation!, featured, batchOf, clinicalRow);
    for (const e of h.excluded) notes.push(`patient ${e.id}: ${e.reason}; excluded`);
    featured = h.features;
    harmonisation = h.summary;
  }
  const scored: ExternalPatient[] = [];
  for (const features of featured) {
    const { radScores, missing } = bestHabitatRadScores(bundle, features);
    if (missing) {
      notes.push(`patient ${features.id}: ${missing}; excluded`);
      continue;
    }
    const row = rowOf(features.id);
    const values = Object.fromEntries(clinical.variables.map((v) => [v.name, clinicalColumn(clinical, v.name)[row]!]));
    try {
      const models = applyStudyModels(bundle, radScores, values, features.id);
      scored.push({ id: features.id, outcome: clinical.outcome[row]!, probabilities: Object.fromEntries(models.map((m) => [m.name, m.probability])) });
    } catch (e) {
      notes.push(`${e instanceof Error ? e.message : String(e)}; excluded`);
    }
  }
  return externalValidation(bundle, scored, { harmonisation, notes });
}
