import { describe, expect, it } from 'vitest';
import { stageClocks } from '../../src/core/util/time-left.js';

describe('stage clocks (time left of interleaved stages)', () => {
  it('keeps one clock per stage, started by the report before its first one, restarted when its total changes', () => {
    let t = 0;
    const c = stageClocks(() => t);
    t = 10_000;
    expect(c.update('prepare', 1, 5)).toBe('about 40 s left'); // 10 s for 1 of 5 since the start
    t = 12_000;
    expect(c.update('features', 1, 5)).toBe('about 8 s left'); // its clock started at the report before (10 s)
    t = 20_000;
    expect(c.update('prepare', 2, 5)).toBe('about 30 s left'); // prepare's own clock: 20 s for 2 of 5
    t = 30_000;
    expect(c.update('features', 4, 5)).toBe('about 5 s left'); // 20 s for 4
    expect(c.update('features', 5, 5)).toBeNull();
    t = 31_000;
    expect(c.update('analysis', 1, 200)).toBe('about 3 min 19 s left'); // bootstrap: 1 s per resample
    t = 40_000;
    expect(c.update('analysis', 1, 11)).toBe('about 1 min 30 s left'); // permutations: a new total, a new clock (9 s for 1)
    expect(c.update('analysis', 0, 11)).toBeNull();
  });
});
