/**
 * The tests on samples the caller has sorted already (the univariate screen of
 * learn/selection.ts sorts each outcome group once): Mann–Whitney from one merge of
 * two sorted samples, Shapiro–Wilk without its copy and sort, and Pearson's r from
 * vectors centred and scaled once. Each must give the very bits of the general
 * function (held to scipy in scipy-reference.test.ts), and scipy's numbers on its
 * fixture.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mannWhitneySorted, mannWhitneyU, pearsonR, unitCentred, unitCorrelation, unitCorrelations4 } from '../../src/core/stats/hypothesis-tests.js';
import { shapiroWilk, shapiroWilkSorted } from '../../src/core/stats/shapiro-wilk.js';
import { createRng } from '../../src/core/util/random.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/stats/scipy.json', import.meta.url), 'utf8')) as {
  shapiroWilk: { x: number[]; w: number; p: number }[];
  twoSample: { x: number[]; y: number[]; mannWhitneyU?: { u: number; p: number } }[];
};
const sorted = (v: number[]) => Float64Array.from(v).sort();

/** Samples with many ties, −0 beside 0, and values far from zero. */
function sample(rng: ReturnType<typeof createRng>, n: number): number[] {
  const levels = 1 + rng.int(6);
  const offset = rng.next() < 0.2 ? 1e6 : 0;
  return Array.from({ length: n }, () => {
    const u = rng.next();
    if (u < 0.08) return rng.next() < 0.5 ? -0 : 0;
    return offset + (u < 0.5 ? rng.int(levels) - 2 : rng.normal());
  });
}

describe('mannWhitneySorted', () => {
  it('gives scipy mannwhitneyu(method="asymptotic") on the fixture to 1e-8', () => {
    for (const c of fx.twoSample) {
      if (!c.mannWhitneyU) continue;
      const r = mannWhitneySorted(sorted(c.x), sorted(c.y));
      expect(r.u).toBeCloseTo(c.mannWhitneyU.u, 8);
      expect(Math.abs(r.p - c.mannWhitneyU.p)).toBeLessThan(1e-8);
    }
  });

  it('equals mannWhitneyU of the unsorted samples to the bit, ties and all (property)', () => {
    const rng = createRng(23);
    for (let trial = 0; trial < 3000; trial++) {
      const x = sample(rng, 1 + rng.int(50));
      const y = sample(rng, 1 + rng.int(50));
      let want: { u: number; p: number } | string;
      let got: { u: number; p: number } | string;
      try { want = mannWhitneyU(x, y); } catch (e) { want = String(e); }
      try { got = mannWhitneySorted(sorted(x), sorted(y)); } catch (e) { got = String(e); }
      expect(got).toEqual(want);
      if (typeof got !== 'string' && typeof want !== 'string') {
        expect(Object.is(got.p, want.p) && Object.is(got.u, want.u), `trial ${trial}`).toBe(true);
      }
    }
  });
});

describe('shapiroWilkSorted', () => {
  it('gives scipy shapiro on the fixture', () => {
    for (const c of fx.shapiroWilk) {
      const r = shapiroWilkSorted(sorted(c.x));
      expect(r.w).toBeCloseTo(c.w, 5);
      expect(Math.abs(r.p - c.p)).toBeLessThan(1e-4);
    }
  });

  it('equals shapiroWilk of the unsorted sample to the bit; the same errors (property)', () => {
    const rng = createRng(29);
    for (let trial = 0; trial < 3000; trial++) {
      const x = sample(rng, 1 + rng.int(60));
      const run = (f: () => { w: number; p: number }) => { try { return f(); } catch (e) { return String(e); } };
      const want = run(() => shapiroWilk(x));
      const got = run(() => shapiroWilkSorted(sorted(x)));
      expect(got).toEqual(want);
      if (typeof got !== 'string' && typeof want !== 'string') expect(Object.is(got.w, want.w) && Object.is(got.p, want.p), `trial ${trial}`).toBe(true);
    }
  });
});

describe('unitCentred and unitCorrelation', () => {
  it('give pearsonR to the bit, NaN for a constant input (property)', () => {
    const rng = createRng(31);
    for (let trial = 0; trial < 2000; trial++) {
      const n = 2 + rng.int(40);
      const a = sample(rng, n);
      const b = rng.next() < 0.1 ? a.map(() => 3) : sample(rng, n);
      const u = unitCentred(a);
      const v = unitCentred(b);
      const got = u && v ? unitCorrelation(u, v) : NaN;
      // pearsonR's own arithmetic, written out: means, norms, then Σ of the products of the scaled deviations
      const ma = a.reduce((s, x) => s + x, 0) / n;
      const mb = b.reduce((s, x) => s + x, 0) / n;
      const na = Math.sqrt(a.reduce((s, x) => s + (x - ma) * (x - ma), 0));
      const nb = Math.sqrt(b.reduce((s, x) => s + (x - mb) * (x - mb), 0));
      const want = na === 0 || nb === 0 ? NaN : Math.max(-1, Math.min(1, a.reduce((s, x, i) => s + ((x - ma) / na) * ((b[i]! - mb) / nb), 0)));
      expect(Object.is(got, want), `trial ${trial}`).toBe(true);
      expect(Object.is(pearsonR(a, b), want)).toBe(true);
    }
  });

  it('unitCorrelations4 gives unitCorrelation of each of its four partners, to the bit (property)', () => {
    const rng = createRng(37);
    const out = new Float64Array(4);
    for (let trial = 0; trial < 500; trial++) {
      const n = 2 + rng.int(40);
      const [u, ...vs] = Array.from({ length: 5 }, () => unitCentred(sample(rng, n)) ?? unitCentred(Array.from({ length: n }, (_, i) => i))!);
      unitCorrelations4(u!, vs[0]!, vs[1]!, vs[2]!, vs[3]!, out);
      vs.forEach((v, k) => expect(Object.is(out[k], unitCorrelation(u!, v)), `trial ${trial}`).toBe(true));
    }
  });
});
