import { describe, expect, it } from 'vitest';
import { midRanks } from '../../src/core/stats/hypothesis-tests.js';
import { createRng } from '../../src/core/util/random.js';

// Definition: the mid-rank of x is #{values < x} + (#{values == x} + 1) / 2; the tie term Σ(t³ − t) over groups of equal values.
function byDefinition(v: number[]) {
  const ranks = v.map((x) => v.filter((y) => y < x).length + (v.filter((y) => y === x).length + 1) / 2);
  const groups = new Map<number, number>();
  for (const x of v) groups.set(x === 0 ? 0 : x, (groups.get(x === 0 ? 0 : x) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of groups.values()) tieTerm += t * t * t - t;
  return { ranks, tieTerm };
}

describe('midRanks', () => {
  it('equals the definition on random samples with many ties, −0 beside 0, and infinities (property)', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 2000; trial++) {
      const n = 1 + rng.int(60);
      const levels = 1 + rng.int(8);
      const v = Array.from({ length: n }, () => {
        const u = rng.next();
        if (u < 0.05) return rng.next() < 0.5 ? Infinity : -Infinity;
        if (u < 0.1) return -0;
        return u < 0.6 ? rng.int(levels) - 3 : rng.normal();
      });
      const got = midRanks(v);
      const want = byDefinition(v);
      expect(Array.from(got.ranks)).toEqual(want.ranks);
      expect(got.tieTerm).toBe(want.tieTerm);
    }
  });
});
