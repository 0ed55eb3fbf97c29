/**
 * Seeded training/validation allocation (../shared/SPEC.md §6 (Models and statistics): 7:3 by random allocation,
 * optionally stratified by outcome). Fisher–Yates shuffle driven by the project's
 * mulberry32 generator, so a seed always gives the same split.
 */
import { createRng, deriveSeed } from '../util/random.js';

export interface SplitOptions {
  seed: number;
  /** Fraction allocated to training (default 0.7). */
  trainFraction?: number;
  /** Allocate within each outcome class so both cohorts keep the prevalence (default false). */
  stratify?: boolean;
}

export interface Split {
  train: number[];
  validation: number[];
}

function shuffle(idx: number[], seed: number): number[] {
  const rng = createRng(seed);
  const a = idx.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * Split sample indices 0..n−1 (n = labels.length). The training size is
 * round(fraction · n), per class when stratified. Indices are returned sorted.
 */
export function trainValidationSplit(labels: ArrayLike<number>, opts: SplitOptions): Split {
  const n = labels.length;
  const f = opts.trainFraction ?? 0.7;
  if (!(f > 0 && f < 1)) throw new Error(`trainValidationSplit: trainFraction must be in (0, 1) (got ${f})`);
  if (n < 2) throw new Error(`trainValidationSplit: needs at least 2 samples (got ${n})`);
  const train: number[] = [];
  const validation: number[] = [];
  const groups: number[][] = [];
  if (opts.stratify) {
    const classes = Array.from(new Set(Array.from(labels))).sort((a, b) => a - b);
    for (const c of classes) groups.push([...Array(n).keys()].filter((i) => labels[i] === c));
  } else {
    groups.push([...Array(n).keys()]);
  }
  groups.forEach((g, k) => {
    const s = shuffle(g, deriveSeed(opts.seed, 'split', k));
    const nTrain = Math.round(f * g.length);
    train.push(...s.slice(0, nTrain));
    validation.push(...s.slice(nTrain));
  });
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}
