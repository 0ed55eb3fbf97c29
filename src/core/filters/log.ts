/**
 * Laplacian of Gaussian as PyRadiomics 3.1 computes its `LoG` image type:
 * SimpleITK `LaplacianRecursiveGaussianImageFilter` with `NormalizeAcrossScale`
 * on, σ in mm (the spacing of each axis converts it to voxels), applied to the
 * whole image PyRadiomics hands to the filter (already cropped to the mask's
 * bounding box plus `padDistance`). The recursive filter's borders depend on the
 * image extent, so the image must not be cropped further before filtering.
 */
import { createVolume, type Volume } from '../image/volume.js';
import { dericheCoefficients, recursiveGaussianAlongAxis } from './recursive-gaussian.js';

/**
 * ITK's Laplacian: for each axis d, the second-derivative recursive Gaussian along d
 * followed by the zero-order one along the two other axes (increasing order),
 * divided by spacing[d]² and summed; all intermediates are float32 as in ITK.
 * With normalisation across scale the result is σ²·∇²(G_σ * I) (Lindeberg).
 */
export function laplacianRecursiveGaussian(volume: Volume, sigma: number, normalizeAcrossScale = true): Volume {
  const size = volume.size;
  const n = size[0] * size[1] * size[2];
  const sum = new Float32Array(n);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let dim = 0 as 0 | 1 | 2; dim < 3; dim = (dim + 1) as 0 | 1 | 2) {
    const second = dericheCoefficients(sigma, volume.spacing[dim], 2, normalizeAcrossScale);
    recursiveGaussianAlongAxis(volume.data, size, dim, second, a);
    let cur = a;
    let next = b;
    for (let other = 0 as 0 | 1 | 2; other < 3; other = (other + 1) as 0 | 1 | 2) {
      if (other === dim) continue;
      const smooth = dericheCoefficients(sigma, volume.spacing[other], 0, normalizeAcrossScale);
      recursiveGaussianAlongAxis(cur, size, other, smooth, next);
      [cur, next] = [next, cur];
    }
    // ITK's add functor: float + float·(1/spacing²) evaluated in double, stored as float.
    const inv = 1 / (volume.spacing[dim] * volume.spacing[dim]);
    for (let i = 0; i < n; i++) sum[i] = sum[i] + cur[i] * inv;
  }
  return createVolume(size, { spacing: volume.spacing, origin: volume.origin, direction: volume.direction, data: sum });
}

/** Python's `str(float)` for the numbers PyRadiomics puts in image type names (3 → "3.0"). */
export function pythonFloatString(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  return String(x);
}

/** PyRadiomics' name of a LoG image: `log-sigma-<σ with "." → "-">-mm-3D`. */
export function logImageName(sigma: number | string): string {
  const text = typeof sigma === 'string' ? sigma : pythonFloatString(sigma);
  return `log-sigma-${text.replace('.', '-')}-mm-3D`;
}

export interface LogImageOptions {
  /**
   * σ values in mm. A number is named as a Python float (3 → `log-sigma-3-0-mm-3D`);
   * pass the YAML text (e.g. "3") to keep an integer's name (`log-sigma-3-mm-3D`).
   */
  sigma: ReadonlyArray<number | string>;
}

export interface DerivedImage {
  /** PyRadiomics' image type prefix of the feature names, e.g. `log-sigma-3-0-mm-3D`. */
  prefix: string;
  volume: Volume;
}

/**
 * PyRadiomics' `getLoGImage`: no image at all when any side is < 4 voxels; σ ≤ 0 is
 * skipped; a σ is skipped unless every side has at least ⌈σ/spacing⌉ + 1 voxels.
 * Skipped σ values are reported in `skipped` (PyRadiomics logs a warning).
 */
export function logImages(volume: Volume, options: LogImageOptions): { images: DerivedImage[]; skipped: string[] } {
  const images: DerivedImage[] = [];
  const skipped: string[] = [];
  if (Math.min(...volume.size) < 4) {
    return { images, skipped: [`image too small for LoG (size ${volume.size.join('×')})`] };
  }
  for (const s of options.sigma) {
    const sigma = typeof s === 'string' ? Number(s) : s;
    if (!Number.isFinite(sigma)) throw new Error(`LoG: sigma "${s}" is not a number`);
    if (!(sigma > 0)) {
      skipped.push(`sigma ${s} must be greater than 0`);
      continue;
    }
    const fits = volume.size.every((n, d) => n >= Math.ceil(sigma / volume.spacing[d]) + 1);
    if (!fits) {
      skipped.push(`sigma ${s} mm is too large for image size ${volume.size.join('×')}`);
      continue;
    }
    images.push({ prefix: logImageName(s), volume: laplacianRecursiveGaussian(volume, sigma, true) });
  }
  return { images, skipped };
}
