/**
 * The scanner_… columns `habitat import` adds to clinical.csv are batch keys
 * (ComBat), not clinical predictors: 'auto' variables leave them out, their
 * values stay readable (validate --harmonise --batch scanner_…), and the app's
 * column mapping ignores them by default.
 */
import { describe, it, expect } from 'vitest';
import { parseClinicalCsv } from '../../src/core/study/clinical.js';
import { applyMapping, guessMapping, mappingForConfig, readCsvColumns } from '../../src/core/study/clinical-mapping.js';
import { parseStudyConfig } from '../../src/core/study/config.js';

const CSV = [
  'id,residual,age,T_stage,scanner_institution,scanner_manufacturer,scanner_model,scanner_field_T',
  'P1,0,51,2,St. A,SIEMENS,,3',
  'P2,1,63,3,St. B,Philips,,1.5',
  'P3,0,47,1,St. A,SIEMENS,,3',
  'P4,1,70,4,St. B,Philips,,1.5',
].join('\n');

describe('scanner_ batch columns', () => {
  it("'auto' variables are every column but id, outcome and the scanner columns; the scanner values stay readable", () => {
    const t = parseClinicalCsv('clinical.csv', CSV);
    expect(t.variables.map((v) => v.name)).toEqual(['age', 'T_stage']);
    expect(t.values.scanner_institution).toEqual(['St. A', 'St. B', 'St. A', 'St. B']);
    expect(t.values.scanner_model).toEqual(['', '', '', '']); // an empty batch column is no error
    // named explicitly, a scanner column is a variable like any other
    const e = parseClinicalCsv('clinical.csv', CSV, { variables: ['age', 'scanner_field_T'] });
    expect(e.variables).toEqual([{ name: 'age', kind: 'continuous' }, { name: 'scanner_field_T', kind: 'continuous' }]);
  });

  it("the app's mapping ignores them and still says 'auto'", () => {
    const csv = readCsvColumns('clinical.csv', CSV);
    const g = guessMapping(csv);
    expect(g.id).toBe('id');
    expect(g.outcome).toBe('residual');
    expect(Object.entries(g.types).filter(([, t]) => t === 'ignore').map(([n]) => n)).toEqual(['scanner_institution', 'scanner_manufacturer', 'scanner_model', 'scanner_field_T']);
    const config = parseStudyConfig('sequences: [T2WI]\n', 'study.yaml');
    const c = applyMapping(config, g);
    expect(c.clinical.variables).toBe('auto');
    const back = mappingForConfig(csv, c);
    expect(back.types.scanner_institution).toBe('ignore');
    expect(back.types.age).toBe('continuous');
  });
});
