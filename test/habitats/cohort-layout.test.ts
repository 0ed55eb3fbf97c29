/** The cohort folder layout parser (pure, over a file listing) and the Node folder walk. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonRoot, parseCohortLayout } from '../../src/core/cohort/cohort-layout.js';
import { readCohortLayout } from '../../src/core/cohort/cohort-node.js';

describe('parseCohortLayout', () => {
  const listing = [
    'npc/clinical.csv',
    'npc/P1/T2.nii.gz',
    'npc/P1/CE-T1.nrrd',
    'npc/P1/mask.nii.gz',
    'npc/P1/mask2.nrrd',
    'npc/P1/.DS_Store',
    'npc/P10/T2.mha',
    'npc/P10/CE-T1/IM0001.dcm',
    'npc/P10/CE-T1/IM0002.dcm',
    'npc/P10/mask.nii',
    'npc/P2/T2.nii.gz',
    'npc/P2/notes.txt',
    'npc/P2/mask.nii.gz',
    'npc/P3/T2.nii.gz',
    'npc/P3/CE-T1.nii.gz',
    'npc/habitats/bic.json',
    'npc/habitats/P1/T2-habitats.nii.gz',
  ];

  it('finds patients, sequences (files and DICOM folders), masks, second masks and the clinical table', () => {
    const c = parseCohortLayout(listing);
    expect(c.root).toBe('npc');
    expect(c.clinical).toBe('npc/clinical.csv');
    expect(c.sequenceNames).toEqual(['CE-T1', 'T2']);
    expect(c.patients.map((p) => p.id)).toEqual(['P1', 'P2', 'P10']);
    expect(c.patients[0]).toEqual({
      id: 'P1',
      sequences: { 'CE-T1': 'npc/P1/CE-T1.nrrd', T2: 'npc/P1/T2.nii.gz' },
      mask: 'npc/P1/mask.nii.gz',
      mask2: 'npc/P1/mask2.nrrd',
    });
    expect(c.patients[2]!.sequences).toEqual({ 'CE-T1': 'npc/P10/CE-T1', T2: 'npc/P10/T2.mha' });
    expect(c.patients[2]!.mask).toBe('npc/P10/mask.nii');
  });

  it('reports a missing mask and a missing sequence in one line each, naming the patient', () => {
    const c = parseCohortLayout(listing);
    expect(c.problems).toContain('patient P2: no CE-T1 image (3 other patients have one)');
    expect(c.problems).toContain('patient P3: no mask (expected npc/P3/mask.nii.gz or mask.nrrd); patient left out');
    expect(c.problems).toHaveLength(2);
  });

  it('flags duplicate files for one sequence and case-only name clashes', () => {
    const c = parseCohortLayout(['c/A/T2.nii.gz', 'c/A/T2.nrrd', 'c/A/mask.nii.gz', 'c/B/t2.nii.gz', 'c/B/mask.nii.gz']);
    expect(c.patients[0]!.sequences.T2).toBe('c/A/T2.nii.gz');
    expect(c.problems.some((p) => p.startsWith('patient A: 2 files for sequence T2'))).toBe(true);
    expect(c.problems).toContain('sequence names "t2" and "T2" differ only in letter case; rename one');
  });

  it('works on Windows separators, bare relative listings and a single dropped patient folder', () => {
    const win = parseCohortLayout(['D:\\data\\npc\\P1\\T2.nii.gz', 'D:\\data\\npc\\P1\\mask.nii.gz', 'D:\\data\\npc\\P2\\T2.nii.gz', 'D:\\data\\npc\\P2\\mask.nii.gz']);
    expect(win.root).toBe('D:/data/npc');
    expect(win.patients.map((p) => p.id)).toEqual(['P1', 'P2']);
    expect(commonRoot(['npc/P7/T2.nii.gz', 'npc/P7/mask.nii.gz'])).toBe('npc');
    const bare = parseCohortLayout(['P7/T2.nii.gz', 'P7/mask.nii.gz', 'clinical.csv']);
    expect(bare.root).toBe('');
    expect(bare.patients[0]).toEqual({ id: 'P7', sequences: { T2: 'P7/T2.nii.gz' }, mask: 'P7/mask.nii.gz' });
    expect(bare.clinical).toBe('clinical.csv');
  });

  it('says so when nothing looks like a cohort', () => {
    expect(parseCohortLayout(['x/readme.md'], { root: 'x' }).problems).toEqual(['no patient folders found under "x"']);
  });
});

describe('readCohortLayout (Node folder walk)', () => {
  it('walks a cohort folder on disk', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cohort-'));
    try {
      for (const f of ['P01/T2.nii.gz', 'P01/mask.nii.gz', 'P02/T2/1.dcm', 'P02/T2/2.dcm', 'P02/mask.nrrd', 'clinical.csv']) {
        await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
        await writeFile(path.join(dir, f), '');
      }
      const c = await readCohortLayout(dir);
      expect(c.problems).toEqual([]);
      expect(c.clinical).toBe(path.join(dir, 'clinical.csv'));
      expect(c.patients.map((p) => [p.id, p.sequences.T2, p.mask])).toEqual([
        ['P01', path.join(dir, 'P01/T2.nii.gz'), path.join(dir, 'P01/mask.nii.gz')],
        ['P02', path.join(dir, 'P02/T2'), path.join(dir, 'P02/mask.nrrd')],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
