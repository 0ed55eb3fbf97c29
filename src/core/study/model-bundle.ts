/**
 * model.json: everything a trained study needs to score a new patient, as a
 * versioned file. `MODEL_VERSION` is the layout; `configVersion` the study
 * config's format version its `config` was written in (absent: version 1,
 * before study configs were versioned), so an older model's config goes
 * through the config migrations (config.ts) and is applied as it was trained.
 * Files newer than this program are refused in one line.
 */
import type { CombatModel } from '../harmonise/combat.js';
import type { HabitatModel } from '../habitats/habitat-model.js';
import type { RadScoreModel } from '../learn/selection.js';
import type { ExtractionParams } from '../radiomics/params.js';
import { STUDY_CONFIG_VERSION, studyConfigFrom, type StudyConfig } from './config.js';
import type { ScaledModelData } from './region-model.js';
import type { RegionName } from './patient-features.js';

export const MODEL_SCHEMA = 'habitat-workbench/study-model';
/** Raise when the layout changes, with a migration in MODEL_MIGRATIONS. */
export const MODEL_VERSION = 2;

/** What model.json keeps of the internal evaluation, for the external comparison (no patient ids). */
export interface InternalValidation {
  /** Outcomes of the internal validation cohort, in order. */
  labels: (0 | 1)[];
  models: Record<string, { probabilities: number[]; training: CohortSummary; validation: CohortSummary }>;
}

export interface CohortSummary {
  n: number;
  auc: number;
  ci95: [number, number];
  sensitivity: number;
  specificity: number;
  accuracy: number;
  brier: number;
}

/** The ComBat fit on the training patients that model.json keeps (see `trainingHarmonisation` in external.ts). */
export interface TrainingHarmonisation {
  /** 'training' (one reference batch); a study fitted with harmonisation.method combat: its batch column, the models being the study's own per region. */
  batch: string;
  /** Per best region (`<sequence>|<region>`): the features harmonised and the fitted model. */
  regions: Record<string, { names: string[]; model: CombatModel }>;
}

export interface StudyModelBundle {
  schema: typeof MODEL_SCHEMA;
  version: number;
  /** The study config's format version (config.ts STUDY_CONFIG_VERSION); absent = 1. */
  configVersion?: number;
  config: StudyConfig;
  /** The PyRadiomics parameters as given (imageType, featureClass, setting). */
  extraction: { imageType: ExtractionParams['imageType']; featureClass: ExtractionParams['featureClass']; setting: Record<string, unknown> };
  habitatModels: Record<string, HabitatModel>;
  /** The Rad-score of every region (sequence, region key). */
  regions: { sequence: string; region: string; radScore: RadScoreModel }[];
  /** Each sequence's best habitat (region key). */
  bestHabitat: Record<string, RegionName>;
  clinicInputs: string[];
  /** Each model: its inputs (Rad-scores and clinical columns), the scaled classifier (region-model.ts) and its training Youden threshold. */
  models: ({ name: string; inputs: string[]; threshold: number } & ScaledModelData)[];
  /** For external validation (external.ts): the internal validation cohort's outcomes and risks (no ids) and Table 3's summaries; absent in older files. */
  internal?: InternalValidation;
  /** ComBat of the best habitats' features fitted on the training patients, for `validate --harmonise`; absent in older files. */
  harmonisation?: TrainingHarmonisation;
}

type Raw = Record<string, unknown>;
/** MODEL_MIGRATIONS[v] turns a model.json of version v into version v + 1 (in place). */
const MODEL_MIGRATIONS: Record<number, (raw: Raw) => void> = {
  // 1 → 2: every model was an SVM, stored as `svm`; now `classifier` (kind-tagged, classifiers.ts).
  1: (raw) => {
    if (!Array.isArray(raw.models)) return;
    for (const m of raw.models as Raw[]) {
      if (m && typeof m === 'object' && 'svm' in m) {
        m.classifier = { ...(m.svm as Raw), kind: 'svm' };
        delete m.svm;
      }
    }
  },
};

/**
 * A parsed model.json brought to the current layout, its config checked and
 * migrated to the current config version. One-line errors name `file`.
 */
export function migrateModelBundle(raw: Raw, file: string): StudyModelBundle {
  const v = raw.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MODEL_VERSION) {
    const newer = typeof v === 'number' && v > MODEL_VERSION ? `newer than this workbench reads (${MODEL_VERSION}); update the workbench` : `this workbench reads version ${MODEL_VERSION}`;
    throw new Error(`${file}: model version ${String(v)} is not supported (${newer})`);
  }
  const out = structuredClone(raw);
  for (let n = v; n < MODEL_VERSION; n++) {
    const migrate = MODEL_MIGRATIONS[n];
    if (!migrate) throw new Error(`${file}: no migration from model version ${n}`);
    migrate(out);
  }
  out.version = MODEL_VERSION;
  if (out.config !== undefined && out.config !== null) {
    out.config = studyConfigFrom(out.config, `${file}: config`, (out.configVersion as number | undefined) ?? 1);
    out.configVersion = STUDY_CONFIG_VERSION;
  }
  return out as unknown as StudyModelBundle;
}
