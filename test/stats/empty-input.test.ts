/**
 * Inputs too small for an answer are refused in one line naming the function (they
 * were a TypeError from the smoothing library, or `undefined` typed as a number).
 */
import { describe, expect, it } from 'vitest';
import { hosmerLemeshow, quantileType7, smoothedCalibrationErrors } from '../../src/core/stats/index.js';

describe('empty and mismatched inputs', () => {
  it('quantileType7 of no values', () => {
    expect(quantileType7([2], 0.9)).toBe(2);
    expect(() => quantileType7([], 0.5)).toThrow('quantileType7: no values');
  });
  it('hosmerLemeshow of no probabilities', () => {
    expect(() => hosmerLemeshow([], [])).toThrow('hosmerLemeshow: no probabilities');
  });
  it('smoothedCalibrationErrors: one label per probability, at least two', () => {
    expect(smoothedCalibrationErrors([0, 1], [0.2, 0.5]).emax).toBeCloseTo(0.5, 12);
    expect(() => smoothedCalibrationErrors([0, 1], [0.2, 0.5, 0.7])).toThrow('smoothedCalibrationErrors: 2 labels for 3 probabilities');
    expect(() => smoothedCalibrationErrors([1], [0.3])).toThrow('smoothedCalibrationErrors: needs at least 2 probabilities (got 1)');
    expect(() => smoothedCalibrationErrors([], [])).toThrow('smoothedCalibrationErrors: needs at least 2 probabilities (got 0)');
  });
});
