import { describe, expect, it } from 'vitest';
import { clinicalInputs, clinicalRowOf, missingClinical, parseModelBundle, patientFilesFor } from '../../src/core/study/apply-model.js';
import { DEFAULT_STUDY_CONFIG } from '../../src/core/study/config.js';
import { demoClinicalCsv } from '../../src/demo/demo.js';
import type { StudyModelBundle } from '../../src/core/study/predict.js';

/** The parts of a model.json these helpers read (the models' inputs as the study names them). */
function bundle(models: { name: string; inputs: string[] }[]): StudyModelBundle {
  return {
    schema: 'habitat-workbench/study-model',
    version: 1,
    config: structuredClone(DEFAULT_STUDY_CONFIG),
    extraction: { imageType: {}, featureClass: {}, setting: {} },
    habitatModels: { T2WI: {} },
    regions: [],
    bestHabitat: { T2WI: 'Hab1' },
    clinicInputs: [],
    models: models.map((m) => ({ ...m, threshold: 0.5, scaler: { mean: [], sd: [] }, svm: {} })),
  } as unknown as StudyModelBundle;
}

describe('apply model helpers', () => {
  it('reads a model.json and names what is wrong with one that is not', () => {
    const b = bundle([{ name: 'Clinic', inputs: ['age'] }]);
    expect(parseModelBundle(JSON.stringify(b), 'model.json').models[0]!.name).toBe('Clinic');
    // A threshold of −∞ (Youden's choice when every probability is equal) comes back from JSON's null.
    b.models[0]!.threshold = -Infinity;
    expect(parseModelBundle(JSON.stringify(b), 'model.json').models[0]!.threshold).toBe(-Infinity);
    expect(() => parseModelBundle('{"schema": ', 'm.json')).toThrow(/^m\.json: not JSON \(/);
    expect(() => parseModelBundle('{"schema":"habitat-workbench/study-report"}', 'report.json')).toThrow('report.json: not a Habitat Workbench study model (the model.json of an exported study)');
    expect(() => parseModelBundle(JSON.stringify({ ...b, version: 3 }), 'm.json')).toThrow('m.json: model version 3 is not supported');
    expect(() => parseModelBundle(JSON.stringify({ ...b, habitatModels: undefined }), 'm.json')).toThrow('m.json: the study model has no "habitatModels"');
    expect(() => parseModelBundle(JSON.stringify({ ...b, models: [] }), 'm.json')).toThrow('m.json: the study model has no trained model');
    expect(() => parseModelBundle(JSON.stringify({ ...b, habitatModels: { CE: {} } }), 'm.json')).toThrow('m.json: no habitat model for T2WI');
  });

  it('lists the clinical values the models need: numbers, and categories from the dummy columns completed by the table', () => {
    const b = bundle([
      { name: 'Clinic', inputs: ['age', 't_stage=T3', 't_stage=T4a'] },
      { name: 'Radiomics', inputs: ['Rad-score T2WI Hab1'] },
      { name: 'Combined', inputs: ['Rad-score T2WI Hab1', 't_stage=T3', 't_stage=T4a', 'egfr=positive'] },
    ]);
    expect(clinicalInputs(b)).toEqual([
      { name: 'age', kind: 'continuous', models: ['Clinic'] },
      { name: 't_stage', kind: 'categorical', levels: ['T3', 'T4a'], models: ['Clinic', 'Combined'] },
      { name: 'egfr', kind: 'categorical', levels: ['positive'], models: ['Combined'] },
    ]);
    const { levels } = clinicalRowOf('clinical.csv', demoClinicalCsv({ patients: 60, seed: 2025 }), b.config, 'P001');
    expect(clinicalInputs(b, levels)[1]).toMatchObject({ kind: 'categorical', levels: ['T1', 'T2', 'T3', 'T4a'] });
    expect(clinicalInputs(b, levels)[2]).toMatchObject({ kind: 'categorical', levels: ['negative', 'positive'] });
  });

  it('refuses a clinical variable that one model uses as a number and another as a category', () => {
    const b = bundle([
      { name: 'Clinic', inputs: ['age'] },
      { name: 'Combined', inputs: ['Rad-score T2WI Hab1', 'age=old'] },
    ]);
    expect(() => clinicalInputs(b)).toThrow('model Combined: clinical variable age is used both as a number and as a category (age=old)');
  });

  it("fills in a patient's row from the clinical CSV with the model's id and outcome columns", () => {
    const csv = demoClinicalCsv({ patients: 5, seed: 2025 });
    const line = csv.split('\n')[3]!.split(','); // P003
    const header = csv.split('\n')[0]!.split(',');
    const { row } = clinicalRowOf('clinical.csv', csv, DEFAULT_STUDY_CONFIG, 'P003');
    expect(row!.age).toBe(line[header.indexOf('age')]);
    expect(row!.t_stage).toBe(line[header.indexOf('t_stage')]);
    expect(row).not.toHaveProperty('residual');
    expect(row).not.toHaveProperty('id');
    expect(clinicalRowOf('clinical.csv', csv, DEFAULT_STUDY_CONFIG, 'X9').row).toBeNull();
    // A table with other column names is read with the model's settings.
    const renamed = csv.replace(/^id,/, 'PatientID,');
    expect(clinicalRowOf('c.csv', renamed, { ...DEFAULT_STUDY_CONFIG, id: 'PatientID' }, 'P003').row!.age).toBe(row!.age);
    expect(() => clinicalRowOf('c.csv', renamed, DEFAULT_STUDY_CONFIG, 'P003')).toThrow('c.csv: no id column "id"');
  });

  it('says which clinical value is missing or not a number', () => {
    const inputs = clinicalInputs(bundle([{ name: 'Clinic', inputs: ['age', 't_stage=T3'] }]));
    expect(missingClinical(inputs, { age: '51', t_stage: 'T2' }, 'P1')).toBeNull();
    expect(missingClinical(inputs, { age: ' ', t_stage: 'T2' }, 'P1')).toBe('patient P1: enter age (used by Clinic)');
    expect(missingClinical(inputs, { age: 'fifty', t_stage: 'T2' }, 'P1')).toBe('patient P1: age must be a number, got "fifty"');
    expect(missingClinical(inputs, { age: '50' }, 'P1')).toBe('patient P1: enter t_stage (used by Clinic)');
  });

  it("finds one new patient's sequences and VOI in a drop", () => {
    const f = (path: string) => ({ path, file: path });
    const seqs = ['T2WI', 'CE-T1WI', 'FSCE-T1WI'];
    const folder = patientFilesFor([f('P077/t2wi.nii.gz'), f('P077/CE-T1WI.nrrd'), f('P077/FSCE-T1WI.nii'), f('P077/mask.nii.gz'), f('P077/notes.txt'), f('P077/.DS_Store')], seqs);
    expect(folder).toEqual({
      id: 'P077',
      series: { T2WI: { label: 'P077/t2wi.nii.gz', files: ['P077/t2wi.nii.gz'] }, 'CE-T1WI': { label: 'P077/CE-T1WI.nrrd', files: ['P077/CE-T1WI.nrrd'] }, 'FSCE-T1WI': { label: 'P077/FSCE-T1WI.nii', files: ['P077/FSCE-T1WI.nii'] } },
      mask: { label: 'P077/mask.nii.gz', files: ['P077/mask.nii.gz'] },
    });
    const loose = patientFilesFor([f('T2WI.nii.gz'), f('mask.nii.gz')], ['T2WI']);
    expect(loose.id).toBe('new patient');
    const dicom = patientFilesFor([f('new/T2WI/IM1.dcm'), f('new/T2WI/IM2.dcm'), f('new/mask.nii.gz')], ['T2WI']);
    expect(dicom.series.T2WI).toEqual({ label: 'new/T2WI', files: ['new/T2WI/IM1.dcm', 'new/T2WI/IM2.dcm'] });
    expect(() => patientFilesFor([f('P1/T2WI.nii.gz'), f('P1/mask.nii.gz')], seqs)).toThrow(
      'new patient: no image for CE-T1WI, FSCE-T1WI (expected CE-T1WI.nii.gz, FSCE-T1WI.nii.gz or DICOM folders so named; got P1/T2WI.nii.gz, P1/mask.nii.gz)',
    );
    expect(() => patientFilesFor([f('P1/T2WI.nii.gz')], ['T2WI'])).toThrow('new patient: no VOI (expected mask.nii.gz, .nii, .nrrd or .mha; got P1/T2WI.nii.gz)');
  });
});
