import { describe, expect, it } from 'vitest';
import { applyMapping, checkMapping, guessMapping, guessType, mappingForConfig, readCsvColumns } from '../../src/core/study/clinical-mapping.js';
import { clinicalDesign, parseClinicalCsv } from '../../src/core/study/clinical.js';
import { DEFAULT_STUDY_CONFIG, parseStudyConfig } from '../../src/core/study/config.js';
import { demoClinicalCsv, demoPatientId } from '../../src/demo/demo.js';
import { stringify } from 'yaml';

const demoCsv = demoClinicalCsv({ patients: 30, seed: 2025 });
const cohort = Array.from({ length: 30 }, (_, i) => demoPatientId(i));

/** The demo table as another site would send it: other column names, a yes/no outcome, a name column, stage coded 1–4, ids with a prefix. */
function foreignCsv(): string {
  const [head, ...rows] = demoCsv.trim().split('\n').map((l) => l.split(','));
  const col = (n: string) => head!.indexOf(n);
  const out = [['PatientID', 'Name', 'Age', 'Sex', 'T', 'center', 'Residual tumour'].join(',')];
  rows.forEach((r, i) => {
    const t = { T1: '1', T2: '2', T3: '3', T4a: '4' }[r[col('t_stage')]!]!;
    out.push([r[col('id')], `"Doe, J${i}"`, r[col('age')], r[col('sex')], t, 'A', r[col('residual')] === '1' ? 'yes' : 'no'].join(','));
  });
  return out.join('\r\n') + '\r\n';
}

