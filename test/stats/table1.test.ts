/** Table 1 statistics against scipy/numpy (fixture `table1` in scripts/fixtures/stats_scipy.py). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { table1 } from '../../src/core/stats/table1.js';

interface Summary { n: number; mean: number; sd: number; median: number; q1: number; q3: number }
interface Case {
  group: number[]; x: number[]; normal: boolean; p: number; g0: Summary; g1: Summary;
  cat: string[]; levels: string[]; counts: number[][]; catP: number | null;
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/stats/scipy.json', import.meta.url), 'utf8')) as { table1: Case[] };

describe('table1 vs scipy (Shapiro choice, t / U / χ² p, mean ± SD, median [IQR])', () => {
  it('chooses the same test and reproduces the summaries and p-values', () => {
    fx.table1.forEach((c, i) => {
      const rows = table1([
        { name: 'x', kind: 'continuous', values: c.x },
        { name: 'c', kind: 'categorical', values: c.cat },
      ], c.group);
      const cont = rows[0]!;
      const cat = rows[1]!;
      if (cont.kind !== 'continuous' || cat.kind !== 'categorical') throw new Error('row kinds');
      expect(cont.normal, `case ${i} normality decision`).toBe(c.normal);
      expect(Math.abs(cont.p! - c.p), `case ${i} p`).toBeLessThan(1e-8);
      for (const [k, ref] of [[0, c.g0], [1, c.g1]] as const) {
        const s = cont.groups[k];
        expect(s.n).toBe(ref.n);
        for (const key of ['mean', 'sd', 'median', 'q1', 'q3'] as const) {
          expect(Math.abs(s[key]! - ref[key]) / Math.max(1, Math.abs(ref[key])), `case ${i} group ${k} ${key}`).toBeLessThan(1e-12);
        }
      }
      expect(cat.levels).toEqual(c.levels);
      expect(cat.counts).toEqual(c.counts);
      if (c.catP === null) expect(cat.p).toBeNull();
      else expect(Math.abs(cat.p! - c.catP), `case ${i} χ² p`).toBeLessThan(1e-8);
    });
    expect(fx.table1.length).toBeGreaterThan(20);
  });

  it('formats mean ± SD for normal and median [IQR] otherwise, and skips missing values', () => {
    const rows = table1([
      { name: 'age', kind: 'continuous', values: [50, 52, 49, 51, 48, 53, 60, 61, 59, 62, 58, null] },
      { name: 'sex', kind: 'categorical', values: ['F', 'M', 'F', 'F', null, 'M', 'M', 'M', 'F', 'M', 'M', 'F'] },
    ], [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], { digits: 1 });
    const age = rows[0]!;
    if (age.kind !== 'continuous') throw new Error('kind');
    expect(age.groups[1].n).toBe(5);
    expect(age.text[0]).toMatch(age.normal ? /^\d+\.\d ± \d+\.\d$/ : /^\d+\.\d \[/);
    const sex = rows[1]!;
    if (sex.kind !== 'categorical') throw new Error('kind');
    expect(sex.counts[0].reduce((a, b) => a + b, 0)).toBe(5);
    expect(sex.text[1][0]).toMatch(/^\d+ \(\d+\.\d%\)$/);
  });
});
