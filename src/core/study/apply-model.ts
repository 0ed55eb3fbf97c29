/**
 * What the app's "Apply model" panel needs around `predictPatient`: reading a
 * model.json a user chose (one-line errors), the clinical values the models
 * ask for (with the levels a categorical one can take), a patient's row of a
 * clinical CSV read with the study's own settings, and the files of one new
 * patient (its sequences and VOI) picked from a drop. No DOM: file objects
 * are passed through untouched.
 */
import { clinicalColumn, parseClinicalCsv } from './clinical.js';
import { MODEL_SCHEMA, migrateModelBundle, type StudyModelBundle } from './model-bundle.js';

export { MODEL_SCHEMA };

/** A model.json text as the bundle `predictPatient` takes (older versions migrated); every problem is one line naming the file. */
export function parseModelBundle(text: string, file = 'model.json'): StudyModelBundle {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
  }
  const given = raw as Partial<StudyModelBundle> | null;
  if (typeof given !== 'object' || given === null || given.schema !== MODEL_SCHEMA) throw new Error(`${file}: not a Habitat Workbench study model (the model.json of an exported study)`);
  const b = migrateModelBundle(given as Record<string, unknown>, file) as Partial<StudyModelBundle>;
  for (const k of ['config', 'extraction', 'habitatModels', 'regions', 'bestHabitat', 'models'] as const) {
    if (b[k] === undefined || b[k] === null) throw new Error(`${file}: the study model has no "${k}"`);
  }
  if (!Array.isArray(b.models) || b.models.length === 0) throw new Error(`${file}: the study model has no trained model`);
  for (const seq of Object.keys(b.bestHabitat!)) {
    if (!b.habitatModels![seq]) throw new Error(`${file}: no habitat model for ${seq}`);
  }
  const bundle = b as StudyModelBundle;
  // JSON has no ±Infinity: a Youden threshold of −∞ (every patient positive, e.g. a model whose
  // probabilities are all equal) was written as null. +∞ is never chosen (it ties with −∞, which comes first).
  for (const m of bundle.models) if (m.threshold === null) m.threshold = -Infinity;
  return bundle;
}

export type ClinicalInput = {
  name: string;
  /** The models that use it. */
  models: string[];
} & (
  | { kind: 'continuous' }
  | {
      kind: 'categorical';
      /** The levels the models name (dummy columns `name=level`), plus those of the clinical table when known. */
      levels: string[];
    }
);

const isRadScore = (input: string) => input.startsWith('Rad-score ');

/**
 * The clinical variables the models need, in first-use order. A categorical
 * variable appears as dummies `name=level` against a reference level the
 * model does not name; `tableLevels` (from the clinical CSV) completes the list.
 */
export function clinicalInputs(bundle: StudyModelBundle, tableLevels: Record<string, string[]> = {}): ClinicalInput[] {
  const out = new Map<string, ClinicalInput>();
  for (const m of bundle.models) {
    for (const input of m.inputs) {
      if (isRadScore(input)) continue;
      const eq = input.indexOf('=');
      const name = eq > 0 ? input.slice(0, eq) : input;
      let v = out.get(name);
      if (!v) {
        v = eq > 0 ? { name, kind: 'categorical', levels: [...(tableLevels[name] ?? [])], models: [] } : { name, kind: 'continuous', models: [] };
        out.set(name, v);
      }
      if (eq > 0) {
        if (v.kind !== 'categorical') throw new Error(`model ${m.name}: clinical variable ${name} is used both as a number and as a category (${input})`);
        const level = input.slice(eq + 1);
        if (!v.levels.includes(level)) v.levels.push(level);
      }
      if (!v.models.includes(m.name)) v.models.push(m.name);
    }
  }
  return [...out.values()];
}

/**
 * A patient's clinical row (variable → cell text) from a clinical CSV, read
 * with the model's id/outcome settings, and every categorical variable's
 * levels; `row` is null when the id is not in the table.
 */
