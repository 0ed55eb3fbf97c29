/**
 * The public compute API of Habitat Workbench: what the CLI, the workers, the
 * UI and the demo generator use, and nothing else (tests may import deeper).
 * Plain TypeScript with no DOM, React, Vite-only or Node-only imports: it runs
 * unchanged in Node and in Web Workers. Node-only additions (file I/O, the
 * worker_threads pool) are in `./node.ts`, the browser's itk-wasm readers in
 * `./browser.ts`; code outside src/core imports one of these three only
 * (docs/ARCHITECTURE.md, "Public entries"; test/architecture/imports.test.ts).
 *
 * The core does nothing when imported but define things (`sideEffects: false`
 * in src/core/package.json), so a bundle keeps only what its importer uses of
 * this file: each CLI command and each worker carries the same code as if it
 * imported the defining modules itself.
 */

// util
export { createRng, deriveSeed, type Rng } from './util/random.js';
export { stageClocks, timeLeft, type StageClocks } from './util/time-left.js';
export { growCut, seedBox, wholeBox } from './image/grow-cut.js';
export { hashValue } from './util/hash.js';

// parallel, report
export { createWorkerPool } from './parallel/pool.js';
export { barChartSvg, lineChartSvg, type Series } from './report/svg-chart.js';

// cohort layout
export { parseCohortLayout, type CohortPatient } from './cohort/cohort-layout.js';

// image
export { createVolume, describeGeometryMismatch, intensityRange, sameGeometry, withData, type Vec3, type Volume } from './image/volume.js';
export { checkImageHeader, formatFromName } from './image/sniff.js';
export { DEFAULT_VOLUME_BUDGET_BYTES, checkVolumeBudget } from './image/guard.js';
export { gridOf, resampleToGrid, type Interpolator } from './image/resample.js';
export { preprocessVolume, type PreprocessSettings } from './image/preprocess.js';
export type { ElastixFunction } from './image/register.js';
export { fillHoles3d, fillHolesPerSlice, maskAgreement, relabel, slicesWithLabel, type MaskAgreement } from './image/mask-ops.js';
export { writeNiftiBytes } from './image/nifti-write.js';

// filters (PyRadiomics image types, IBSI 2 compliance)
export { imageTypes, type ImageTypeSettings } from './filters/image-types.js';
export type { DerivedImage } from './filters/log.js';
export type { LbpMethod } from './filters/lbp2d.js';
export { PHASE1_TESTS, compareResponseMaps } from './filters/ibsi2/phase1.js';
export { PHASE2_CONFIGS, parsePhase2References, phase2Features, phase2Grid, withinTolerance, type Phase2Grid } from './filters/ibsi2/phase2.js';

// habitats
export { LOCAL_FEATURES, type DescriptorOptions, type IntensityNormalisation, type LocalFeature } from './habitats/voxel-descriptors.js';
export {
  applyHabitatModel,
  fitHabitatModel,
  perPatientHabitats,
  type HabitatCase,
  type HabitatCaseData,
  type HabitatMap,
  type HabitatModel,
} from './habitats/habitat-model.js';

// radiomics
export { defaultParams, paramsToYaml, parseParams, validateParams, withSettings, type ExtractionParams } from './radiomics/params.js';
export { extractFeatures, type FeatureVector } from './radiomics/extractor.js';
export { listFeatures } from './radiomics/registry.js';
export { featuresMarkdown } from './radiomics/features-doc.js';
export { cohortCsvWriter, mergeCohortCsvs, resolveShard } from './radiomics/cohort-extract.js';
export { IBSI_CONFIGS, type IbsiConfig } from './radiomics/ibsi/config.js';
export { extractIbsi } from './radiomics/ibsi/index.js';
export { checkAgainstReference, parseReferenceCsv } from './radiomics/ibsi/compliance.js';

// import (DICOM exports)
export {
  DEFAULT_RULES_YAML,
  defaultImportRules,
  importRulesToYaml,
  mapSeries,
  mappingFromChoices,
  parseImportRules,
  rulesWithChoices,
  type PatientMapping,
} from './import/rules.js';
export { scanExport, type ImportScan } from './import/plan.js';
export { importToNiftiFiles } from './import/cohort-files.js';

// study: config, clinical table, pipeline, results
export {
  DEFAULT_STUDY_CONFIG,
  PAPER_EXTRACTION_PARAMS,
  STUDY_CONFIG_SCHEMA,
  checkHarmonisationColumns,
  clinicalColumnsRead,
  habitatK,
  parseStudyConfig,
  studyConfigWithDefaults,
  type StudyConfig,
} from './study/config.js';
export { SECTIONS, getPath, keysOf, setPath, type Key, type Section } from './study/config-schema.js';
export { isBatchColumn, parseClinicalCsv } from './study/clinical.js';
export {
  applyMapping,
  checkMapping,
  guessMapping,
  mappingForConfig,
  readCsvColumns,
  type ClinicalMapping,
  type ColumnType,
  type CsvColumns,
} from './study/clinical-mapping.js';
export { checkCohort, type CohortCheckReaders, type CohortProblem } from './study/cohort-check.js';
export { preparePatient, type PatientImages, type PreparedPatient } from './study/prepare.js';
export { patientFeatures, patientHabitatMaps, type PatientFeatures } from './study/patient-features.js';
export {
  preparedCacheKey,
  runStudy,
  type StudyCache,
  type StudyExecutor,
  type StudyPatientSource,
  type StudyProgress,
  type StudyResult,
  type StudyStage,
} from './study/pipeline.js';
export type { AnalysisInput } from './study/analysis.js';
export { ICC_MIN_PATIENTS, type ObserverIccTable } from './study/observer-icc.js';
export { observerIccBeforeRun, type ObserverIccPreview, type ObserverPreviewProgress } from './study/observer-preview.js';
export { resamplePredictions, type OptimismTask } from './study/stages/optimism.js';
export { pooledPermutations, workerPermutedRuns, type InternalAucs } from './study/stages/permutation.js';
export { permutationP, permutationSummary } from './study/permutation-result.js';
export { ciIncludesHalf } from './study/evidence.js';
export { SOFTWARE } from './study/report.js';
export { externalRunTitle, studyView, withExternalRun, withoutExternalRun, type ExternalRun, type StudyView } from './study/study-view.js';
export { readStudyBundle, writeStudyBundle } from './study/bundle.js';

// study: a trained model applied to new patients
export type { StudyModelBundle } from './study/model-bundle.js';
export { predictPatient } from './study/predict.js';
export {
  clinicalInputs,
  clinicalRowOf,
  missingClinical,
  parseModelBundle,
  patientFilesFor,
  type ClinicalInput,
  type PickedFile,
} from './study/apply-model.js';
export { externalFiles, externalTable3Csv, type ExternalValidationResult } from './study/external.js';
export { checkExternalOptions, externalClinicalTable, validateExternalCohort } from './study/external-run.js';
