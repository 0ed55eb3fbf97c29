/**
 * The finished study as the app shows and keeps it (the "study view"): the
 * study result without the bulky per-patient data, the report object, the
 * cohort habitat models, and every export file as text. Built here — not in
 * the worker — so the browser's study runner and the CLI (`habitat study
 * --bundle`) produce the same view and the same study bundle (bundle.ts).
 */
import { regionKey } from './patient-features.js';
import { studyConfigYaml } from './config.js';
import type { HabitatModel } from '../habitats/habitat-model.js';
import { paramsToYaml, type ExtractionParams } from '../radiomics/params.js';
import { preparedCacheKey, type StudyResult } from './pipeline.js';
import { observerIccTable, type ObserverIccTable } from './observer-icc.js';
import { featuresCsv, permutationCsv, predictionsCsv, studyFigures, studyHtml, studyModelBundle, studyReport, table1Csv, table2Csv, table3Csv, type StudyReport } from './report.js';
import { externalFiles, externalSectionHtml, type ExternalValidationResult } from './external.js';

export interface StudyView {
  cohortTitle: string;
  finishedAt: string;
  seconds: number;
  result: Omit<StudyResult, 'features' | 'habitatModels'>;
  report: StudyReport;
  /** Cohort habitat models (small: centroids), for habitat maps in the viewer. */
  habitatModels: Record<string, HabitatModel>;
  /** Study-cache key of each patient's prepared images. */
  preparedKeys: Record<string, string>;
  /** Export files: file name → contents (figures under figures/). */
  files: Record<string, string>;
  /** Each feature's ICC between the two observers and whether the ICC filter kept it (observer-icc.ts). */
  observerIcc?: ObserverIccTable;
  /** External validations of the study's models on other cohorts, oldest first (absent: none; study bundle version 2). */
  external?: ExternalRun[];
}

/** One external validation of a study (the app's "Validate on another cohort"; `habitat validate` writes the same files). */
export interface ExternalRun {
  /** The external cohort's name (its folder). */
  cohortTitle: string;
  finishedAt: string;
  seconds: number;
  /** Whether the cohort's features were harmonised onto the training data (ComBat); the result's `harmonisation` says how. */
  harmonise: boolean;
  /** Clinical column that named the batches (absent: the cohort was one batch). */
  batchColumn?: string;
  result: ExternalValidationResult;
}

const EXTERNAL_START = '<!-- external validation -->';
const EXTERNAL_END = '<!-- /external validation -->';

/** Folder of an external run's files in the export: external/<n>-<cohort>[-combat]/. */
export function externalRunFolder(run: ExternalRun, index: number): string {
  const name = run.cohortTitle.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'cohort';
  return `external/${index + 1}-${name}${run.harmonise ? '-combat' : ''}`;
}

export function externalRunTitle(run: ExternalRun): string {
  return `${run.cohortTitle}${run.harmonise ? ' (harmonised, ComBat)' : ''}`;
}

/**
 * The export files with the external runs: each run's files (those of `habitat validate`)
 * under its folder, and report.html with an External validation section per run. Built
 * from the files without them, so applying it again (after an import) changes nothing.
 */
function filesWithExternal(files: Record<string, string>, runs: ExternalRun[]): Record<string, string> {
  const out = Object.fromEntries(Object.entries(files).filter(([n]) => !n.startsWith('external/')));
  const html = out['report.html'];
  if (html !== undefined) {
    const a = html.indexOf(EXTERNAL_START);
    const b = html.indexOf(EXTERNAL_END);
    const base = a >= 0 && b > a ? html.slice(0, a) + html.slice(b + EXTERNAL_END.length + 1) : html;
    const section = runs.length ? `${EXTERNAL_START}\n${runs.map((r) => externalSectionHtml(r.result, externalRunTitle(r))).join('\n')}\n${EXTERNAL_END}\n` : '';
    const end = base.lastIndexOf('</body>');
    out['report.html'] = end >= 0 ? base.slice(0, end) + section + base.slice(end) : base + section;
  }
  runs.forEach((run, k) => {
    const folder = externalRunFolder(run, k);
    for (const [name, text] of Object.entries(externalFiles(run.result, externalRunTitle(run)))) out[`${folder}/${name}`] = text;
  });
  return out;
}

/** The view with one more external validation (kept with the study, in its export and report.html). */
export function withExternalRun(view: StudyView, run: ExternalRun): StudyView & { external: ExternalRun[] } {
  const external = [...(view.external ?? []), run];
  return { ...view, external, files: filesWithExternal(view.files, external) };
}

/** The view without its external validation number `index`. */
export function withoutExternalRun(view: StudyView, index: number): StudyView {
  const external = (view.external ?? []).filter((_, k) => k !== index);
  const { external: _old, ...rest } = view;
  return external.length ? { ...rest, external, files: filesWithExternal(view.files, external) } : { ...rest, files: filesWithExternal(view.files, []) };
}

/**
 * The export files of a study: report.html/json, CSVs, SVG figures, model.json,
 * and the settings that produced it (study.yaml pointing at params.yaml beside
 * it, so `habitat study <cohort> --config study.yaml` reruns the same study).
 * None of them holds DICOM header fields: the image readers keep only the
 * geometry and voxels (see docs/study.md, "Privacy").
 */
export function studyExportFiles(result: StudyResult, report: StudyReport, paramsYaml: string | null, params: ExtractionParams): Record<string, string> {
  const files: Record<string, string> = {
    'report.html': studyHtml(result, report),
    'report.json': JSON.stringify(report, null, 2) + '\n',
    'features.csv': featuresCsv(result),
    'predictions.csv': predictionsCsv(result),
    'table1.csv': table1Csv(result),
    'table2.csv': table2Csv(result),
    'table3.csv': table3Csv(result),
    ...(result.analysis.permutation ? { 'permutation.csv': permutationCsv(result) } : {}),
    'model.json': JSON.stringify(studyModelBundle(result)) + '\n',
    'study.yaml': studyConfigYaml({ ...result.config, extraction: { params: 'params.yaml' } }),
    'params.yaml': paramsYaml || paramsToYaml(params),
  };
  for (const [name, svg] of Object.entries(studyFigures(result))) files[`figures/${name}`] = svg;
  return files;
}

export interface StudyViewOptions {
  cohortTitle: string;
  /** Cache namespace of the cohort: prefixes the prepared-image keys. */
  cohortKey: string;
  /** The params.yaml text the study ran with (null: written from the parsed params). */
  paramsYaml: string | null;
  params: ExtractionParams;
  seconds: number;
  finishedAt?: string;
}

export function studyView(result: StudyResult, opts: StudyViewOptions): StudyView {
  const finishedAt = opts.finishedAt ?? new Date().toISOString();
  const report = studyReport(result, finishedAt);
  const files = studyExportFiles(result, report, opts.paramsYaml, opts.params);
  const { features: _features, habitatModels, ...rest } = result;
  return {
    cohortTitle: opts.cohortTitle,
    finishedAt,
    seconds: opts.seconds,
    result: rest,
    habitatModels,
    // the pipeline's cache key of each prepared patient, for habitat maps in the viewer
    preparedKeys: Object.fromEntries(result.analysis.ids.map((id) => [id, `${opts.cohortKey}/${preparedCacheKey(id, result.config)}`])),
    report,
    files,
    observerIcc: observerIccTable(
      result.analysis.ids,
      result.features,
      result.analysis.regions.map((r) => regionKey(r.sequence, r.region)),
      result.config.selection,
    ),
  };
}
