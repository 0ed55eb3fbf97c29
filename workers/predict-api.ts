/** The contract between the page and the prediction worker (workers/predict.worker.ts): plain data, NIfTI bytes as transferables. */
import type { StudyModelBundle } from '../src/core/index.js';
import type { VolumeSummary } from './image-reader-api.js';
import type { PatientSpec } from './study-api.js';

export interface PredictRequest {
  bundle: StudyModelBundle;
  /** The patient's images: a demo patient, a loaded cohort patient's files, or files dropped for one new patient. */
  patient: PatientSpec;
  /** Clinical values by variable name (cell text, as in the clinical CSV). */
  clinical: Record<string, string>;
}

export interface PredictedHabitats {
  /** uint8 labels (0 outside the VOI, 1…k) on the prepared study grid, as an uncompressed NIfTI for the viewer. */
  nifti: ArrayBuffer;
  /** The same map as .nii.gz, for download. */
  niftiGz: ArrayBuffer;
  summary: VolumeSummary;
  volumesMm3: number[];
  fractions: number[];
  missing: number[];
}

export type PredictResult =
  | {
      ok: true;
      id: string;
      radScores: Record<string, number>;
      models: { name: string; probability: number; threshold: number; positive: boolean }[];
      habitats: Record<string, PredictedHabitats>;
      seconds: number;
    }
  | { ok: false; message: string };

export interface PredictApi {
  predict(req: PredictRequest): Promise<PredictResult>;
}
