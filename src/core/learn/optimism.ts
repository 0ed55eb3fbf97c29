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
 *
 * From the same resamples, at no extra fit, Efron & Tibshirani's .632+ estimate (J Am
 * Stat Assoc 1997;92:548) of the AUC and the Brier score (`plus632`): each resample's
 * model is also scored on the patients it left out (out-of-bag), and the out-of-bag
 * indices are averaged with the weights `rms::validate(method = ".632")` gives them,
 * so Efron's .632 (= .368 apparent + .632 out-of-bag) is rms's; the .632+ rule then
 * moves the weight towards the out-of-bag value as far as the model overfits
 * (`plus632Rule`). Harrell's correction under-corrects a learner that memorises its
 * training rows (an RBF SVM: a resample shares ~63 % of its patients with the cohort
 * it is tested on); the out-of-bag patients were never seen by the resample's model.
 */
import { createRng, deriveSeed } from '../util/random.js';
import { aucMannWhitney } from '../stats/roc.js';
import { brierScore } from '../stats/calibration.js';
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

/**
 * Efron & Tibshirani's .632+ estimate of one index (learn/optimism.ts `plus632Rule`),
 * from the resamples Harrell's correction uses.
 */
export interface Plus632Index {
  apparent: number | null;
  /** Out-of-bag index: each resample's model on the patients it left out, weighted as rms::validate(method = ".632"). */
  oob: number | null;
  /** Efron's .632: .368 apparent + .632 out-of-bag (rms::validate(method = ".632")'s corrected index). */
  dot632: number | null;
  /** The no-information value γ: AUC 0.5; Brier Σᵢ Σⱼ (yᵢ − pⱼ)² / n² over the apparent predictions pⱼ. */
  noInformation: number | null;
  /** Relative overfitting rate R′ in [0, 1]. */
  overfitting: number | null;
  /** Weight of the out-of-bag value, w = .632 / (1 − .368 R′), in [.632, 1]. */
  weight: number | null;
  /** The .632+ estimate. */
  estimate: number | null;
  /** Resamples the out-of-bag index was averaged over. */
  n: number;
}

export interface OptimismResult {
  auc: OptimismIndex;
  slope: OptimismIndex;
  brier: OptimismIndex;
  /** Efron & Tibshirani's .632+ AUC and Brier score from the same resamples. */
  plus632: { auc: Plus632Index; brier: Plus632Index };
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
  for (let i = 0; i < n; i++) brier += (p[i]! - y[i]!) ** 2;
  const lp = Array.from(p, (v) => {
    const c = Math.min(1 - LOGIT_CLIP, Math.max(LOGIT_CLIP, v));
    return [Math.log(c / (1 - c))];
  });
  let slope: number | null = null;
  if (hasBoth) {
    try {
      slope = logisticRegression(lp, y).coefficients[1]!;
    } catch {
      slope = null; // constant predictions or perfect separation: no slope
    }
  }
  return { auc: hasBoth ? aucMannWhitney(y, p) : null, slope, brier: brier / n };
}

/**
 * The .632+ rule (Efron & Tibshirani 1997, eqs. 27–32) on an error-type index (lower is
 * better): apparent error `err`, out-of-bag error `oob` (Err⁽¹⁾), no-information error
 * `gamma` (γ). Err⁽¹⁾′ = min(Err⁽¹⁾, γ); R′ = (Err⁽¹⁾′ − err)/(γ − err) when
 * Err⁽¹⁾ > err and γ > err, else 0 (so R′ ∈ [0, 1]); w = .632/(1 − .368 R′);
 * Err⁽·⁶³²⁺⁾ = Err⁽·⁶³²⁾ + (Err⁽¹⁾′ − err)·.368·.632·R′/(1 − .368 R′), which is
 * (1 − w)·err + w·Err⁽¹⁾ whenever Err⁽¹⁾ ≤ γ.
 */
export function plus632Rule(err: number, oob: number, gamma: number): { dot632: number; overfitting: number; weight: number; estimate: number } {
  const dot632 = err + 0.632 * (oob - err);
  const oobClipped = Math.min(oob, gamma);
  const r = oob > err && gamma > err ? (oobClipped - err) / (gamma - err) : 0;
  return { dot632, overfitting: r, weight: 0.632 / (1 - 0.368 * r), estimate: dot632 + ((oobClipped - err) * 0.368 * 0.632 * r) / (1 - 0.368 * r) };
}

/**
 * The .632+ AUC: the rule on 1 − AUC, with the no-information AUC 0.5 (γ = 0.5), so an
 * out-of-bag AUC below 0.5 counts as 0.5 in the overfitting rate.
 */
