import { describe, expect, it } from 'vitest';
import { progressLine, timeLeft } from '../../src/cli/progress.js';

describe('CLI progress with the time left', () => {
  it('estimates from the rate so far', () => {
    expect(timeLeft(10_000, 1, 4)).toBe('about 30 s left');
    expect(timeLeft(60_000, 3, 10)).toBe('about 2 min 20 s left');
    expect(timeLeft(3_600_000, 1, 3)).toBe('about 2 h 0 min left');
    expect(timeLeft(100, 99, 100)).toBe('about 1 s left');
    expect(timeLeft(5_000, 0, 10)).toBeNull();
    expect(timeLeft(5_000, 10, 10)).toBeNull();
  });

  it('writes one line rewritten in place on a terminal, restarting the estimate with each stage', () => {
    let t = 1_000;
    const out: string[] = [];
    const line = progressLine({ isTTY: true, write: (s: string) => out.push(s) }, () => t);
    t += 4_000;
    line.update('prepare', 2, 10, 'P002');
    t += 1_000;
    line.update('features', 1, 3);
    t += 6_000;
    line.update('features', 2, 3, 'P005');
    line.clear();
    expect(out).toEqual([
      '\r\x1b[K[4 s] prepare 2/10 P002 · about 16 s left',
      '\r\x1b[K[5 s] features 1/3 · about 2 s left',
      '\r\x1b[K[11 s] features 2/3 P005 · about 4 s left',
      '\r\x1b[K',
    ]);
  });

  it('writes nothing when stderr is not a terminal', () => {
    const out: string[] = [];
    const line = progressLine({ isTTY: false, write: (s: string) => out.push(s) });
    line.update('prepare', 1, 2, 'P001');
    line.clear();
    expect(line.active).toBe(false);
    expect(out).toEqual([]);
  });
});
