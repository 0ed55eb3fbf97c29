/** Messages between the page, the study runner worker and the per-patient study workers. */
import type {
  AnalysisInput,
  ExternalRun,
  ExtractionParams,
  HabitatModel,
  InternalAucs,
  ObserverIccPreview,
  ObserverPreviewProgress,
  OptimismTask,
  PatientFeatures,
  PreparedPatient,
  StudyConfig,
  StudyModelBundle,
  StudyProgress,
  StudyView,
} from '../src/core/index.js';

/** A VOI corrected in the viewer (a .nii.gz on the original mask's grid): studied instead of the patient's mask. */
export interface EditedVoi {
  label: string;
  files: File[];
  /** Content hash of its labels (part of the cohort's cache key). */
  fingerprint: string;
}

/** Where a patient's images come from: generated (demo) or files the user dropped (File objects clone to workers). */
export type PatientSpec =
  /** A demo patient: generated; `voi2`, a second observer's VOI drawn in the viewer, replaces the demo's own (or adds one). */
  | { kind: 'demo'; id: string; index: number; patients: number; seed: number; voi?: EditedVoi; voi2?: EditedVoi }
  | {
      kind: 'files';
      id: string;
      series: Record<string, { label: string; files: File[] }>;
      mask: { label: string; files: File[] };
      mask2?: { label: string; files: File[] };
      voi?: EditedVoi;
    };

export interface StudyWorkerApi {
  prepare(spec: PatientSpec, config: StudyConfig): Promise<PreparedPatient>;
  features(prepared: PreparedPatient, models: Record<string, HabitatModel>, params: ExtractionParams): Promise<PatientFeatures>;
  /** Permuted runs of the permutation test; the study's input is sent once per worker (stages/permutation.ts `workerPermutedRuns`: null = send the input). */
  permutations(key: string, input: AnalysisInput | null, ks: number[]): Promise<InternalAucs[] | null>;
  /** Bootstrap resamples of the internal validation: every model's probabilities per resample (stages/optimism.ts). */
  optimism(task: OptimismTask, resamples: number[][]): Promise<Record<string, number[]>[]>;
}

export interface StudyRequest {
  /** Cache namespace of the cohort (demo seed and size, or a fingerprint of the files). */
  cohortKey: string;
  cohortTitle: string;
  patients: PatientSpec[];
  clinical: { file: string; text: string };
  /** Validated settings as YAML (what study.yaml in the export holds). */
  configYaml: string;
  paramsYaml: string;
  /** Size of the per-patient worker pool. */
  workers: number;
}

/** Validate on another cohort: a saved study's models on a labelled cohort (src/core/study/external-run.ts). */
export interface ExternalRequest {
  /** model.json of the study. */
  bundle: StudyModelBundle;
  cohortTitle: string;
  patients: PatientSpec[];
  /** The cohort's clinical table (its outcome column is required). */
  clinical: { file: string; text: string };
  harmonise: boolean;
  batchColumn?: string;
  /** Patients the page left out (e.g. a missing sequence), one line each. */
  notes: string[];
  workers: number;
}

/** What the page shows and keeps (built in src/core/study/study-view.ts, also by the CLI). */
export type { StudyView } from '../src/core/index.js';

/**
 * The observer ICC table before a run: with the study's clinical table, the study's whole cohort (every region);
 * without, the patients with both VOIs (whole tumour only).
 */
export type ObserverIccRequest = Omit<StudyRequest, 'clinical' | 'cohortTitle'> & { clinical?: StudyRequest['clinical'] };
export type { ObserverIccPreview, ObserverPreviewProgress } from '../src/core/index.js';

export interface StudyRunnerApi {
  run(req: StudyRequest, onProgress: (p: StudyProgress) => void): Promise<StudyView>;
  /** The features' ICC table (observer-preview.ts), with the study's executor and cache. */
  observerIcc(req: ObserverIccRequest, onProgress: (p: ObserverPreviewProgress) => void): Promise<ObserverIccPreview>;
  validate(req: ExternalRequest, onProgress: (done: number, total: number, id: string) => void): Promise<ExternalRun>;
}
