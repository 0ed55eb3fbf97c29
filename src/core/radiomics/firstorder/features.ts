/**
 * First-order statistics (PyRadiomics `firstorder`). X is the set of N_p ROI
 * intensities, c the voxelArrayShift, p(i) the discretised grey-level histogram.
 */
import { EPS, type FeatureFamily } from '../family.js';
import { firstOrderData, percentileSorted, type FirstOrderData } from './matrix.js';

function energy(d: FirstOrderData): number {
  let s = 0;
  for (let i = 0; i < d.sorted.length; i++) s += (d.sorted[i]! + d.voxelArrayShift) ** 2;
  return s;
}

function meanAbsoluteDeviation(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]! - m);
  return s / x.length;
}

export const firstOrderFamily: FeatureFamily<FirstOrderData> = {
  name: 'firstorder',
  title: 'First order statistics',
  description:
    'Distribution of the ROI intensities, without spatial information. Energy, TotalEnergy and RootMeanSquared add voxelArrayShift c to every intensity; Entropy and Uniformity use the discretised histogram.',
  prepare: ({ roi, binned, settings }) => firstOrderData(roi, binned(), settings.voxelArrayShift),
  features: [
    { name: 'Energy', ibsi: 'N8CA', formula: 'Σ_i (X(i) + c)²', compute: energy },
    { name: 'TotalEnergy', formula: 'V_voxel · Σ_i (X(i) + c)²', compute: (d) => energy(d) * d.voxelVolume },
    {
      name: 'Entropy',
      ibsi: 'TLU2',
      formula: '−Σ_i p(i) log₂(p(i) + ε)',
      compute: (d) => {
        let s = 0;
        for (const p of d.p) s -= p * Math.log2(p + EPS);
        return s;
      },
    },
    { name: 'Minimum', ibsi: '1GSF', formula: 'min(X)', compute: (d) => d.sorted[0]! },
    { name: '10Percentile', ibsi: 'QG58', formula: '10th percentile of X (linear interpolation)', compute: (d) => percentileSorted(d.sorted, 10) },
    { name: '90Percentile', ibsi: '8DWT', formula: '90th percentile of X (linear interpolation)', compute: (d) => percentileSorted(d.sorted, 90) },
    { name: 'Maximum', ibsi: '84IY', formula: 'max(X)', compute: (d) => d.sorted[d.sorted.length - 1]! },
    { name: 'Mean', ibsi: 'Q4LE', formula: 'X̄ = (1/N_p) Σ_i X(i)', compute: (d) => d.mean },
    { name: 'Median', ibsi: 'Y12H', formula: 'median(X)', compute: (d) => percentileSorted(d.sorted, 50) },
    {
      name: 'InterquartileRange',
      ibsi: 'SALO',
      formula: 'P₇₅ − P₂₅',
      compute: (d) => percentileSorted(d.sorted, 75) - percentileSorted(d.sorted, 25),
    },
    { name: 'Range', ibsi: '2OJQ', formula: 'max(X) − min(X)', compute: (d) => d.sorted[d.sorted.length - 1]! - d.sorted[0]! },
    { name: 'MeanAbsoluteDeviation', ibsi: '4FUA', formula: '(1/N_p) Σ_i |X(i) − X̄|', compute: (d) => meanAbsoluteDeviation(d.sorted) },
    {
      name: 'RobustMeanAbsoluteDeviation',
      ibsi: '1128',
      formula: 'mean absolute deviation of the intensities X₁₀₋₉₀ with P₁₀ ≤ X ≤ P₉₀, from their own mean',
      compute: (d) => {
        const lo = percentileSorted(d.sorted, 10);
        const hi = percentileSorted(d.sorted, 90);
        const kept: number[] = [];
        for (const v of d.sorted) if (v >= lo && v <= hi) kept.push(v);
        return meanAbsoluteDeviation(kept);
      },
    },
    {
      name: 'RootMeanSquared',
      ibsi: '5ZWQ',
      formula: '√((1/N_p) Σ_i (X(i) + c)²)',
      compute: (d) => (d.sorted.length ? Math.sqrt(energy(d) / d.sorted.length) : 0),
    },
    {
      name: 'StandardDeviation',
      formula: '√((1/N_p) Σ_i (X(i) − X̄)²)',
      deprecated: true,
      compute: (d) => Math.sqrt(d.m2),
    },
    {
      name: 'Skewness',
      ibsi: 'KE2A',
      formula: 'μ₃ / μ₂^{3/2} (μ_k: k-th central moment; 0 for a flat ROI)',
      compute: (d) => (d.m2 === 0 ? 0 : d.m3 / d.m2 ** 1.5),
    },
    {
      name: 'Kurtosis',
      ibsi: 'IPH6',
      formula: 'μ₄ / μ₂² (not excess kurtosis: IBSI value + 3; 0 for a flat ROI)',
      compute: (d) => (d.m2 === 0 ? 0 : d.m4 / d.m2 ** 2),
    },
    { name: 'Variance', ibsi: 'ECT3', formula: '(1/N_p) Σ_i (X(i) − X̄)²', compute: (d) => d.m2 },
    {
      name: 'Uniformity',
      ibsi: 'BJ5W',
      formula: 'Σ_i p(i)²',
      compute: (d) => {
        let s = 0;
        for (const p of d.p) s += p * p;
        return s;
      },
    },
  ],
};
