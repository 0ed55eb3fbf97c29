/**
 * Column mapping of a clinical CSV (the app's Settings): which column is the
 * patient id, which is the binary outcome (and its positive value), and how
 * each other column enters the analysis (continuous, categorical or ignored).
 * A first guess from the names and values, a check that names every problem
 * in one line, and the translation into the study config keys the CLI reads
 * (`id`, `outcome`, `positive`, `clinical.variables`, `clinical.categorical`),
 * so the study parses the table exactly as `habitat study` would.
 */
import Papa from 'papaparse';
import { isBatchColumn, isMissing, parseClinicalCsv } from './clinical.js';
import type { StudyConfig } from './config.js';

export type ColumnType = 'continuous' | 'categorical' | 'ignore';

export interface CsvColumn {
  name: string;
  /** Trimmed cell text per row; '' for a missing value (NA, empty, …). */
  cells: string[];
  /** Distinct present values, sorted (numerically when every value is a number). */
  distinct: string[];
  /** Every present value is a number. */
  numeric: boolean;
  missing: number;
}

export interface CsvColumns {
  file: string;
  text: string;
  rows: number;
  columns: CsvColumn[];
}

export interface ClinicalMapping {
  id: string;
  outcome: string;
  /** The outcome value that is the positive class (absent for a 0/1 outcome). */
  positive?: string;
  /** Type of every column other than id and outcome. */
  types: Record<string, ColumnType>;
}

export interface MappingCheck {
  /** One line each, naming the file and the column or patient; the study cannot run while there is one. */
  errors: string[];
  /** Worth knowing but not blocking (e.g. some cohort patients without a row: they are excluded). */
  warnings: string[];
  /** Distinct values of the chosen outcome column. */
  outcomeValues: string[];
  binary: boolean;
  /** Cohort patients with a row in the table, and the cohort's size (0 when no cohort is loaded). */
  matched: number;
  cohort: number;
}

