/**
 * The clinical table: one row per patient, an id column matching the cohort's
 * patient folders, a binary outcome, and continuous or categorical variables.
 * Parsed with papaparse (RFC 4180 quoting, BOM, CRLF). Every problem is a
 * one-line message naming the file and the column, row or patient.
 */
import Papa from 'papaparse';

export type VariableKind = 'continuous' | 'categorical';

export interface ClinicalVariable {
  name: string;
  kind: VariableKind;
  /** Categories in order (first = reference level) for categorical variables. */
  levels?: string[];
}

export interface ClinicalTable {
  file: string;
  ids: string[];
  /** Outcome per row, 0/1 (1 = the positive class). */
  outcome: (0 | 1)[];
  /** The outcome's original labels: [negative, positive]. */
  outcomeLabels: [string, string];
  variables: ClinicalVariable[];
  /** Raw cell text per variable, row-aligned with `ids`; '' = missing. */
  values: Record<string, string[]>;
}

export interface ClinicalOptions {
  idColumn?: string;
  outcomeColumn?: string;
  /** Variables to use (default: every other column). */
  variables?: string[];
  /** Force these variables to be categorical (numbers coded as categories, e.g. stage 1–4). */
  categorical?: string[];
  /** Which outcome value is the positive class when the outcome is not 0/1 (e.g. "yes", "residual"). */
  positive?: string;
  /** Called with the header's columns before any variable is read (e.g. to check a config's columns and name its key). */
  checkColumns?: (columns: string[]) => void;
}

/** An Error for `file` whose message stays on one line (cells and column names may hold line breaks). */
function problem(file: string, message: string): Error {
  return new Error(`${file}: ${message}`.replace(/\s*[\r\n]+\s*/g, ' '));
}

/**
 * Columns named `scanner_…` (written by `habitat import`: institution,
 * manufacturer, model, field strength) describe the acquisition, not the
 * patient: batch keys for ComBat (`validate --harmonise --batch scanner_…`).
 * 'auto' variables leave them out; they are read into `values` all the same.
 */
export const BATCH_COLUMN_PREFIX = 'scanner_';
export const isBatchColumn = (name: string): boolean => name.startsWith(BATCH_COLUMN_PREFIX);

const MISSING = new Set(['', 'na', 'nan', 'null', 'none', '.', '-', '?']);

export function isMissing(cell: string | undefined): boolean {
  return cell === undefined || MISSING.has(cell.trim().toLowerCase());
}

/** The cells of column `name` (one per row of `t.ids`); a column the table does not have throws, naming the file. */
export function clinicalColumn(t: ClinicalTable, name: string): string[] {
  const cells = t.values[name];
  if (!cells) throw new Error(`${t.file}: no column "${name}"`);
  return cells;
}

/** Parse and validate a clinical CSV held in memory. */
export function parseClinicalCsv(file: string, text: string, opts: ClinicalOptions = {}): ClinicalTable {
  const idColumn = opts.idColumn ?? 'id';
  const outcomeColumn = opts.outcomeColumn ?? 'residual';
  if (text.trim() === '') throw problem(file, 'the clinical table is empty');
  // header: false, and rows built here: a header row parsed into object keys would
  // rename duplicate columns silently and turn a "__proto__" column into the prototype
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes' || e.type === 'Delimiter');
  if (fatal) throw problem(file, `malformed CSV at row ${(fatal.row ?? 0) + 1}: ${fatal.message}`);
  const [head = [], ...body] = parsed.data;
  const columns = head.map((h) => String(h).trim());
  if (!columns.includes(idColumn)) throw problem(file, `no id column "${idColumn}" (columns: ${columns.join(', ')})`);
  if (!columns.includes(outcomeColumn)) throw problem(file, `no outcome column "${outcomeColumn}" (columns: ${columns.join(', ')})`);
  const dup = columns.find((c, n) => columns.indexOf(c) !== n);
  if (dup !== undefined) throw problem(file, `column "${dup}" appears twice`);
  if (columns.includes('__proto__')) throw problem(file, 'a column may not be named "__proto__"');
  opts.checkColumns?.(columns);
  const rows: Record<string, string>[] = body.map((r) => {
    const row: Record<string, string> = Object.create(null) as Record<string, string>;
    columns.forEach((c, n) => (row[c] = typeof r[n] === 'string' ? r[n] : ''));
    return row;
  });
  if (rows.length === 0) throw problem(file, 'the clinical table has a header but no rows');
  const ids: string[] = [];
  const seen = new Set<string>();
  rows.forEach((r, n) => {
    const id = (r[idColumn] ?? '').trim();
    if (isMissing(id)) throw problem(file, `row ${n + 2} has no ${idColumn}`);
    if (seen.has(id)) throw problem(file, `patient ${id} appears twice (row ${n + 2})`);
    seen.add(id);
    ids.push(id);
  });
  const { outcome, labels } = parseOutcome(file, outcomeColumn, rows.map((r) => (r[outcomeColumn] ?? '').trim()), ids, opts.positive);
  const wanted = opts.variables ?? columns.filter((c) => c !== idColumn && c !== outcomeColumn && !isBatchColumn(c));
  const variables: ClinicalVariable[] = [];
  const values: Record<string, string[]> = {};
  for (const name of columns.filter((c) => isBatchColumn(c) && !wanted.includes(c) && c !== idColumn && c !== outcomeColumn)) {
    values[name] = rows.map((r) => (r[name] ?? '').trim()).map((c) => (isMissing(c) ? '' : c));
  }
  for (const name of wanted) {
    if (!columns.includes(name)) throw problem(file, `no column "${name}" (columns: ${columns.join(', ')})`);
    const cells = rows.map((r) => (r[name] ?? '').trim());
    values[name] = cells.map((c) => (isMissing(c) ? '' : c));
    const present = values[name].filter((c) => c !== '');
    if (present.length === 0) throw problem(file, `column "${name}" has no values`);
    const numeric = present.every((c) => Number.isFinite(Number(c)));
    if (numeric && !(opts.categorical ?? []).includes(name)) variables.push({ name, kind: 'continuous' });
    else {
      const levels = [...new Set(present)].sort((a, b) => (numeric ? Number(a) - Number(b) : a.localeCompare(b)));
      variables.push({ name, kind: 'categorical', levels });
    }
  }
  return { file, ids, outcome, outcomeLabels: labels, variables, values };
}

