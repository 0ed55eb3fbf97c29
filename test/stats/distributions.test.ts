/** p-value functions (@stdlib wrappers) against scipy far into the tails (fixture `tails`). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chiSquareSf, fQuantile, fSf, normalTwoSidedP, tTwoSidedP } from '../../src/core/stats/distributions.js';

const { tails } = JSON.parse(readFileSync(new URL('../fixtures/stats/scipy.json', import.meta.url), 'utf8')) as {
  tails: {
    normal: { z: number; p: number }[];
    t: { t: number; df: number; p: number }[];
    chi2: { x: number; df: number; p: number }[];
    f: { x: number; df1: number; df2: number; p: number; q975: number }[];
  };
};

/** Relative error, with an absolute floor far below any p-value anyone reads. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('distribution tails vs scipy', () => {
  it('two-sided normal p to 1e-12 relative down to 1e-197', () => {
    for (const c of tails.normal) expect(rel(normalTwoSidedP(c.z), c.p), `z=${c.z}`).toBeLessThan(1e-12);
  });
  it('two-sided t p to 1e-10 relative, integer and fractional df', () => {
    for (const c of tails.t) expect(rel(tTwoSidedP(c.t, c.df), c.p), `t=${c.t} df=${c.df}`).toBeLessThan(1e-10);
  });
  it('upper χ² to 1e-10 relative', () => {
    for (const c of tails.chi2) expect(rel(chiSquareSf(c.x, c.df), c.p), `x=${c.x} df=${c.df}`).toBeLessThan(1e-10);
  });
  it('upper F to 1e-8 absolute and the F quantile to 1e-10 relative', () => {
    for (const c of tails.f) {
      expect(Math.abs(fSf(c.x, c.df1, c.df2) - c.p), `F x=${c.x} (${c.df1}, ${c.df2})`).toBeLessThan(1e-8);
      expect(rel(fQuantile(0.975, c.df1, c.df2), c.q975)).toBeLessThan(1e-10);
    }
  });
});
