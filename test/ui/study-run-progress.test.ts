/** The run panel's time left per stage comes from the study store's progress handling (no DOM needed). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useStudy } from '../../src/ui/study/study-store.js';

afterEach(() => vi.useRealTimers());

describe('study run progress in the app', () => {
  it('gives each stage its time left from its own rate, and none once it is done', () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    const s = useStudy.getState();
    s.startRun(['P1', 'P2', 'P3', 'P4']);
    vi.setSystemTime(1_030_000);
    s.onProgress({ stage: 'prepare', done: 1, total: 4, patient: 'P1' });
    expect(useStudy.getState().run.stages.prepare.left).toBe('about 1 min 30 s left');
    vi.setSystemTime(1_040_000);
    s.onProgress({ stage: 'features', done: 1, total: 4, patient: 'P1' });
    expect(useStudy.getState().run.stages.features.left).toBe('about 30 s left');
    vi.setSystemTime(1_120_000);
    s.onProgress({ stage: 'prepare', done: 4, total: 4, patient: 'P4' });
    expect(useStudy.getState().run.stages.prepare.left).toBeNull();
    expect(useStudy.getState().run.stages.features.left).toBe('about 30 s left'); // unchanged until features report again
    s.onProgress({ stage: 'analysis', done: 10, total: 200, message: 'bootstrap 10/200' });
    vi.setSystemTime(1_130_000);
    s.onProgress({ stage: 'analysis', done: 20, total: 200, message: 'bootstrap 20/200' });
    expect(useStudy.getState().run.stages.analysis.left).toBe('about 1 min 30 s left'); // 10 s for 20 resamples
    s.startRun(['P1']); // a new run starts new clocks
    expect(useStudy.getState().run.stages.analysis.left).toBeNull();
  });
});
