/**
 * The contract between the UI and the image-reader worker: plain data only.
 * Volumes stay in the worker; the UI receives NIfTI bytes for NiiVue and a
 * summary of the geometry.
 */

/** Where the voxels of one series come from. */
export type SeriesSource =
  /** One image file, or the files of one DICOM series. */
  | { kind: 'files'; files: File[] }
  /** A synthetic patient of the demo cohort (`src/core/study/demo.ts`), generated on demand. */
  | { kind: 'demo'; patientIndex: number; series: string; patients: number; seed: number };

export interface SeriesRequest {
  /** Cache key, unique per series in the current session. */
  key: string;
  /** Name used in messages (a file or folder path). */
  label: string;
  source: SeriesSource;
}

export interface VolumeSummary {
  size: [number, number, number];
  spacing: [number, number, number];
  origin: [number, number, number];
  direction: number[];
  voxelType: string;
  format: string;
  /** Minimum and maximum intensity. */
  range: [number, number];
  /** Voxels with a non-zero value (the VOI size for masks). */
  nonzeroVoxels: number;
  /** Volume of the non-zero voxels in millilitres (the VOI volume for masks). */
  nonzeroVolumeMl: number;
}

export type SeriesResult =
  | { ok: true; key: string; label: string; nifti: ArrayBuffer; summary: VolumeSummary }
  | { ok: false; key: string; label: string; message: string };

/** A habitat map of one patient from a finished study: its prepared images come from the study cache. */
export interface HabitatMapRequest {
  /** Cache key of the prepared patient (study-db.ts prefix included). */
  preparedKey: string;
  patientId: string;
  model: import('../src/core/habitats/habitat-model.js').HabitatModel;
}

export interface ImageReaderApi {
  /** Habitat labels (0 outside the VOI, 1…k) as NIfTI on the study grid, or a one-line reason. */
  habitatMap(req: HabitatMapRequest): Promise<SeriesResult>;
  loadSeries(req: SeriesRequest): Promise<SeriesResult>;
  /** One-line description of how a mask's grid differs from its image's, or null when they agree. */
  compareGeometry(imageKey: string, maskKey: string): Promise<string | null>;
}