function parseOutcome(file: string, column: string, cells: string[], ids: string[], positive?: string): { outcome: (0 | 1)[]; labels: [string, string] } {
  cells.forEach((c, n) => {
    if (isMissing(c)) throw problem(file, `patient ${ids[n]} has no value in the outcome column "${column}"`);
  });
  const distinct = [...new Set(cells)];
  if (distinct.length > 2) {
    throw problem(file, `the outcome column "${column}" must be binary, found ${distinct.length} values (${distinct.slice(0, 5).join(', ')}${distinct.length > 5 ? ', …' : ''})`);
  }
  let pos: string;
  if (positive !== undefined) {
    if (!distinct.includes(positive)) throw problem(file, `the positive outcome value "${positive}" does not occur in column "${column}"`);
    pos = positive;
  } else if (distinct.every((d) => d === '0' || d === '1')) pos = '1';
  else {
    const yes = distinct.find((d) => /^(1|yes|true|y|positive|pos|residual)$/i.test(d));
    if (!yes) throw problem(file, `cannot tell which outcome value of "${column}" is positive (${distinct.join(', ')}); set the positive value`);
    pos = yes;
  }
  const neg = distinct.find((d) => d !== pos) ?? (pos === '1' ? '0' : `not ${pos}`);
  return { outcome: cells.map((c) => (c === pos ? 1 : 0)), labels: [neg, pos] };
}

/**
 * The design matrix of the chosen variables: continuous as numbers, categorical
 * as 0/1 dummies against the first level (named `<var>=<level>`, as R's
 * treatment contrasts). Rows with a missing value are reported, not dropped
 * silently: `missing` lists them.
 */
export function clinicalDesign(t: ClinicalTable, names: string[], rows?: number[]): { columns: string[]; X: number[][]; missing: { id: string; variable: string }[] } {
  const idx = rows ?? t.ids.map((_, n) => n);
  const columns: string[] = [];
  const getters: ((row: number) => number)[] = [];
  for (const name of names) {
    const v = t.variables.find((x) => x.name === name);
    if (!v) throw new Error(`${t.file}: unknown clinical variable "${name}"`);
    const cells = clinicalColumn(t, name);
    const cell = (r: number): string => {
      const c = cells[r];
      if (c === undefined) throw new Error(`${t.file}: column "${name}" has no row ${r}`);
      return c;
    };
    if (v.kind === 'continuous') {
      columns.push(name);
      getters.push((r) => (cell(r) === '' ? NaN : Number(cell(r))));
    } else {
      for (const level of v.levels!.slice(1)) {
        columns.push(`${name}=${level}`);
        getters.push((r) => (cell(r) === '' ? NaN : cell(r) === level ? 1 : 0));
      }
    }
  }
  const missing: { id: string; variable: string }[] = [];
  const X = idx.map((r) => {
    const row = getters.map((g) => g(r));
    row.forEach((x, c) => {
      if (Number.isNaN(x)) missing.push({ id: t.ids[r]!, variable: columns[c]! });
    });
    return row;
  });
  return { columns, X, missing };
}

/** Check the table against the cohort's patient ids: one message per patient without clinical data, and per unknown row. */
export function matchClinicalToCohort(t: ClinicalTable, cohortIds: string[]): string[] {
  const problems: string[] = [];
  const inTable = new Set(t.ids);
  const inCohort = new Set(cohortIds);
  for (const id of cohortIds) if (!inTable.has(id)) problems.push(problem(t.file, `patient ${id} has images but no row in the clinical table`).message);
  for (const id of t.ids) if (!inCohort.has(id)) problems.push(problem(t.file, `patient ${id} is in the clinical table but has no images`).message);
  return problems;
}
