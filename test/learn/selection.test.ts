/**
 * Scaler, split and the selection funnel (SPEC §5–6). The statistics they are built
 * from are held to scipy/R in the reference tests; here: the univariate filter's
 * decisions against scipy (Table 1 fixture), the documented correlation rule, and
 * the funnel's behaviour on data with a known structure.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitScaler, restoreScaler, transformScaler } from '../../src/core/learn/scaler.js';
import { trainValidationSplit } from '../../src/core/learn/split.js';
import { columnOrders, correlationFilter, radScore, selectionFunnel, univariateFilter } from '../../src/core/learn/selection.js';
import { lassoLinearPredictor } from '../../src/core/learn/lasso.js';
import { forwardStepwiseLogistic, logisticRegression, multivariateLogistic, univariateLogistic } from '../../src/core/learn/logistic.js';
import { createRng } from '../../src/core/util/random.js';
import { pearsonR } from '../../src/core/stats/hypothesis-tests.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/stats/scipy.json', import.meta.url), 'utf8')) as {
  table1: { group: number[]; x: number[]; normal: boolean; p: number }[];
};

describe('fitScaler (scikit-learn StandardScaler definition)', () => {
  it('centres and scales by the population SD; constant columns map to 0; JSON round trip', () => {
    const X = [[1, 5, 2], [2, 5, 4], [3, 5, 9], [6, 5, 1]];
    const s = fitScaler(X);
    expect(s.mean).toEqual([3, 5, 4]);
    expect(s.sd[0]).toBeCloseTo(Math.sqrt((4 + 1 + 0 + 9) / 4), 14);
    expect(s.sd[1]).toBe(1);
    const Z = s.transform(X);
    expect(Z.map((r) => r[1])).toEqual([0, 0, 0, 0]);
    const plain = JSON.parse(JSON.stringify(s));
    expect(Object.keys(plain).sort()).toEqual(['kind', 'mean', 'sd']);
    expect(transformScaler(plain, [[3, 5, 4]])).toEqual([[0, 0, 0]]);
    expect(restoreScaler(plain).transform(X)).toEqual(Z);
  });
});

describe('trainValidationSplit', () => {
  const labels = Array.from({ length: 101 }, (_, i) => (i % 4 === 0 ? 1 : 0));
  it('is 7:3, a partition, and reproducible for a seed', () => {
    const a = trainValidationSplit(labels, { seed: 42 });
    const b = trainValidationSplit(labels, { seed: 42 });
    const c = trainValidationSplit(labels, { seed: 43 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.train.length).toBe(71);
    expect([...a.train, ...a.validation].sort((x, y) => x - y)).toEqual([...labels.keys()]);
  });
  it('keeps the prevalence in both cohorts when stratified', () => {
    const s = trainValidationSplit(labels, { seed: 1, stratify: true });
    const pos = (idx: number[]) => idx.filter((i) => labels[i] === 1).length;
    expect(pos(s.train)).toBe(Math.round(0.7 * 26));
    expect(pos(s.validation)).toBe(26 - Math.round(0.7 * 26));
  });
});

describe('univariateFilter', () => {
  it('chooses t-test or Mann–Whitney as scipy with the Shapiro rule and reproduces p', () => {
    fx.table1.forEach((c, i) => {
      // the filter compares outcome groups: here the fixture's group is the outcome
      const r = univariateFilter(c.x.map((v) => [v]), c.group, ['x']).results[0]!;
      expect(r.normal, `case ${i}`).toBe(c.normal);
      expect(r.test).toBe(c.normal ? 't-test' : 'mann-whitney');
      expect(Math.abs(r.p - c.p)).toBeLessThan(1e-8);
    });
  });
  it('gives p = 1 to a constant feature instead of NaN', () => {
    const r = univariateFilter([[1], [1], [1], [1]], [0, 1, 0, 1], ['flat']);
    expect(r.results[0]).toMatchObject({ test: 'constant', p: 1 });
    expect(r.kept).toEqual([]);
  });
});

describe('univariateFilter and selectionFunnel on row subsets of one matrix (RowOrigin)', () => {
  // a base matrix with ties, −0 beside 0, constant and near-constant columns; subsets drawn as folds and bootstrap resamples
  const rng = createRng(41);
  const base = Array.from({ length: 60 }, () => Array.from({ length: 24 }, (_, j) => {
    if (j === 0) return 7;
    if (j === 1) return rng.next() < 0.1 ? 1 : 0;
    if (j < 8) return rng.int(3) - 1 + (rng.next() < 0.1 ? -0 : 0);
    return rng.normal() * (1 + j);
  }));
  const yBase = base.map((r) => ((r[9]! > 0 ? 1 : 0) ^ (rng.next() < 0.3 ? 1 : 0)) as 0 | 1);
  const names = base[0]!.map((_, j) => `f${j}`);
  const orders = columnOrders(base);
  const subsets: number[][] = [
    base.map((_, i) => i).filter((i) => i % 5 !== 2), // a fold
    Array.from({ length: 60 }, () => rng.int(60)), // a bootstrap resample (rows repeated)
    base.map((_, i) => i),
  ];
  const same = (a: { results: { p: number }[] }, b: { results: { p: number }[] }) => a.results.every((r, j) => Object.is(r.p, b.results[j]!.p));

  it('columnOrders lists each column\'s rows in ascending order, non-finite values last', () => {
    const o = columnOrders([[2, NaN], [-1, 3], [2, 1]]);
    expect(Array.from(o[0]!)).toEqual([1, 0, 2]);
    expect(Array.from(o[1]!)).toEqual([2, 1, 0]);
  });

  it('reading the sorted groups off the column orders changes no result, to the bit', () => {
    for (const rows of subsets) {
      const X = rows.map((i) => base[i]!);
      const y = rows.map((i) => yBase[i]!);
      const plain = univariateFilter(X, y, names);
      const hinted = univariateFilter(X, y, names, { origin: { rowOf: rows, orders } });
      expect(hinted).toEqual(plain);
      expect(same(hinted, plain)).toBe(true);
      expect(plain.results.map((r) => r.test)).toContain('constant');
      expect(plain.results.map((r) => r.test)).toContain('mann-whitney');
      const f = selectionFunnel(X, y, names, { lambda: 0.02 });
      expect(selectionFunnel(X, y, names, { lambda: 0.02, origin: { rowOf: rows, orders } })).toEqual(f);
    }
  });

  it('a wrong hint (columns whose values changed, orders of other columns, rows out of range) changes no result either', () => {
    const rows = subsets[1]!;
    const X = rows.map((i) => base[i]!.map((v, j) => (j === 10 && i % 7 === 0 ? 100 : v))); // column 10 changed, as by imputation
    const y = rows.map((i) => yBase[i]!);
    const plain = univariateFilter(X, y, names);
    for (const o of [orders, orders.slice().reverse(), orders.map((c) => c.map((b) => b + 30)), orders.map((c) => c.subarray(0, 30))]) {
      const hinted = univariateFilter(X, y, names, { origin: { rowOf: rows, orders: o } });
      expect(hinted).toEqual(plain);
      expect(same(hinted, plain)).toBe(true);
    }
  });
});

describe('correlationFilter (documented drop rule)', () => {
  const rng = createRng(9);
  const n = 60;
  const base = Array.from({ length: n }, () => rng.normal());
  const other = Array.from({ length: n }, () => rng.normal());
  const X = base.map((b, i) => [b, b + 0.05 * rng.normal(), other[i]!, b + 0.05 * rng.normal()]);
  const names = ['a', 'a_copy', 'independent', 'a_copy2'];
  it('drops the member of a correlated pair with the higher univariate p', () => {
    const r = correlationFilter(X, [0, 1, 2, 3], names, { pValues: [0.01, 0.001, 0.2, 0.03] });
    expect(r.kept).toEqual([1, 2]);
    expect(r.dropped.map((d) => d.name).sort()).toEqual(['a', 'a_copy2']);
    expect(r.dropped.every((d) => Math.abs(d.r) > 0.85)).toBe(true);
  });
  it('without p-values drops the one more correlated with the rest, and keeps uncorrelated features', () => {
    const r = correlationFilter(X, [0, 1, 2, 3], names);
    expect(r.kept).toContain(2);
    expect(r.kept.length).toBe(2);
  });
  it('on many candidates (a constant one among them): each drop\'s r is pearsonR of the pair, to the bit, and no kept pair exceeds the threshold', () => {
    const factors = Array.from({ length: 4 }, () => Array.from({ length: n }, () => rng.normal()));
    const W = factors[0]!.map((_, i) => Array.from({ length: 23 }, (_, j) => (j === 5 ? 2 : factors[j % 4]![i]! + (0.1 + j / 40) * rng.normal())));
    const wNames = W[0]!.map((_, j) => `w${j}`);
    const pValues = wNames.map(() => rng.next());
    const cand = wNames.map((_, j) => j).filter((j) => j !== 7);
    const r = correlationFilter(W, cand, wNames, { pValues });
    const col = (j: number) => W.map((row) => row[j]!);
    expect(r.dropped.length).toBeGreaterThan(5);
    for (const d of r.dropped) {
      const other = wNames.indexOf(d.correlatedWith);
      const want = d.index < other ? pearsonR(col(d.index), col(other)) : pearsonR(col(other), col(d.index));
      expect(Object.is(d.r, want)).toBe(true);
      expect(pValues[d.index]).toBeGreaterThanOrEqual(pValues[other]!);
    }
    expect(r.kept).toContain(5);
    for (const a of r.kept) for (const b of r.kept) if (a < b && a !== 5 && b !== 5) expect(Math.abs(pearsonR(col(a), col(b)))).toBeLessThanOrEqual(0.85);
  });
});

describe('selectionFunnel', () => {
  // 80 patients, 40 features: 3 informative, 1 near-copy of an informative one, noise
  const rng = createRng(2026);
  const n = 80;
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const yi = i % 2;
    const row = Array.from({ length: 40 }, () => rng.normal() * 3 + 10);
    row[0]! += 3 * yi;
    row[1]! -= 2.5 * yi;
    row[2]! += 2 * yi;
    row[3] = row[0]! + 0.1 * rng.normal();
    X.push(row);
    y.push(yi);
  }
  const names = X[0]!.map((_, j) => `f${j}`);
  const funnel = selectionFunnel(X, y, names, { seed: 5 });

  it('counts shrink step by step and the informative features are selected', () => {
    const c = funnel.counts;
    expect(c.input).toBe(40);
    expect(c.univariate).toBeLessThanOrEqual(c.input);
    expect(c.correlation).toBeLessThan(c.univariate); // f0/f3 pair
    expect(c.lasso).toBeLessThanOrEqual(c.correlation);
    const sel = funnel.selected.map((s) => s.name);
    expect(sel).toContain('f1');
    expect(sel).toContain('f2');
    expect(sel.includes('f0') !== sel.includes('f3')).toBe(true);
    expect(funnel.correlationDropped.some((d) => ['f0', 'f3'].includes(d.name))).toBe(true);
  });
  it('is reproducible for a seed and plain JSON data', () => {
    const again = selectionFunnel(X, y, names, { seed: 5 });
    expect(JSON.parse(JSON.stringify(again))).toEqual(JSON.parse(JSON.stringify(funnel)));
  });
  it('radScore equals the LASSO linear predictor on the standardised selected features', () => {
    const rs = radScore(funnel.radScore, X, names);
    const Z = transformScaler(funnel.scaler, X);
    const idx = funnel.lassoInput.map((nm) => names.indexOf(nm));
    const lp = lassoLinearPredictor(
      { intercept: funnel.cv!.interceptMin, coefficients: funnel.cv!.coefficientsMin },
      Z.map((r) => idx.map((j) => r[j]!)),
    );
    rs.forEach((v, i) => expect(v).toBeCloseTo(lp[i]!, 10));
    expect(() => radScore(funnel.radScore, X.map((r) => r.slice(5)), names.slice(5))).toThrow(/missing/);
  });
  it('with a fixed λ (inside an outer CV): no CV curve, the LASSO at that λ — the CV choice reproduced at λmin', () => {
    const fixed = selectionFunnel(X, y, names, { lambda: funnel.lambda! });
    expect(fixed.cv).toBeNull();
    expect(fixed.lambda).toBe(funnel.lambda);
    expect(fixed.counts).toEqual(funnel.counts);
    expect(fixed.selected.map((s) => s.name)).toEqual(funnel.selected.map((s) => s.name));
    // the CV fit and the single-λ fit solve the same problem along different paths
    fixed.selected.forEach((s, k) => expect(s.coefficient).toBeCloseTo(funnel.selected[k]!.coefficient, 4));
    // a λ above λmax selects nothing
    expect(selectionFunnel(X, y, names, { lambda: 1e3 }).selected).toHaveLength(0);
  });
});

describe('univariate and multivariate logistic tables (paper Table 2)', () => {
  const rng = createRng(77);
  const n = 150;
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const age = 50 + 10 * rng.normal();
    const size = 3 + rng.normal();
    const noise = rng.normal();
    const eta = -0.5 + 0.08 * (age - 50) + 0.9 * (size - 3);
    X.push([age, size, noise, 1]);
    y.push(rng.next() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
  }
  const names = ['age', 'size', 'noise', 'constant'];
  it('univariate rows equal single-variable fits; an unfittable variable reports its error', () => {
    const rows = univariateLogistic(X, y, names);
    const single = logisticRegression(X.map((r) => [r[1]!]), y);
    expect(rows[1]).toMatchObject({ name: 'size', oddsRatio: single.oddsRatios[1], ci95Lower: single.ci95Lower[1], p: single.pValues[1] });
    expect(rows[3]).toHaveProperty('error');
    expect((rows[3] as { error: string }).error).toMatch(/constant|collinear/);
  });
  it('multivariate model enters variables with univariate p < 0.05 and reports the independent ones', () => {
    const m = multivariateLogistic(X, y, names);
    expect(m.entered).toEqual(expect.arrayContaining(['age', 'size']));
    expect(m.entered).not.toContain('constant');
    expect(m.independent).toEqual(expect.arrayContaining(['age', 'size']));
    expect(m.rows.every((r) => r.ci95Lower < r.oddsRatio && r.oddsRatio < r.ci95Upper)).toBe(true);
  });
});

describe('forward stepwise logistic selection (Clinic inputs when no entered variable stays significant)', () => {
  // y depends on a and b; a2 is a near copy of a; noise is unrelated; sep is y itself (complete separation)
  const rng = createRng(31);
  const n = 120;
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    const yi = rng.next() < 1 / (1 + Math.exp(-(1.2 * a + 0.9 * b))) ? 1 : 0;
    X.push([a, a + 0.05 * rng.normal(), b, rng.normal(), yi]);
    y.push(yi);
  }
  const names = ['a', 'a2', 'b', 'noise', 'sep'];

  it('enters the strongest variable first, then the one with the smallest Wald p given it, and stops at p ≥ alpha', () => {
    const chosen = forwardStepwiseLogistic(X, y, names, { candidates: ['a', 'a2', 'b', 'noise'] });
    expect(chosen).toHaveLength(2);
    expect(['a', 'a2']).toContain(chosen[0]);
    expect(chosen[1]).toBe('b');
    // the rule, by hand: the first variable has the smallest univariate p; the second the smallest p given the first
    const uni = univariateLogistic(X, y, names).slice(0, 4) as { name: string; p: number }[];
    expect(chosen[0]).toBe(uni.reduce((m, u) => (u.p < m.p ? u : m)).name);
    const j0 = names.indexOf(chosen[0]!);
    const pGiven = (j: number) => logisticRegression(X.map((r) => [r[j0]!, r[j]!]), y).pValues[2];
    expect(pGiven(2)).toBeLessThan(0.05);
    expect(pGiven(3)).toBeGreaterThan(pGiven(2)!);
    // the near copy adds nothing once its twin is in
    const twin = names.indexOf(chosen[0] === 'a' ? 'a2' : 'a');
    let pTwin = 1;
    try {
      pTwin = pGiven(twin)!;
    } catch {
      /* collinear: skipped */
    }
    expect(pTwin).toBeGreaterThan(0.05);
  });

  it('skips a variable whose fit fails (complete separation) instead of failing', () => {
    expect(() => logisticRegression(X.map((r) => [r[4]!]), y)).toThrow(/separation/);
    const chosen = forwardStepwiseLogistic(X, y, names);
    expect(chosen).not.toContain('sep');
    expect(chosen).toContain('b');
  });

  it('returns nothing when no candidate reaches alpha, and names an unknown candidate', () => {
    expect(forwardStepwiseLogistic(X, y, names, { candidates: ['noise'], alpha: 1e-6 })).toEqual([]);
    expect(() => forwardStepwiseLogistic(X, y, names, { candidates: ['age'] })).toThrow(/no column "age"/);
  });
});


describe('selectionFunnel near separation (p > n)', () => {
  it('keeps the LASSO path up to saturation, reports it, and shows the true counts', () => {
    const rng = createRng(5);
    const y = Array.from({ length: 30 }, (_, i) => (i % 2) as 0 | 1);
    // four features separate the classes completely; 56 are noise
    const X = y.map((v) => Array.from({ length: 60 }, (_, j) => (j < 4 ? (v ? 1.5 : -1.5) : 0) + rng.normal()));
    const f = selectionFunnel(X, y, X[0]!.map((_, j) => `f${j}`), { folds: 5, seed: 2 });
    expect(f.cv!.pathStop).toBe('saturated');
    expect(f.cv!.lambdas.length).toBeLessThan(100);
    expect(f.notes.join(' ')).toMatch(/saturated/);
    expect(f.counts.univariate).toBeGreaterThanOrEqual(4);
    expect(f.counts.correlation).toBeGreaterThan(0);
    expect(f.counts.lasso).toBeGreaterThan(0);
    expect(f.selected.every((s) => s.index < 4)).toBe(true);
  });
});
