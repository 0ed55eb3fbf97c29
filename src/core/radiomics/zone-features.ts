/**
 * Features shared in form by GLSZM and GLDM: emphasis, non-uniformity, variance
 * and entropy of a (grey level × column) count matrix P with N_z = Σ P
 * (zones, or voxels for the GLDM).
 */
import { EPS } from './family.js';
import type { ZoneCountMatrix } from './glszm/matrix.js';

export interface ZoneContext {
  m: ZoneCountMatrix;
  /** Σ_j P(i,j). */
  pg: Float64Array;
  /** Σ_i P(i,j). */
  pc: Float64Array;
  /** Total count (1 when empty, as PyRadiomics). */
  Nz: number;
  /** Σ_j j Σ_i P(i,j) (1 when empty). */
  Np: number;
}

export function zoneContext(m: ZoneCountMatrix): ZoneContext {
  const pg = new Float64Array(m.ng);
  const pc = new Float64Array(m.ns);
  let Nz = 0;
  for (let i = 0; i < m.ng; i++)
    for (let j = 0; j < m.ns; j++) {
      const v = m.P[i * m.ns + j];
      pg[i] += v;
      pc[j] += v;
      Nz += v;
    }
  let Np = 0;
  for (let j = 0; j < m.ns; j++) Np += pc[j] * m.columns[j];
  return { m, pg, pc, Nz: Nz || 1, Np: Np || 1 };
}

/** Σ_i Σ_j P(i,j) g(i, j) / N_z. */
export function zoneWeighted(c: ZoneContext, g: (i: number, j: number) => number): number {
  const { m } = c;
  let s = 0;
  for (let a = 0; a < m.ng; a++)
    for (let b = 0; b < m.ns; b++) {
      const v = m.P[a * m.ns + b];
      if (v !== 0) s += v * g(m.levels[a], m.columns[b]);
    }
  return s / c.Nz;
}

export function sumOfSquares(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return s;
}

/** Variance of the values under the distribution counts/total. */
export function marginalVariance(counts: Float64Array, values: Float64Array, total: number): number {
  let mu = 0;
  for (let k = 0; k < counts.length; k++) mu += (counts[k] / total) * values[k];
  let s = 0;
  for (let k = 0; k < counts.length; k++) s += (counts[k] / total) * (values[k] - mu) ** 2;
  return s;
}

export function zoneEntropy(c: ZoneContext): number {
  let s = 0;
  for (const v of c.m.P) {
    const p = v / c.Nz;
    s -= p * Math.log2(p + EPS);
  }
  return s;
}
