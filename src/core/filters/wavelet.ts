/**
 * Undecimated (stationary) separable wavelet transform of 3-D images, and
 * PyRadiomics 3.1's `Wavelet` image type built on it.
 *
 * The engine is general (any filter bank, any subset of axes, boundary mode, several
 * levels with or without à trous dilation) so the IBSI 2 filters reuse it; the
 * PyRadiomics wrapper reproduces `pywt.swtn` (PyWavelets 1.1.1) as PyRadiomics'
 * `_swt3` calls it: periodic boundary, filter alignment `i + L/2 − j`, odd sides
 * padded by one wrapped voxel and cropped back, and each further level computed
 * by a level-1 transform of the previous approximation (not à trous).
 */
import { createVolume, type Vec3, type Volume } from '../image/volume.js';
import { cropVolume, labelBoundingBox, type IndexBox } from '../image/crop.js';
import { WAVELET_BANKS } from './wavelet-banks.js';
import type { DerivedImage } from './log.js';
// Boundary modes (zero, nearest, periodic, mirror) as the IBSI 2 reference manual names them.
import { boundaryIndex, type BoundaryMode } from './ibsi2/boundary.js';

export interface FilterBank {
  /** Low-pass analysis filter (PyWavelets' `dec_lo`). */
  decLo: readonly number[];
  /** High-pass analysis filter (PyWavelets' `dec_hi`). */
  decHi: readonly number[];
}

/** Names of the wavelets known here (haar, db1–20, sym2–20, coif1–5, bior*, rbio*, dmey). */
export function waveletNames(): string[] {
  return Object.keys(WAVELET_BANKS);
}

/** The analysis filter bank of a named wavelet, as PyWavelets 1.1.1 defines it. */
export function waveletFilterBank(name: string): FilterBank {
  const bank = WAVELET_BANKS[name];
  if (!bank) throw new Error(`wavelet "${name}" is not known (try ${waveletNames().slice(0, 8).join(', ')}, …)`);
  return bank;
}

export interface AxisFilterOptions {
  /** Spacing between kernel taps (2^(level−1) for an à trous level). Default 1. */
  step?: number;
  /** `out[i] = Σ_j kernel[j] · x[i + shift − step·j]`. Default PyWavelets' alignment step·⌊L/2⌋. */
  shift?: number;
  mode?: BoundaryMode;
}

/**
 * Filter every line of a 3-D array along `axis` with a 1-D kernel (convolution,
 * aligned by `shift`), continuing lines past their ends by `mode`.
 */
export function filterAlongAxis(
  src: ArrayLike<number>,
  size: readonly [number, number, number],
  axis: 0 | 1 | 2,
  kernel: readonly number[],
  options: AxisFilterOptions = {},
  dst: Float64Array = new Float64Array(size[0] * size[1] * size[2]),
): Float64Array {
  const step = options.step ?? 1;
  const L = kernel.length;
  const shift = options.shift ?? step * Math.floor(L / 2);
  const mode = options.mode ?? 'periodic';
  const n = size[axis];
  const [nx, ny, nz] = size;
  const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
  // The line is copied, extended, into `buf`: buf[q] = x[q + lo].
  const lo = shift - step * (L - 1);
  const bufLen = n - 1 + shift - lo + 1;
  const buf = new Float64Array(bufLen);
  const line = new Float64Array(n);
  const map = new Int32Array(bufLen);
  for (let q = 0; q < bufLen; q++) map[q] = boundaryIndex(q + lo, n, mode);
  // Kernel offsets into buf for output 0: i + shift − step·j − lo.
  const off = new Int32Array(L);
  const k = Float64Array.from(kernel);
  for (let j = 0; j < L; j++) off[j] = shift - step * j - lo;
  if (axis !== 0) {
    // Lines along y (z) of neighbouring x (x, y) are contiguous: filter whole rows
    // (planes) at once; per voxel the same sum in the same order as below.
    const inner = stride;
    const outer = (nx * ny * nz) / (n * inner);
    for (let o = 0; o < outer; o++) {
      const base = o * n * inner;
      for (let i = 0; i < n; i++) {
        const d = base + i * inner;
        dst.fill(0, d, d + inner);
        for (let j = 0; j < L; j++) {
          const m = map[i + off[j]];
          if (m < 0) continue;
          const s = base + m * inner;
          const kj = k[j];
          for (let t = 0; t < inner; t++) dst[d + t] += kj * src[s + t];
        }
      }
    }
    return dst;
  }
  for (let r = 0; r < ny * nz; r++) {
    const s0 = r * nx;
    for (let i = 0; i < n; i++) line[i] = src[s0 + i];
    for (let q = 0; q < bufLen; q++) {
      const m = map[q];
      buf[q] = m < 0 ? 0 : line[m];
    }
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < L; j++) acc += k[j] * buf[i + off[j]];
      dst[s0 + i] = acc;
    }
  }
  return dst;
}

