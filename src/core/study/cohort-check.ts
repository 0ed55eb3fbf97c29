/**
 * Check a whole cohort before a study runs: every image header, every mask
 * against the reference sequence's grid, the masks' content, and the clinical
 * table against the patients. Nothing stops at the first problem: each file,
 * patient or table row that is wrong gives one line, and the check finishes.
 *
 * Pure of any file system: the caller passes readers (the CLI's `habitat check`
 * reads files from disk; the app can read its File objects), so the same rules
 * serve both.
 */
import { checkFiniteVoxels, type Geometry } from '../image/guard.js';
import { describeGeometryMismatch, type Volume } from '../image/volume.js';
import { clinicalColumn, isMissing, matchClinicalToCohort, parseClinicalCsv } from './clinical.js';
import type { CohortLayout } from '../cohort/cohort-layout.js';
import { DEFAULT_STUDY_CONFIG, checkHarmonisationColumns, clinicalColumnsRead, type StudyConfig } from './config.js';

export interface CohortProblem {
  /** The patient concerned, when there is one. */
  patient?: string;
  /** The file concerned, when there is one. */
  file?: string;
  /** One line naming the file, key or patient and the problem. */
  message: string;
}

export interface CohortCheckReaders {
  /** Header and geometry of an image, without its voxels (throws a one-line Error for a broken file). */
  header: (file: string) => Promise<Geometry>;
  /**
   * The whole volume (masks always; images only in deep mode). A reader may set
   * `metadata.nonFiniteOnDisk` to the number of NaN/Inf voxels the file holds
   * but decoding turned into 0 (NIfTI through ITK 5); each is reported.
   */
  volume: (file: string) => Promise<Volume>;
  /** Text of a file (the clinical table). */
  text: (file: string) => Promise<string>;
}

export interface CohortCheckOptions {
  /** The study configuration (sequences, reference, clinical columns); default: the paper's. */
  config?: StudyConfig;
  /** Whether a study config was given: then missing sequences and a missing clinical table are problems. */
  configGiven?: boolean;
  /** Read every image in full (NaN/Inf voxels inside the ROI), not only its header. */
  deep?: boolean;
  /** Mask label of the ROI (default 1). */
  label?: number;
}

export interface CohortCheckReport {
  problems: CohortProblem[];
  patients: number;
  /** Image and mask files looked at. */
  files: number;
  clinicalRows: number;
}

const oneLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** The sequence the masks are drawn on: the config's reference, else the paper's if present, else the first. */
export function referenceSequence(layout: CohortLayout, config: StudyConfig | undefined): string | undefined {
  if (config) return config.reference;
  if (layout.sequenceNames.includes(DEFAULT_STUDY_CONFIG.reference)) return DEFAULT_STUDY_CONFIG.reference;
  return layout.sequenceNames[0];
}

/** Describe a mask's content for ROI `label`: null when usable, else the problem (PyRadiomics' getMask/checkMask rules). */
export function maskContentProblem(mask: Volume, label: number): string | null {
  const labels = new Set<number>();
  let count = 0;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  const [nx, ny] = mask.size;
  for (let i = 0; i < mask.data.length; i++) {
    const v = mask.data[i]!;
    // NaN and ±Inf cast to 0 (background) as SimpleITK's Cast to UInt32 does on x86-64
    const t = Number.isFinite(v) ? Math.trunc(v) : 0;
    if (t === 0) continue;
    labels.add(t);
    if (t !== label) continue;
    count++;
    const c = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))];
    for (let a = 0; a < 3; a++) {
      const x = c[a]!;
      if (x < lo[a]!) lo[a] = x;
      if (x > hi[a]!) hi[a] = x;
    }
  }
  if (labels.size === 0) return 'the mask is empty (no voxel is labelled)';
  if (count === 0) return `label ${label} is not present in the mask (labels: ${[...labels].sort((a, b) => a - b).join(', ')})`;
  if (count === 1) return 'the ROI is a single voxel; no texture or shape features can be computed';
  return null;
}

