import { describe, it, expect } from 'vitest';
import { cohortFromFiles } from '../../src/ui/cohort/cohort-from-files.js';
import type { DroppedFile } from '../../src/ui/cohort/group-files.js';

const f = (path: string): DroppedFile => ({ path, file: new File([new Uint8Array(1)], path.split('/').pop() ?? path) });

describe('cohortFromFiles: the core layout parser decides, the viewer still shows everything', () => {
  it('takes sequences and masks from parseCohortLayout and keeps mask-less patients as viewable only', () => {
    const c = cohortFromFiles(
      [
        'study/clinical.csv',
        'study/P001/T2WI.nii.gz',
        'study/P001/mask.nii.gz',
        'study/P001/mask2.nii.gz',
        'study/P001/CE-T1WI/1.dcm',
        'study/P001/CE-T1WI/2.dcm',
        'study/P002/T2WI.nii.gz',
        'study/notes.txt',
      ].map(f),
    );
    expect(c.patients.map((p) => [p.id, p.inLayout])).toEqual([
      ['P001', true],
      ['P002', false],
    ]);
    const p1 = c.patients[0]!;
    expect(p1.series.map((s) => [s.name, s.files.length])).toEqual([
      ['CE-T1WI', 2],
      ['T2WI', 1],
    ]);
    expect(p1.masks.map((s) => s.name)).toEqual(['mask', 'mask2']);
    expect(c.patients[1]!.series.map((s) => s.label)).toEqual(['study/P002/T2WI.nii.gz']);
    expect(c.problems.some((p) => p.includes('P002') && p.includes('no mask'))).toBe(true);
    // clinical.csv belongs to the layout; notes.txt is reported as skipped.
    expect(c.ignored).toEqual(['study/notes.txt']);
  });

  it('falls back to name pairing for loose files', () => {
    const c = cohortFromFiles(['brain1_image.nrrd', 'brain1_label.nrrd'].map(f));
    expect(c.patients.map((p) => [p.id, p.inLayout, p.series.length, p.masks.length])).toEqual([['brain1', false, 1, 1]]);
    expect(c.problems).toEqual([]);
  });
});
