import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseClinicalCsv, clinicalDesign, matchClinicalToCohort } from '../../src/core/study/clinical.js';
import { demoClinicalCsv } from '../../src/demo/demo.js';

const csv = ['id,age,sex,t_stage,residual', 'P1,50,male,T3,0', 'P2,61,female,T4a,1', 'P3,,male,T1,0', 'P4,44,male,T3,1'].join('\n');

describe('clinical table', () => {
  it('types columns and codes categorical variables as treatment-contrast dummies', () => {
    const t = parseClinicalCsv('clinical.csv', csv);
    expect(t.ids).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(t.outcome).toEqual([0, 1, 0, 1]);
    expect(t.variables.map((v) => [v.name, v.kind])).toEqual([
      ['age', 'continuous'],
      ['sex', 'categorical'],
      ['t_stage', 'categorical'],
    ]);
    const d = clinicalDesign(t, ['age', 'sex', 't_stage']);
    expect(d.columns).toEqual(['age', 'sex=male', 't_stage=T3', 't_stage=T4a']);
    expect(d.X[1]).toEqual([61, 0, 0, 1]);
    expect(d.missing).toEqual([{ id: 'P3', variable: 'age' }]);
  });

  it('reads the demo cohort’s table', () => {
    const t = parseClinicalCsv('clinical.csv', demoClinicalCsv({ patients: 30 }));
    expect(t.ids).toHaveLength(30);
    expect(t.variables.find((v) => v.name === 'clinical_stage')?.levels).toEqual(['II', 'III', 'IVa']);
  });

  it.each([
    ['', /clinical\.csv: the clinical table is empty/],
    ['id,residual\n', /header but no rows/],
    ['patient,residual\nP1,0', /no id column "id"/],
    ['id,outcome\nP1,0', /no outcome column "residual"/],
    ['id,residual\nP1,0\nP1,1', /patient P1 appears twice/],
    ['id,residual\nP1,0\nP2,2\nP3,1', /must be binary, found 3 values/],
    ['id,residual\nP1,0\nP2,', /patient P2 has no value in the outcome column/],
    ['id,residual\nP1,maybe\nP2,perhaps', /cannot tell which outcome value/],
    ['id,x,residual\nP1,,0\nP2,,1', /column "x" has no values/],
  ])('rejects %j with a one-line message', (text, re) => {
    expect(() => parseClinicalCsv('clinical.csv', text)).toThrow(re);
    try {
      parseClinicalCsv('clinical.csv', text);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('accepts yes/no outcomes and an explicit positive value', () => {
    expect(parseClinicalCsv('c.csv', 'id,residual\nA,no\nB,yes').outcome).toEqual([0, 1]);
    expect(parseClinicalCsv('c.csv', 'id,residual\nA,cured\nB,relapse', { positive: 'relapse' }).outcome).toEqual([0, 1]);
  });

  it('reports patients with images but no row and rows without images', () => {
    const t = parseClinicalCsv('clinical.csv', csv);
    expect(matchClinicalToCohort(t, ['P1', 'P2', 'P3', 'P9'])).toEqual([
      'clinical.csv: patient P9 has images but no row in the clinical table',
      'clinical.csv: patient P4 is in the clinical table but has no images',
    ]);
  });

  it('never throws anything but a one-line Error on arbitrary text (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseClinicalCsv('f.csv', text);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message.startsWith('f.csv: ')).toBe(true);
          expect((e as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('round-trips generated tables (property)', () => {
    const cell = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,5}$/);
    fc.assert(
      fc.property(fc.uniqueArray(cell, { minLength: 2, maxLength: 20 }), fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 20, maxLength: 20 }), (ids, nums) => {
        const lines = ['id,score,residual', ...ids.map((id, n) => `${id},${nums[n]},${n % 2}`)];
        const t = parseClinicalCsv('g.csv', lines.join('\r\n'));
        expect(t.ids).toEqual(ids);
        expect(t.values.score!.map(Number)).toEqual(nums.slice(0, ids.length));
        expect(t.outcome).toEqual(ids.map((_, n) => n % 2));
      }),
      { numRuns: 200, seed: 2 },
    );
  });
});