function problem(file: string, message: string): string {
  return `${file}: ${message}`.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** The table's columns with their values, as the clinical parser will see them (papaparse, BOM, CRLF, quoting). */
export function readCsvColumns(file: string, text: string): CsvColumns {
  if (text.trim() === '') throw new Error(problem(file, 'the clinical table is empty'));
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes' || e.type === 'Delimiter');
  if (fatal) throw new Error(problem(file, `malformed CSV at row ${(fatal.row ?? 0) + 1}: ${fatal.message}`));
  const [head = [], ...body] = parsed.data;
  const names = head.map((h) => String(h).trim());
  const dup = names.find((c, n) => names.indexOf(c) !== n);
  if (dup !== undefined) throw new Error(problem(file, `column "${dup}" appears twice`));
  if (body.length === 0) throw new Error(problem(file, 'the clinical table has a header but no rows'));
  const columns = names.map((name, c): CsvColumn => {
    const cells = body.map((r) => {
      const v = typeof r[c] === 'string' ? r[c].trim() : '';
      return isMissing(v) ? '' : v;
    });
    const present = cells.filter((v) => v !== '');
    const numeric = present.length > 0 && present.every((v) => Number.isFinite(Number(v)));
    const distinct = [...new Set(present)].sort((a, b) => (numeric ? Number(a) - Number(b) : a.localeCompare(b)));
    return { name, cells, distinct, numeric, missing: cells.length - present.length };
  });
  return { file, text, rows: body.length, columns };
}

const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const ID_NAMES = ['id', 'patientid', 'patient', 'subjectid', 'subject', 'caseid', 'case', 'pid', 'mrn', 'studyid'];
const OUTCOME_NAMES = ['outcome', 'residual', 'label', 'target', 'response', 'status', 'event', 'class', 'y', 'result', 'group'];
/** Values read as the positive class when the outcome is not 0/1 (as the clinical parser does). */
const POSITIVE = /^(1|yes|true|y|positive|pos|residual)$/i;

/** The positive value a two-valued outcome would get without a choice, or undefined for 0/1 (or when it cannot tell). */
export function guessPositive(values: string[]): string | undefined {
  if (values.every((v) => v === '0' || v === '1')) return undefined;
  return values.find((v) => POSITIVE.test(v)) ?? values[values.length - 1];
}

/** A sensible type for a variable column: numbers are continuous unless they are a few small integer codes (at most 4 values within ±10, e.g. stage 1–4); free text and constants are ignored. */
export function guessType(col: CsvColumn): ColumnType {
  const present = col.cells.length - col.missing;
  if (present === 0 || col.distinct.length < 2) return 'ignore';
  if (col.numeric) return col.distinct.length <= 4 && col.distinct.every((v) => Number.isInteger(Number(v)) && Math.abs(Number(v)) <= 10) ? 'categorical' : 'continuous';
  // Every value different (names, dates, free text): not a category.
  if (col.distinct.length === present && present > 10) return 'ignore';
  return 'categorical';
}

/**
 * First guess: the id column by name (or the column that holds most of the
 * cohort's ids), the outcome by name among two-valued columns (the study
 * config's choice first), every other column by `guessType`.
 */
export function guessMapping(csv: CsvColumns, prefer: { id?: string; outcome?: string; cohortIds?: string[] } = {}): ClinicalMapping {
  const cols = csv.columns;
  const has = (name: string | undefined) => name !== undefined && cols.some((c) => c.name === name);
  let idGuess = has(prefer.id) ? prefer.id! : cols.find((c) => ID_NAMES.includes(key(c.name)))?.name;
  if (idGuess === undefined && prefer.cohortIds && prefer.cohortIds.length > 0) {
    const cohort = new Set(prefer.cohortIds);
    const best = cols.map((c) => ({ c, n: c.cells.filter((v) => cohort.has(v)).length })).sort((a, b) => b.n - a.n)[0];
    if (best && best.n > 0) idGuess = best.c.name;
  }
  const fallback = cols.find((c) => !c.numeric && c.missing === 0 && c.distinct.length === csv.rows) ?? cols[0];
  if (idGuess === undefined && !fallback) throw new Error(problem(csv.file, 'no columns'));
  const id: string = idGuess ?? fallback!.name;
  const candidates = cols.filter((c) => c.name !== id);
  const binary = candidates.filter((c) => c.distinct.length === 2);
  // An exact name first ("outcome"), then a name containing one ("Residual tumour"); OUTCOME_NAMES.length × 2 = no match.
  const rank = (c: CsvColumn) => {
    const k = key(c.name);
    const exact = OUTCOME_NAMES.indexOf(k);
    if (exact >= 0) return exact;
    const partial = OUTCOME_NAMES.findIndex((n) => n.length >= 4 && k.includes(n));
    return partial >= 0 ? OUTCOME_NAMES.length + partial : 2 * OUTCOME_NAMES.length;
  };
  let outcome: string;
  if (has(prefer.outcome) && prefer.outcome !== id) outcome = prefer.outcome!;
  else {
    const byName = [...binary].sort((a, b) => rank(a) - rank(b))[0];
    if (byName && rank(byName) < 2 * OUTCOME_NAMES.length) outcome = byName.name;
    else outcome = candidates.find((c) => rank(c) < 2 * OUTCOME_NAMES.length)?.name ?? binary[binary.length - 1]?.name ?? candidates[candidates.length - 1]?.name ?? id;
  }
  const outcomeCol = cols.find((c) => c.name === outcome)!;
  const types: Record<string, ColumnType> = {};
  for (const c of cols) if (c.name !== id && c.name !== outcome) types[c.name] = isBatchColumn(c.name) ? 'ignore' : guessType(c);
  const positive = outcomeCol.distinct.length === 2 ? guessPositive(outcomeCol.distinct) : undefined;
  return positive === undefined ? { id, outcome, types } : { id, outcome, positive, types };
}

/**
 * The mapping a study config describes for this table (what the study will
 * do with it), when its id and outcome columns are in the table; otherwise
 * the guess. Inverse of `applyMapping`.
 */
export function mappingForConfig(csv: CsvColumns, config: StudyConfig, cohortIds: string[] = []): ClinicalMapping {
  const names = csv.columns.map((c) => c.name);
  if (!names.includes(config.id) || !names.includes(config.outcome) || config.id === config.outcome) return guessMapping(csv, { id: config.id, outcome: config.outcome, cohortIds });
  const used = config.clinical.variables === 'auto' ? null : new Set(config.clinical.variables);
  const types: Record<string, ColumnType> = {};
  for (const c of csv.columns) {
    if (c.name === config.id || c.name === config.outcome) continue;
    if (used ? !used.has(c.name) : isBatchColumn(c.name)) types[c.name] = 'ignore';
    else types[c.name] = !c.numeric || config.clinical.categorical.includes(c.name) ? 'categorical' : 'continuous';
  }
  const m: ClinicalMapping = { id: config.id, outcome: config.outcome, types };
  if (config.positive !== undefined) m.positive = config.positive;
  return m;
}

/** The study config with this mapping: what `habitat study --config` would need for the same table. */
export function applyMapping(config: StudyConfig, m: ClinicalMapping): StudyConfig {
  const c = structuredClone(config);
  c.id = m.id;
  c.outcome = m.outcome;
  if (m.positive === undefined) delete c.positive;
  else c.positive = m.positive;
  const vars = Object.entries(m.types);
  const used = vars.filter(([, t]) => t !== 'ignore').map(([n]) => n);
  // 'auto' = every column but the batch (scanner_…) columns, which it leaves out
  const auto = vars.filter(([n]) => !isBatchColumn(n));
  c.clinical.variables = used.length === auto.length && used.every((n) => !isBatchColumn(n)) ? 'auto' : used;
  c.clinical.categorical = vars.filter(([, t]) => t === 'categorical').map(([n]) => n);
  return c;
}

/**
 * Every problem of the mapping, one line each: a chosen column that is not in
 * the table, id = outcome, an outcome that is not binary, a continuous column
 * with text, anything the clinical parser of the study rejects, and how many
 * of the loaded cohort's patients have a row (none = an error).
 */
export function checkMapping(csv: CsvColumns, m: ClinicalMapping, cohortIds: string[] = []): MappingCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const f = csv.file;
  const col = (name: string) => csv.columns.find((c) => c.name === name);
  const idCol = col(m.id);
  const outCol = col(m.outcome);
  if (!idCol) errors.push(problem(f, `no id column "${m.id}" (columns: ${csv.columns.map((c) => c.name).join(', ')})`));
  if (!outCol) errors.push(problem(f, `no outcome column "${m.outcome}" (columns: ${csv.columns.map((c) => c.name).join(', ')})`));
  if (idCol && outCol && m.id === m.outcome) errors.push(problem(f, `the id and the outcome are the same column "${m.id}"`));
  const outcomeValues = outCol?.distinct ?? [];
  const binary = outcomeValues.length === 2 && outCol?.missing === 0;
  if (outCol && outCol.distinct.length !== 2) {
    const shown = outcomeValues.slice(0, 5).join(', ') + (outcomeValues.length > 5 ? ', …' : '');
    errors.push(problem(f, `the outcome column "${m.outcome}" must be binary, found ${outcomeValues.length} value${outcomeValues.length === 1 ? '' : 's'} (${shown})`));
  }
  for (const [name, type] of Object.entries(m.types)) {
    const c = col(name);
    if (!c) {
      if (type !== 'ignore') errors.push(problem(f, `no column "${name}"`));
      continue;
    }
    if (type === 'continuous' && !c.numeric && c.distinct.length > 0) {
      const text = c.distinct.filter((v) => !Number.isFinite(Number(v))).slice(0, 3);
      errors.push(problem(f, `column "${name}" is set continuous but holds text (${text.join(', ')}); make it categorical or ignore it`));
    }
  }
  if (errors.length === 0) {
    // The study's own parser: whatever it refuses (missing outcome cells, duplicate ids, …) is refused here.
    const used = Object.entries(m.types).filter(([, t]) => t !== 'ignore').map(([n]) => n);
    try {
      parseClinicalCsv(f, csv.text, {
        idColumn: m.id,
        outcomeColumn: m.outcome,
        positive: m.positive,
        variables: used,
        categorical: Object.entries(m.types).filter(([, t]) => t === 'categorical').map(([n]) => n),
      });
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  let matched = 0;
  if (idCol && cohortIds.length > 0) {
    const ids = new Set(idCol.cells);
    const absent = cohortIds.filter((id) => !ids.has(id));
    matched = cohortIds.length - absent.length;
    const line = `${matched} of ${cohortIds.length} cohort patients have a row (id column "${m.id}")`;
    if (matched === 0) errors.push(problem(f, `${line}; e.g. patient ${cohortIds[0]} is not in it (its ids: ${idCol.distinct.slice(0, 3).join(', ')}, …)`));
    else if (absent.length > 0) warnings.push(problem(f, `${line}; ${absent.slice(0, 3).join(', ')}${absent.length > 3 ? ', …' : ''} will be excluded`));
  }
  return { errors, warnings, outcomeValues, binary, matched, cohort: cohortIds.length };
}
