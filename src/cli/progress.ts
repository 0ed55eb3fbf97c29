/**
 * Progress of a long CLI step on stderr with an estimate of the time left,
 * only when stderr is a terminal (one line, rewritten in place); nothing
 * otherwise, so logs and pipes get only the commands' own lines. Used by
 * `study` and `extract-cohort`, for any command that counts work items.
 */

/** "about 1 min 20 s left" from the rate so far; null before the first item is done. */
export function timeLeft(elapsedMs: number, done: number, total: number): string | null {
  if (done <= 0 || done >= total || elapsedMs <= 0) return null;
  const s = Math.round(((elapsedMs / done) * (total - done)) / 1000);
  if (s < 60) return `about ${Math.max(1, s)} s left`;
  const m = Math.floor(s / 60);
  if (m < 60) return `about ${m} min ${s % 60} s left`;
  return `about ${Math.floor(m / 60)} h ${m % 60} min left`;
}

export interface ProgressLine {
  /** `done` of `total` items of `stage` finished (`what`: the last one); a new stage restarts the estimate. */
  update(stage: string, done: number, total: number, what?: string): void;
  /** Ends the line (call before other output, and at the end). */
  clear(): void;
  /** Whether the stream is a terminal, i.e. whether anything is shown. */
  readonly active: boolean;
}

export function progressLine(stream: { isTTY?: boolean; write(s: string): unknown } = process.stderr, now: () => number = Date.now): ProgressLine {
  const active = stream.isTTY === true;
  const started = now();
  let stage = '';
  let stageStart = started;
  let last = started;
  let shown = false;
  return {
    active,
    update(s, done, total, what) {
      if (!active) return;
      const t = now();
      if (s !== stage) {
        // a stage starts when the one before it last reported
        stage = s;
        stageStart = last;
      }
      last = t;
      const left = timeLeft(t - stageStart, done, total);
      stream.write(`\r\x1b[K[${Math.round((t - started) / 1000)} s] ${s} ${done}/${total}${what ? ` ${what}` : ''}${left ? ` · ${left}` : ''}`);
      shown = true;
    },
    clear() {
      if (active && shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
