/**
 * ROC analysis: empirical ROC curve, AUC with DeLong variance, the paired DeLong
 * test and Youden's optimal threshold.
 *
 * DeLong, DeLong & Clarke-Pearson (1988), Biometrics 44:837, in the placement-value
 * form used by pROC (Sun & Xu 2014): V10(case) = mean over controls of ψ, V01(control)
 * = mean over cases of ψ, with ψ(case, control) = 1 if case > control, ½ if tied, 0
 * otherwise. Higher scores mean class 1 (pROC `direction = "<"`).
 */
import { normalQuantile, normalTwoSidedP, tTwoSidedP } from './distributions.js';
import { bothClasses, sameLength, toArray, toLabels, type NumericArray } from './validate.js';

export interface AucResult {
  auc: number;
  variance: number;
  ci95: [number, number];
}

interface Placements {
  theta: number;
  /** One per case (positive). */
  v10: Float64Array;
  /** One per control (negative). */
  v01: Float64Array;
}

function splitByClass(labels: number[], scores: number[]): { cases: number[]; controls: number[] } {
  const cases: number[] = [];
  const controls: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? cases : controls).push(scores[i]!);
  return { cases, controls };
}

/**
 * Placement values by sorting: for each case, the fraction of controls below it
 * (ties count ½), and for each control the fraction of cases above it.
 * O((m + n) log(m + n)) rather than the O(m·n) double loop.
 */
function placements(cases: number[], controls: number[]): Placements {
  const m = cases.length;
  const n = controls.length;
  const sortedControls = Float64Array.from(controls).sort();
  const sortedCases = Float64Array.from(cases).sort();
  // count of values < x and ≤ x in a sorted array
  const lower = (a: Float64Array, x: number) => {
    let lo = 0, hi = a.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid]! < x) lo = mid + 1; else hi = mid; }
    return lo;
  };
  const upper = (a: Float64Array, x: number) => {
    let lo = 0, hi = a.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid]! <= x) lo = mid + 1; else hi = mid; }
    return lo;
  };
  const v10 = new Float64Array(m);
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const below = lower(sortedControls, cases[i]!);
    const tied = upper(sortedControls, cases[i]!) - below;
    v10[i] = (below + 0.5 * tied) / n;
    sum += below + 0.5 * tied;
  }
  const v01 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const notAbove = upper(sortedCases, controls[j]!);
    const tied = notAbove - lower(sortedCases, controls[j]!);
    v01[j] = (m - notAbove + 0.5 * tied) / m;
  }
  return { theta: sum / (m * n), v10, v01 };
}

function prepare(labels: NumericArray, scores: NumericArray, what: string): { cases: number[]; controls: number[] } {
  const y = toLabels(labels);
  const s = toArray(scores, `${what}: scores`);
  sameLength(y, s, what);
  bothClasses(y, what);
  return splitByClass(y, s);
}

function covarianceOf(a: Float64Array, b: Float64Array, ta: number, tb: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - ta) * (b[i]! - tb);
  return s / (a.length - 1);
}

/**
 * AUC alone (the Mann–Whitney statistic, ties ½, as pROC `auc`): defined with a
 * single case or control, where the DeLong variance is not.
 */
export function aucMannWhitney(labels: NumericArray, scores: NumericArray): number {
  const { cases, controls } = prepare(labels, scores, 'aucMannWhitney');
  return placements(cases, controls).theta;
}

/**
 * AUC with its DeLong variance and 95% CI (normal approximation around the AUC,
 * trimmed to [0, 1], as pROC `ci.auc(method = "delong")`).
 * With a single case or control the variance is undefined (division by n − 1) and
 * an error is thrown.
 */
export function aucDeLong(labels: NumericArray, scores: NumericArray): AucResult {
  const { cases, controls } = prepare(labels, scores, 'aucDeLong');
  if (cases.length < 2 || controls.length < 2) {
    throw new Error(`aucDeLong: DeLong variance needs at least 2 cases and 2 controls (got ${cases.length} and ${controls.length})`);
  }
  const p = placements(cases, controls);
  const variance = covarianceOf(p.v10, p.v10, p.theta, p.theta) / cases.length + covarianceOf(p.v01, p.v01, p.theta, p.theta) / controls.length;
  const z = normalQuantile(0.975);
  const sd = Math.sqrt(variance);
  const lo = Math.max(0, p.theta - z * sd);
  const hi = Math.min(1, p.theta + z * sd);
  return { auc: p.theta, variance, ci95: [lo, hi] };
}