export function plus632Auc(apparent: number, oob: number): { dot632: number; overfitting: number; weight: number; estimate: number } {
  const e = plus632Rule(1 - apparent, 1 - oob, 0.5);
  return { ...e, dot632: 1 - e.dot632, estimate: 1 - e.estimate };
}

/** The no-information Brier score (Efron & Tibshirani's γ): every outcome against every prediction, Σᵢ Σⱼ (yᵢ − pⱼ)² / n². */
export function noInformationBrier(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = y.length;
  if (n === 0 || p.length !== n) throw new Error(`noInformationBrier: ${n} outcomes and ${p.length} predictions`);
  let prevalence = 0;
  let mean = 0;
  let square = 0;
  for (let i = 0; i < n; i++) {
    prevalence += y[i]!;
    mean += p[i]!;
    square += p[i]! * p[i]!;
  }
  prevalence /= n;
  mean /= n;
  square /= n;
  // (1/n²) Σᵢ Σⱼ (yᵢ − pⱼ)² with yᵢ ∈ {0, 1}: π − 2π·mean(p) + mean(p²)
  return prevalence - 2 * prevalence * mean + square;
}

/**
 * The out-of-bag mean of an index as rms::validate(method = ".632") forms it: resample b
 * weighs Wᵦ = (1/n) Σ over the patients it left out of 1/(the number of used resamples
 * that left that patient out); the result is Σ Wᵦ·indexᵦ / Σ Wᵦ (rms divides by 1:
 * Σ Wᵦ = 1 when every patient was left out at least once).
 */
export function outOfBagMean(n: number, oob: { left: number[]; value: number }[]): number | null {
  if (oob.length === 0) return null;
  const omitted = new Array<number>(n).fill(0);
  for (const o of oob) for (const i of o.left) omitted[i]!++;
  let sum = 0;
  let weights = 0;
  for (const o of oob) {
    let w = 0;
    for (const i of o.left) w += 1 / omitted[i]!;
    sum += (w / n) * o.value;
    weights += w / n;
  }
  return weights > 0 ? sum / weights : null;
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
  const pApparent = model ? Array.from(model(all)) : null;
  const apparent: Indices = pApparent ? indices(y, pApparent) : { auc: null, slope: null, brier: null };
  const oob = { auc: [] as { left: number[]; value: number }[], brier: [] as { left: number[]; value: number }[] };
  const keys = ['auc', 'slope', 'brier'] as const;
  const sums: Record<(typeof keys)[number], [number, number, number]> = { auc: [0, 0, 0], slope: [0, 0, 0], brier: [0, 0, 0] }; // Σ training, Σ test, count
  let failed = 0;
  resamples.forEach((rows, b) => {
    const m = fit(rows);
    if (!m) failed++;
    else {
      const train = indices(rows.map((i) => y[i]!), m(rows));
      const test = indices(y, m(all));
      for (const k of keys) {
        const tr = train[k];
        const te = test[k];
        if (tr === null || te === null) continue;
        sums[k][0] += tr;
        sums[k][1] += te;
        sums[k][2]++;
      }
      // out of bag: the patients this resample left out
      const inSample = new Uint8Array(y.length);
      for (const i of rows) inSample[i] = 1;
      const left = all.filter((i) => !inSample[i]);
      if (left.length > 0) {
        const yl = left.map((i) => y[i]!);
        const pl = Array.from(m(left));
        if (pl.length !== left.length) throw new Error(`optimismBootstrap: the predictor returned ${pl.length} values for ${left.length} rows`);
        oob.brier.push({ left, value: brierScore(yl, pl) });
        if (yl.includes(0) && yl.includes(1)) oob.auc.push({ left, value: aucMannWhitney(yl, pl) });
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
  const plus = (k: 'auc' | 'brier'): Plus632Index => {
    const a = apparent[k];
    const o = outOfBagMean(y.length, oob[k]);
    const gamma = k === 'auc' ? 0.5 : pApparent ? noInformationBrier(y, pApparent) : null;
    if (a === null || o === null || gamma === null) return { apparent: a, oob: o, dot632: null, noInformation: gamma, overfitting: null, weight: null, estimate: null, n: oob[k].length };
    const e = k === 'auc' ? plus632Auc(a, o) : plus632Rule(a, o, gamma);
    return { apparent: a, oob: o, dot632: e.dot632, noInformation: gamma, overfitting: e.overfitting, weight: e.weight, estimate: e.estimate, n: oob[k].length };
  };
  return {
    auc: summarise('auc'), slope: summarise('slope'), brier: summarise('brier'),
    plus632: { auc: plus('auc'), brier: plus('brier') },
    resamples: resamples.length, failed,
  };
}
