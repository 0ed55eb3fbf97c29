/**
 * Apply a trained study (model.json, `studyModelBundle`) to a new patient
 * (../shared/SPEC.md §7 (Outputs a user expects)): the same preparation, the cohort habitat models, the features of
 * each sequence's best habitat, their Rad-scores, and every model's predicted
 * risk with its training Youden threshold. Also returns the habitat maps.
 */
import { applyHabitatModel, type HabitatMap } from '../habitats/habitat-model.js';
import { radScore } from '../learn/selection.js';
import { extractFeatures } from '../radiomics/extractor.js';
import { validateParams } from '../radiomics/params.js';
import type { Volume } from '../image/volume.js';
import { preparePatient, type PatientImages, type PrepareDeps } from './prepare.js';
import { MODEL_SCHEMA, type StudyModelBundle } from './model-bundle.js';
import { predictScaledModel } from './region-model.js';
import { habitatNumber, radScoreInput } from './patient-features.js';
import { harmonisePatientRegion } from './stages/harmonise.js';
import { entryOf } from './stages/common.js';

export type { StudyModelBundle };

export interface PatientPrediction {
  id: string;
  /** Rad-score of each sequence's best habitat, keyed `Rad-score <seq> <HabN>` as the model inputs. */
  radScores: Record<string, number>;
  models: { name: string; probability: number; threshold: number; positive: boolean }[];
  habitats: Record<string, HabitatMap>;
  /** The prepared grid's VOI, for writing habitat maps beside it. */
  mask: Volume;
}

function clinicalValue(input: string, row: Record<string, string>, id: string): number {
  const eq = input.indexOf('=');
  if (eq > 0) {
    const name = input.slice(0, eq);
    const cell = row[name];
    if (cell === undefined || cell.trim() === '') throw new Error(`patient ${id}: clinical variable "${name}" is missing`);
    return cell.trim() === input.slice(eq + 1) ? 1 : 0;
  }
  const cell = row[input];
  const x = cell === undefined || cell.trim() === '' ? NaN : Number(cell);
  if (!Number.isFinite(x)) throw new Error(`patient ${id}: clinical variable "${input}" is missing or not a number (${cell ?? 'absent'})`);
  return x;
}

export async function predictPatient(bundle: StudyModelBundle, images: PatientImages, clinical: Record<string, string>, deps: PrepareDeps = {}): Promise<PatientPrediction> {
  if (bundle.schema !== MODEL_SCHEMA) throw new Error('model: not a Habitat Workbench study model (model.json)');
  const prepared = await preparePatient(images, bundle.config, deps);
  const params = validateParams({ imageType: bundle.extraction.imageType, featureClass: bundle.extraction.featureClass, setting: bundle.extraction.setting }, 'model.json extraction');
  const habitats: Record<string, HabitatMap> = {};
  const radScores: Record<string, number> = {};
  for (const [seq, region] of Object.entries(bundle.bestHabitat)) {
    const model = entryOf(bundle.habitatModels, seq, 'model.json habitat models');
    const map = applyHabitatModel(model, { images: prepared.images, mask: prepared.mask }, images.id);
    habitats[seq] = map;
    const h = habitatNumber(region);
    const data = new Uint8Array(map.labels.data.length);
    let n = 0;
    for (let i = 0; i < data.length; i++)
      if (map.labels.data[i] === h) {
        data[i] = 1;
        n++;
      }
    const rs = bundle.regions.find((r) => r.sequence === seq && r.region === region)!.radScore;
    let score = rs.intercept;
    if (rs.names.length > 0) {
      if (n < 2) throw new Error(`patient ${images.id}: ${seq} ${region} has ${n} voxel${n === 1 ? '' : 's'}; its Rad-score cannot be computed`);
      const f = extractFeatures(entryOf(prepared.images, seq, `patient ${images.id} images`), { ...map.labels, data }, { params, label: 1, imageName: `${images.id}/${seq}`, maskName: `${images.id}/${seq}-${region}` });
      // a study fitted with ComBat: the patient's features mapped by its batch's training estimates
      const h = bundle.config.harmonisation.method === 'combat' ? bundle.harmonisation?.regions[`${seq}|${region}`] : undefined;
      const values: Record<string, number | string> = h ? { ...f, ...harmonisePatientRegion(h, f, batchOf(bundle, clinical, images.id), clinical, images.id) } : f;
      const row = rs.names.map((name) => {
        const v = Number(values[name]);
        if (!Number.isFinite(v)) throw new Error(`patient ${images.id}: feature ${name} of ${seq} ${region} is not finite`);
        return v;
      });
      score = radScore(rs, [row])[0]!;
    }
    radScores[radScoreInput(seq, region)] = score;
  }
  return { id: images.id, radScores, models: applyStudyModels(bundle, radScores, clinical, images.id), habitats, mask: prepared.mask };
}

/** The patient's batch (the study's harmonisation.batch column), or a one-line error. */
function batchOf(bundle: StudyModelBundle, clinical: Record<string, string>, id: string): string {
  const column = bundle.config.harmonisation.batch!;
  const b = (clinical[column] ?? '').trim();
  if (b === '') throw new Error(`patient ${id}: no value in column "${column}"; the study harmonised its features across "${column}" (ComBat) and needs the patient's centre or scanner`);
  return b;
}

/** Every saved model's risk for one patient from its Rad-scores and clinical row, with the training threshold. */
export function applyStudyModels(bundle: StudyModelBundle, radScores: Record<string, number>, clinical: Record<string, string>, id: string): PatientPrediction['models'] {
  return bundle.models.map((m) => {
    const x = m.inputs.map((input) => (input in radScores ? radScores[input]! : clinicalValue(input, clinical, id)));
    const probability = predictScaledModel(m, [x])[0]!;
    return { name: m.name, probability, threshold: m.threshold, positive: probability >= m.threshold };
  });
}