export interface UndecimatedLevelOptions {
  /** Axes transformed, in order; sub-band codes have one letter per axis in this order. Default [0, 1, 2] (x, y, z). */
  axes?: ReadonlyArray<0 | 1 | 2>;
  mode?: BoundaryMode;
  /** Tap spacing (à trous dilation) of this level. Default 1. */
  step?: number;
  /** Kernel alignment; default PyWavelets' step·⌊L/2⌋. */
  shift?: number;
}

/**
 * One level of the separable undecimated transform: every combination of low (L)
 * and high (H) pass along the axes, keyed by codes such as "LLH" (letters in `axes`
 * order). The all-L band is the approximation.
 */
export function undecimatedWaveletLevel(
  data: ArrayLike<number>,
  size: readonly [number, number, number],
  bank: FilterBank,
  options: UndecimatedLevelOptions = {},
): Map<string, Float64Array> {
  const axes = options.axes ?? [0, 1, 2];
  const opts: AxisFilterOptions = { step: options.step ?? 1, shift: options.shift, mode: options.mode ?? 'periodic' };
  let bands = new Map<string, ArrayLike<number>>([['', data]]);
  for (const axis of axes) {
    const next = new Map<string, ArrayLike<number>>();
    for (const [code, x] of bands) {
      next.set(code + 'L', filterAlongAxis(x, size, axis, bank.decLo, opts));
      next.set(code + 'H', filterAlongAxis(x, size, axis, bank.decHi, opts));
    }
    bands = next;
  }
  return bands as Map<string, Float64Array>;
}

export interface UndecimatedOptions {
  axes?: ReadonlyArray<0 | 1 | 2>;
  mode?: BoundaryMode;
  /** Number of levels. Default 1. */
  levels?: number;
  /**
   * true: level ℓ uses filters dilated by 2^(ℓ−1) (à trous; PyWavelets' `swtn(level=…)`,
   * IBSI 2). false: every level is a level-1 transform of the previous approximation
   * (what PyRadiomics does). Default true.
   */
  atrous?: boolean;
}

export interface UndecimatedResult {
  /** details[ℓ−1]: the sub-bands of level ℓ except the approximation. */
  details: Array<Map<string, Float64Array>>;
  /** The all-low-pass band of the last level. */
  approximation: Float64Array;
}

/** Multi-level undecimated separable wavelet transform (see UndecimatedOptions). */
export function undecimatedWavelet(
  data: ArrayLike<number>,
  size: readonly [number, number, number],
  bank: FilterBank,
  options: UndecimatedOptions = {},
): UndecimatedResult {
  const axes = options.axes ?? [0, 1, 2];
  const levels = options.levels ?? 1;
  const atrous = options.atrous ?? true;
  const approxCode = 'L'.repeat(axes.length);
  let current: ArrayLike<number> = data;
  const details: Array<Map<string, Float64Array>> = [];
  for (let l = 1; l <= levels; l++) {
    const bands = undecimatedWaveletLevel(current, size, bank, {
      axes,
      mode: options.mode,
      step: atrous ? 2 ** (l - 1) : 1,
    });
    current = bands.get(approxCode)!;
    bands.delete(approxCode);
    details.push(bands);
  }
  return { details, approximation: Float64Array.from(current) };
}

export interface PyRadiomicsWaveletOptions {
  /** PyWavelets name. Default "coif1". */
  wavelet?: string;
  /** 0-based first level whose sub-bands are returned. Default 0. */
  startLevel?: number;
  /** Number of levels returned. Default 1. */
  level?: number;
  /** Transform in-plane only (PyRadiomics' force2D). */
  force2D?: boolean;
  /** Axis left out with force2D, numpy order of PyRadiomics (0 = z, 1 = y, 2 = x). Default 0. */
  force2Ddimension?: number;
}

/** Pad odd sides by one wrapped voxel (numpy.pad "wrap" at the end), as PyRadiomics does before swtn. */
function padToEven(data: ArrayLike<number>, size: Vec3): { padded: Float64Array; psize: [number, number, number] } {
  const psize: [number, number, number] = [size[0] + (size[0] % 2), size[1] + (size[1] % 2), size[2] + (size[2] % 2)];
  const padded = new Float64Array(psize[0] * psize[1] * psize[2]);
  for (let z = 0; z < psize[2]; z++) {
    const sz = z % size[2];
    for (let y = 0; y < psize[1]; y++) {
      const sy = y % size[1];
      const srow = size[0] * (sy + size[1] * sz);
      const drow = psize[0] * (y + psize[1] * z);
      for (let x = 0; x < psize[0]; x++) padded[drow + x] = data[srow + (x % size[0])];
    }
  }
  return { padded, psize };
}

function cropFromEven(src: Float64Array, psize: readonly number[], size: Vec3): Float64Array {
  if (psize[0] === size[0] && psize[1] === size[1] && psize[2] === size[2]) return src;
  const out = new Float64Array(size[0] * size[1] * size[2]);
  for (let z = 0; z < size[2]; z++)
    for (let y = 0; y < size[1]; y++) {
      const s = psize[0] * (y + psize[1] * z);
      const d = size[0] * (y + size[1] * z);
      out.set(src.subarray(s, s + size[0]), d);
    }
  return out;
}

