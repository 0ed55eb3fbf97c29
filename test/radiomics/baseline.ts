/** Reading PyRadiomics' regression baselines (baseline_<class>.csv, transposed: one column per case/variant). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PYRAD } from '../shared-data.js';

/** Minimal CSV row splitter with double-quoted fields. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** column name (e.g. `brain1_FBN`) → {key: text} for one baseline_<cls>.csv. */
export function readBaseline(cls: string): Map<string, Map<string, string>> {
  const text = readFileSync(path.join(PYRAD, 'baseline', `baseline_${cls}.csv`), 'utf8').trim().split(/\r?\n/);
  const header = splitCsvLine(text[0]!);
  const cols = new Map<string, Map<string, string>>();
  for (let c = 1; c < header.length; c++) cols.set(header[c]!, new Map());
  for (const line of text.slice(1)) {
    const cells = splitCsvLine(line);
    for (let c = 1; c < header.length; c++) cols.get(header[c]!)!.set(cells[0]!, cells[c]!);
  }
  return cols;
}

/** PyRadiomics' test rule: |1 − value/baseline| < 3 %, exactly 0 when the baseline is 0. */
export function withinPyradiomicsTolerance(value: number, baseline: number): boolean {
  if (baseline === 0) return value === 0;
  return Math.abs(1 - value / baseline) < 0.03;
}

export function relativeDifference(value: number, baseline: number): number {
  if (baseline === 0) return Math.abs(value);
  return Math.abs(1 - value / baseline);
}
