/**
 * Small helpers shared by the analysis stages: training-median imputation,
 * AUC with its DeLong CI that never fails a study, and a catch-to-null wrapper.
 */
import { aucDeLong, aucMannWhitney } from '../../stats/roc.js';

/** Median of the finite values (NaN when there is none). */
export function finiteMedian(xs: readonly number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Impute non-finite values per column, in place, with the median of the training
 * rows; returns the columns kept: those with a finite training median that are not
 * constant (relative 1e-12) over the training rows.
 */
export function imputeColumns(X: number[][], train: readonly number[]): number[] {
  const p = X[0]?.length ?? 0;
  const kept: number[] = [];
  const T = pick(X, train);
  for (let j = 0; j < p; j++) {
    const fill = fillValue(X, T, j);
    if (!Number.isFinite(fill)) continue;
    for (const row of X) if (!Number.isFinite(row[j])) row[j] = fill;
    if (varies(T, j, fill)) kept.push(j);
  }
  return kept;
}

/**
 * `imputeColumns` without touching X: the kept columns (as it returns them) and every
 * row of X restricted to them, imputed.
 */
export function imputedColumns(X: readonly (readonly number[])[], train: readonly number[]): { kept: number[]; rows: number[][] } {
  const p = X[0]?.length ?? 0;
  const kept: number[] = [];
  const fills: number[] = [];
  const T = pick(X, train);
  for (let j = 0; j < p; j++) {
    const fill = fillValue(X, T, j);
    if (!Number.isFinite(fill) || !varies(T, j, fill)) continue;
    kept.push(j);
    fills.push(fill);
  }
  const rows = X.map((row) => kept.map((j, k) => (Number.isFinite(row[j]) ? row[j]! : fills[k]!)));
  return { kept, rows };
}

/**
 * What fills column j's non-finite values: the training rows' finite median (NaN
 * when they have none). A column with nothing to fill skips the median (0 then
 * stands for "finite": it is never written anywhere).
 */
function fillValue(X: readonly (readonly number[])[], T: readonly (readonly number[])[], j: number): number {
  if (T.length > 0 && X.every((row) => Number.isFinite(row[j]))) return 0;
  return finiteMedian(T.map((row) => row[j]!));
}

/** Whether column j, its non-finite values filled with `fill`, varies over the training rows T (relative 1e-12). */
function varies(T: readonly (readonly number[])[], j: number, fill: number): boolean {
  const at = (v: number) => (Number.isFinite(v) ? v : fill);
  const first = at(T[0]![j]!);
  return T.some((row) => Math.abs(at(row[j]!) - first) > 1e-12 * Math.max(1, Math.abs(first)));
}

/** f() or null when it throws (a statistic undefined on this sample). */
export function safe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/**
 * AUC with its DeLong 95 % CI; with fewer than 2 cases or controls (a tiny
 * validation cohort) the AUC alone (NaN without a case or a control) and no CI,
 * instead of failing the whole study.
 */
export function aucWithCi(labels: (0 | 1)[], probs: number[]): { auc: number; ci95: [number, number] } {
  const a = safe(() => aucDeLong(labels, probs));
  if (a) return { auc: a.auc, ci95: [a.ci95[0], a.ci95[1]] };
  return { auc: safe(() => aucMannWhitney(labels, probs)) ?? NaN, ci95: [NaN, NaN] };
}

/** Rows `idx` of `xs`; an index outside `xs` is a programming error and throws. */
export const pick = <T>(xs: readonly T[], idx: readonly number[]): T[] =>
  idx.map((i) => {
    if (!(i >= 0 && i < xs.length)) throw new Error(`pick: row ${i} outside 0..${xs.length - 1}`);
    return xs[i] as T;
  });

/** `record[key]`; a key it does not have is a programming error and throws, naming `what`. */
export function entryOf<T>(record: Readonly<Record<string, T>>, key: string, what: string): T {
  const v = record[key];
  if (v === undefined) throw new Error(`${what}: no entry "${key}"`);
  return v;
}
