/**
 * Hostile clinical tables: missing columns, missing values, unknown ids,
 * non-binary outcomes, duplicate or "__proto__" columns, line breaks inside
 * quoted names. Every problem is one line naming the file (and the column,
 * row or patient); structured random tables never crash the parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clinicalDesign, matchClinicalToCohort, parseClinicalCsv } from '../../src/core/study/clinical.js';

function oneLineOrOk(text: string, positive?: string): void {
  try {
    const t = parseClinicalCsv('c.csv', text, { positive });
    clinicalDesign(t, t.variables.map((v) => v.name));
    for (const m of matchClinicalToCohort(t, ['P1', 'P3'])) expect(m).not.toMatch(/[\r\n]/);
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    const m = (e as Error).message;
    expect(m.startsWith('c.csv: '), m).toBe(true);
    expect(m).not.toMatch(/[\r\n]/);
  }
}

describe('hostile clinical tables', () => {
  it.each([
    ['id,id,residual\nP1,P1,0', 'c.csv: column "id" appears twice'],
    ['id,__proto__,residual\nP1,x,0\nP2,y,1', 'c.csv: a column may not be named "__proto__"'],
    ['"pat\nient",residual\nP1,0', 'c.csv: no id column "id" (columns: pat ient, residual)'],
    ['id,residual\n"P\n1",0\nP2,2\nP3,1', 'c.csv: the outcome column "residual" must be binary, found 3 values (0, 2, 1)'],
    ['id,residual\nP1,0\n"P2,1', /^c\.csv: malformed CSV at row 3: /],
  ])('%j', (text, want) => {
    expect(() => parseClinicalCsv('c.csv', text)).toThrow(want);
  });

  it('a short row leaves its missing cells empty; an all-empty column is refused', () => {
    expect(parseClinicalCsv('c.csv', 'id,residual,age\nP1,0,50\nP2,1').values.age).toEqual(['50', '']);
    expect(() => parseClinicalCsv('c.csv', 'id,residual,age\nP1,0,NA\nP2,1')).toThrow('c.csv: column "age" has no values');
  });

  it('missing values are kept as "" and reported per patient by clinicalDesign', () => {
    const t = parseClinicalCsv('c.csv', 'id,residual,age,stage\nP1,0,50,I\nP2,1,NA,II\nP3,0,61,?\n');
    const d = clinicalDesign(t, ['age', 'stage']);
    expect(d.missing).toEqual([
      { id: 'P2', variable: 'age' },
      { id: 'P3', variable: 'stage=II' },
    ]);
  });

  it('unknown ids both ways, one line each', () => {
    const t = parseClinicalCsv('c.csv', 'id,residual\nP1,0\nP2,1\nP99,0\n');
    expect(matchClinicalToCohort(t, ['P1', 'P2', 'P3'])).toEqual([
      'c.csv: patient P3 has images but no row in the clinical table',
      'c.csv: patient P99 is in the clinical table but has no images',
    ]);
  });

  it('structured random tables (odd names, quotes, separators, line endings) never crash (fuzz)', () => {
    const name = fc.constantFrom('id', 'residual', 'age', '__proto__', 'constructor', 'toString', '', ' id ', 'hasOwnProperty', '"x,y"', '"a\nb"', 'stage');
    const cell = fc.constantFrom('0', '1', 'NA', '', 'P1', 'P2', 'yes', 'no', '"a,b"', '"', '1e999', 'NaN', '-', '3.5', 'Infinity', '__proto__', '"P\n3"', '\uFEFF');
    const table = fc.tuple(fc.array(name, { minLength: 1, maxLength: 5 }), fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 6 }), fc.constantFrom('\n', '\r\n', '\r'), fc.constantFrom(',', ';', '\t'));
    fc.assert(
      fc.property(table, fc.option(fc.constantFrom('yes', '1', 'P1')), ([h, rows, nl, sep], positive) =>
        oneLineOrOk([h.join(sep), ...rows.map((r) => r.join(sep))].join(nl), positive ?? undefined),
      ),
      { numRuns: 3000, seed: 41 },
    );
  });
});