export function clinicalRowOf(file: string, text: string, config: StudyModelBundle['config'], id: string): { row: Record<string, string> | null; levels: Record<string, string[]> } {
  const t = parseClinicalCsv(file, text, { idColumn: config.id, outcomeColumn: config.outcome, positive: config.positive, categorical: config.clinical.categorical });
  const levels = Object.fromEntries(t.variables.filter((v) => v.kind === 'categorical').map((v) => [v.name, v.levels!]));
  const r = t.ids.indexOf(id);
  return { row: r < 0 ? null : Object.fromEntries(t.variables.map((v) => [v.name, clinicalColumn(t, v.name)[r]!])), levels };
}

/** The first clinical value a model needs that is not filled in (one line), or null. */
export function missingClinical(inputs: ClinicalInput[], values: Record<string, string>, id: string): string | null {
  for (const v of inputs) {
    const cell = (values[v.name] ?? '').trim();
    if (cell === '') return `patient ${id}: enter ${v.name} (used by ${v.models.join(', ')})`;
    if (v.kind === 'continuous' && !Number.isFinite(Number(cell))) return `patient ${id}: ${v.name} must be a number, got "${cell}"`;
  }
  return null;
}

export interface PickedFile<F> {
  /** Path relative to what was dropped or picked, `/`-separated. */
  path: string;
  file: F;
}

export interface PatientFiles<F> {
  id: string;
  series: Record<string, { label: string; files: F[] }>;
  mask: { label: string; files: F[] };
}

const IMAGE_EXT = /\.(nii\.gz|nii|nrrd|mha)$/i;

/**
 * One new patient's files from a drop: `<SEQUENCE>.nii.gz` (or .nii, .nrrd,
 * .mha; the name matched case-insensitively), or a DICOM folder named after
 * the sequence, for every sequence of the model, and `mask.*` as the VOI. The
 * patient's id is the folder they are in (else "new patient").
 */
export function patientFilesFor<F>(picked: PickedFile<F>[], sequences: string[]): PatientFiles<F> {
  const visible = picked.filter((p) => !p.path.split('/').some((s) => s.startsWith('.') || s === '__MACOSX'));
  const parts = visible.map((p) => p.path.split('/').filter((s) => s !== ''));
  const stem = (name: string) => name.replace(IMAGE_EXT, '').toLowerCase();
  const find = (name: string): { label: string; files: F[] } | null => {
    const want = name.toLowerCase();
    // parts[n] exists for every n of visible (parts = visible.map)
    const single = visible.findIndex((_, n) => IMAGE_EXT.test(parts[n]![parts[n]!.length - 1]!) && stem(parts[n]![parts[n]!.length - 1]!) === want);
    if (single >= 0) return { label: visible[single]!.path, files: [visible[single]!.file] };
    const inFolder = visible.filter((_, n) => parts[n]!.length >= 2 && parts[n]![parts[n]!.length - 2]!.toLowerCase() === want && !IMAGE_EXT.test(parts[n]![parts[n]!.length - 1]!));
    if (inFolder.length > 0) return { label: parts[visible.indexOf(inFolder[0]!)]!.slice(0, -1).join('/'), files: inFolder.map((p) => p.file) };
    return null;
  };
  const series: PatientFiles<F>['series'] = {};
  const missing: string[] = [];
  for (const seq of sequences) {
    const s = find(seq);
    if (s) series[seq] = s;
    else missing.push(seq);
  }
  const mask = find('mask');
  const names = visible.map((p) => p.path).slice(0, 4).join(', ') + (visible.length > 4 ? ', …' : '');
  if (missing.length > 0) throw new Error(`new patient: no image for ${missing.join(', ')} (expected ${missing.map((m) => `${m}.nii.gz`).join(', ')} or DICOM folders so named; got ${names || 'no file'})`);
  if (!mask) throw new Error(`new patient: no VOI (expected mask.nii.gz, .nii, .nrrd or .mha; got ${names})`);
  // The folder holding the VOI (file or DICOM folder) names the patient.
  const dir = mask.label.split('/').slice(0, -1);
  const id = dir.length > 0 ? dir[dir.length - 1]! : 'new patient';
  return { id, series, mask };
}
