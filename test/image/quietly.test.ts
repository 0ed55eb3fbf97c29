/**
 * `quietly` (io-node.ts) mutes ITK's console text while a pipeline runs. Reads
 * overlap (an image and its mask at once); after any interleaving the writers are
 * the ones from before, never a no-op left behind by the other call (which had
 * silenced `habitat compliance` and every later line of the process).
 */
import { describe, expect, it, vi } from 'vitest';
import { quietly } from '../../src/core/image/io-node.js';

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('quietly', () => {
  it('restores console and stdout after overlapping calls, whichever ends first', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const write = process.stdout.write;
    try {
      for (const [a, b] of [[5, 20], [20, 5]]) {
        await Promise.all([
          quietly(async () => {
            console.log('muted a');
            await later(a);
          }),
          quietly(async () => {
            await later(b);
            console.log('muted b');
          }),
        ]);
        expect(console.log).toBe(log);
        expect(process.stdout.write).toBe(write);
      }
      console.log('heard');
      expect(log.mock.calls.map((c) => c[0])).toEqual(['heard']);
    } finally {
      log.mockRestore();
    }
  });

  it('restores them when the call throws', async () => {
    const error = console.error;
    await expect(quietly(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(console.error).toBe(error);
  });
});
