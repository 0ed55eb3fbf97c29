/**
 * ComBat harmonisation of features across batches (centres, scanners): Johnson, Li &
 * Rabinovic (2007), Biostatistics 8:118, "Adjusting batch effects in microarray
 * expression data using empirical Bayes methods", as Bioconductor `sva::ComBat`
 * (3.46) computes it, and Orlhac et al. (2022), J Nucl Med 63:172, for radiomics.
 *
 * Model, per feature f and sample i of batch b: x = α + Xβ + γ_b + √δ_b·ε. The data are
 * standardised with the grand mean α (or the reference batch's mean), the covariate
 * effects Xβ and the pooled residual variance; γ̂_b and δ̂_b are the batch's mean and
 * variance of the standardised data, shrunk by empirical Bayes towards priors fitted
 * across the features of that batch (normal prior for γ, inverse gamma for δ:
 * parametric; or the non-parametric weighting of the other features' estimates by
 * their likelihood). The harmonised value is (s − γ*_b)/√δ*_b, scaled back.
 *
 * Every number agrees with sva::ComBat (test/harmonise/combat-sva.test.ts), with these
 * differences, each deliberate:
 * - a batch of one sample is an error. sva quietly switches EVERY batch to mean-only
 *   and shrinks that sample's own values towards its batch effect: one patient's
 *   biology cannot be told from its scanner.
 * - a missing batch value is an error naming the sample (sva fails with a dimension
 *   error or drops it from the factor).
 * - a feature constant within a batch is left unadjusted in every batch and kept out
 *   of the priors, as sva does (its δ̂ = 0 would divide by zero); the fit lists it in
 *   `unadjusted` so the caller can say so.
 * - the non-parametric likelihoods are weighted in log space, so a large batch does
 *   not underflow to 0/0 (sva then returns NaN); where sva's sums are finite the
 *   results agree to rounding.
 * - missing feature values are an error (sva's NA path is not reproduced).
 *
 * Beyond sva, the fitted model is plain data that applies to new samples
 * (neuroCombat's `neuroCombatFromTraining`): a sample of a batch seen in training gets
 * the training estimates (no refit, so its harmonised values depend only on its own
 * features and covariates); a batch never seen is harmonised to the training target
 * (the reference batch, or the pooled training data), its γ̂/δ̂ and priors estimated
 * from its own features only, exactly as sva would estimate them with the reference
 * batch fixed.
 */
import { cholesky, choleskySolve } from '../learn/linalg.js';

export interface CombatOptions {
  /** Parametric (default) or non-parametric empirical Bayes priors. */
  parametric?: boolean;
  /** Adjust the location only (δ* = 1). */
  meanOnly?: boolean;
  /** Batch left unchanged, the others mapped onto it (sva's `ref.batch`). */
  referenceBatch?: string;
  /** Covariates to preserve, samples × p, without an intercept (sva's `mod` less its intercept column). */
  covariates?: ArrayLike<ArrayLike<number>>;
  /** Names of the covariates, for messages. */
  covariateNames?: string[];
  /** Names of the samples (patients), for messages. */
  sampleNames?: string[];
}

export interface CombatBatchEstimates {
  name: string;
  /** Training samples in this batch. */
  n: number;
  /** Posterior location and scale per feature (0 and 1 for the reference and for unadjusted features). */
  gammaStar: number[];
  deltaStar: number[];
}

/** A fitted ComBat model: plain, JSON-serialisable data. */
export interface CombatModel {
  kind: 'combat';
  parametric: boolean;
  meanOnly: boolean;
  /** The reference batch, or null when the data are harmonised to the pooled training data. */
  referenceBatch: string | null;
  nFeatures: number;
  covariateNames: string[];
  batches: CombatBatchEstimates[];
  /** α per feature: the reference batch's mean or the sample-size weighted batch means. */
  grandMean: number[];
  /** Pooled residual variance per feature (divided by n, as sva). */
  varPooled: number[];
  /** β: one row per covariate, one value per feature. */
  covariateCoefficients: number[][];
  /** Features constant within a training batch, left as they are. */
  unadjusted: number[];
}

export interface CombatFit {
  model: CombatModel;
  /** The training data harmonised, samples × features. */
  harmonised: number[][];
}

/** How a batch's samples were harmonised when a fitted model was applied. */
export type CombatApplyMode = 'reference' | 'training estimates' | 'new batch';

