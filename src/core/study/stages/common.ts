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
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Impute non-finite values per column, in place, with the median of the training
 * rows; returns the columns kept: those with a finite training median that are not
 * constant (relative 1e-12) over the training rows.
 */
export function imputeColumns(X: number[][], train: readonly number[]): number[] {
  const p = X[0]?.length ?? 0;
  const kept: number[] = [];
  for (let j = 0; j < p; j++) {
    const med = finiteMedian(train.map((i) => X[i][j]));
    if (!Number.isFinite(med)) continue;
    for (const row of X) if (!Number.isFinite(row[j])) row[j] = med;
    const first = X[train[0]][j];
    if (train.some((i) => Math.abs(X[i][j] - first) > 1e-12 * Math.max(1, Math.abs(first)))) kept.push(j);
  }
  return kept;
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

/** Rows `idx` of `xs`. */
export const pick = <T>(xs: readonly T[], idx: readonly number[]): T[] => idx.map((i) => xs[i]);