describe('clinical CSV column mapping', () => {
  it('guesses the demo table as the CLI reads it, and its config parses the table to the same variables', () => {
    const csv = readCsvColumns('clinical.csv', demoCsv);
    const m = guessMapping(csv, { cohortIds: cohort });
    expect(m.id).toBe('id');
    expect(m.outcome).toBe('residual');
    expect(m.positive).toBeUndefined();
    expect(m.types.age).toBe('continuous');
    expect(m.types.sex).toBe('categorical');
    expect(m.types.pgtvnx_dose).toBe('continuous');
    const check = checkMapping(csv, m, cohort);
    expect(check).toMatchObject({ errors: [], warnings: [], outcomeValues: ['0', '1'], binary: true, matched: 30, cohort: 30 });
    // The mapping goes into the study config; the config survives the CLI's YAML parser and drives parseClinicalCsv.
    const config = parseStudyConfig(stringify(applyMapping(DEFAULT_STUDY_CONFIG, m)), 'settings');
    const t = parseClinicalCsv('clinical.csv', demoCsv, { idColumn: config.id, outcomeColumn: config.outcome, categorical: config.clinical.categorical, variables: config.clinical.variables === 'auto' ? undefined : config.clinical.variables });
    for (const v of t.variables) expect(v.kind, v.name).toBe(m.types[v.name]);
    expect(t.ids).toEqual(cohort);
  });

  it('maps a foreign table: id and yes/no outcome by name, text ignored, stage codes categorical, constants ignored', () => {
    const csv = readCsvColumns('site2.csv', foreignCsv());
    expect(csv.columns.find((c) => c.name === 'Name')!.cells[0]).toBe('Doe, J0');
    const m = guessMapping(csv, { id: DEFAULT_STUDY_CONFIG.id, outcome: DEFAULT_STUDY_CONFIG.outcome, cohortIds: cohort });
    expect(m).toEqual({ id: 'PatientID', outcome: 'Residual tumour', positive: 'yes', types: { Name: 'ignore', Age: 'continuous', Sex: 'categorical', T: 'categorical', center: 'ignore' } });
    expect(checkMapping(csv, m, cohort).errors).toEqual([]);
    const config = applyMapping(DEFAULT_STUDY_CONFIG, m);
    expect(config).toMatchObject({ id: 'PatientID', outcome: 'Residual tumour', positive: 'yes', clinical: { variables: ['Age', 'Sex', 'T'], categorical: ['Sex', 'T'] } });
    // Read back from the config: the same mapping (what the panel shows after a reload).
    expect(mappingForConfig(csv, config, cohort)).toEqual(m);
    // The study's parser gets the outcome the right way round: "yes" is 1.
    const t = parseClinicalCsv('site2.csv', csv.text, { idColumn: 'PatientID', outcomeColumn: 'Residual tumour', positive: 'yes', variables: ['Age', 'Sex', 'T'], categorical: ['Sex', 'T'] });
    const demo = parseClinicalCsv('clinical.csv', demoCsv);
    expect(t.outcome).toEqual(demo.outcome);
    expect(t.variables.find((v) => v.name === 'T')).toEqual({ name: 'T', kind: 'categorical', levels: ['1', '2', '3', '4'] });
  });

  it('a renamed copy of the demo table, mapped by guess, gives the study the same outcome, variables and design matrix', () => {
    const [head, ...rows] = demoCsv.trim().split('\n').map((l) => l.split(','));
    const rename = (c: string) => (c === 'id' ? 'Patient ID' : c === 'residual' ? 'Residual' : `Var ${c}`);
    const out = rows.map((r, i) => [`"Doe, J${i}"`, ...r.map((v, c) => (head![c] === 'residual' ? (v === '1' ? 'yes' : 'no') : v))]);
    const text = [['Name', ...head!.map(rename)], ...out].map((r) => r.join(',')).join('\n');
    const csv = readCsvColumns('renamed.csv', text);
    const m = guessMapping(csv, { id: DEFAULT_STUDY_CONFIG.id, outcome: DEFAULT_STUDY_CONFIG.outcome, cohortIds: cohort });
    expect([m.id, m.outcome, m.positive, m.types.Name]).toEqual(['Patient ID', 'Residual', 'yes', 'ignore']);
    const c = parseStudyConfig(stringify(applyMapping(DEFAULT_STUDY_CONFIG, m)), 'settings');
    // What the study runner does with the settings (workers/study-runner.worker.ts).
    const mapped = parseClinicalCsv('renamed.csv', text, {
      idColumn: c.id,
      outcomeColumn: c.outcome,
      positive: c.positive,
      categorical: c.clinical.categorical,
      variables: c.clinical.variables === 'auto' ? undefined : c.clinical.variables,
    });
    const original = parseClinicalCsv('clinical.csv', demoCsv);
    expect(mapped.ids).toEqual(original.ids);
    expect(mapped.outcome).toEqual(original.outcome);
    expect(mapped.variables.map((v) => ({ ...v, name: v.name.replace(/^Var /, '') }))).toEqual(original.variables);
    const a = clinicalDesign(mapped, mapped.variables.map((v) => v.name));
    const b = clinicalDesign(original, original.variables.map((v) => v.name));
    expect(a.X).toEqual(b.X);
    expect(a.columns.map((n) => n.replace(/^Var /, ''))).toEqual(b.columns);
  });

  it('takes a two-valued column whose name contains an outcome word before other two-valued columns', () => {
    const text = ['case,Residual tumour,sex,age', 'a,yes,m,50', 'b,no,f,61', 'c,no,m,47'].join('\n');
    expect(guessMapping(readCsvColumns('t.csv', text))).toEqual({ id: 'case', outcome: 'Residual tumour', positive: 'yes', types: { sex: 'categorical', age: 'continuous' } });
  });

  it('finds the id column by its values when the name says nothing', () => {
    const text = demoCsv.replace(/^id,/, 'code,');
    const m = guessMapping(readCsvColumns('c.csv', text), { cohortIds: cohort });
    expect(m.id).toBe('code');
  });

  it('guesses types from values', () => {
    const col = (cells: string[]) => readCsvColumns('t.csv', ['x,y', ...cells.map((c) => `${c},0`)].join('\n')).columns[0];
    expect(guessType(col(['1', '2', '3', '2'])!)).toBe('categorical');
    expect(guessType(col(['1.5', '2', '3', '2'])!)).toBe('continuous');
    expect(guessType(col(['1', '2', '3', '4', '5'])!)).toBe('continuous');
    expect(guessType(col(['50', '61', '47'])!)).toBe('continuous');
    expect(guessType(col(['a', 'b', 'a'])!)).toBe('categorical');
    expect(guessType(col(['a', 'a', 'NA'])!)).toBe('ignore');
    expect(guessType(col(['NA', '', 'NA'])!)).toBe('ignore');
  });

  it('names every problem in one line', () => {
    const csv = readCsvColumns('site2.csv', foreignCsv());
    const good = guessMapping(csv, { cohortIds: cohort });
    const nonBinary = checkMapping(csv, { ...good, outcome: 'T', types: { ...good.types, T: 'ignore' } }, cohort);
    expect(nonBinary.errors).toEqual(['site2.csv: the outcome column "T" must be binary, found 4 values (1, 2, 3, 4)']);
    expect(nonBinary.binary).toBe(false);
    expect(checkMapping(csv, { ...good, id: 'patient_id' }).errors[0]).toMatch(/^site2\.csv: no id column "patient_id" \(columns: PatientID, Name, /);
    expect(checkMapping(csv, { ...good, types: { ...good.types, Sex: 'continuous' } }).errors).toEqual([
      'site2.csv: column "Sex" is set continuous but holds text (female, male); make it categorical or ignore it',
    ]);
    expect(checkMapping(csv, { ...good, outcome: 'PatientID' }).errors[0]).toContain('the id and the outcome are the same column "PatientID"');
    // Ids against the loaded cohort: how many match.
    const other = Array.from({ length: 40 }, (_, i) => demoPatientId(i + 20));
    const some = checkMapping(csv, good, other);
    expect(some.matched).toBe(10);
    expect(some.errors).toEqual([]);
    expect(some.warnings).toEqual(['site2.csv: 10 of 40 cohort patients have a row (id column "PatientID"); P031, P032, P033, … will be excluded']);
    const none = checkMapping(csv, good, ['brain1', 'brain2']);
    expect(none.errors).toEqual(['site2.csv: 0 of 2 cohort patients have a row (id column "PatientID"); e.g. patient brain1 is not in it (its ids: P001, P002, P003, …)']);
    // What only the study's parser knows: a missing outcome cell.
    const holed = csv.text.replace(/,(yes|no)\r\n/, ',NA\r\n');
    const e = checkMapping(readCsvColumns('site2.csv', holed), good).errors;
    expect(e).toEqual([expect.stringMatching(/^site2\.csv: patient P001 has no value in the outcome column "Residual tumour"$/)]);
    for (const line of [...e, ...nonBinary.errors]) expect(line).not.toMatch(/\n/);
    expect(() => readCsvColumns('empty.csv', ' \n')).toThrow('empty.csv: the clinical table is empty');
    expect(() => readCsvColumns('dup.csv', 'a,a\n1,2\n')).toThrow('dup.csv: column "a" appears twice');
  });
});