export interface DelongTestResult {
  aucA: number;
  aucB: number;
  z: number;
  p: number;
}

/**
 * Paired two-sided DeLong test of two correlated AUCs on the same subjects
 * (pROC `roc.test(method = "delong", paired = TRUE)`): z = (θA − θB) / √(L S Lᵀ),
 * S = S10/m + S01/n, L = (1, −1). Two identical ROC curves (zero variance of the
 * difference and equal AUCs) give z = 0, p = 1.
 */
export function delongTest(labels: NumericArray, scoresA: NumericArray, scoresB: NumericArray): DelongTestResult {
  const a = prepare(labels, scoresA, 'delongTest');
  const b = prepare(labels, scoresB, 'delongTest');
  const m = a.cases.length;
  const n = a.controls.length;
  if (m < 2 || n < 2) throw new Error(`delongTest: needs at least 2 cases and 2 controls (got ${m} and ${n})`);
  const pa = placements(a.cases, a.controls);
  const pb = placements(b.cases, b.controls);
  const s10: [number, number, number] = [
    covarianceOf(pa.v10, pa.v10, pa.theta, pa.theta),
    covarianceOf(pa.v10, pb.v10, pa.theta, pb.theta),
    covarianceOf(pb.v10, pb.v10, pb.theta, pb.theta),
  ];
  const s01: [number, number, number] = [
    covarianceOf(pa.v01, pa.v01, pa.theta, pa.theta),
    covarianceOf(pa.v01, pb.v01, pa.theta, pb.theta),
    covarianceOf(pb.v01, pb.v01, pb.theta, pb.theta),
  ];
  const varDiff = (s10[0] - 2 * s10[1] + s10[2]) / m + (s01[0] - 2 * s01[1] + s01[2]) / n;
  const diff = pa.theta - pb.theta;
  let z: number;
  if (varDiff <= 0) {
    if (diff === 0) z = 0;
    else throw new Error('delongTest: the variance of the AUC difference is zero while the AUCs differ; the test is undefined');
  } else {
    z = diff / Math.sqrt(varDiff);
  }
  return { aucA: pa.theta, aucB: pb.theta, z, p: normalTwoSidedP(z) };
}

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

/**
 * Empirical ROC curve at every distinct score, as scikit-learn 1.2
 * `roc_curve(drop_intermediate=False)`: thresholds in decreasing order, a sample is
 * called positive when score ≥ threshold, and a first point (0, 0) at
 * threshold = max(score) + 1.
 */
export function rocCurve(labels: NumericArray, scores: NumericArray): RocCurve {
  const y = toLabels(labels);
  const s = toArray(scores, 'rocCurve: scores');
  sameLength(y, s, 'rocCurve');
  const { nPos, nNeg } = bothClasses(y, 'rocCurve');
  const order = s.map((_, i) => i).sort((i, j) => s[j]! - s[i]!);
  const fps: number[] = [0];
  const tps: number[] = [0];
  const thresholds: number[] = [s[order[0]!]! + 1];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (y[i] === 1) tp++;
    else fp++;
    if (k === order.length - 1 || s[order[k + 1]!] !== s[i]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(s[i]!);
    }
  }
  return { fpr: fps.map((v) => v / nNeg), tpr: tps.map((v) => v / nPos), thresholds };
}

export interface YoudenResult {
  threshold: number;
  sensitivity: number;
  specificity: number;
}

/**
 * Optimal threshold by Youden's J = sensitivity + specificity − 1, over pROC's
 * candidate thresholds: −∞, the midpoints between consecutive distinct scores, +∞
 * (class 1 when score > threshold). When several thresholds share the best J the
 * lowest is returned (pROC's first row of `coords(x = "best")`).
 */
