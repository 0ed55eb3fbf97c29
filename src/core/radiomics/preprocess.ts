/**
 * Image preprocessing steps of PyRadiomics' extractor that act on whole
 * volumes: intensity normalisation (`normalizeImage`), re-segmentation of the
 * mask by an intensity range (`resegmentMask`), and the mask checks
 * (`getMask` / `checkMask`).
 */
import type { Volume } from '../image/volume.js';
import { withData } from '../image/volume.js';
import type { ResegmentMode } from './params.js';
import type { Size3 } from './kernels/grid.js';

/**
 * SimpleITK `Normalize` then optional outlier clipping then scaling:
 * x' = s · clip((x − μ) / σ, ±removeOutliers), μ and σ over the whole image
 * (σ with N − 1, as ITK's StatisticsImageFilter).
 */
export function normalizeImage(image: Volume, scale = 1, removeOutliers: number | null = null): Volume {
  const d = image.data;
  const n = d.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += d[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = sd > 0 ? (d[i]! - mean) / sd : 0;
    if (removeOutliers != null) v = Math.max(-removeOutliers, Math.min(removeOutliers, v));
    out[i] = v * scale;
  }
  return withData(image, out);
}

/** The ROI voxels after re-segmentation: ROI ∩ [lower, upper] with thresholds from the mode (PyRadiomics resegmentMask). */
export function resegmentMask(
  values: ArrayLike<number>,
  inRoi: Uint8Array,
  range: readonly number[],
  mode: ResegmentMode,
  label: number,
): { mask: Uint8Array; thresholds: number[] } {
  if (range.length < 1 || range.length > 2) throw new Error(`resegmentRange must have 1 or 2 values, got ${range.length}`);
  const sorted = [...range].sort((a, b) => a - b);
  let thresholds: number[];
  if (mode === 'absolute') thresholds = sorted;
  else {
    let n = 0;
    let sum = 0;
    let max = -Infinity;
    for (let i = 0; i < inRoi.length; i++)
      if (inRoi[i]) {
        n++;
        sum += values[i]!;
        if (values[i]! > max) max = values[i]!;
      }
    if (mode === 'relative') thresholds = sorted.map((t) => max * t);
    else {
      const mean = sum / n;
      let ss = 0;
      for (let i = 0; i < inRoi.length; i++) if (inRoi[i]) ss += (values[i]! - mean) ** 2;
      const sd = Math.sqrt(ss / n);
      thresholds = sorted.map((t) => mean + sd * t);
    }
  }
  const out = new Uint8Array(inRoi.length);
  let kept = 0;
  for (let i = 0; i < inRoi.length; i++) {
    if (!inRoi[i]) continue;
    const v = values[i]!;
    if (v >= thresholds[0]! && (thresholds.length < 2 || v <= thresholds[1]!)) {
      out[i] = 1;
      kept++;
    }
  }
  if (kept <= 1)
    throw new Error(`re-segmentation excluded too many voxels with label ${label} (retained ${kept} voxel(s)); cannot extract features`);
  return { mask: out, thresholds };
}

/** Distinct non-zero labels of a mask (values cast to integers as PyRadiomics' UInt32 cast). */
export function maskLabels(mask: Volume): number[] {
  const seen = new Set<number>();
  const d = mask.data;
  const float = d instanceof Float32Array || d instanceof Float64Array;
  let last = 0;
  for (let i = 0; i < d.length; i++) {
    const v = float ? Math.trunc(d[i]!) : d[i]!;
    if (v !== 0 && v !== last) {
      seen.add(v);
      last = v;
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/** Number of 26-connected components of a binary mask (SimpleITK ConnectedComponent, fully connected). */
export function countComponents(mask: Uint8Array, size: Size3): number {
  const [nx, ny, nz] = size;
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  let count = 0;
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s] || seen[s]) continue;
    count++;
    let top = 0;
    stack[top++] = s;
    seen[s] = 1;
    while (top) {
      const k = stack[--top]!;
      const x = k % nx;
      const y = Math.floor(k / nx) % ny;
      const z = Math.floor(k / (nx * ny));
      for (let dz = -1; dz <= 1; dz++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            const zz = z + dz;
            if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
            const j = xx + nx * (yy + ny * zz);
            if (mask[j] && !seen[j]) {
              seen[j] = 1;
              stack[top++] = j;
            }
          }
    }
  }
  return count;
}
