/**
 * Helpers shared by the PyRadiomics engine's texture matrices: level maps, the
 * padded level grid, and the distance weighting PyRadiomics applies when
 * `weightingNorm` merges the directions of GLCM / GLRLM (the neighbour offsets
 * are in kernels/neighbours.ts).
 */
import type { DiscretisedRoi } from './discretise.js';
import type { WeightingNorm } from './family.js';

/** Map each present grey level (1-based bin) to its row in the reduced matrix, −1 when absent. */
export function levelIndex(grayLevels: Int32Array, Ng: number): Int32Array {
  const idx = new Int32Array(Ng + 1).fill(-1);
  grayLevels.forEach((l, k) => (idx[l] = k));
  return idx;
}

/** Physical length of an offset under a norm, using |offset| · spacing per axis. */
function offsetLengths(angles: Int32Array, a: number, spacing: readonly number[]): number[] {
  return [0, 1, 2].map((d) => Math.abs(angles[3 * a + d]!) * spacing[d]!);
}

/** GLCM direction weight: exp(−‖d‖²) with the chosen norm (PyRadiomics glcm `weightingNorm`). */
export function glcmWeight(norm: WeightingNorm, angles: Int32Array, a: number, spacing: readonly number[]): number {
  const l = offsetLengths(angles, a, spacing);
  switch (norm) {
    case 'infinity':
      return Math.exp(-(Math.max(...l) ** 2));
    case 'euclidean':
      return Math.exp(-(l[0]! ** 2 + l[1]! ** 2 + l[2]! ** 2));
    case 'manhattan':
      return Math.exp(-((l[0]! + l[1]! + l[2]!) ** 2));
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
      return Math.sqrt(l[0]! ** 2 + l[1]! ** 2 + l[2]! ** 2);
    case 'manhattan':
      return l[0]! + l[1]! + l[2]!;
    default:
      return 1;
  }
}

/** The excluded dimension for 2D extraction, in PyRadiomics' numpy (z, y, x) numbering, or null. */
export function excludedDimension(force2D: boolean, force2Ddimension: number): number | null {
  return force2D ? force2Ddimension : null;
}

/**
 * PyRadiomics' handling of directions after the matrices are counted: with a
 * weighting norm the per-direction matrices are summed with `weight(a)` into one;
 * then, when more than one remains, directions without any entry are dropped.
 */
export function combineDirections(mats: Float64Array[], weight: ((a: number) => number) | null): Float64Array[] {
  let out = mats;
  if (weight) {
    const merged = new Float64Array(mats[0]?.length ?? 0);
    mats.forEach((m, a) => {
      const w = weight(a);
      for (let k = 0; k < merged.length; k++) merged[k]! += w * m[k]!;
    });
    out = [merged];
  }
  return out.length > 1 ? out.filter((m) => m.some((v) => v !== 0)) : out;
}

/**
 * The discretised ROI on a grid padded with `pad` voxels on every side:
 * `levels[j]` is voxel j's grey level inside the ROI, −1 for a voxel of the box
 * outside the ROI and −2 for the padding, and `voxels` lists the ROI voxels'
 * padded indices in ascending (voxel) order. Neighbours up to `pad` voxels away
 * need no bounds checks, and passes over the ROI skip the empty part of its box.
 */
export interface PaddedLevels {
  /** Padded size (x, y, z). */
  size: [number, number, number];
  levels: Int32Array;
  voxels: Int32Array;
}

/** The number of non-zero entries of a mask. */
function countSet(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}

/**
 * Write the ROI's levels (−1 for the box's voxels outside the ROI) into the padded grid and the
 * ROI voxels' padded indices into `voxels`: a function of typed arrays of its own, so that a
 * fresh process optimises it once instead of recompiling `paddedLevels`.
 */
function fillPadded(levels: Int32Array, voxels: Int32Array, mask: Uint8Array, src: Int32Array, size: readonly number[], pad: number): void {
  const nx = size[0]!;
  const ny = size[1]!;
  const nz = size[2]!;
  const px = nx + 2 * pad;
  const py = ny + 2 * pad;
  let i = 0;
  let v = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) {
      let j = pad + px * (y + pad + py * (z + pad));
      for (let x = 0; x < nx; x++, i++, j++) {
        if (mask[i]) {
          levels[j] = src[i]!;
          voxels[v++] = j;
        } else levels[j] = -1;
      }
    }
}

const paddedCache = new WeakMap<DiscretisedRoi, Map<number, PaddedLevels>>();

/**
 * `PaddedLevels` of a discretised ROI, built once per ROI and padding and shared
 * by the texture classes: treat it as read-only (copy `levels` to modify it).
 */
export function paddedLevels(roi: DiscretisedRoi, pad: number): PaddedLevels {
  let byPad = paddedCache.get(roi);
  if (!byPad) paddedCache.set(roi, (byPad = new Map()));
  const hit = byPad.get(pad);
  if (hit) return hit;
  const [nx, ny, nz] = roi.size;
  const { mask, levels: src } = roi;
  const px = nx + 2 * pad;
  const py = ny + 2 * pad;
  const pz = nz + 2 * pad;
  const levels = new Int32Array(px * py * pz).fill(-2);
  const voxels = new Int32Array(countSet(mask));
  fillPadded(levels, voxels, mask, src, roi.size, pad);
  const out: PaddedLevels = { size: [px, py, pz], levels, voxels };
  byPad.set(pad, out);
  return out;
}
