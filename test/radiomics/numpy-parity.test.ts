/**
 * The numpy building blocks of PyRadiomics' feature classes, held to numpy
 * (fixture from scripts/fixtures/radiomics_numpy.py): bin edges and
 * numpy.digitize for fixed bin width and count, numpy.percentile (linear), and
 * symmetric eigenvalues (numpy.linalg.eigvalsh).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  digitize,
  discretiseFixedBinCount,
  edgesRule,
  discretiseFixedBinWidth,
  fixedBinCountEdges,
  fixedBinWidthEdges,
} from '../../src/core/radiomics/discretise.js';
import { symmetricEigenvalues } from '../../src/core/radiomics/eigen.js';
import { percentileSorted } from '../../src/core/radiomics/firstorder/matrix.js';
import type { RoiImage } from '../../src/core/radiomics/roi.js';

interface Fixture {
  binning: { values: number[]; binWidth?: number; binCount?: number; edges: number[]; levels: number[] }[];
  percentiles: { values: number[]; q: number[]; result: number[] }[];
  eigen: { n: number; matrix: number[]; eigenvalues: number[] }[];
}
const here = path.dirname(fileURLToPath(import.meta.url));
const fx = JSON.parse(readFileSync(path.join(here, '..', 'fixtures', 'radiomics', 'numpy.json'), 'utf8')) as Fixture;

const roiOf = (values: number[]): RoiImage => ({
  size: [values.length, 1, 1],
  spacing: [1, 1, 1],
  values: Float64Array.from(values),
  mask: new Uint8Array(values.length).fill(1),
});

describe('discretisation as PyRadiomics with numpy', () => {
  it(`bin edges and levels of ${fx.binning.length} cases`, () => {
    for (const c of fx.binning) {
      const lo = Math.min(...c.values);
      const hi = Math.max(...c.values);
      const edges = c.binWidth !== undefined ? fixedBinWidthEdges(lo, hi, c.binWidth) : fixedBinCountEdges(lo, hi, c.binCount!);
      expect(Array.from(edges)).toEqual(c.edges);
      expect(c.values.map((v) => digitize(v, edges))).toEqual(c.levels);
      const binned = c.binWidth !== undefined ? discretiseFixedBinWidth(roiOf(c.values), c.binWidth) : discretiseFixedBinCount(roiOf(c.values), c.binCount!);
      expect(Array.from(binned.levels)).toEqual(c.levels);
      expect(binned.Ng).toBe(Math.max(...c.levels));
      expect(Array.from(binned.grayLevels)).toEqual([...new Set(c.levels)].sort((a, b) => a - b));
    }
  });
});

describe('the bin rule (guess and walk) gives the bin of the binary search (numpy.digitize)', () => {
  it('on every edge, beside it, between, outside, at ±0, ±∞ and NaN, for bin width and bin count edges', () => {
    const sets = [
      fixedBinWidthEdges(-13.7, 1234.5, 25),
      fixedBinWidthEdges(0, 0, 25),
      fixedBinWidthEdges(-1e-300, 3e-300, 1e-301),
      fixedBinWidthEdges(1e15, 1e15 + 7, 0.3),
      fixedBinCountEdges(-2.5, 97.25, 32),
      fixedBinCountEdges(5, 5, 8),
      Float64Array.of(0, 1, 1, 1, 2, 10), // repeated edges
      Float64Array.of(3, 1, 2), // not ordered: the binary search itself
      Float64Array.of(0, Infinity),
      Float64Array.of(7),
    ];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const edges of sets) {
      const rule = edgesRule(edges);
      const xs = [NaN, Infinity, -Infinity, 0, -0, Number.MAX_VALUE, -Number.MAX_VALUE];
      for (const e of edges) xs.push(e, e * (1 + 1e-16), e * (1 - 1e-16), e + 1e-9, e - 1e-9, e + rand(), e - rand());
      const [lo, hi] = [edges[0]!, edges[edges.length - 1]!];
      for (let i = 0; i < 500; i++) xs.push(lo - 10 + (hi - lo + 20) * rand());
      for (const x of xs) expect(rule(x), `${x} in ${Array.from(edges).join(',')}`).toBe(digitize(x, edges));
    }
  });
});

describe('numpy.percentile (linear)', () => {
  it('matches to 1e-12', () => {
    for (const c of fx.percentiles) {
      const sorted = Float64Array.from(c.values).sort();
      c.q.forEach((q, k) => expect(Math.abs(percentileSorted(sorted, q) - c.result[k]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(c.result[k]!))));
    }
  });
});

describe('symmetric eigenvalues', () => {
  it('match numpy.linalg.eigvalsh to 1e-10', () => {
    for (const c of fx.eigen) {
      const ev = symmetricEigenvalues(Float64Array.from(c.matrix), c.n);
      c.eigenvalues.forEach((v, k) => expect(Math.abs(ev[k]! - v)).toBeLessThan(1e-10 * Math.max(1, Math.abs(v))));
    }
  });
});
