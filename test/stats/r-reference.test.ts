/**
 * Statistics core against R: pROC 1.18 (AUC, DeLong CI, paired DeLong test, Youden),
 * psych::ICC, shapiro.test and the ResourceSelection::hoslem.test definition
 * (fixtures from scripts/fixtures/stats_r.R, including pROC's aSAH examples).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aucDeLong, aucMannWhitney, delongTest, hosmerLemeshow, icc, shapiroWilkDouble, youden, type IccType } from '../../src/core/stats/index.js';

type One<T> = T | T[];
interface RocCase {
  labels: number[]; a: number[]; b: number[];
  auc: number; variance: number; ci95: number[]; aucB: number; z: number; p: number;
  youden: { threshold: One<number | string>; sensitivity: One<number>; specificity: One<number>; rows: number };
}
interface IccRef { icc: number; f: number; df1: number; df2: number; p: number; lower: number; upper: number }
interface Fixture {
  aSAH: Record<string, RocCase>;
  roc: RocCase[];
  hosmerLemeshow: { labels: number[]; probs: number[]; groups: number; chi2: number; df: number; p: number }[];
  icc: ({ ratings: number[][] } & Record<IccType, IccRef>)[];
  shapiroWilk: { x: number[]; w: number; p: number }[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/stats/r.json', import.meta.url), 'utf8')) as Fixture;

function close(actual: number, expected: number, tol: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  if (!(err <= tol)) throw new Error(`${what}: got ${actual}, expected ${expected} (error ${err.toExponential(2)} > ${tol})`);
}
const first = <T>(v: One<T>): T => (Array.isArray(v) ? v[0]! : v);
/** jsonlite writes ±Inf as strings. */
const num = (v: number | string): number => (v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v));

function checkRoc(c: RocCase, what: string): void {
  const a = aucDeLong(c.labels, c.a);
  close(a.auc, c.auc, 1e-6, `${what} auc`);
  close(aucMannWhitney(c.labels, c.a), c.auc, 1e-6, `${what} auc (Mann–Whitney)`);
  close(a.variance, c.variance, 1e-6, `${what} variance`);
  close(a.ci95[0], c.ci95[0]!, 1e-6, `${what} ci lo`);
  close(a.ci95[1], c.ci95[1]!, 1e-6, `${what} ci hi`);
  const t = delongTest(c.labels, c.a, c.b);
  close(t.aucA, c.auc, 1e-6, `${what} aucA`);
  close(t.aucB, c.aucB, 1e-6, `${what} aucB`);
  close(t.z, c.z, 1e-6, `${what} z`);
  close(t.p, c.p, 1e-6, `${what} p`);
  const y = youden(c.labels, c.a);
  const thr = num(first(c.youden.threshold));
  if (Number.isFinite(thr)) close(y.threshold, thr, 1e-9, `${what} youden threshold`);
  else expect(y.threshold, `${what} youden threshold`).toBe(thr);
  close(y.sensitivity, first(c.youden.sensitivity), 1e-9, `${what} youden sensitivity`);
  close(y.specificity, first(c.youden.specificity), 1e-9, `${what} youden specificity`);
}

describe('ROC statistics vs pROC', () => {
  it("reproduces pROC's aSAH examples (s100b, ndka, wfns)", () => {
    for (const [name, c] of Object.entries(fx.aSAH)) checkRoc(c, name);
    // the published value: roc(aSAH$outcome, aSAH$s100b) has AUC 0.7314
    expect(aucDeLong(fx.aSAH.s100b_vs_ndka!.labels, fx.aSAH.s100b_vs_ndka!.a).auc).toBeCloseTo(0.7314, 4);
  });
  it('matches auc, ci.auc(delong), roc.test(delong, paired) and coords(youden) on random cases with ties, imbalance and separation', () => {
    fx.roc.forEach((c, i) => checkRoc(c, `case ${i} (n=${c.labels.length})`));
    expect(fx.roc.length).toBeGreaterThanOrEqual(40);
  });
  it('rejects one-class labels and a single case', () => {
    expect(() => aucDeLong([0, 0, 0], [1, 2, 3])).toThrow(/both classes/);
    expect(() => aucDeLong([0, 0, 1], [1, 2, 3])).toThrow(/at least 2/);
  });
});

describe('hosmerLemeshow vs the ResourceSelection::hoslem.test definition in R', () => {
  it('matches χ², df and p to 1e-8, including tied probabilities', () => {
    fx.hosmerLemeshow.forEach((c, i) => {
      const r = hosmerLemeshow(c.labels, c.probs, c.groups);
      close(r.chi2, c.chi2, 1e-8, `case ${i} χ²`);
      expect(r.df).toBe(c.df);
      close(r.p, c.p, 1e-8, `case ${i} p`);
    });
    expect(fx.hosmerLemeshow.length).toBeGreaterThan(30);
  });
});

describe('icc vs psych::ICC', () => {
  it('matches ICC(1,1), ICC(2,1), ICC(3,1), their F tests and 95% bounds', () => {
    fx.icc.forEach((c, i) => {
      for (const type of ['1,1', '2,1', '3,1'] as const) {
        const r = icc(c.ratings, type);
        const ref = c[type];
        close(r.icc, ref.icc, 1e-8, `case ${i} ICC(${type})`);
        close(r.f, ref.f, 1e-8, `case ${i} F(${type})`);
        expect(r.df1).toBe(ref.df1);
        close(r.df2, ref.df2, 1e-12, `case ${i} df2(${type})`);
        close(r.p, ref.p, 1e-8, `case ${i} p(${type})`);
        close(r.lower!, ref.lower, 1e-6, `case ${i} lower(${type})`);
        close(r.upper!, ref.upper, 1e-6, `case ${i} upper(${type})`);
      }
    });
  });
  it('rejects perfectly agreeing raters', () => {
    expect(() => icc([[1, 1], [2, 2], [3, 3]], '2,1')).toThrow(/undefined/);
  });
});

describe('shapiroWilkDouble vs R shapiro.test (double-precision AS R94)', () => {
  it('matches W and p to 1e-9', () => {
    fx.shapiroWilk.forEach((c, i) => {
      const r = shapiroWilkDouble(c.x);
      close(r.w, c.w, 1e-9, `case ${i} (n=${c.x.length}) W`);
      close(r.p, c.p, 1e-9, `case ${i} (n=${c.x.length}) p`);
    });
  });
});