/**
 * PyRadiomics' `getWaveletImage`: the detail sub-bands of levels start_level+1 …
 * start_level+level and the final approximation, named `wavelet-LLH`, …,
 * `wavelet-LLL` (level 1) or `wavelet<ℓ>-…` (later levels). Letters are in x, y, z
 * order (PyWavelets' axes (2, 1, 0) of the z-y-x numpy array); values are float64.
 * Output order follows PyRadiomics: per level the bands in PyWavelets' order
 * (LLH, LHL, LHH, HLL, …), then the approximation.
 */
export function pyradiomicsWaveletImages(volume: Volume, options: PyRadiomicsWaveletOptions = {}): DerivedImage[] {
  const bank = waveletFilterBank(options.wavelet ?? 'coif1');
  const startLevel = options.startLevel ?? 0;
  const level = options.level ?? 1;
  if (!Number.isInteger(startLevel) || startLevel < 0) throw new Error(`wavelet: start_level must be an integer ≥ 0, got ${startLevel}`);
  if (!Number.isInteger(level) || level < 1) throw new Error(`wavelet: level must be an integer ≥ 1, got ${level}`);
  let axes: Array<0 | 1 | 2> = [0, 1, 2];
  if (options.force2D) {
    const d = options.force2Ddimension ?? 0;
    if (![0, 1, 2].includes(d)) throw new Error(`wavelet: force2Ddimension must be 0, 1 or 2, got ${d}`);
    const itkAxis = (2 - d) as 0 | 1 | 2;
    axes = axes.filter((a) => a !== itkAxis);
  }
  const { padded, psize } = padToEven(volume.data, volume.size);
  const approxCode = 'L'.repeat(axes.length);
  let data: Float64Array = padded;
  for (let l = 0; l < startLevel; l++) {
    data = undecimatedWaveletLevel(data, psize, bank, { axes, mode: 'periodic' }).get(approxCode)!;
  }
  const geometry = { spacing: volume.spacing, origin: volume.origin, direction: volume.direction };
  const images: DerivedImage[] = [];
  for (let l = 0; l < level; l++) {
    const bands = undecimatedWaveletLevel(data, psize, bank, { axes, mode: 'periodic' });
    data = bands.get(approxCode)!;
    for (const [code, band] of bands) {
      if (code === approxCode) continue;
      const prefix = l === 0 ? `wavelet-${code}` : `wavelet${l + 1}-${code}`;
      images.push({ prefix, volume: createVolume(volume.size, { ...geometry, data: cropFromEven(band, psize, volume.size) }) });
    }
  }
  const approxName = level === 1 ? `wavelet-${approxCode}` : `wavelet${level}-${approxCode}`;
  images.push({ prefix: approxName, volume: createVolume(volume.size, { ...geometry, data: cropFromEven(data, psize, volume.size) }) });
  return images;
}

/**
 * `pyradiomicsWaveletImages` computed only where PyRadiomics' features read it: on
 * the mask's bounding box grown by the filters' reach ((start_level + level) · L/2
 * voxels per side, L the filter length), then pasted into full-size images that are
 * NaN outside that box. Inside the box margin the values are bit-identical to the
 * whole-image transform: no tap reaches past the crop, and an axis whose grown box
 * would touch the image border is kept whole, since the periodic wrap (and
 * PyRadiomics' odd-size padding) joins its two ends. Worth it when the image is much
 * larger than the mask (no resampling, no preCrop).
 */
export function pyradiomicsWaveletImagesInMask(
  volume: Volume,
  mask: Volume,
  label: number,
  options: PyRadiomicsWaveletOptions = {},
): DerivedImage[] {
  const box = labelBoundingBox(mask, label);
  if (!box) throw new Error(`wavelet: the mask has no voxel with label ${label}`);
  const L = waveletFilterBank(options.wavelet ?? 'coif1').decLo.length;
  const reach = ((options.startLevel ?? 0) + (options.level ?? 1)) * Math.ceil(L / 2);
  const crop: IndexBox = { lower: [0, 0, 0], upper: [0, 0, 0] };
  for (let c = 0; c < 3; c++) {
    const lo = box.lower[c] - reach;
    const hi = box.upper[c] + reach;
    const whole = lo <= 0 || hi >= volume.size[c] - 1;
    crop.lower[c] = whole ? 0 : lo;
    crop.upper[c] = whole ? volume.size[c] - 1 : hi;
  }
  const cropped = cropVolume(volume, crop);
  const [nx, ny] = volume.size;
  const [cx, cy, cz] = cropped.size;
  return pyradiomicsWaveletImages(cropped, options).map(({ prefix, volume: part }) => {
    const full = new Float64Array(volume.data.length).fill(NaN);
    for (let k = 0; k < cz; k++)
      for (let j = 0; j < cy; j++) {
        const from = cx * (j + cy * k);
        full.set(part.data.subarray(from, from + cx), crop.lower[0] + nx * (crop.lower[1] + j + ny * (crop.lower[2] + k)));
      }
    return { prefix, volume: createVolume(volume.size, { spacing: volume.spacing, origin: volume.origin, direction: volume.direction, data: full }) };
  });
}
