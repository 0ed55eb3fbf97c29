/**
 * Progress of a long CLI step on stderr with an estimate of the time left,
 * only when stderr is a terminal (one line, rewritten in place); nothing
 * otherwise, so logs and pipes get only the commands' own lines. Used by
 * `study`, `extract-cohort` and `import`, for any command that counts work items.
 */
import { stageClocks } from '../core/node.js';

export { timeLeft } from '../core/node.js';

export interface ProgressLine {
  /** `done` of `total` items of `stage` finished (`what`: the last one); each stage has its own estimate. */
  update(stage: string, done: number, total: number, what?: string): void;
  /** Ends the line (call before other output, and at the end). */
  clear(): void;
  /** Whether the stream is a terminal, i.e. whether anything is shown. */
  readonly active: boolean;
}

export function progressLine(stream: { isTTY?: boolean; write(s: string): unknown } = process.stderr, now: () => number = Date.now): ProgressLine {
  const active = stream.isTTY === true;
  const started = now();
  const clocks = stageClocks(now);
  let shown = false;
  return {
    active,
    update(s, done, total, what) {
      if (!active) return;
      const left = clocks.update(s, done, total);
      stream.write(`\r\x1b[K[${Math.round((now() - started) / 1000)} s] ${s} ${done}/${total}${what ? ` ${what}` : ''}${left ? ` · ${left}` : ''}`);
      shown = true;
    },
    clear() {
      if (active && shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