/** Check a cohort (see the module comment). Never throws for bad input: every problem is returned. */
export async function checkCohort(layout: CohortLayout, readers: CohortCheckReaders, opts: CohortCheckOptions = {}): Promise<CohortCheckReport> {
  const problems: CohortProblem[] = [];
  const label = opts.label ?? 1;
  const config = opts.config;
  for (const message of layout.problems) {
    const m = /^patient (\S+):/.exec(message);
    problems.push(m ? { patient: m[1], message } : { message });
  }
  const reference = referenceSequence(layout, config);
  let files = 0;

  if (config && opts.configGiven) {
    for (const s of config.sequences)
      if (!layout.sequenceNames.includes(s) && layout.patients.length > 0)
        problems.push({ message: `sequence ${s} (named in the study config) is found in no patient folder (sequences found: ${layout.sequenceNames.join(', ') || 'none'})` });
    // a sequence some patients lack is already one line per patient in layout.problems
  }

  for (const p of layout.patients) {
    const geometries = new Map<string, Geometry>();
    for (const [seq, file] of Object.entries(p.sequences)) {
      files++;
      try {
        const g = opts.deep ? await readers.volume(file) : await readers.header(file);
        geometries.set(seq, g);
        const hidden = Number((g as Volume).metadata?.nonFiniteOnDisk ?? 0);
        if (hidden > 0)
          problems.push({
            patient: p.id,
            file,
            message: `${file}: ${hidden} voxel${hidden === 1 ? ' is' : 's are'} NaN or infinite in the file; NIfTI readers (ITK 5, hence SimpleITK and PyRadiomics) read them as 0`,
          });
      } catch (e) {
        problems.push({ patient: p.id, file, message: oneLine(e) });
      }
    }
    const refFile = reference !== undefined ? p.sequences[reference] : undefined;
    const refGeometry = reference !== undefined ? geometries.get(reference) : undefined;
    for (const maskFile of [p.mask, p.mask2]) {
      if (!maskFile) continue;
      files++;
      let mask: Volume;
      try {
        mask = await readers.volume(maskFile);
      } catch (e) {
        problems.push({ patient: p.id, file: maskFile, message: oneLine(e) });
        continue;
      }
      const content = maskContentProblem(mask, label);
      if (content) problems.push({ patient: p.id, file: maskFile, message: `${maskFile}: ${content}` });
      if (refFile && refGeometry) {
        const mismatch = describeGeometryMismatch({ ...refGeometry, data: new Uint8Array(0) }, { ...mask, data: new Uint8Array(0) });
        if (mismatch) problems.push({ patient: p.id, file: maskFile, message: `${maskFile}: geometry differs from ${refFile} (${mismatch})` });
        else if (opts.deep && !content) {
          const inRoi = new Uint8Array(mask.data.length);
          for (let i = 0; i < inRoi.length; i++) inRoi[i] = Math.trunc(mask.data[i]!) === label ? 1 : 0;
          for (const [seq, g] of geometries) {
            const seqFile = p.sequences[seq]!; // geometries holds the entries of p.sequences
            const img = g as Volume;
            if (!img.data || describeGeometryMismatch(img, mask)) continue;
            try {
              checkFiniteVoxels(seqFile, img, inRoi, label, false);
            } catch (e) {
              problems.push({ patient: p.id, file: seqFile, message: oneLine(e) });
            }
          }
        }
      }
    }
  }

  let clinicalRows = 0;
  if (layout.clinical) {
    const file = layout.clinical;
    try {
      const text = await readers.text(file);
      const c = config ?? DEFAULT_STUDY_CONFIG;
      const table = parseClinicalCsv(file, text, {
        idColumn: c.id,
        outcomeColumn: c.outcome,
        positive: c.positive,
        categorical: c.clinical.categorical,
        variables: clinicalColumnsRead(c),
        checkColumns: (columns) => checkHarmonisationColumns(c, columns, 'study settings', file),
      });
      clinicalRows = table.ids.length;
      const cohortIds = layout.patients.map((p) => p.id);
      for (const message of matchClinicalToCohort(table, cohortIds)) {
        const m = /patient (\S+) /.exec(message);
        problems.push({ file, patient: m?.[1], message });
      }
      if (!table.outcome.includes(0) || !table.outcome.includes(1))
        problems.push({ file, message: `${file}: the outcome column "${c.outcome}" has a single value (${table.outcomeLabels[1]}); a binary outcome needs both classes` });
      const inCohort = new Set(cohortIds);
      for (const v of table.variables)
        clinicalColumn(table, v.name).forEach((cell, r) => {
          const id = table.ids[r]!; // one cell per row
          if (isMissing(cell) && inCohort.has(id))
            problems.push({ file, patient: id, message: `${file}: patient ${id} has no value for "${v.name}"` });
        });
    } catch (e) {
      problems.push({ file, message: oneLine(e) });
    }
  } else if (opts.configGiven) {
    problems.push({ message: `no clinical.csv in the cohort folder "${layout.root || '.'}" (the study needs the outcome)` });
  }
  return { problems, patients: layout.patients.length, files, clinicalRows };
}
