/**
 * "Table 1": baseline characteristics compared between two groups (training vs
 * validation cohort, or outcome 0 vs 1), ../shared/SPEC.md §6 (Models and statistics).
 *
 * Continuous variables: if Shapiro–Wilk gives p > 0.05 in both groups they are
 * summarised as mean ± SD (sample SD) and compared by Student's t-test; otherwise as
 * median [IQR] (quartiles of R type 7 / numpy linear) and compared by the Mann–Whitney
 * U test. A group with fewer than 3 values or no spread counts as non-normal.
 * Categorical variables: counts and column percentages, Pearson χ² without
 * continuity correction. Missing values (null, NaN, '') are left out per variable.
 */
import { chiSquare, mannWhitneyU, tTest } from './hypothesis-tests.js';
import { shapiroWilk } from './shapiro-wilk.js';
import { mean, quantileType7, variance } from './validate.js';

export type Table1Variable =
  | { name: string; kind: 'continuous'; values: (number | null)[] }
  | { name: string; kind: 'categorical'; values: (string | number | null)[] };

/** Summary of one group; a statistic that needs more values than the group has is null. */
export interface ContinuousSummary { n: number; mean: number | null; sd: number | null; median: number | null; q1: number | null; q3: number | null }

export type Table1Row =
  | {
      name: string; kind: 'continuous'; normal: boolean; test: 't-test' | 'mann-whitney';
      groups: [ContinuousSummary, ContinuousSummary]; text: [string, string]; p: number | null;
    }
  | {
      name: string; kind: 'categorical'; test: 'chi-square'; levels: string[];
      counts: [number[], number[]]; text: [string[], string[]]; p: number | null;
    };

const missing = (v: unknown) => v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));

function summarise(v: number[]): ContinuousSummary {
  const s = Float64Array.from(v).sort();
  return {
    n: v.length,
    mean: v.length ? mean(v) : null,
    sd: v.length > 1 ? Math.sqrt(variance(v)) : null,
    median: v.length ? quantileType7(s, 0.5) : null,
    q1: v.length ? quantileType7(s, 0.25) : null,
    q3: v.length ? quantileType7(s, 0.75) : null,
  };
}

function isNormal(v: number[]): boolean {
  if (v.length < 3) return false;
  try {
    return shapiroWilk(v).p > 0.05;
  } catch {
    return false;
  }
}

const fmt = (x: number | null, d: number) => (x !== null && Number.isFinite(x) ? x.toFixed(d) : '—');

/**
 * Build Table 1 rows. `group[i]` is 0 or 1 for subject i; `digits` sets the
 * formatting of the text cells (numbers are also returned unformatted). A p-value
 * that cannot be computed (e.g. a group without values) is null.
 */
export function table1(variables: Table1Variable[], group: ArrayLike<number>, opts: { digits?: number } = {}): Table1Row[] {
  const d = opts.digits ?? 2;
  return variables.map((variable) => {
    if (variable.values.length !== group.length) {
      throw new Error(`table1: variable "${variable.name}" has ${variable.values.length} values for ${group.length} subjects`);
    }
    if (variable.kind === 'continuous') {
      const g: [number[], number[]] = [[], []];
      variable.values.forEach((v, i) => {
        if (missing(v)) return;
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`table1: variable "${variable.name}" value ${i} is not a number (${String(v)})`);
        if (group[i] !== 0 && group[i] !== 1) throw new Error(`table1: group of subject ${i} is ${group[i]}, expected 0 or 1`);
        g[group[i]].push(v);
      });
      const normal = isNormal(g[0]) && isNormal(g[1]);
      const s: [ContinuousSummary, ContinuousSummary] = [summarise(g[0]), summarise(g[1])];
      let p: number | null = null;
      try {
        p = normal ? tTest(g[0], g[1], { equalVar: true }).p : mannWhitneyU(g[0], g[1]).p;
      } catch {
        p = null;
      }
      const text = s.map((x) => (normal ? `${fmt(x.mean, d)} ± ${fmt(x.sd, d)}` : `${fmt(x.median, d)} [${fmt(x.q1, d)}, ${fmt(x.q3, d)}]`)) as [string, string];
      return { name: variable.name, kind: 'continuous', normal, test: normal ? 't-test' : 'mann-whitney', groups: s, text, p };
    }
    const levels = Array.from(new Set(variable.values.filter((v) => !missing(v)).map(String))).sort();
    const counts: [number[], number[]] = [new Array(levels.length).fill(0), new Array(levels.length).fill(0)];
    variable.values.forEach((v, i) => {
      if (missing(v)) return;
      if (group[i] !== 0 && group[i] !== 1) throw new Error(`table1: group of subject ${i} is ${group[i]}, expected 0 or 1`);
      counts[group[i]][levels.indexOf(String(v))]!++;
    });
    let p: number | null = null;
    if (levels.length > 1) {
      try {
        p = chiSquare(levels.map((_, k) => [counts[0][k]!, counts[1][k]!]), { yates: false }).p;
      } catch {
        p = null;
      }
    }
    const text = counts.map((c) => {
      const tot = c.reduce((a, b) => a + b, 0);
      return c.map((k) => `${k} (${tot ? ((100 * k) / tot).toFixed(1) : '0.0'}%)`);
    }) as [string[], string[]];
    return { name: variable.name, kind: 'categorical', test: 'chi-square', levels, counts, text, p };
  });
}
