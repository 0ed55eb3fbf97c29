/**
 * Versioned study.yaml and model.json: older versions are migrated explicitly
 * (the first: configs from before preprocessing.n4SplineDistance were run with
 * ITK's 4 N4 levels), newer ones are refused in one line.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_STUDY_CONFIG, STUDY_CONFIG_VERSION, parseStudyConfig, studyConfigWithDefaults, studyConfigYaml } from '../../src/core/study/config.js';
import { parseModelBundle } from '../../src/core/study/apply-model.js';
import { MODEL_VERSION } from '../../src/core/study/model-bundle.js';

/** A model.json as the study writes it, minus what these tests do not read. */
function modelJson(extra: Record<string, unknown>, config: unknown): string {
  return JSON.stringify({
    schema: 'habitat-workbench/study-model',
    version: 1,
    config,
    extraction: { imageType: {}, featureClass: {}, setting: {} },
    habitatModels: { T2WI: {} },
    regions: [],
    bestHabitat: { T2WI: 'Hab1' },
    clinicInputs: [],
    models: [{ name: 'Clinic', inputs: ['age'], threshold: 0.5, scaler: { mean: [0], sd: [1] }, svm: {} }],
    ...extra,
  });
}

function withoutSplineDistance() {
  const c = structuredClone(DEFAULT_STUDY_CONFIG) as unknown as { preprocessing: Record<string, unknown> };
  delete c.preprocessing.n4SplineDistance;
  return c;
}

describe('study.yaml versions', () => {
  it('a file without a version is the current version (hand-written files get the defaults)', () => {
    expect(parseStudyConfig('').preprocessing.n4SplineDistance).toBe(25);
    expect(parseStudyConfig(`version: ${STUDY_CONFIG_VERSION}`)).toEqual(DEFAULT_STUDY_CONFIG);
  });
  it('version 1 (before n4SplineDistance) gets ITK’s 4 levels (null) unless it sets the key', () => {
    expect(parseStudyConfig('version: 1').preprocessing.n4SplineDistance).toBeNull();
    expect(parseStudyConfig('version: 1\npreprocessing: {n4: false}').preprocessing).toMatchObject({ n4: false, n4SplineDistance: null });
    expect(parseStudyConfig('version: 1\npreprocessing: {n4SplineDistance: 10}').preprocessing.n4SplineDistance).toBe(10);
    expect(studyConfigWithDefaults(withoutSplineDistance(), 'saved', 1).preprocessing.n4SplineDistance).toBeNull();
  });
  it('refuses a newer or malformed version in one line', () => {
    expect(() => parseStudyConfig(`version: ${STUDY_CONFIG_VERSION + 1}`, 's.yaml')).toThrow(
      new RegExp(`^s\\.yaml: study config version ${STUDY_CONFIG_VERSION + 1} is newer than this workbench reads \\(${STUDY_CONFIG_VERSION}\\); update the workbench$`),
    );
    expect(() => parseStudyConfig('version: 1.5', 's.yaml')).toThrow(/^s\.yaml: "version" must be a whole number ≥ 1, got 1\.5$/);
    expect(() => parseStudyConfig('version: two', 's.yaml')).toThrow(/^s\.yaml: "version"/);
  });
  it('is written with its version and reads back the same', () => {
    const c = parseStudyConfig('preprocessing: {n4SplineDistance: null}\nhabitats: {k: 3}');
    const text = studyConfigYaml(c);
    expect(text.startsWith(`version: ${STUDY_CONFIG_VERSION}\n`)).toBe(true);
    expect(parseStudyConfig(text)).toEqual(c);
  });
});

describe('model.json versions', () => {
  it('a model without configVersion (written before versions) is applied as trained: N4 with 4 levels', () => {
    const b = parseModelBundle(modelJson({}, withoutSplineDistance()), 'model.json');
    expect(b.config.preprocessing.n4SplineDistance).toBeNull();
    expect(b.configVersion).toBe(STUDY_CONFIG_VERSION);
    // and one that had the key keeps it
    expect(parseModelBundle(modelJson({}, DEFAULT_STUDY_CONFIG), 'model.json').config.preprocessing.n4SplineDistance).toBe(25);
  });
  it('a current model missing a later key gets its default; a bad config is one line naming the file', () => {
    expect(parseModelBundle(modelJson({ configVersion: 2 }, withoutSplineDistance()), 'model.json').config.preprocessing.n4SplineDistance).toBe(25);
    expect(() => parseModelBundle(modelJson({}, { ...DEFAULT_STUDY_CONFIG, colour: 'red' }), 'm.json')).toThrow(/^m\.json: config: unknown key "colour"/);
    expect(() => parseModelBundle(modelJson({ configVersion: STUDY_CONFIG_VERSION + 1 }, DEFAULT_STUDY_CONFIG), 'm.json')).toThrow(/^m\.json: config: study config version \d+ is newer/);
  });
  it('refuses a newer model layout in one line', () => {
    expect(() => parseModelBundle(modelJson({ version: MODEL_VERSION + 1 }, DEFAULT_STUDY_CONFIG), 'm.json')).toThrow(
      new RegExp(`^m\\.json: model version ${MODEL_VERSION + 1} is not supported \\(newer than this workbench reads \\(${MODEL_VERSION}\\); update the workbench\\)$`),
    );
    expect(() => parseModelBundle(modelJson({ version: 'one' }, DEFAULT_STUDY_CONFIG), 'm.json')).toThrow(/^m\.json: model version one is not supported/);
  });
});

describe('model.json 1 → 2', () => {
  it('moves models[].svm to models[].classifier (kind svm)', () => {
    const b = parseModelBundle(modelJson({}, DEFAULT_STUDY_CONFIG), 'model.json');
    expect(b.version).toBe(2);
    expect(b.models[0]!.classifier).toEqual({ kind: 'svm' });
    expect(b.models[0]).not.toHaveProperty('svm');
  });
});
