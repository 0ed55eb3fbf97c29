/**
 * Comparison with the IBSI 1 reference tables (CSV exports of the compliance workbook, columns
 * dataset, family, feature, consensus, reference value, tolerance, your result, difference, check, tag).
 * A value matches when |round₃(x) − reference| ≤ tolerance, with round₃ = rounding to 3 significant
 * digits, as the reference values themselves are given (the IBSI reference implementation's rule).
 */

export interface ReferenceRow {
  /** The row's cells as read, in header order. */
  cells: string[];
  dataset: string;
  family: string;
  feature: string;
  tag: string;
  /** null for rows without a value ("not standardised"). */
  reference: number | null;
  /** The reference value as written in the table. */
  referenceText: string;
  tolerance: number | null;
}

export interface ReferenceTable {
  header: string[];
  rows: ReferenceRow[];
}

/** Split one CSV line (RFC 4180 quoting). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let n = 0; n < line.length; n++) {
    const ch = line[n];
    if (quoted) {
      if (ch === '"' && line[n + 1] === '"') {
        cur += '"';
        n++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function parseReferenceCsv(text: string, source = 'reference table'): ReferenceTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
  const [first, ...records] = lines;
  if (first === undefined) throw new Error(`${source}: empty file`);
  const header = splitCsvLine(first);
  const col = (name: string) => {
    const c = header.indexOf(name);
    if (c < 0) throw new Error(`${source}: no column "${name}"`);
    return c;
  };
  const cD = col('dataset'), cF = col('family'), cFe = col('feature'), cR = col('reference value');
  const cT = col('tolerance'), cTag = col('tag');
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  const rows = records.map((l, r) => {
    const cells = splitCsvLine(l);
    const cell = (c: number): string => {
      const v = cells[c];
      if (v === undefined) throw new Error(`${source}: row ${r + 1} has ${cells.length} cells, the header ${header.length}`);
      return v;
    };
    return {
      cells,
      dataset: cell(cD),
      family: cell(cF),
      feature: cell(cFe),
      tag: cell(cTag),
      reference: num(cell(cR)),
      referenceText: cell(cR),
      tolerance: num(cell(cT)),
    };
  });
  return { header, rows };
}

/** x rounded to `digits` significant digits. */
export function roundSignificant(x: number, digits = 3): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}

/**
 * Significant digits a reference value is written with (trailing zeros of an integer not counted),
 * e.g. "3065" → 4, "125256" → 6, "0.0934" → 3, "-18000000" → 2.
 */
export function significantDigits(text: string): number {
  const t = text.trim().replace(/^[-+]/, '').replace(/e.*$/i, '');
  const digits = t.includes('.') ? t.replace('.', '').replace(/^0+/, '') : t.replace(/^0+/, '').replace(/0+$/, '');
  return Math.max(1, digits.length);
}

/**
 * Whether a computed value matches a reference row (false when either is missing). The value is
 * rounded to 3 significant digits, or to as many as the reference is written with when it has
 * more (the exact integer diagnostics such as the voxel count 125256).
 */
export function matchesReference(x: number | undefined, row: ReferenceRow): boolean {
  if (row.reference === null || x === undefined || !Number.isFinite(x)) return false;
  const tol = row.tolerance ?? 0;
  const digits = Math.max(3, significantDigits(row.referenceText));
  // A tiny slack absorbs binary floating-point noise in the difference of two decimal numbers.
  return Math.abs(roundSignificant(x, digits) - row.reference) <= tol + 1e-9 * Math.max(1, Math.abs(row.reference));
}

export interface ComplianceResult {
  /** Rows with a reference value. */
  total: number;
  passed: number;
  /** Tags of rows with a reference value that did not match, with value and reference. */
  failures: { tag: string; value: number | undefined; reference: number; tolerance: number }[];
  /** The table with "your result", "difference" and "check" filled in, as CSV text. */
  csv: string;
}

/** Fill a reference table with computed values (by tag) and count the matches. */
export function checkAgainstReference(table: ReferenceTable, values: Record<string, number>): ComplianceResult {
  const h = table.header;
  const cY = h.indexOf('your result'), cDiff = h.indexOf('difference'), cCheck = h.indexOf('check');
  let total = 0;
  let passed = 0;
  const failures: ComplianceResult['failures'] = [];
  const lines = [h.map(csvCell).join(',')];
  for (const row of table.rows) {
    const cells = [...row.cells];
    const x = values[row.tag];
    if (cY >= 0) cells[cY] = x === undefined ? '' : String(roundSignificant(x, 6));
    if (row.reference !== null) {
      total++;
      const ok = matchesReference(x, row);
      if (ok) passed++;
      else failures.push({ tag: row.tag, value: x, reference: row.reference, tolerance: row.tolerance ?? 0 });
      if (cDiff >= 0) cells[cDiff] = x === undefined ? '' : String(roundSignificant(roundSignificant(x) - row.reference, 6));
      if (cCheck >= 0) cells[cCheck] = ok ? 'pass' : 'fail';
    }
    lines.push(cells.map(csvCell).join(','));
  }
  return { total, passed, failures, csv: lines.join('\n') + '\n' };
}
