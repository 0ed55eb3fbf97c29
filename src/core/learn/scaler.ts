/**
 * z-score standardisation fitted on the training cohort and applied unchanged to
 * validation data (../shared/SPEC.md §5.1 (Feature selection)). Same definition as scikit-learn `StandardScaler`:
 * population SD (divide by n), and a constant column gets SD 1 so it maps to 0
 * instead of NaN.
 */
import { toMatrix } from './linalg.js';

export interface ScalerData {
  kind: 'zscore';
  mean: number[];
  sd: number[];
}

export interface Scaler extends ScalerData {
  transform(X: ArrayLike<ArrayLike<number>>): number[][];
}

/** Apply a fitted scaler (plain data, e.g. after a JSON round trip). */
export function transformScaler(scaler: ScalerData, X: ArrayLike<ArrayLike<number>>): number[][] {
  const rows = toMatrix(X, 'transformScaler: X');
  if (scaler.sd.length !== scaler.mean.length) throw new Error(`transformScaler: the scaler has ${scaler.mean.length} means and ${scaler.sd.length} SDs`); // plain data, maybe from a file
  if (rows[0]!.length !== scaler.mean.length) throw new Error(`transformScaler: X has ${rows[0]!.length} columns, the scaler ${scaler.mean.length}`);
  return rows.map((r) => r.map((v, j) => (v - scaler.mean[j]!) / scaler.sd[j]!));
}

function attach(data: ScalerData): Scaler {
  Object.defineProperty(data, 'transform', { value: (X: ArrayLike<ArrayLike<number>>) => transformScaler(data, X), enumerable: false });
  return data as Scaler;
}

/** Fit column means and SDs on X (samples × features). */
export function fitScaler(X: ArrayLike<ArrayLike<number>>): Scaler {
  return attach(scalerOfRows(toMatrix(X, 'fitScaler: X')));
}

/** `fitScaler` of rows the caller has validated (finite, one width), without copying them. */
export function scalerOfRows(rows: ArrayLike<ArrayLike<number>>): ScalerData {
  const n = rows.length;
  const p = rows[0]!.length;
  const mean = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    for (let j = 0; j < p; j++) mean[j]! += r[j]! / n;
  }
  const sd = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    for (let j = 0; j < p; j++) sd[j]! += (r[j]! - mean[j]!) ** 2;
  }
  for (let j = 0; j < p; j++) {
    const s = Math.sqrt(sd[j]! / n);
    // relative test: a column equal up to rounding is constant
    sd[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j]!)) ? s : 1;
  }
  return { kind: 'zscore', mean, sd };
}

/** Re-attach `transform` to plain scaler data. */
export function restoreScaler(data: ScalerData): Scaler {
  if (data.kind !== 'zscore') throw new Error(`restoreScaler: not a z-score scaler (kind = ${String((data as { kind?: unknown }).kind)})`);
  return attach({ kind: 'zscore', mean: [...data.mean], sd: [...data.sd] });
}
