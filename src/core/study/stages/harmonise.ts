/**
 * Stage seam: ComBat harmonisation of a region's features as a per-training-set
 * column transform (docs/harmonisation.md, "In the study"). `fitColumnTransform`
 * fits ComBat on the given training rows only — their features, batches and
 * covariates, never an outcome — and the transform it returns maps any rows of the
 * same cohort: rows of a batch seen in training get the training estimates
 * (neuroCombat's `neuroCombatFromTraining`), rows of a batch never seen are mapped
 * onto the reference batch with location and scale estimated from their own
 * features (sva's `ref.batch`). regions.ts calls it on the training cohort and in
 * every nested-CV fold; a resampling stage gets the same by calling it on its
 * resample.
 */
import { applyCombat, fitCombat, type CombatApplyMode, type CombatModel } from '../../harmonise/combat.js';
import type { ClinicalTable } from '../clinical.js';
import type { StudyConfig } from '../config.js';
import { pick } from './common.js';

/** The cohort's batch and covariates for ComBat, rows aligned with the cohort's rows. */
export interface CohortBatches {
  ids: string[];
  batch: string[];
  /** rows × covariate columns (dummies for categorical covariates); rows of [] without covariates. */
  covariates: number[][];
  covariateNames: string[];
  parametric: boolean;
  meanOnly: boolean;
  /** Configured reference batch; else the largest batch of each training set. */
  referenceBatch?: string;
}

/** How a batch's rows were transformed. */
export type HarmoniseMode = CombatApplyMode | 'one patient of a batch not seen (left as it is)' | 'not harmonised';

export interface RowsTransformed {
  /** The rows asked for, in their order. */
  X: number[][];
  batches: { name: string; n: number; mode: HarmoniseMode }[];
}

/** A column transform fitted on one training set and applied to any rows of the cohort. */
export interface ColumnTransform {
  /** The fitted ComBat model; null = the identity (no harmonisation, or nothing to fit). */
  model: CombatModel | null;
  /** Batches left out of the fit: a single patient in this training set (its rows are then treated as a batch not seen). */
  leftOut: string[];
  apply(X: readonly number[][], rows: readonly number[]): RowsTransformed;
}

const identity = (h: CohortBatches | null, leftOut: string[] = []): ColumnTransform => ({
  model: null,
  leftOut,
  apply: (X, rows) => ({ X: pick(X, rows).map((row) => row.slice()), batches: h ? groupsOf(h, rows).map(([name, r]) => ({ name, n: r.length, mode: 'not harmonised' as const })) : [] }),
});

