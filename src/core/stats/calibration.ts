/**
 * Calibration and clinical usefulness of predicted probabilities: calibration
 * curve, Brier score, Hosmer–Lemeshow test and decision-curve net benefit.
 */
import { chiSquareSf } from './distributions.js';
import { quantileType7, sameLength, toArray, toLabels, type NumericArray } from './validate.js';

function probabilities(probs: NumericArray, what: string): number[] {
  const p = toArray(probs, `${what}: probs`);
  p.forEach((v, i) => {
    if (v < 0 || v > 1) throw new Error(`${what}: probs[${i}] = ${v} is outside [0, 1]`);
  });
  return p;
}

export interface CalibrationCurve {
  meanPredicted: number[];
  fractionPositive: number[];
  /** Samples per returned bin. */
  counts: number[];
}

/**
 * Reliability diagram with `nBins` uniform bins on [0, 1] (scikit-learn
 * `calibration_curve(strategy="uniform")`): inner edges k/nBins, a probability equal
 * to an inner edge falls in the lower bin (numpy `searchsorted`, side left), empty
 * bins are dropped.
 */
export function calibrationCurve(labels: NumericArray, probs: NumericArray, nBins = 5): CalibrationCurve {
  const y = toLabels(labels);
  const p = probabilities(probs, 'calibrationCurve');
  sameLength(y, p, 'calibrationCurve');
  if (!Number.isInteger(nBins) || nBins < 1) throw new Error(`calibrationCurve: nBins must be a positive integer (got ${nBins})`);
  const step = 1 / nBins;
  const sums = new Float64Array(nBins);
  const trues = new Float64Array(nBins);
  const totals = new Float64Array(nBins);
  for (let i = 0; i < p.length; i++) {
    // number of inner edges (k·step, k = 1..nBins−1) strictly below p
    let b = 0;
    while (b < nBins - 1 && (b + 1) * step < p[i]!) b++;
    sums[b]! += p[i]!;
    trues[b]! += y[i]!;
    totals[b]! += 1;
  }
  const out: CalibrationCurve = { meanPredicted: [], fractionPositive: [], counts: [] };
  for (let b = 0; b < nBins; b++) {
    if (totals[b] === 0) continue;
    out.meanPredicted.push(sums[b]! / totals[b]!);
    out.fractionPositive.push(trues[b]! / totals[b]!);
    out.counts.push(totals[b]!);
  }
  return out;
}

/** Brier score: mean squared difference between label and probability (scikit-learn `brier_score_loss`). */
export function brierScore(labels: NumericArray, probs: NumericArray): number {
  const y = toLabels(labels);
  const p = probabilities(probs, 'brierScore');
  sameLength(y, p, 'brierScore');
  if (y.length === 0) throw new Error('brierScore: no samples');
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i]! - p[i]!) * (y[i]! - p[i]!);
  return s / y.length;
}

export interface HosmerLemeshowResult {
  chi2: number;
  df: number;
  p: number;
  /** Observed and expected counts of events per group, for display. */
  observed: number[];
  expected: number[];
  sizes: number[];
}

/**
 * Hosmer–Lemeshow goodness-of-fit test with the definition of R
 * `ResourceSelection::hoslem.test`: break points are the unique type-7 quantiles of
 * `probs` at 0, 1/g, …, 1; groups are the intervals (a, b] with the lowest closed;
 * χ² = Σ_groups Σ_outcomes (O − E)²/E and df = g − 2 (the requested g, even if tied
 * quantiles merged groups). A group that receives no sample has E = 0 and the
 * statistic is undefined (NaN in R); that is reported as an error.
 */
export function hosmerLemeshow(labels: NumericArray, probs: NumericArray, groups = 10): HosmerLemeshowResult {
  const y = toLabels(labels);
  const p = probabilities(probs, 'hosmerLemeshow');
  sameLength(y, p, 'hosmerLemeshow');
  if (!Number.isInteger(groups) || groups < 3) throw new Error(`hosmerLemeshow: groups must be an integer ≥ 3 (got ${groups})`);
  if (p.length === 0) throw new Error('hosmerLemeshow: no probabilities');
  const sorted = Float64Array.from(p).sort();
  const breaks: number[] = [];
  for (let k = 0; k <= groups; k++) {
    // R: quantile(yhat, probs = seq(0, 1, 1/g)); seq's k·(1/g) reproduced exactly
    const q = quantileType7(sorted, k * (1 / groups));
    if (breaks.length === 0 || breaks[breaks.length - 1] !== q) breaks.push(q);
  }
  if (breaks.length < 2) throw new Error('hosmerLemeshow: all probabilities are identical; cannot form groups');
  const nG = breaks.length - 1;
  const obs1 = new Float64Array(nG);
  const exp1 = new Float64Array(nG);
  const size = new Float64Array(nG);
  for (let i = 0; i < p.length; i++) {
    // first interval [b0, b1], then (b_{k}, b_{k+1}]
    let g = 0;
    while (g < nG - 1 && p[i]! > breaks[g + 1]!) g++;
    obs1[g]! += y[i]!;
    exp1[g]! += p[i]!;
    size[g]! += 1;
  }
  let chi2 = 0;
  for (let g = 0; g < nG; g++) {
    const e0 = size[g]! - exp1[g]!;
    const o0 = size[g]! - obs1[g]!;
    if (!(exp1[g]! > 0) || !(e0 > 0)) {
      throw new Error(`hosmerLemeshow: group ${g + 1} has an expected count of zero (probabilities of exactly 0 or 1, or an empty group); the statistic is undefined`);
    }
    chi2 += ((obs1[g]! - exp1[g]!) ** 2) / exp1[g]! + ((o0 - e0) ** 2) / e0;
  }
  const df = groups - 2;
  return { chi2, df, p: chiSquareSf(chi2, df), observed: Array.from(obs1), expected: Array.from(exp1), sizes: Array.from(size) };
}

export interface NetBenefitResult {
  thresholds: number[];
  model: number[];
  treatAll: number[];
  /** Always 0: the treat-none strategy, for plotting. */
  treatNone: number[];
}

/**
 * Decision-curve analysis (Vickers & Elkin 2006, Med Decis Making 26:565): at
 * threshold probability pt, NB = TP/n − FP/n · pt/(1 − pt), a patient being treated
 * when prob ≥ pt; treat-all uses every patient as treated; treat-none is 0.
 */
export function netBenefit(labels: NumericArray, probs: NumericArray, thresholds: NumericArray): NetBenefitResult {
  const y = toLabels(labels);
  const p = probabilities(probs, 'netBenefit');
  sameLength(y, p, 'netBenefit');
  const ts = toArray(thresholds, 'netBenefit: thresholds');
  const n = y.length;
  if (n === 0) throw new Error('netBenefit: no samples');
  const prevalence = y.reduce((s, v) => s + v, 0) / n;
  const out: NetBenefitResult = { thresholds: ts, model: [], treatAll: [], treatNone: [] };
  for (const pt of ts) {
    if (!(pt >= 0 && pt < 1)) throw new Error(`netBenefit: threshold ${pt} must be in [0, 1)`);
    const odds = pt / (1 - pt);
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < n; i++) {
      if (p[i]! >= pt) {
        if (y[i] === 1) tp++;
        else fp++;
      }
    }
    out.model.push(tp / n - (fp / n) * odds);
    out.treatAll.push(prevalence - (1 - prevalence) * odds);
    out.treatNone.push(0);
  }
  return out;
}
