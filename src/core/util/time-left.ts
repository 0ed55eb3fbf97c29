/**
 * The time left of a long step, from the rate so far: the CLI's progress line
 * (stderr, on a terminal), the app's study run and DICOM import, and the
 * study's own permutation messages all say it the same way.
 */

/** "about 1 min 20 s left" for `done` of `total` items after `elapsedMs`; null before the first item and once all are done. */
export function timeLeft(elapsedMs: number, done: number, total: number): string | null {
  if (done <= 0 || done >= total || elapsedMs <= 0) return null;
  const s = Math.round(((elapsedMs / done) * (total - done)) / 1000);
  if (s < 60) return `about ${Math.max(1, s)} s left`;
  const m = Math.floor(s / 60);
  if (m < 60) return `about ${m} min ${s % 60} s left`;
  return `about ${Math.floor(m / 60)} h ${m % 60} min left`;
}

/**
 * Clocks for the stages of a run whose progress reports may interleave
 * (patients prepared while others' features are extracted). A stage's clock
 * starts when the report before its first one came (or when the run started),
 * and restarts when its total changes (the analysis stage counts bootstrap
 * resamples, then permutations).
 */
export interface StageClocks {
  /** Record `done` of `total` for `stage` now; the time left of that stage, or null. */
  update(stage: string, done: number, total: number): string | null;
}

export function stageClocks(now: () => number = Date.now): StageClocks {
  let last = now();
  const starts = new Map<string, { total: number; start: number }>();
  return {
    update(stage, done, total) {
      const t = now();
      let clock = starts.get(stage);
      if (!clock || clock.total !== total) {
        clock = { total, start: last };
        starts.set(stage, clock);
      }
      last = t;
      return timeLeft(t - clock.start, done, total);
    },
  };
}