function groupsOf(h: CohortBatches, rows: readonly number[]): [string, number[]][] {
  const g = new Map<string, number[]>();
  for (const i of rows) {
    const b = h.batch[i];
    if (b === undefined) throw new Error(`harmonise: row ${i} outside the cohort's ${h.batch.length} batches`);
    const list = g.get(b);
    if (list) list.push(i);
    else g.set(b, [i]);
  }
  return [...g.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The rows of `h` at `rows`, as a CohortBatches of its own (e.g. the training cohort for the nested CV). */
export function subsetBatches(h: CohortBatches | null, rows: readonly number[]): CohortBatches | null {
  if (!h) return null;
  return { ...h, ids: pick(h.ids, rows), batch: pick(h.batch, rows), covariates: pick(h.covariates, rows) };
}

/**
 * Why rows `train` cannot be harmonised as configured, or null: a configured
 * reference batch with fewer than 2 patients there (ComBat cannot map the other
 * batches onto a reference it has not fitted). The study's own training cohort is
 * checked by `cohortBatches`; a CV fold's training part or a bootstrap resample can
 * still lack it, and is then counted as failed (never mapped onto another batch).
 */
export function referenceBatchShortfall(h: CohortBatches | null, train: readonly number[]): string | null {
  if (!h || h.referenceBatch === undefined) return null;
  const n = train.filter((i) => h.batch[i] === h.referenceBatch).length;
  return n >= 2 ? null : `the reference batch "${h.referenceBatch}" has ${n === 0 ? 'no' : 'one'} patient${n === 1 ? '' : 's'} in this training set (ComBat needs at least 2)`;
}

/**
 * ComBat fitted on rows `train` of X (cohort rows × features, imputed): the
 * reference batch is the configured one (an error when this training set has fewer
 * than 2 of its patients: `referenceBatchShortfall`), else its largest batch (first
 * by name on a tie). A batch with one patient in this training
 * set is left out of the fit (its scanner effect cannot be told from that patient's
 * own values; the study refuses it in the training cohort, so this happens only in
 * a CV fold). Fewer than 2 features: the identity.
 */
export function fitColumnTransform(h: CohortBatches | null, X: readonly number[][], train: readonly number[]): ColumnTransform {
  if (!h || train.length === 0 || (X[0]?.length ?? 0) < 2) return identity(h);
  const shortfall = referenceBatchShortfall(h, train);
  if (shortfall) throw new Error(`ComBat: ${shortfall}`);
  const groups = groupsOf(h, train);
  const leftOut = groups.filter(([, r]) => r.length < 2).map(([name]) => name);
  const kept = groups.filter(([, r]) => r.length >= 2);
  if (kept.length === 0) return identity(h, leftOut);
  const largest = kept.reduce((best, g) => (g[1].length > best[1].length ? g : best));
  const ref = h.referenceBatch ?? largest[0];
  const rows = kept.flatMap(([, r]) => r).sort((a, b) => a - b);
  const p = h.covariateNames.length;
  let model: CombatModel;
  try {
    model = fitCombat(pick(X, rows), pick(h.batch, rows), {
      parametric: h.parametric,
      meanOnly: h.meanOnly,
      referenceBatch: ref,
      covariates: p > 0 ? pick(h.covariates, rows) : undefined,
      covariateNames: p > 0 ? h.covariateNames : undefined,
      sampleNames: pick(h.ids, rows),
    }).model;
  } catch (e) {
    // every feature but one constant within a batch: nothing for the priors to pool
    if (e instanceof Error && e.message.includes('at least 2 adjustable features')) return identity(h, leftOut);
    throw e;
  }
  const adjustable = model.nFeatures - model.unadjusted.length;
  const seen = new Set(model.batches.map((b) => b.name));
  return {
    model,
    leftOut,
    apply(Xall, want) {
      const out = pick(Xall, want).map((row) => row.slice());
      const pos = new Map(want.map((i, k) => [i, k]));
      const batches: RowsTransformed['batches'] = [];
      const mapped: number[] = [];
      for (const [name, r] of groupsOf(h, want)) {
        if (seen.has(name) || (r.length >= 2 && adjustable >= 2)) mapped.push(...r);
        else batches.push({ name, n: r.length, mode: r.length < 2 ? 'one patient of a batch not seen (left as it is)' : 'not harmonised' });
      }
      if (mapped.length > 0) {
        mapped.sort((a, b) => a - b);
        const applied = applyCombat(model, pick(Xall, mapped), pick(h.batch, mapped), {
          covariates: p > 0 ? pick(h.covariates, mapped) : undefined,
          sampleNames: pick(h.ids, mapped),
        });
        mapped.forEach((i, k) => (out[pos.get(i)!] = applied.harmonised[k]!));
        batches.push(...applied.batches);
      }
      batches.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { X: out, batches };
    },
  };
}

/**
 * The cohort's batches and covariates for `config.harmonisation` (null when the
 * method is none), each problem one line: a column not in the clinical table
 * (naming the key), a patient without a batch or covariate value (naming the
 * patient and the column), a batch with one patient in the training cohort, a
 * configured reference batch not among the training batches.
 */
export function cohortBatches(config: StudyConfig, clinical: ClinicalTable, ids: readonly string[], train: readonly number[], where = 'study config'): CohortBatches | null {
  const h = config.harmonisation;
  if (h.method !== 'combat') return null;
  const column = (key: string, name: string): string[] => {
    const v = clinical.values[name];
    if (!v) throw new Error(`${where}: "${key}": no column "${name}" in ${clinical.file} (columns: ${Object.keys(clinical.values).join(', ')})`);
    const rowOf = new Map(clinical.ids.map((id, r) => [id, r]));
    return ids.map((id) => {
      const cell = v[rowOf.get(id)!] ?? '';
      if (cell === '') throw new Error(`${clinical.file}: patient ${id} has no value in column "${name}" (${key}); ComBat cannot place a patient without one: fill it in or leave the patient out`);
      return cell;
    });
  };
  const batch = column('harmonisation.batch', h.batch!);
  const covariates: number[][] = ids.map(() => []);
  const covariateNames: string[] = [];
  for (const name of h.covariates) {
    const cells = column('harmonisation.covariates', name);
    const variable = clinical.variables.find((v) => v.name === name)!;
    if (variable.kind === 'continuous') {
      covariateNames.push(name);
      cells.forEach((c, i) => covariates[i]!.push(Number(c)));
    } else {
      for (const level of variable.levels!.slice(1)) {
        covariateNames.push(`${name}=${level}`);
        cells.forEach((c, i) => covariates[i]!.push(c === level ? 1 : 0));
      }
    }
  }
  const counts = new Map<string, string[]>();
  for (const i of train) {
    const b = batch[i];
    const id = ids[i];
    if (b === undefined || id === undefined) throw new Error(`${where}: training row ${i} outside the cohort's ${ids.length} patients`);
    counts.set(b, [...(counts.get(b) ?? []), id]);
  }
  for (const [name, who] of counts) {
    if (who.length < 2) {
      throw new Error(`${where}: "harmonisation.batch": batch "${name}" (column "${h.batch}") has one training patient (${who[0]}); ComBat cannot tell one patient's scanner effect from its own values: merge it with a similar scanner in ${clinical.file} or leave the patient out`);
    }
  }
  if (h.referenceBatch !== undefined && !counts.has(h.referenceBatch)) {
    throw new Error(`${where}: "harmonisation.referenceBatch": "${h.referenceBatch}" is not a batch of the training cohort (${[...counts.keys()].sort().join(', ')})`);
  }
  return { ids: ids.slice(), batch, covariates, covariateNames, parametric: h.parametric, meanOnly: h.meanOnly, referenceBatch: h.referenceBatch };
}

/**
 * model.json's harmonisation block of a study fitted with ComBat: the training
 * cohort's fitted model of each best habitat (the regions the models read), so that
 * `predict` and `validate` map new patients as the study mapped its validation
 * cohort (a batch seen in training: its training estimates; a batch never seen: onto
 * the reference batch from its own features).
 */
export function studyHarmonisationBlock(batchColumn: string, regions: Record<string, { names: string[]; model: CombatModel | null }>, bestHabitat: Record<string, string>): { batch: string; regions: Record<string, { names: string[]; model: CombatModel }> } {
  const out: Record<string, { names: string[]; model: CombatModel }> = {};
  for (const [seq, region] of Object.entries(bestHabitat)) {
    const key = `${seq}|${region}`;
    const r = regions[key];
    if (r?.model) out[key] = { names: r.names, model: r.model };
  }
  return { batch: batchColumn, regions: out };
}

/** A covariate column's value for a clinical row: `name` (a number) or `name=level` (a dummy). */
export function covariateValue(column: string, row: Record<string, string>, who: string): number {
  const eq = column.indexOf('=');
  const name = eq > 0 ? column.slice(0, eq) : column;
  const cell = (row[name] ?? '').trim();
  if (cell === '') throw new Error(`patient ${who}: no value in column "${name}" (a covariate ComBat preserves)`);
  if (eq > 0) return cell === column.slice(eq + 1) ? 1 : 0;
  const x = Number(cell);
  if (!Number.isFinite(x)) throw new Error(`patient ${who}: column "${name}" is not a number (${cell}), a covariate ComBat preserves`);
  return x;
}

/**
 * One new patient's features of a region mapped by the study's ComBat model: its
 * batch must have been seen in training (one patient of a batch never seen cannot
 * be placed: validate a cohort of that batch instead).
 */
export function harmonisePatientRegion(r: { names: string[]; model: CombatModel }, features: Record<string, number | string>, batch: string, row: Record<string, string>, who: string): Record<string, number> {
  if (!r.model.batches.some((b) => b.name === batch)) {
    throw new Error(`patient ${who}: batch "${batch}" was not seen in training; ComBat cannot place one patient of a new batch (validate a cohort of that batch with habitat validate)`);
  }
  const x = r.names.map((n) => {
    const v = Number(features[n]);
    if (!Number.isFinite(v)) throw new Error(`patient ${who}: feature ${n} is not finite, so it cannot be harmonised`);
    return v;
  });
  const cov = r.model.covariateNames.length > 0 ? [r.model.covariateNames.map((c) => covariateValue(c, row, who))] : undefined;
  const h = applyCombat(r.model, [x], [batch], { covariates: cov, sampleNames: [who] }).harmonised[0]!;
  return Object.fromEntries(r.names.map((n, j) => [n, h[j]!]));
}
