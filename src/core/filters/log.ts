/**
 * Laplacian of Gaussian as PyRadiomics 3.1 computes its `LoG` image type:
 * SimpleITK `LaplacianRecursiveGaussianImageFilter` with `NormalizeAcrossScale`
 * on, σ in mm (the spacing of each axis converts it to voxels), applied to the
 * whole image PyRadiomics hands to the filter (already cropped to the mask's
 * bounding box plus `padDistance`). The recursive filter's borders depend on the
 * image extent, so the image must not be cropped further before filtering.
 */
import { boxExtent, boxGeometry, boxVoxels, type IndexBox } from '../image/crop.js';
import { createVolume, type Vec3, type Volume } from '../image/volume.js';
import { dericheCoefficients, recursiveGaussianAlongAxis, recursiveGaussianWork } from './recursive-gaussian.js';

/**
 * ITK's Laplacian: for each axis d, the second-derivative recursive Gaussian along d
 * followed by the zero-order one along the two other axes (increasing order),
 * divided by spacing[d]² and summed; all intermediates are float32 as in ITK.
 * With normalisation across scale the result is σ²·∇²(G_σ * I) (Lindeberg).
 *
 * With `box`, only the voxels inside it are computed, with the same values as the
 * whole-image filter, and the result holds the box only (its size, origin at the box's
 * first voxel): every pass still runs over whole lines, but only over the lines that a
 * later pass or the box needs (the first pass of each axis over the whole image, the
 * second over the box's extent along the first pass's axis, the third over the box's
 * extent along both earlier axes). `scratch` (optional) is reused between calls on
 * images of the same size.
 */
export function laplacianRecursiveGaussian(
  volume: Volume,
  sigma: number,
  normalizeAcrossScale = true,
  box?: IndexBox,
  scratch: LogScratch = logScratch(volume.size),
): Volume {
  const size = volume.size;
  const n = size[0] * size[1] * size[2];
  const sum = new Float32Array(box ? boxVoxels(box) : n);
  const { a, b, work } = scratch;
  const whole = { lower: [0, 0, 0], upper: size.map((s) => s - 1) };
  for (let dim = 0 as 0 | 1 | 2; dim < 3; dim = (dim + 1) as 0 | 1 | 2) {
    const second = dericheCoefficients(sigma, volume.spacing[dim], 2, normalizeAcrossScale);
    recursiveGaussianAlongAxis(volume.data, size, dim, second, a, undefined, work);
    let cur = a;
    let next = b;
    // lines of the next pass: the box's extent along the axes filtered so far, whole along the rest
    const lines = { lower: [...whole.lower], upper: [...whole.upper] };
    let done: 0 | 1 | 2 = dim;
    for (let other = 0 as 0 | 1 | 2; other < 3; other = (other + 1) as 0 | 1 | 2) {
      if (other === dim) continue;
      if (box) {
        lines.lower[done] = box.lower[done];
        lines.upper[done] = box.upper[done];
      }
      const smooth = dericheCoefficients(sigma, volume.spacing[other], 0, normalizeAcrossScale);
      recursiveGaussianAlongAxis(cur, size, other, smooth, next, lines, work);
      [cur, next] = [next, cur];
      done = other;
    }
    // ITK's add functor: float + float·(1/spacing²) evaluated in double, stored as float.
    const inv = 1 / (volume.spacing[dim] * volume.spacing[dim]);
    if (!box) for (let i = 0; i < n; i++) sum[i] = sum[i]! + cur[i]! * inv;
    else {
      let t = 0;
      forEachBoxRow(size, box, (from, to) => {
        for (let i = from; i < to; i++, t++) sum[t] = sum[t]! + cur[i]! * inv;
      });
    }
  }
  if (!box) return createVolume(size, { spacing: volume.spacing, origin: volume.origin, direction: volume.direction, data: sum });
  return createVolume(boxExtent(box), { ...boxGeometry(volume, box), data: sum });
}

/** Intermediate images and line scratch of `laplacianRecursiveGaussian` for a volume of `size`. */
export interface LogScratch {
  a: Float32Array;
  b: Float32Array;
  work: Float64Array;
}

export function logScratch(size: Readonly<Vec3>): LogScratch {
  const n = size[0] * size[1] * size[2];
  return { a: new Float32Array(n), b: new Float32Array(n), work: recursiveGaussianWork(size) };
}

/** Call `f(from, to)` for the index range of each row (along x) of `box`. */
function forEachBoxRow(size: Readonly<Vec3>, box: IndexBox, f: (from: number, to: number) => void): void {
  const [nx, ny] = size;
  for (let z = box.lower[2]; z <= box.upper[2]; z++)
    for (let y = box.lower[1]; y <= box.upper[1]; y++) {
      const row = nx * (y + ny * z);
      f(row + box.lower[0], row + box.upper[0] + 1);
    }
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
  /**
   * Compute only this box (inclusive voxel indices), with the whole-image values; the images
   * then hold the box only (`DerivedImage.box`).
   */
  box?: IndexBox;
}

export interface DerivedImage {
  /** PyRadiomics' image type prefix of the feature names, e.g. `log-sigma-3-0-mm-3D`. */
  prefix: string;
  volume: Volume;
  /**
   * Set when the filter computed only a box of the input grid (a read box): `volume` then
   * holds that box only (its size, origin at the box's first voxel), with the values the
   * whole-image filter gives there.
   */
  box?: IndexBox;
}

/**
 * PyRadiomics' `getLoGImage`: no image at all when any side is < 4 voxels; σ ≤ 0 is
 * skipped; a σ is skipped unless every side has at least ⌈σ/spacing⌉ + 1 voxels.
 * Skipped σ values are reported in `skipped` (PyRadiomics logs a warning).
 */
export function logImages(volume: Volume, options: LogImageOptions): { images: DerivedImage[]; skipped: string[] } {
  const images: DerivedImage[] = [];
  const skipped: string[] = [];
  let scratch: LogScratch | undefined;
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
    const fits = volume.size.every((n, d) => n >= Math.ceil(sigma / volume.spacing[d]!) + 1);
    if (!fits) {
      skipped.push(`sigma ${s} mm is too large for image size ${volume.size.join('×')}`);
      continue;
    }
    scratch ??= logScratch(volume.size);
    images.push({ prefix: logImageName(s), volume: laplacianRecursiveGaussian(volume, sigma, true, options.box, scratch), box: options.box });
  }
  return { images, skipped };
}
