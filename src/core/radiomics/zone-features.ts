/**
 * Features shared in form by GLSZM and GLDM: emphasis, non-uniformity, variance
 * and entropy of a (grey level × column) count matrix P with N_z = Σ P
 * (zones, or voxels for the GLDM).
 */
import { EPS, type FeatureDefinition } from './family.js';
import type { ZoneCountMatrix } from './glszm/matrix.js';

/**
 * The eight emphasis sums Σ P(i,j)·g(i,j) / N (g = j^{±2}, i^{±2} and their
 * products) and the entropy of P/N, in one pass over a (grey level × column)
 * count matrix; shared by GLRLM (per direction), GLSZM and GLDM.
 */
export interface EmphasisSums {
  small: number;
  large: number;
  low: number;
  high: number;
  smallLow: number;
  smallHigh: number;
  largeLow: number;
  largeHigh: number;
  entropy: number;
}

export function emphasisSums(P: Float64Array, levels: Float64Array, columns: Float64Array, total: number): EmphasisSums {
  const ng = levels.length;
  const nc = columns.length;
  const e: EmphasisSums = { small: 0, large: 0, low: 0, high: 0, smallLow: 0, smallHigh: 0, largeLow: 0, largeHigh: 0, entropy: 0 };
  for (let a = 0; a < ng; a++) {
    const i2 = levels[a]! * levels[a]!;
    for (let b = 0; b < nc; b++) {
      const v = P[a * nc + b]!;
      if (v === 0) continue;
      const j2 = columns[b]! * columns[b]!;
      e.small += v / j2;
      e.large += v * j2;
      e.low += v / i2;
      e.high += v * i2;
      e.smallLow += v / (i2 * j2);
      e.smallHigh += (v * i2) / j2;
      e.largeLow += (v * j2) / i2;
      e.largeHigh += v * i2 * j2;
      const p = v / total;
      e.entropy -= p * Math.log2(p + EPS);
    }
  }
  for (const k of ['small', 'large', 'low', 'high', 'smallLow', 'smallHigh', 'largeLow', 'largeHigh'] as const) e[k] /= total;
  return e;
}

export interface ZoneContext {
  m: ZoneCountMatrix;
  sums: EmphasisSums;
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
      const v = m.P[i * m.ns + j]!;
      pg[i]! += v;
      pc[j]! += v;
      Nz += v;
    }
  let Np = 0;
  for (let j = 0; j < m.ns; j++) Np += pc[j]! * m.columns[j]!;
  const total = Nz || 1;
  return { m, pg, pc, Nz: total, Np: Np || 1, sums: emphasisSums(m.P, m.levels, m.columns, total) };
}

export function sumOfSquares(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return s;
}

/** Variance of the values under the distribution counts/total. */
export function marginalVariance(counts: Float64Array, values: Float64Array, total: number): number {
  let mu = 0;
  for (let k = 0; k < counts.length; k++) mu += (counts[k]! / total) * values[k]!;
  let s = 0;
  for (let k = 0; k < counts.length; k++) s += (counts[k]! / total) * (values[k]! - mu) ** 2;
  return s;
}

/** The statistics a (grey level × column) count matrix offers, by key. */
const ZONE_STATISTICS: Record<string, { formula: string; compute: (c: ZoneContext) => number }> = {
  small: { formula: 'Σ P(i,j)/j² / N_z', compute: (c) => c.sums.small },
  large: { formula: 'Σ P(i,j) j² / N_z', compute: (c) => c.sums.large },
  grayNonUniformity: { formula: 'Σ_i (Σ_j P(i,j))² / N_z', compute: (c) => sumOfSquares(c.pg) / c.Nz },
  grayNonUniformityNormalized: { formula: 'Σ_i (Σ_j P(i,j))² / N_z²', compute: (c) => sumOfSquares(c.pg) / (c.Nz * c.Nz) },
  columnNonUniformity: { formula: 'Σ_j (Σ_i P(i,j))² / N_z', compute: (c) => sumOfSquares(c.pc) / c.Nz },
  columnNonUniformityNormalized: { formula: 'Σ_j (Σ_i P(i,j))² / N_z²', compute: (c) => sumOfSquares(c.pc) / (c.Nz * c.Nz) },
  grayVariance: { formula: 'Σ p(i,j)(i − μ)², μ = Σ p(i,j) i', compute: (c) => marginalVariance(c.pg, c.m.levels, c.Nz) },
  columnVariance: { formula: 'Σ p(i,j)(j − μ)², μ = Σ p(i,j) j', compute: (c) => marginalVariance(c.pc, c.m.columns, c.Nz) },
  entropy: { formula: '−Σ p(i,j) log₂(p(i,j) + ε)', compute: (c) => c.sums.entropy },
  low: { formula: 'Σ P(i,j)/i² / N_z', compute: (c) => c.sums.low },
  high: { formula: 'Σ P(i,j) i² / N_z', compute: (c) => c.sums.high },
  smallLow: { formula: 'Σ P(i,j)/(i² j²) / N_z', compute: (c) => c.sums.smallLow },
  smallHigh: { formula: 'Σ P(i,j) i²/j² / N_z', compute: (c) => c.sums.smallHigh },
  largeLow: { formula: 'Σ P(i,j) j²/i² / N_z', compute: (c) => c.sums.largeLow },
  largeHigh: { formula: 'Σ P(i,j) i² j² / N_z', compute: (c) => c.sums.largeHigh },
  percentage: { formula: 'N_z / N_p', compute: (c) => c.Nz / c.Np },
};

/**
 * Feature definitions of a zone-type family from [PyRadiomics name, IBSI code,
 * statistic key] rows (GLSZM and GLDM name the same statistics differently).
 */
export function zoneFeatures(rows: readonly (readonly [string, string | undefined, string])[]): FeatureDefinition<ZoneContext>[] {
  return rows.map(([name, ibsi, key]) => {
    const stat = ZONE_STATISTICS[key];
    if (!stat) throw new Error(`zoneFeatures: unknown statistic ${key}`);
    return { name, ibsi, formula: stat.formula, compute: stat.compute };
  });
}
