/**
 * The contract between the UI and the image-reader worker: plain data only.
 * Volumes stay in the worker; the UI receives NIfTI bytes for NiiVue and a
 * summary of the geometry.
 */

/** Where the voxels of one series come from. */
export type SeriesSource =
  /** One image file, or the files of one DICOM series. */
  | { kind: 'files'; files: File[] }
  /** A synthetic patient of the demo cohort (`src/demo/demo.ts`), generated on demand. */
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
  | {
      ok: true;
      key: string;
      label: string;
      nifti: ArrayBuffer;
      summary: VolumeSummary;
      /** Voxels of each label 1…k (habitat maps: Hab1…Habk). */
      labelCounts?: number[];
    }
  | { ok: false; key: string; label: string; message: string };

/** A habitat map of one patient from a finished study: its prepared images come from the study cache. */
export interface HabitatMapRequest {
  /** Cache key of the prepared patient (study-db.ts prefix included). */
  preparedKey: string;
  patientId: string;
  model: import('../src/core/index.js').HabitatModel;
}

/** A VOI corrected in the viewer: labels in the file order of the patient's original mask, on its grid. */
export interface EditedMaskRequest {
  patientId: string;
  /** The patient's original mask (read again if the worker no longer holds it). */
  original: SeriesRequest;
  /** Name of the edited mask in messages and as a file (ends in .nii.gz). */
  label: string;
  data: Uint8Array;
}

export type EditedMaskResult =
  | {
      ok: true;
      /** Reader cache key of the edited mask (`voi-edit:<patient>:<fingerprint>`). */
      key: string;
      /** The edited mask as .nii.gz, with the original's geometry and voxel type. */
      gz: ArrayBuffer;
      /** Content hash of the edited labels (study cache keys). */
      fingerprint: string;
      voxels: number;
      originalVoxels: number;
      /** The edit gives back exactly the original mask's voxels. */
      identical: boolean;
    }
  | { ok: false; message: string };

/** A VOI drawn in the viewer: labels in the file order of `grid` (the displayed image, or the mask being redrawn), on its grid. */
export interface DrawnMaskRequest {
  patientId: string;
  /** The series whose grid (size, spacing, origin, direction) the mask takes. */
  grid: SeriesRequest;
  /** Name in messages and as a file (ends in .nii.gz). */
  label: string;
  data: Uint8Array;
}

export type DrawnMaskResult =
  | { ok: true; key: string; gz: ArrayBuffer; fingerprint: string; voxels: number; volumeMl: number }
  | { ok: false; message: string };

/** Dice and volumes of two VOIs on the same grid (first and second observer). */
export type AgreementResult = { ok: true; agreement: import('../src/core/index.js').MaskAgreement } | { ok: false; message: string };

/** One series of a dropped export, as the review table shows it (no UIDs). */
export interface ExportSeriesRow {
  key: string;
  patientId: string;
  seriesNumber?: number;
  description: string;
  protocol: string;
  orientation: string;
  matrix: number[];
  spacing: number[];
  slices: number;
  contrast: boolean;
  fatSat: boolean;
  notAVolume?: string;
}

/** A dropped folder sorted by DICOM header (src/core/import). */
export interface ExportReview {
  /** Whether the drop is an export to review (several series per folder, RTSTRUCT, DICOMDIR), not one DICOM folder per series. */
  isExport: boolean;
  sequences: string[];
  series: ExportSeriesRow[];
  mappings: import('../src/core/index.js').PatientMapping[];
  /** ROI names of each patient's RT Structure Sets. */
  rois: Record<string, string[]>;
  /** One line per file that is not part of an image series, or unreadable. */
  notes: string[];
}

export interface ExportImportRequest {
  mappings: import('../src/core/index.js').PatientMapping[];
  voi?: string;
  voi2?: string;
  reference: string;
}

export interface ExportImportResult {
  files: { path: string; bytes: ArrayBuffer }[];
  imported: string[];
  problems: string[];
}

export interface ImageReaderApi {
  /** Sort dropped DICOM files by header and suggest each patient's sequences (default rules). */
  scanExport(files: { path: string; file: File }[], onProgress?: (done: number, total: number) => void): Promise<ExportReview>;
  /** Build the reviewed export's patients as cohort-layout NIfTI files (after scanExport); `onProgress` after each patient. */
  importExport(req: ExportImportRequest, onProgress?: (done: number, total: number, id: string) => void): Promise<ExportImportResult>;
  /** A drawn VOI as a uint8 mask on the grid of `req.grid` (kept for loadSeries under the returned key). */
  drawnMask(req: DrawnMaskRequest): Promise<DrawnMaskResult>;
  /** Agreement of two masks (read as for loadSeries); a one-line reason when they are not on one grid. */
  agreement(a: SeriesRequest, b: SeriesRequest): Promise<AgreementResult>;
  /** The edited VOI as a mask Volume on the original mask's grid (kept for loadSeries under the returned key). */
  editedMask(req: EditedMaskRequest): Promise<EditedMaskResult>;
  /** Habitat labels (0 outside the VOI, 1…k) as NIfTI on the study grid, or a one-line reason. */
  habitatMap(req: HabitatMapRequest): Promise<SeriesResult>;
  loadSeries(req: SeriesRequest): Promise<SeriesResult>;
  /** One-line description of how a mask's grid differs from its image's, or null when they agree. */
  compareGeometry(imageKey: string, maskKey: string): Promise<string | null>;
}
