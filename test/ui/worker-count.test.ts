/** The browser study's worker count: one per core (at most 8) unless `?workers=N` asks for another. */
import { describe, it, expect } from 'vitest';
import { studyWorkerCount } from '../../src/ui/study/worker-count.js';

describe('studyWorkerCount', () => {
  it('uses one worker per core, at least 1 and at most 8, with 2 when the browser does not say', () => {
    expect(studyWorkerCount('', 4)).toBe(4);
    expect(studyWorkerCount('', 16)).toBe(8);
    expect(studyWorkerCount('', 0)).toBe(2);
    expect(studyWorkerCount('?tab=study', 1)).toBe(1);
  });

  it('takes ?workers=N from the address (benchmarks), ignoring values that are not a positive integer', () => {
    expect(studyWorkerCount('?workers=1', 8)).toBe(1);
    expect(studyWorkerCount('?x=2&workers=3', 2)).toBe(3);
    expect(studyWorkerCount('?workers=12', 2)).toBe(12);
    expect(studyWorkerCount('?workers=500', 2)).toBe(32);
    for (const bad of ['?workers=0', '?workers=-1', '?workers=1.5', '?workers=two', '?workers=']) expect(studyWorkerCount(bad, 4), bad).toBe(4);
  });
});
