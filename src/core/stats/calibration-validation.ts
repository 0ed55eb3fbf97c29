/**
 * Calibration of a model's probabilities on a new cohort, as Frank Harrell's
 * `rms::val.prob` (rms 6.5) reports it: the logistic recalibration y ~ a + b·logit(p)
 * (Cox 1958; "Intercept" and "Slope": 0 and 1 when calibrated), the Brier score and
 * Spiegelhalter's z test (Spiegelhalter 1986, Stat Med 5:421), and the smoothed
 * calibration errors Emax, E90 and Eavg (Austin & Steyerberg 2019, Stat Med 38:4051).
 */
import lowessImpl from '@stdlib/stats-lowess';
import { normalTwoSidedP } from './distributions.js';
import { quantileType7, sameLength, toArray, toLabels, type NumericArray } from './validate.js';

export interface CalibrationValidation {
  n: number;
  /** Calibration intercept a of y ~ a + b·logit(p). */
  intercept: number;
  /** Calibration slope b. */
  slope: number;
  /** Mean of (p − y)². */
  brier: number;
  /** Spiegelhalter's z = Σ(y − p)(1 − 2p) / √Σ(1 − 2p)²p(1 − p) and its two-sided p. */
  spiegelhalterZ: number;
  spiegelhalterP: number;
  /**
   * |smoothed calibration − p| at each prediction, the smooth being R's
   * `lowess(p, y, iter = 0)` as val.prob computes it: its maximum (Emax), 90th
   * percentile (E90, R's type 7) and mean (Eavg).
   */
  emax: number;
  e90: number;
  eavg: number;
}

/**
 * val.prob's calibration errors. The smoother is @stdlib/stats-lowess, a port of R's
 * `clowess` (span 2/3, delta 1 % of the range of p; no robustness iterations, as
 * val.prob asks); its fitted values at tied predictions are equal, which is what R's
 * `approx(..., ties = mean)` then reads at each p. Reference: rms::val.prob on
 * test/fixtures/stats/external.json.
 */
export function smoothedCalibrationErrors(labels: ArrayLike<number>, probs: ArrayLike<number>): { emax: number; e90: number; eavg: number } {
  const n = probs.length;
  if (labels.length !== n) throw new Error(`smoothedCalibrationErrors: ${labels.length} labels for ${n} probabilities`);
  if (n < 2) throw new Error(`smoothedCalibrationErrors: needs at least 2 probabilities (got ${n})`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probs[a]! - probs[b]!);
  const xs = order.map((i) => probs[i]!);
  const sm = lowessImpl(xs, order.map((i) => labels[i]!), { f: 2 / 3, nsteps: 0, sorted: true });
  const err = xs.map((x, k) => Math.abs(x - sm.y[k]!));
  const sorted = [...err].sort((a, b) => a - b);
  return { emax: sorted[n - 1]!, e90: quantileType7(sorted, 0.9), eavg: err.reduce((s, e) => s + e, 0) / n };
}

/**
 * Maximum-likelihood fit of y ~ a + b·x by Newton–Raphson (the 2-parameter case of
 * `rms::lrm.fit`), to a change in deviance below 1e-12.
 */
function logisticLine(x: number[], y: number[]): [number, number] {
  let a = 0;
  let b = 1;
  let dev = Infinity;
  for (let iter = 0; iter < 100; iter++) {
    let g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0, d = 0;
    for (let i = 0; i < x.length; i++) {
      const eta = a + b * x[i]!;
      const p = eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
      const w = p * (1 - p);
      g0 += y[i]! - p;
      g1 += (y[i]! - p) * x[i]!;
      h00 += w;
      h01 += w * x[i]!;
      h11 += w * x[i]! * x[i]!;
      // −2 log-likelihood, log(1 + e^η) computed stably
      d += -2 * (y[i]! * eta - (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))));
    }
    const det = h00 * h11 - h01 * h01;
    if (!(det > 0)) throw new Error('calibrationValidation: the recalibration fit is singular (separated outcome or identical probabilities)');
    if (Math.abs(dev - d) < 1e-12 * Math.max(1, Math.abs(d))) return [a, b];
    dev = d;
    a += (h11 * g0 - h01 * g1) / det;
    b += (h00 * g1 - h01 * g0) / det;
    if (!Number.isFinite(a) || !Number.isFinite(b)) break;
  }
  throw new Error('calibrationValidation: the recalibration fit did not converge (the outcome is separated by the predicted risk)');
}

/**
 * `rms::val.prob(p, y)`'s intercept, slope, Brier and Spiegelhalter test. Probabilities
 * of exactly 0 or 1 have an infinite logit and are left out of the recalibration fit,
 * as val.prob does (it warns). All-identical probabilities are an error: val.prob then
 * returns a slope of 0 by convention, which no fit produced.
 */
export function calibrationValidation(labels: NumericArray, probs: NumericArray): CalibrationValidation {
  const y = toLabels(labels);
  const p = toArray(probs, 'calibrationValidation: probs');
  sameLength(y, p, 'calibrationValidation');
  p.forEach((v, i) => {
    if (v < 0 || v > 1) throw new Error(`calibrationValidation: probs[${i}] = ${v} is outside [0, 1]`);
  });
  if (new Set(p).size < 2) throw new Error('calibrationValidation: all predicted probabilities are identical; there is no calibration slope');
  const keep = p.map((_, i) => i).filter((i) => p[i]! > 0 && p[i]! < 1);
  const [intercept, slope] = logisticLine(keep.map((i) => Math.log(p[i]! / (1 - p[i]!))), keep.map((i) => y[i]!));
  let brier = 0, num = 0, den = 0;
  for (let i = 0; i < y.length; i++) {
    brier += (p[i]! - y[i]!) ** 2;
    num += (y[i]! - p[i]!) * (1 - 2 * p[i]!);
    den += (1 - 2 * p[i]!) * (1 - 2 * p[i]!) * p[i]! * (1 - p[i]!);
  }
  if (!(den > 0)) throw new Error('calibrationValidation: Spiegelhalter\'s test is undefined when every probability is 0, ½ or 1');
  const z = num / Math.sqrt(den);
  return { n: y.length, intercept, slope, brier: brier / y.length, spiegelhalterZ: z, spiegelhalterP: normalTwoSidedP(z), ...smoothedCalibrationErrors(y, p) };
}