export function youden(labels: NumericArray, scores: NumericArray): YoudenResult {
  const y = toLabels(labels);
  const s = toArray(scores, 'youden: scores');
  sameLength(y, s, 'youden');
  const { nPos, nNeg } = bothClasses(y, 'youden');
  const unique = Array.from(new Set(s)).sort((a, b) => a - b);
  // pROC roc_utils_thresholds: (a + b)/2, or a/2 + b/2 when that overflows.
  const candidates: number[] = [-Infinity];
  for (let i = 0; i + 1 < unique.length; i++) {
    const t1 = (unique[i]! + unique[i + 1]!) / 2;
    candidates.push(Math.abs(t1) > 1e100 ? unique[i]! / 2 + unique[i + 1]! / 2 : t1);
  }
  candidates.push(Infinity);
  // sweep thresholds upwards, counting samples at or below each threshold
  const order = s.map((_, i) => i).sort((i, j) => s[i]! - s[j]!);
  let k = 0;
  let negBelow = 0;
  let posBelow = 0;
  let best: YoudenResult = { threshold: -Infinity, sensitivity: 1, specificity: 0 };
  let bestJ = -Infinity;
  for (const t of candidates) {
    while (k < order.length && s[order[k]!]! <= t) {
      if (y[order[k]!] === 1) posBelow++;
      else negBelow++;
      k++;
    }
    const sensitivity = (nPos - posBelow) / nPos;
    const specificity = negBelow / nNeg;
    const j = sensitivity + specificity;
    if (j > bestJ) {
      bestJ = j;
      best = { threshold: t, sensitivity, specificity };
    }
  }
  return best;
}

export interface DelongUnpairedResult {
  aucA: number;
  aucB: number;
  /** pROC's statistic D = (θA − θB)/√(VA + VB). */
  d: number;
  /** Welch–Satterthwaite degrees of freedom, (VA + VB)² / (VA²/(NA − 1) + VB²/(NB − 1)), N = cases + controls; null when both variances are 0. */
  df: number | null;
  /** Two-sided p from Student's t with df degrees of freedom. */
  p: number;
}

/**
 * Unpaired DeLong test of two AUCs on different subjects (pROC 1.18
 * `roc.test(method = "delong", paired = FALSE)`, its `delong.unpaired.test`): each
 * AUC with its own DeLong variance, D compared with Student's t on Welch's df.
 * Used to compare a model's external AUC with its internal one.
 */
export function delongUnpairedTest(labelsA: NumericArray, scoresA: NumericArray, labelsB: NumericArray, scoresB: NumericArray): DelongUnpairedResult {
  const a = aucDeLong(labelsA, scoresA);
  const b = aucDeLong(labelsB, scoresB);
  const va = a.variance;
  const vb = b.variance;
  const total = va + vb;
  const diff = a.auc - b.auc;
  if (!(total > 0)) {
    if (diff === 0) return { aucA: a.auc, aucB: b.auc, d: 0, df: null, p: 1 };
    throw new Error('delongUnpairedTest: both AUC variances are zero while the AUCs differ; the test is undefined');
  }
  const d = diff / Math.sqrt(total);
  const df = (total * total) / ((va * va) / (labelsA.length - 1) + (vb * vb) / (labelsB.length - 1));
  return { aucA: a.auc, aucB: b.auc, d, df, p: tTwoSidedP(d, df) };
}

export interface SensitivitySpecificity {
  threshold: number;
  sensitivity: number;
  specificity: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/**
 * Sensitivity and specificity at a fixed threshold, a patient called positive when
 * score ≥ threshold (pROC `coords(x = threshold, input = "threshold")`, and the study's
 * rule for its training Youden threshold).
 */
export function sensitivitySpecificityAt(labels: NumericArray, scores: NumericArray, threshold: number): SensitivitySpecificity {
  const y = toLabels(labels);
  const s = toArray(scores, 'sensitivitySpecificityAt: scores');
  sameLength(y, s, 'sensitivitySpecificityAt');
  bothClasses(y, 'sensitivitySpecificityAt');
  if (Number.isNaN(threshold)) throw new Error('sensitivitySpecificityAt: the threshold is not a number');
  let tp = 0, fp = 0, tn = 0, fn = 0;
  y.forEach((v, i) => {
    const pos = s[i]! >= threshold;
    if (v === 1) { if (pos) tp++; else fn++; } else if (pos) fp++; else tn++;
  });
  return { threshold, sensitivity: tp / (tp + fn), specificity: tn / (tn + fp), tp, fp, tn, fn };
}