export interface CombatApplied {
  harmonised: number[][];
  /** Per batch present in the data. */
  batches: { name: string; n: number; mode: CombatApplyMode }[];
}

const CONVERGENCE = 1e-4; // sva it.sol's `conv`

function matrix(x: ArrayLike<ArrayLike<number>>, what: string, names?: string[]): number[][] {
  const out: number[][] = [];
  const p = x.length > 0 ? x[0]!.length : 0;
  for (let i = 0; i < x.length; i++) {
    const row = x[i]!;
    const who = names?.[i] ?? `row ${i + 1}`;
    if (row.length !== p) throw new Error(`${what}: ${who} has ${row.length} values, expected ${p}`);
    const r = Array.from(row);
    r.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new Error(`${what}: ${who}, column ${j + 1} is not a finite number (${v})`);
    });
    out.push(r);
  }
  return out;
}

function batchIndex(batch: readonly (string | null | undefined)[], n: number, names?: string[]): Map<string, number[]> {
  if (batch.length !== n) throw new Error(`ComBat: ${batch.length} batch values for ${n} samples`);
  const groups = new Map<string, number[]>();
  batch.forEach((b, i) => {
    if (b === null || b === undefined || String(b).trim() === '') {
      throw new Error(`ComBat: ${names?.[i] ?? `sample ${i + 1}`} has no batch value; give every patient its centre or scanner (ComBat cannot place a sample without one)`);
    }
    const key = String(b);
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  return new Map([...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

function needTwo(name: string, n: number, where: string): void {
  if (n < 2) {
    throw new Error(`ComBat: batch "${name}" has only one patient ${where}; its scanner effect cannot be told from that patient's own values (sva would switch every batch to mean-only): merge it with a similar scanner or leave it out`);
  }
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

function sampleVariance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) * (x[i]! - m);
  return s / (x.length - 1);
}

/**
 * Empirical Bayes estimates for one batch from its standardised data (one array per
 * adjusted feature, the batch's samples only), as sva: γ̂ = mean, δ̂ = sample variance
 * (1 when mean-only), priors from their spread over the features.
 */
function empiricalBayes(s: Float64Array[], parametric: boolean, meanOnly: boolean): { gamma: number[]; delta: number[] } {
  const nF = s.length;
  if (nF < 2) throw new Error('ComBat: needs at least 2 adjustable features to estimate the empirical Bayes priors');
  const n = s[0]!.length;
  const gHat = s.map(mean);
  const dHat = s.map((col) => (meanOnly ? 1 : sampleVariance(col)));
  const gBar = mean(gHat);
  const t2 = sampleVariance(gHat);
  if (parametric) {
    if (meanOnly) {
      // sva's mean-only posterior uses n = 1 and δ = 1 whatever the batch size
      return { gamma: gHat.map((g) => (t2 * g + gBar) / (t2 + 1)), delta: gHat.map(() => 1) };
    }
    const m = mean(dHat);
    const v = sampleVariance(dHat);
    const a = (2 * v + m * m) / v;
    const b = (m * v + m * m * m) / v;
    return iterate(s, gHat, dHat, gBar, t2, a, b, n);
  }
  return nonParametric(s, gHat, dHat);
}

/** sva `it.sol`: alternate the posterior mean of γ and of δ until the largest relative change ≤ 1e-4 (sva's signed ratio). */
function iterate(s: Float64Array[], gHat: number[], dHat: number[], gBar: number, t2: number, a: number, b: number, n: number): { gamma: number[]; delta: number[] } {
  let gOld = gHat.slice();
  let dOld = dHat.slice();
  for (let count = 0; ; count++) {
    const gNew = gHat.map((g, f) => (t2 * n * g + dOld[f]! * gBar) / (t2 * n + dOld[f]!));
    const dNew = s.map((col, f) => {
      let sum2 = 0;
      for (let i = 0; i < col.length; i++) sum2 += (col[i]! - gNew[f]!) * (col[i]! - gNew[f]!);
      return (0.5 * sum2 + b) / (n / 2 + a - 1);
    });
    let change = -Infinity;
    for (let f = 0; f < gNew.length; f++) {
      change = Math.max(change, Math.abs(gNew[f]! - gOld[f]!) / gOld[f]!, Math.abs(dNew[f]! - dOld[f]!) / dOld[f]!);
    }
    gOld = gNew;
    dOld = dNew;
    if (Number.isNaN(change)) throw new Error('ComBat: the empirical Bayes iteration is undefined (a batch effect estimate of exactly 0 that does not move); use the non-parametric priors');
    if (!(change > CONVERGENCE)) return { gamma: gNew, delta: dNew };
    if (count > 10000) throw new Error('ComBat: the empirical Bayes iteration did not converge in 10000 steps');
  }
}

/**
 * sva `int.eprior`: for each feature, the other features' (γ̂, δ̂) weighted by the
 * likelihood of this feature's data under them, (2πδ)^(−n/2)·exp(−Σ(x − γ)²/2δ),
 * in log space.
 */
function nonParametric(s: Float64Array[], gHat: number[], dHat: number[]): { gamma: number[]; delta: number[] } {
  const nF = s.length;
  const gamma = new Array<number>(nF);
  const delta = new Array<number>(nF);
  const logLh = new Float64Array(nF);
  for (let f = 0; f < nF; f++) {
    const x = s[f]!;
    const n = x.length;
    let max = -Infinity;
    for (let j = 0; j < nF; j++) {
      if (j === f) continue;
      let sum2 = 0;
      for (let i = 0; i < n; i++) sum2 += (x[i]! - gHat[j]!) * (x[i]! - gHat[j]!);
      const l = -(n / 2) * Math.log(2 * Math.PI * dHat[j]!) - sum2 / (2 * dHat[j]!);
      logLh[j] = Number.isNaN(l) ? -Infinity : l; // sva: LH[LH == "NaN"] = 0
      if (logLh[j]! > max) max = logLh[j]!;
    }
    let w = 0, gw = 0, dw = 0;
    for (let j = 0; j < nF; j++) {
      if (j === f) continue;
      const lh = Math.exp(logLh[j]! - max);
      w += lh;
      gw += gHat[j]! * lh;
      dw += dHat[j]! * lh;
    }
    if (!(w > 0)) throw new Error('ComBat: the non-parametric likelihoods are all zero for a feature; use the parametric priors');
    gamma[f] = gw / w;
    delta[f] = dw / w;
  }
  return { gamma, delta };
}

interface Standardised {
  /** Per adjusted feature, per sample: the location α + Xβ … */
  mu: Float64Array[];
  /** … and the standardised value (x − α − Xβ)/σ. */
  s: Float64Array[];
}

function standardise(model: CombatModel, x: number[][], cov: number[][], adjusted: number[]): Standardised {
  const mu = adjusted.map((f) => Float64Array.from(x, (_, i) => {
    let m = model.grandMean[f]!;
    for (let c = 0; c < cov[i]!.length; c++) m += cov[i]![c]! * model.covariateCoefficients[c]![f]!;
    return m;
  }));
  const s = adjusted.map((f, k) => {
    const sd = Math.sqrt(model.varPooled[f]!);
    return Float64Array.from(x, (r, i) => (r[f]! - mu[k]![i]!) / sd);
  });
  return { mu, s };
}

/** The batch's standardised data, one array per adjusted feature. */
function rowsOf(st: Standardised, rows: number[]): Float64Array[] {
  return st.s.map((col) => Float64Array.from(rows, (i) => col[i]!));
}

/** sva: bayesdata = (s − γ*)/√δ* · σ + α + Xβ, for the given rows. */
function adjust(model: CombatModel, st: Standardised, adjusted: number[], rows: number[], est: { gamma: number[]; delta: number[] }, out: number[][]): void {
  adjusted.forEach((f, k) => {
    const sd = Math.sqrt(model.varPooled[f]!);
    for (const i of rows) out[i]![f] = ((st.s[k]![i]! - est.gamma[k]!) / Math.sqrt(est.delta[k]!)) * sd + st.mu[k]![i]!;
  });
}

function adjustedFeatures(model: CombatModel): number[] {
  const skip = new Set(model.unadjusted);
  const out: number[] = [];
  for (let f = 0; f < model.nFeatures; f++) if (!skip.has(f)) out.push(f);
  return out;
}

/** Covariate rows (empty rows when there are none); `expected` = the model's names when applying. */
function covariatesOf(opts: CombatOptions, n: number, expected?: string[]): number[][] {
  if (!opts.covariates) {
    if (expected && expected.length > 0) throw new Error(`ComBat: the model preserves covariates (${expected.join(', ')}); give their values`);
    return Array.from({ length: n }, () => []);
  }
  const cov = matrix(opts.covariates, 'ComBat: covariates', opts.sampleNames);
  if (cov.length !== n) throw new Error(`ComBat: ${cov.length} covariate rows for ${n} samples`);
  const p = n > 0 ? cov[0]!.length : 0;
  if (expected && p !== expected.length) throw new Error(`ComBat: ${p} covariates, the model has ${expected.length} (${expected.join(', ')})`);
  return cov;
}

/**
 * Fit ComBat on `data` (samples × features) with one batch label per sample and
 * return the model and the harmonised data, as `sva::ComBat(t(data), batch, mod,
 * par.prior = parametric, mean.only = meanOnly, ref.batch = referenceBatch)`.
 * A single batch is its own reference.
 */
export function fitCombat(data: ArrayLike<ArrayLike<number>>, batch: readonly (string | null | undefined)[], opts: CombatOptions = {}): CombatFit {
  const x = matrix(data, 'ComBat: data', opts.sampleNames);
  const n = x.length;
  if (n === 0) throw new Error('ComBat: no samples');
  const nF = x[0]!.length;
  const groups = batchIndex(batch, n, opts.sampleNames);
  for (const [name, rows] of groups) needTwo(name, rows.length, 'in the training data');
  const names = [...groups.keys()];
  let ref = opts.referenceBatch ?? null;
  if (ref !== null && !groups.has(ref)) throw new Error(`ComBat: reference batch "${ref}" is not one of the batches (${names.join(', ')})`);
  if (names.length === 1) ref = names[0]!;
  const cov = covariatesOf(opts, n);
  const p = cov[0]!.length;
  const covariateNames = opts.covariateNames ?? Array.from({ length: p }, (_, c) => `covariate ${c + 1}`);
  if (covariateNames.length !== p) throw new Error(`ComBat: ${covariateNames.length} covariate names for ${p} covariates`);

  // features constant within a batch: left unadjusted, as sva
  const unadjusted: number[] = [];
  for (let f = 0; f < nF; f++) {
    for (const rows of groups.values()) {
      if (rows.every((i) => x[i]![f] === x[rows[0]!]![f])) { unadjusted.push(f); break; }
    }
  }

  // design: batch indicators (the reference's column all ones), then the covariates
  const nB = names.length;
  const refIndex = ref === null ? -1 : names.indexOf(ref);
  const batchOf = new Array<number>(n);
  names.forEach((name, b) => groups.get(name)!.forEach((i) => { batchOf[i] = b; }));
  const design = x.map((_, i) => {
    const row = new Array<number>(nB + p).fill(0);
    row[batchOf[i]!] = 1;
    if (refIndex >= 0) row[refIndex] = 1;
    for (let c = 0; c < p; c++) row[nB + c] = cov[i]![c]!;
    return row;
  });
  const q = nB + p;
  const xtx = Array.from({ length: q }, (_, a) => Array.from({ length: q }, (_, b) => design.reduce((s, r) => s + r[a]! * r[b]!, 0)));
  const chol = cholesky(xtx);
  if (!('l' in chol)) {
    const at = chol.singularAt;
    const what = at < nB ? 'the batches' : `covariate "${covariateNames[at - nB]!}"`;
    throw new Error(`ComBat: the design is singular at ${what}: a covariate is constant or confounded with batch; remove it`);
  }
  const model: CombatModel = {
    kind: 'combat',
    parametric: opts.parametric ?? true,
    meanOnly: opts.meanOnly ?? false,
    referenceBatch: ref,
    nFeatures: nF,
    covariateNames,
    batches: names.map((name) => ({ name, n: groups.get(name)!.length, gammaStar: new Array<number>(nF).fill(0), deltaStar: new Array<number>(nF).fill(1) })),
    grandMean: new Array<number>(nF).fill(0),
    varPooled: new Array<number>(nF).fill(1),
    covariateCoefficients: Array.from({ length: p }, () => new Array<number>(nF).fill(0)),
    unadjusted,
  };
  const adjusted = adjustedFeatures(model);
  for (const f of adjusted) {
    const rhs = new Array<number>(q).fill(0);
    for (let i = 0; i < n; i++) for (let a = 0; a < q; a++) rhs[a]! += design[i]![a]! * x[i]![f]!;
    const beta = choleskySolve(chol.l, rhs);
    model.grandMean[f] = refIndex >= 0 ? beta[refIndex]! : names.reduce((s, _, b) => s + (model.batches[b]!.n / n) * beta[b]!, 0);
    for (let c = 0; c < p; c++) model.covariateCoefficients[c]![f] = beta[nB + c]!;
    const rows = refIndex >= 0 ? groups.get(ref!)! : x.map((_, i) => i);
    let ss = 0;
    for (const i of rows) {
      let fit = 0;
      for (let a = 0; a < q; a++) fit += design[i]![a]! * beta[a]!;
      ss += (x[i]![f]! - fit) ** 2;
    }
    model.varPooled[f] = ss / rows.length;
  }

  const st = standardise(model, x, cov, adjusted);
  const out = x.map((r) => r.slice());
  names.forEach((name, b) => {
    if (b === refIndex) return; // the reference batch is returned unchanged
    const rows = groups.get(name)!;
    const est = empiricalBayes(rowsOf(st, rows), model.parametric, model.meanOnly);
    adjusted.forEach((f, k) => {
      model.batches[b]!.gammaStar[f] = est.gamma[k]!;
      model.batches[b]!.deltaStar[f] = est.delta[k]!;
    });
    adjust(model, st, adjusted, rows, est, out);
  });
  return { model, harmonised: out };
}

/** A model read from a file has one value per feature in every per-feature array (the lookups rely on it), else one line. */
function checkShape(model: CombatModel): void {
  const nF = model.nFeatures;
  const perFeature: [string, number[]][] = [['grandMean', model.grandMean], ['varPooled', model.varPooled]];
  model.covariateCoefficients.forEach((row, c) => perFeature.push([`covariateCoefficients[${c}]`, row]));
  for (const b of model.batches) perFeature.push([`batch "${b.name}" gammaStar`, b.gammaStar], [`batch "${b.name}" deltaStar`, b.deltaStar]);
  for (const [what, v] of perFeature) if (v.length !== nF) throw new Error(`ComBat model: ${what} has ${v.length} values for ${nF} features`);
  const p = model.covariateNames.length;
  if (model.covariateCoefficients.length !== p) throw new Error(`ComBat model: ${model.covariateCoefficients.length} rows of covariate coefficients for ${p} covariates`);
}

/**
 * Apply a fitted ComBat model to new samples. A batch seen in training gets the
 * training estimates (neuroCombat's `neuroCombatFromTraining`); the reference batch
 * is returned unchanged; a batch never seen (at least 2 samples) is harmonised to the
 * training target with γ̂/δ̂ and priors from its own features. Covariates are
 * required when the model preserves some.
 */
export function applyCombat(model: CombatModel, data: ArrayLike<ArrayLike<number>>, batch: readonly (string | null | undefined)[], opts: Pick<CombatOptions, 'covariates' | 'sampleNames'> = {}): CombatApplied {
  const x = matrix(data, 'ComBat: data', opts.sampleNames);
  const n = x.length;
  checkShape(model);
  if (n > 0 && x[0]!.length !== model.nFeatures) throw new Error(`ComBat: the data have ${x[0]!.length} features, the model ${model.nFeatures}`);
  const groups = batchIndex(batch, n, opts.sampleNames);
  const cov = covariatesOf(opts, n, model.covariateNames);
  const adjusted = adjustedFeatures(model);
  const st = standardise(model, x, cov, adjusted);
  const out = x.map((r) => r.slice());
  const report: CombatApplied['batches'] = [];
  for (const [name, rows] of groups) {
    const seen = model.batches.find((b) => b.name === name);
    if (name === model.referenceBatch) {
      report.push({ name, n: rows.length, mode: 'reference' });
      continue;
    }
    let est: { gamma: number[]; delta: number[] };
    if (seen) {
      est = { gamma: adjusted.map((f) => seen.gammaStar[f]!), delta: adjusted.map((f) => seen.deltaStar[f]!) };
      report.push({ name, n: rows.length, mode: 'training estimates' });
    } else {
      needTwo(name, rows.length, 'in a batch not seen in training');
      est = empiricalBayes(rowsOf(st, rows), model.parametric, model.meanOnly);
      report.push({ name, n: rows.length, mode: 'new batch' });
    }
    adjust(model, st, adjusted, rows, est, out);
  }
  return { harmonised: out, batches: report };
}
