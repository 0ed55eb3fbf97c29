import { describe, it, expect } from 'vitest';
import { groupFiles, isMaskName, type DroppedFile } from '../../src/ui/cohort/group-files.js';

const f = (path: string): DroppedFile => ({ path, file: new File([new Uint8Array(1)], path.split('/').pop() ?? path) });
const names = (xs: { name: string }[]) => xs.map((x) => x.name);

describe('groupFiles: the cohort layout of SPEC §1', () => {
  it('groups <patientId>/<SEQUENCE>.nii.gz and mask.nii.gz under a dropped cohort folder', () => {
    const g = groupFiles([
      f('cohort/P010/T2WI.nii.gz'),
      f('cohort/P002/FSCE-T1WI.nii.gz'),
      f('cohort/P002/mask.nii.gz'),
      f('cohort/P002/T2WI.nii.gz'),
      f('cohort/P002/mask2.nii.gz'),
      f('cohort/P002/CE-T1WI.nrrd'),
      f('cohort/clinical.csv'),
      f('cohort/.DS_Store'),
    ]);
    expect(g.patients.map((p) => p.id)).toEqual(['P002', 'P010']);
    const p2 = g.patients[0]!;
    expect(names(p2.series)).toEqual(['CE-T1WI', 'FSCE-T1WI', 'T2WI']);
    expect(names(p2.masks)).toEqual(['mask', 'mask2']);
    expect(p2.series[2]!.label).toBe('cohort/P002/T2WI.nii.gz');
    expect(g.ignored).toEqual(['cohort/clinical.csv']);
  });

  it('makes one series per DICOM folder, skipping hidden files', () => {
    const g = groupFiles([
      f('P001/T2WI/IM0001.dcm'),
      f('P001/T2WI/IM0002.dcm'),
      f('P001/T2WI/IM0003'),
      f('P001/CE-T1WI/IM0001.dcm'),
      f('P001/mask.nii.gz'),
      f('P001/T2WI/.hidden.dcm'),
    ]);
    expect(g.patients).toHaveLength(1);
    const p = g.patients[0]!;
    expect(names(p.series)).toEqual(['CE-T1WI', 'T2WI']);
    expect(p.series[1]!.files).toHaveLength(3);
    expect(p.series[1]!.label).toBe('P001/T2WI');
    expect(names(p.masks)).toEqual(['mask']);
  });

  it('treats a lone DICOM folder as one patient with one series', () => {
    const g = groupFiles(['image/A.dcm', 'image/B.dcm', 'image/C.dcm'].map(f));
    expect(g.patients.map((p) => [p.id, names(p.series), p.series[0]!.files.length])).toEqual([['image', ['image'], 3]]);
  });

  it('pairs loose files by name: brain1_image.nrrd + brain1_label.nrrd is patient brain1', () => {
    const g = groupFiles(['brain1_image.nrrd', 'brain1_label.nrrd', 'brain2_image.nrrd'].map(f));
    expect(g.patients.map((p) => [p.id, names(p.series), names(p.masks)])).toEqual([
      ['brain1', ['brain1_image'], ['brain1_label']],
      ['brain2', ['brain2_image'], []],
    ]);
  });
});

describe('isMaskName', () => {
  it('recognises VOI file names and leaves sequences alone', () => {
    for (const n of ['mask.nii.gz', 'mask2.nii.gz', 'voi.nrrd', 'brain1_label.nrrd', 'seg.nii', 'roi_T2.nii.gz', 'P001-segmentation.nii.gz']) expect(isMaskName(n), n).toBe(true);
    for (const n of ['T2WI.nii.gz', 'CE-T1WI.nii.gz', 'FSCE-T1WI.nrrd', 'brain1_image.nrrd', 'masked_T1.nii']) expect(isMaskName(n), n).toBe(false);
  });
});

describe('groupFiles: paths', () => {
  it('lists a file without a name (an empty path) as ignored', () => {
    const g = groupFiles([f(''), f('P001/T2WI.nii.gz')]);
    expect(g.ignored).toEqual(['']);
    expect(g.patients.map((p) => p.id)).toEqual(['P001']);
  });

  it('strips the folders every path shares as long as they are above the patients', () => {
    const g = groupFiles([f('a/b/P001/T2WI.nii.gz'), f('a/b/P002/T2WI.nii.gz'), f('a/b/P002/mask.nii.gz')]);
    expect(g.patients.map((p) => p.id)).toEqual(['P001', 'P002']);
    expect(names(g.patients[1]!.masks)).toEqual(['mask']);
  });
});
