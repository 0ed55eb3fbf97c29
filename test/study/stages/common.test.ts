import { describe, expect, it } from 'vitest';
import { aucWithCi, finiteMedian, imputeColumns, imputedColumns } from '../../../src/core/study/stages/common.js';

describe('analysis stage helpers', () => {
  it('finiteMedian ignores non-finite values', () => {
    expect(finiteMedian([3, NaN, 1, Infinity, 2])).toBe(2);
    expect(finiteMedian([4, 1, NaN, 2, 3])).toBe(2.5);
    expect(finiteMedian([NaN])).toBeNaN();
  });

  it('imputeColumns fills with the training median and keeps only columns that vary in training', () => {
    const X = [
      [1, NaN, 5, NaN],
      [3, 2, 5, NaN],
      [NaN, 4, 5, 1],
      [10, 6, 5, NaN],
    ];
    const kept = imputeColumns(X, [0, 1, 2]);
    // col 0: training median of 1, 3 = 2; col 1: median of 2, 4 = 3; col 2 constant; col 3 constant (1) once imputed
    expect(kept).toEqual([0, 1]);
    expect(X[2]![0]).toBe(2);
    expect(X[0]![1]).toBe(3);
    expect(X[3]![0]).toBe(10); // a validation value is never changed
    expect(X.map((r) => r[3])).toEqual([1, 1, 1, 1]);
  });

  it('imputeColumns drops a column with no finite training value', () => {
    const X = [[NaN, 1], [NaN, 2], [7, 3]];
    expect(imputeColumns(X, [0, 1])).toEqual([1]);
    expect(X[0]![0]).toBeNaN();
  });

  it('imputedColumns gives imputeColumns\' kept columns and values without touching X, resampled training rows included', () => {
    const X = [
      [1, NaN, 5, NaN, 0.5],
      [3, 2, 5, NaN, 0.5],
      [NaN, 4, 5, 1, 0.25],
      [10, 6, 5, NaN, 0.5],
      [2, NaN, NaN, 3, 0.5],
    ];
    for (const train of [[0, 1, 2], [0, 0, 1, 3, 3], [4, 4, 2], [3]]) {
      const before = JSON.stringify(X);
      const got = imputedColumns(X, train);
      expect(JSON.stringify(X)).toBe(before);
      const Y = X.map((r) => r.slice());
      const kept = imputeColumns(Y, train);
      expect(got.kept).toEqual(kept);
      expect(got.rows).toEqual(Y.map((r) => kept.map((j) => r[j])));
    }
    expect(imputedColumns(X, [0, 1, 2]).kept).toEqual([0, 1, 4]);
  });

  it('aucWithCi: the AUC with a CI, and NaN instead of a failure with one class', () => {
    // pairs (case, control): 0.35>0.1, 0.35<0.4, 0.8>0.1, 0.8>0.4 → 3/4
    const a = aucWithCi([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(a.auc).toBeCloseTo(0.75, 15);
    const one = aucWithCi([1, 1, 1], [0.2, 0.3, 0.4]);
    expect(one.auc).toBeNaN();
    expect(one.ci95.every(Number.isNaN)).toBe(true);
  });
});
