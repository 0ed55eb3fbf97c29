/**
 * Helpers shared by the texture matrices: neighbour offsets in voxel-index
 * strides, and the distance weighting PyRadiomics applies when `weightingNorm`
 * merges the directions of GLCM / GLRLM.
 */
import type { WeightingNorm } from './family.js';

/** Map each present grey level (1-based bin) to its row in the reduced matrix, −1 when absent. */
export function levelIndex(grayLevels: Int32Array, Ng: number): Int32Array {
  const idx = new Int32Array(Ng + 1).fill(-1);
  grayLevels.forEach((l, k) => (idx[l] = k));
  return idx;
}

/** Physical length of an offset under a norm, using |offset| · spacing per axis. */
function offsetLengths(angles: Int32Array, a: number, spacing: readonly number[]): number[] {
  return [0, 1, 2].map((d) => Math.abs(angles[3 * a + d]) * spacing[d]);
}

/** GLCM direction weight: exp(−‖d‖²) with the chosen norm (PyRadiomics glcm `weightingNorm`). */
export function glcmWeight(norm: WeightingNorm, angles: Int32Array, a: number, spacing: readonly number[]): number {
  const l = offsetLengths(angles, a, spacing);
  switch (norm) {
    case 'infinity':
      return Math.exp(-(Math.max(...l) ** 2));
    case 'euclidean':
      return Math.exp(-(l[0] ** 2 + l[1] ** 2 + l[2] ** 2));
    case 'manhattan':
      return Math.exp(-((l[0] + l[1] + l[2]) ** 2));
    default:
      return 1;
  }
}

/** GLRLM direction weight: ‖d‖ with the chosen norm (PyRadiomics glrlm `weightingNorm`). */
export function glrlmWeight(norm: WeightingNorm, angles: Int32Array, a: number, spacing: readonly number[]): number {
  const l = offsetLengths(angles, a, spacing);
  switch (norm) {
    case 'infinity':
      return Math.max(...l);
    case 'euclidean':
      return Math.sqrt(l[0] ** 2 + l[1] ** 2 + l[2] ** 2);
    case 'manhattan':
      return l[0] + l[1] + l[2];
    default:
      return 1;
  }
}

/** The excluded dimension for 2D extraction, in PyRadiomics' numpy (z, y, x) numbering, or null. */
export function excludedDimension(force2D: boolean, force2Ddimension: number): number | null {
  return force2D ? force2Ddimension : null;
}
