import { describe, expect, it } from 'vitest';
import { fftAxes } from '../../src/core/util/fft.js';
import { intensityStatistics } from '../../src/core/util/intensity-statistics.js';

// The guards that noUncheckedIndexedAccess asked for: a lookup that can miss gets one line, not garbage.
describe('util guards', () => {
  it('fftAxes refuses an axis that is not one of the dimensions', () => {
    const re = new Float64Array(8);
    const im = new Float64Array(8);
    expect(() => fftAxes(re, im, [2, 4], [0, 2])).toThrow(/^fftAxes: axis 2 is not one of the 2 dimensions$/);
  });

  it('fftAxes still transforms along the listed axes', () => {
    const re = Float64Array.from([1, 2, 3, 4]);
    const im = new Float64Array(4);
    fftAxes(re, im, [2, 2], [0, 1]);
    // 2×2 DFT of [[1,2],[3,4]] (first index fastest): sum 10, then −2 along axis 0, −4 along axis 1, 0
    expect(Array.from(re)).toEqual([10, -2, -4, 0]);
    expect(Array.from(im)).toEqual([0, 0, 0, 0]);
  });

  it('intensity statistics of no value is one line', () => {
    expect(() => intensityStatistics([])).toThrow(/^intensity statistics: the region has no value$/);
  });
});
