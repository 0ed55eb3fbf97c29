/**
 * The cohort-layout parser under random listings (fast-check): it never throws,
 * every problem is one line, and generated valid layouts round-trip exactly.
 * Sequences missing for some patients give one line per patient.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCohortLayout } from '../../src/core/cohort/cohort-layout.js';

const segment = fc.oneof(
  fc.constantFrom('P1', 'P2', 'p1', 'T2WI', 't2wi', 'ADC', 'mask', 'mask2', 'clinical.csv', '.DS_Store', '__MACOSX', '..', '.', '', ' ', 'a b', 'Ünïcode', 'x\ny', 'IM0001.dcm'),
  fc.string({ maxLength: 6 }),
);
const extension = fc.constantFrom('', '.nii.gz', '.nii', '.nrrd', '.mha', '.gz', '.NII.GZ', '.txt', '.csv', '/');
const listing = fc.array(
  fc.tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), extension, fc.constantFrom('/', '\\', '//', './')).map(([parts, ext, sep]) => parts.join(sep) + ext),
  { maxLength: 25 },
);

describe('parseCohortLayout on hostile listings', () => {
  it('never throws; every problem is one line (fuzz)', () => {
    fc.assert(
      fc.property(listing, fc.option(fc.constantFrom('', 'cohort', 'P1', '/abs')), (paths, root) => {
        const layout = parseCohortLayout(paths, root === null ? {} : { root });
        for (const p of layout.problems) {
          expect(typeof p).toBe('string');
          expect(p).not.toMatch(/[\r\n]/);
        }
        for (const p of layout.patients) {
          expect(p.mask).toBeTruthy();
          expect(Object.keys(p.sequences).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000, seed: 31 },
    );
  });

  const id = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,7}$/).filter((s) => !/^mask2?$/i.test(s) && s.toLowerCase() !== 'clinical.csv');
  const seqName = fc.constantFrom('T2WI', 'CE-T1WI', 'FSCE-T1WI', 'ADC', 'DWI_b800');
  const ext = fc.constantFrom('.nii.gz', '.nii', '.nrrd', '.mha');

  it('valid layouts round-trip: patients, sequences, masks and the clinical table come back exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(id, { minLength: 1, maxLength: 8, comparator: (a, b) => a.toLowerCase() === b.toLowerCase() }),
        fc.uniqueArray(seqName, { minLength: 1, maxLength: 4 }),
        ext,
        fc.boolean(),
        fc.boolean(),
        (ids, seqs, e, withMask2, withClinical) => {
          const paths: string[] = [];
          const expected = ids.map((pid) => {
            const sequences = Object.fromEntries(seqs.map((s) => [s, `cohort/${pid}/${s}${e}`]));
            paths.push(...Object.values(sequences), `cohort/${pid}/mask${e}`);
            if (withMask2) paths.push(`cohort/${pid}/mask2${e}`);
            return { id: pid, sequences, mask: `cohort/${pid}/mask${e}`, ...(withMask2 ? { mask2: `cohort/${pid}/mask2${e}` } : {}) };
          });
          if (withClinical) paths.push('cohort/clinical.csv');
          const layout = parseCohortLayout([...paths].reverse());
          expect(layout.problems).toEqual([]);
          expect(layout.root).toBe('cohort');
          expect(layout.clinical).toBe(withClinical ? 'cohort/clinical.csv' : undefined);
          expect(layout.sequenceNames).toEqual([...seqs].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
          const byId = new Map(layout.patients.map((p) => [p.id, p]));
          expect(layout.patients.map((p) => p.id).sort()).toEqual([...ids].sort());
          for (const want of expected) expect(byId.get(want.id)).toEqual(want);
        },
      ),
      { numRuns: 500, seed: 32 },
    );
  });

  it('a sequence missing for some patients: one line per patient, the patient kept with what it has', () => {
    const layout = parseCohortLayout([
      'c/P1/T2WI.nii.gz', 'c/P1/ADC.nii.gz', 'c/P1/mask.nii.gz',
      'c/P2/T2WI.nii.gz', 'c/P2/mask.nii.gz',
      'c/P3/ADC.nii.gz', 'c/P3/mask.nii.gz',
      'c/P4/T2WI.nii.gz', 'c/P4/ADC.nii.gz',
      'c/P5/mask.nii.gz',
    ]);
    expect(layout.problems).toEqual([
      'patient P2: no ADC image (3 other patients have one)',
      'patient P3: no T2WI image (3 other patients have one)',
      'patient P4: no mask (expected c/P4/mask.nii.gz or mask.nrrd); patient left out',
      'patient P5: a mask but no sequence image; patient left out',
    ]);
    expect(layout.patients.map((p) => [p.id, Object.keys(p.sequences)])).toEqual([['P1', ['ADC', 'T2WI']], ['P2', ['T2WI']], ['P3', ['ADC']]]);
  });
});
