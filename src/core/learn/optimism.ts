/**
 * Internal validation corrected for optimism: Harrell's bootstrap, as `rms::validate`
 * (method = "boot") does it (Harrell, Lee & Mark 1996, Stat Med 15:361; TRIPOD 10b).
 *
 * The model is fitted on all patients and scored on them (apparent index). For each
 * bootstrap resample (n draws with replacement) the WHOLE modelling is repeated on the
 * resample, and the new model is scored on the resample itself (training index) and
 * on the original patients (test index); optimism = mean(training − test) over the
 * resamples, corrected = apparent − optimism. Indices: AUC (Harrell's C = Dxy/2 + ½,
 * ties ½), calibration slope (logistic regression of the outcome on logit p) and the
 * Brier score (mean (p − y)²). A resample whose fit fails (`fit` returns null, e.g. one
 * class only) is left out, as rms leaves out divergent fits; an index that is
 * undefined for one resample (the slope of constant predictions) is averaged over the
 * resamples where it is defined; `n` says how many that was.
 */
import { createRng, deriveSeed } from '../util/random.js';
import { aucMannWhitney } from '../stats/roc.js';
import { logisticRegression } from './logistic.js';

/** Scores the given rows (indices into the caller's data) with a fitted model: probabilities. */
export type RowPredictor = (rows: number[]) => ArrayLike<number>;
/** Fits the whole modelling on the given rows (with repeats); null when no model can be fitted. */
export type RowFitter = (rows: number[]) => RowPredictor | null;

export interface OptimismIndex {
  apparent: number | null;
  /** Mean index of the resample models on their own resample, and on the original patients. */
  training: number | null;
  test: number | null;
  optimism: number | null;
  corrected: number | null;
  /** Resamples the optimism was averaged over. */
  n: number;
}

export interface OptimismResult {
  auc: OptimismIndex;
  slope: OptimismIndex;
  brier: OptimismIndex;
  resamples: number;
  /** Resamples whose fit failed (left out). */
  failed: number;
}

/** n indices drawn with replacement per resample (plain bootstrap, as rms), seeded. */
export function bootstrapResamples(n: number, count: number, seed: number): number[][] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`bootstrapResamples: n must be a positive integer (got ${n})`);
  const rng = createRng(deriveSeed(seed, 'bootstrap'));
  return Array.from({ length: count }, () => Array.from({ length: n }, () => rng.int(n)));
}

const LOGIT_CLIP = 1e-12;

interface Indices { auc: number | null; slope: number | null; brier: number | null }

function indices(y: number[], p: ArrayLike<number>): Indices {
  const n = y.length;
  if (p.length !== n) throw new Error(`optimismBootstrap: the predictor returned ${p.length} values for ${n} rows`);
  const hasBoth = y.includes(0) && y.includes(1);
  let brier = 0;
  for (let i = 0; i < n; i++) brier += (p[i] - y[i]) ** 2;
  const lp = Array.from(p, (v) => {
    const c = Math.min(1 - LOGIT_CLIP, Math.max(LOGIT_CLIP, v));
    return [Math.log(c / (1 - c))];
  });
  let slope: number | null = null;
  if (hasBoth) {
    try {
      slope = logisticRegression(lp, y).coefficients[1];
    } catch {
      slope = null; // constant predictions or perfect separation: no slope
    }
  }
  return { auc: hasBoth ? aucMannWhitney(y, p) : null, slope, brier: brier / n };
}

/**
 * Harrell's optimism-corrected AUC, calibration slope and Brier score of the modelling
 * that `fit` carries out, on the given resamples (row indices, e.g. from
 * `bootstrapResamples`). `onProgress(done, total)` is called after every resample.
 */
export function optimismBootstrap(
  labels: ArrayLike<number>,
  fit: RowFitter,
  resamples: number[][],
  opts: { onProgress?: (done: number, total: number) => void } = {},
): OptimismResult {
  const y = Array.from(labels);
  y.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new Error(`optimismBootstrap: label at index ${i} is ${v}, expected 0 or 1`);
  });
  const all = y.map((_, i) => i);
  const model = fit(all);
  const apparent: Indices = model ? indices(y, model(all)) : { auc: null, slope: null, brier: null };
  const keys = ['auc', 'slope', 'brier'] as const;
  const sums = { auc: [0, 0, 0], slope: [0, 0, 0], brier: [0, 0, 0] }; // Σ training, Σ test, count
  let failed = 0;
  resamples.forEach((rows, b) => {
    const m = fit(rows);
    if (!m) failed++;
    else {
      const train = indices(rows.map((i) => y[i]), m(rows));
      const test = indices(y, m(all));
      for (const k of keys) {
        const tr = train[k];
        const te = test[k];
        if (tr === null || te === null) continue;
        sums[k][0] += tr;
        sums[k][1] += te;
        sums[k][2]++;
      }
    }
    opts.onProgress?.(b + 1, resamples.length);
  });
  const summarise = (k: (typeof keys)[number]): OptimismIndex => {
    const [tr, te, n] = sums[k];
    const a = apparent[k];
    if (n === 0) return { apparent: a, training: null, test: null, optimism: null, corrected: null, n };
    const optimism = (tr - te) / n;
    return { apparent: a, training: tr / n, test: te / n, optimism, corrected: a === null ? null : a - optimism, n };
  };
  return { auc: summarise('auc'), slope: summarise('slope'), brier: summarise('brier'), resamples: resamples.length, failed };
}
