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
import { boxExtent, boxGeometry, cropVolume, labelBoundingBox, type IndexBox } from '../image/crop.js';
import { WAVELET_BANKS } from './wavelet-banks.js';
import type { DerivedImage } from './log.js';
// Boundary modes (zero, nearest, periodic, mirror) as the IBSI 2 reference manual names them.
import { boundaryIndex, type BoundaryMode } from '../util/boundary.js';

export interface FilterBank {
  /** Low-pass analysis filter (PyWavelets' `dec_lo`). */
  decLo: readonly number[];
  /** High-pass analysis filter (PyWavelets' `dec_hi`). */
  decHi: readonly number[];
  /** PyWavelets' float32 filters where they are not float32(decLo / decHi) (coiflets). */
  decLo32?: readonly number[];
  decHi32?: readonly number[];
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

/** Arithmetic of a transform: float64, or float32 as PyWavelets computes float32 input. */
export type WaveletPrecision = 'float64' | 'float32';
export type RealArray = Float64Array | Float32Array;

export interface AxisFilterOptions {
  /** Spacing between kernel taps (2^(level−1) for an à trous level). Default 1. */
  step?: number;
  /** `out[i] = Σ_j kernel[j] · x[i + shift − step·j]`. Default PyWavelets' alignment step·⌊L/2⌋. */
  shift?: number;
  mode?: BoundaryMode;
  /**
   * float32: kernel, products and sums rounded to float32 after every operation, as
   * PyWavelets' single-precision C loops (Math.fround emulates them exactly). Default float64.
   */
  precision?: WaveletPrecision;
  /**
   * Compute only the outputs inside this box (inclusive voxel indices; default the whole
   * output box); the others are left as they are in the output array. Each output is the
   * same sum as without it.
   */
  region?: GridBox;
  /** The box of the grid that `src` holds (x fastest; default the whole grid). */
  srcBox?: GridBox;
  /** The box of the grid that the output holds (x fastest; default the whole grid). */
  dstBox?: GridBox;
}

/** A box of voxel indices of a grid, inclusive on both ends. */
export interface GridBox {
  lower: Readonly<Vec3>;
  upper: Readonly<Vec3>;
}


/**
 * The terms of PyWavelets 1.1.1's periodic convolution
 * (`downsampling_convolution_periodization` with step 1, as `swt` calls it) in the
 * order its C loops add them: for output o, pairs (tap j, input index) in CSR form.
 * Interior outputs sum taps in ascending order; near the ends the wrapped taps come
 * first or in another order, which matters for bit-identical float32 (and float64)
 * results. `step` is the à trous dilation (PyWavelets' `fstep`).
 */
function pywtPeriodicTerms(N: number, L: number, step: number): { start: Int32Array; tap: Int32Array; index: Int32Array } {
  const F = L * step; // length of PyWavelets' upsampled filter
  const taps: number[] = [];
  const idx: number[] = [];
  const start = new Int32Array(N + 1);
  const push = (f: number, x: number) => {
    if (f % step !== 0) return; // a zero tap of the upsampled filter adds nothing
    taps.push(f / step);
    idx.push(x);
  };
  let i = Math.floor(F / 2);
  let o = 0;
  const begin = () => (start[o] = taps.length);
  for (; i < F && i < N; i++, o++) {
    begin();
    let j = 0;
    for (j = 0; j <= i; j += step) push(j, i - j);
    const kStart = step > 1 ? j - (i + 1) : 0;
    while (j < F) for (let k = kStart; k < N && j < F; k += step, j += step) push(j, N - 1 - k);
  }
  for (; i < N; i++, o++) {
    begin();
    for (let j = 0; j < F; j += step) push(j, i - j);
  }
  for (; i < F && i < N + F / 2; i++, o++) {
    begin();
    let j = 0;
    while (i - j >= N) for (let k = 0; k < N && i - j >= N; k++, j++) push(i - N - j, k);
    if (step > 1) j += (step - (j % step)) % step;
    for (; j <= i; j += step) push(j, i - j);
    const kStart = step > 1 ? j - (i + 1) : 0;
    while (j < F) for (let k = kStart; k < N && j < F; k += step, j += step) push(j, N - 1 - k);
  }
  for (; i < N + F / 2; i++, o++) {
    begin();
    let j = 0;
    while (i - j >= N) for (let k = 0; k < N && i - j >= N; k++, j++) push(i - N - j, k);
    if (step > 1) j += (step - (j % step)) % step;
    for (; j < F; j += step) push(j, i - j);
  }
  start[N] = taps.length;
  return { start, tap: Int32Array.from(taps), index: Int32Array.from(idx) };
}

/**
 * The terms (tap, input index) of every output position along a line of `n`
 * samples, in the order they are added (CSR: output i has terms
 * start[i] … start[i + 1] − 1).
 */
function axisTerms(n: number, L: number, step: number, shift: number, mode: BoundaryMode): { start: Int32Array; tap: Int32Array; index: Int32Array } {
  // PyWavelets' loops (and its swt) need the line length to be a multiple of 2·step.
  if (mode === 'periodic' && L % 2 === 0 && shift === step * (L / 2) && n % (2 * step) === 0) return pywtPeriodicTerms(n, L, step);
  const start = new Int32Array(n + 1);
  const t: number[] = [];
  const x: number[] = [];
  for (let i = 0; i < n; i++) {
    start[i] = t.length;
    for (let j = 0; j < L; j++) {
      const m = boundaryIndex(i + shift - step * j, n, mode);
      if (m < 0) continue; // zero padding
      t.push(j);
      x.push(m);
    }
  }
  start[n] = t.length;
  return { start, tap: Int32Array.from(t), index: Int32Array.from(x) };
}

/**
 * Filter every line of a 3-D array along `axis` with a 1-D kernel (convolution,
 * aligned by `shift`), continuing lines past their ends by `mode`. With the periodic
 * mode and PyWavelets' alignment the terms are added in PyWavelets' order, so the
 * result is bit-identical to `pywt.swt` (float64, or float32 with that precision).
 * `src` and the output may hold only a box of the grid (`srcBox`, `dstBox`); each
 * output is the same sum either way.
 */
export function filterAlongAxis(
  src: ArrayLike<number>,
  size: readonly [number, number, number],
  axis: 0 | 1 | 2,
  kernel: readonly number[],
  options: AxisFilterOptions = {},
  dst?: RealArray,
): RealArray {
  const step = options.step ?? 1;
  const L = kernel.length;
  const shift = options.shift ?? step * Math.floor(L / 2);
  const mode = options.mode ?? 'periodic';
  const single = options.precision === 'float32';
  const n = size[axis];
  const whole: GridBox = { lower: [0, 0, 0], upper: [size[0] - 1, size[1] - 1, size[2] - 1] };
  const sBox = options.srcBox ?? whole;
  const dBox = options.dstBox ?? whole;
  const { lower: lo, upper: hi } = options.region ?? dBox;
  const sN = boxExtent(sBox);
  const dN = boxExtent(dBox);
  const total = dN[0] * dN[1] * dN[2];
  const out: RealArray = dst ?? (single ? new Float32Array(total) : new Float64Array(total));
  if (single && !(out instanceof Float32Array)) throw new Error('filterAlongAxis: float32 precision needs a Float32Array output');
  if (out.length !== total) throw new Error(`filterAlongAxis: the output holds ${out.length} voxels, its box ${total}`);
  const k = single ? Float32Array.from(kernel) : Float64Array.from(kernel);

  const { start, tap, index } = axisTerms(n, L, step, shift, mode);
  // every output inside the output box, every input it reads inside the source box
  for (let c = 0; c < 3; c++) {
    if (lo[c]! < dBox.lower[c]! || hi[c]! > dBox.upper[c]!) throw new Error('filterAlongAxis: the region is not inside the output box');
    const [rLo, rHi] = c === axis ? readRange(start, index, lo[c], hi[c]) : [lo[c]!, hi[c]!];
    if (rLo <= rHi && (rLo < sBox.lower[c]! || rHi > sBox.upper[c]!)) throw new Error('filterAlongAxis: the source box does not hold the inputs the region reads');
  }
  // strides and the offset of the box's first voxel, so that voxel (x, y, z) is at x·S0 + y·S1 + z·S2 − origin
  const sS: Vec3 = [1, sN[0], sN[0] * sN[1]];
  const dS: Vec3 = [1, dN[0], dN[0] * dN[1]];
  const sO = sBox.lower[0] + sS[1] * sBox.lower[1] + sS[2] * sBox.lower[2];
  const dO = dBox.lower[0] + dS[1] * dBox.lower[1] + dS[2] * dBox.lower[2];

  // Six-term outputs in double precision into a Float64Array (coif1, db3, sym3 away from the
  // ends; PyRadiomics' default) are summed in registers by unrolled code: the same terms in the
  // same order, and a double store is exact, so the same bits.
  const six = !single && out instanceof Float64Array;
  const pass: AxisPass = { src, out, k, start, tap, index, six, single, lo, hi, sS, dS, sO, dO };
  if (axis === 0) filterRowsX(pass, n, sBox);
  else filterStridedLines(pass, axis, sN, dN);
  return out;
}

/**
 * One pass of `filterAlongAxis`: the arrays, the kernel's terms (`axisTerms`), the region
 * [lo, hi] and the strides and first-voxel offsets of the source and output boxes. The two
 * layouts are functions of their own so that V8 optimises each on its own feedback (in one
 * function a fresh process threw the optimised code away when it first filtered along another
 * axis).
 */
interface AxisPass {
  src: ArrayLike<number>;
  out: RealArray;
  k: Float32Array | Float64Array;
  start: Int32Array;
  tap: Int32Array;
  index: Int32Array;
  six: boolean;
  single: boolean;
  lo: readonly number[];
  hi: readonly number[];
  sS: readonly number[];
  dS: readonly number[];
  sO: number;
  dO: number;
}

/** Lines along x, one at a time through a copy of the source line. */
function filterRowsX(pass: AxisPass, n: number, sBox: GridBox): void {
  const { src, out, k, start, tap, index, six, single, lo, hi, sS, dS, sO, dO } = pass;
  const [iLo, iHi] = [lo[0]!, hi[0]!];
  const line = new Float64Array(n);
  for (let z = lo[2]!; z <= hi[2]!; z++)
    for (let y = lo[1]!; y <= hi[1]!; y++) {
      const s0 = sS[1]! * y + sS[2]! * z - sO;
      const d0 = dS[1]! * y + dS[2]! * z - dO;
      for (let i = sBox.lower[0]; i <= sBox.upper[0]; i++) line[i] = src[s0 + i]!;
      for (let i = iLo; i <= iHi; i++) {
        const e0 = start[i]!;
        let acc = 0;
        if (six && start[i + 1]! - e0 === 6) {
          acc += k[tap[e0]!]! * line[index[e0]!]!;
          acc += k[tap[e0 + 1]!]! * line[index[e0 + 1]!]!;
          acc += k[tap[e0 + 2]!]! * line[index[e0 + 2]!]!;
          acc += k[tap[e0 + 3]!]! * line[index[e0 + 3]!]!;
          acc += k[tap[e0 + 4]!]! * line[index[e0 + 4]!]!;
          acc += k[tap[e0 + 5]!]! * line[index[e0 + 5]!]!;
        } else if (single) for (let e = e0; e < start[i + 1]!; e++) acc = Math.fround(acc + Math.fround(k[tap[e]!]! * line[index[e]!]!));
        else for (let e = e0; e < start[i + 1]!; e++) acc += k[tap[e]!]! * line[index[e]!]!;
        out[d0 + i] = acc;
      }
    }
}

/** Lines along y or z: the lines of neighbouring x (x, y) are contiguous and filtered row by row. */
function filterStridedLines(pass: AxisPass, axis: 1 | 2, sN: readonly number[], dN: readonly number[]): void {
  const { src, out, k, start, tap, index, six, single, lo, hi, sS, dS, sO, dO } = pass;
  const [iLo, iHi] = [lo[axis]!, hi[axis]!];
  // Filter whole rows (x runs of the region, one per z for axis y, one per y for axis z, or one
  // run for all y when the rows follow each other in both arrays) at once, each voxel's terms
  // added in the same order.
  const across = axis === 1 ? 2 : 1;
  const segments: number[] = []; // [source offset, output offset, length] of each run, without the axis' own term
  const width = hi[0]! - lo[0]! + 1;
  if (axis === 2 && width === sN[0] && width === dN[0])
    segments.push(sS[1]! * lo[1]! + lo[0]! - sO, dS[1]! * lo[1]! + lo[0]! - dO, width * (hi[1]! - lo[1]! + 1));
  else
    for (let c = lo[across]!; c <= hi[across]!; c++) segments.push(sS[across]! * c + lo[0]! - sO, dS[across]! * c + lo[0]! - dO, width);
  const sA = sS[axis]!;
  const dA = dS[axis]!;
  for (let i = iLo; i <= iHi; i++) {
    const d = i * dA;
    const e0 = start[i]!;
    if (six && start[i + 1]! - e0 === 6) {
      const a0 = index[e0]! * sA;
      const a1 = index[e0 + 1]! * sA;
      const a2 = index[e0 + 2]! * sA;
      const a3 = index[e0 + 3]! * sA;
      const a4 = index[e0 + 4]! * sA;
      const a5 = index[e0 + 5]! * sA;
      const k0 = k[tap[e0]!]!;
      const k1 = k[tap[e0 + 1]!]!;
      const k2 = k[tap[e0 + 2]!]!;
      const k3 = k[tap[e0 + 3]!]!;
      const k4 = k[tap[e0 + 4]!]!;
      const k5 = k[tap[e0 + 5]!]!;
      for (let g = 0; g < segments.length; g += 3) {
        const s = segments[g]!;
        const o = d + segments[g + 1]!;
        const m = segments[g + 2]!;
        for (let t = 0; t < m; t++) {
          let acc = 0;
          acc += k0 * src[a0 + s + t]!;
          acc += k1 * src[a1 + s + t]!;
          acc += k2 * src[a2 + s + t]!;
          acc += k3 * src[a3 + s + t]!;
          acc += k4 * src[a4 + s + t]!;
          acc += k5 * src[a5 + s + t]!;
          out[o + t] = acc;
        }
      }
      continue;
    }
    for (let g = 0; g < segments.length; g += 3) {
      const s = segments[g]!;
      const o = d + segments[g + 1]!;
      const m = segments[g + 2]!;
      out.fill(0, o, o + m);
      for (let e = e0; e < start[i + 1]!; e++) {
        const a = index[e]! * sA + s;
        const kj = k[tap[e]!]!;
        // A Float32Array store rounds the double sum of two floats exactly as float32 addition.
        if (single) for (let t = 0; t < m; t++) out[o + t]! += Math.fround(kj * src[a + t]!);
        else for (let t = 0; t < m; t++) out[o + t]! += kj * src[a + t]!;
      }
    }
  }
}

/** The smallest and largest input index the outputs `lo … hi` read (b < a when they read none). */
function readRange(start: Int32Array, index: Int32Array, lo: number, hi: number): [number, number] {
  let a = Infinity;
  let b = -Infinity;
  for (let e = start[lo]!; e < start[hi + 1]!; e++) {
    if (index[e]! < a) a = index[e]!;
    if (index[e]! > b) b = index[e]!;
  }
  return [a, b];
}

/**
 * The inputs along an axis that the outputs `lo … hi` of `filterAlongAxis` read
 * (as one range; the whole axis when the boundary wraps around).
 */
function inputRange(n: number, L: number, options: AxisFilterOptions, lo: number, hi: number): [number, number] {
  const step = options.step ?? 1;
  const { start, index } = axisTerms(n, L, step, options.shift ?? step * Math.floor(L / 2), options.mode ?? 'periodic');
  const [a, b] = readRange(start, index, lo, hi);
  return b < a ? [lo, hi] : [a, b];
}

export interface UndecimatedLevelOptions {
  /** Axes transformed, in order; sub-band codes have one letter per axis in this order. Default [0, 1, 2] (x, y, z). */
  axes?: ReadonlyArray<0 | 1 | 2>;
  mode?: BoundaryMode;
  /** Tap spacing (à trous dilation) of this level. Default 1. */
  step?: number;
  /** Kernel alignment; default PyWavelets' step·⌊L/2⌋. */
  shift?: number;
  precision?: WaveletPrecision;
  /**
   * Compute the sub-bands only inside this box (inclusive voxel indices), with the same
   * values as without it; the earlier passes cover what the later ones read. The bands
   * then hold this box only (x fastest).
   */
  region?: GridBox;
  /**
   * The box of the grid that `data` holds (default the whole grid); it must hold what the
   * level reads (`levelInputBox`).
   */
  dataBox?: GridBox;
}

/**
 * The passes of one level: their axes, filters, and the output region of each (with a
 * region, from the last backwards each covering the inputs the next one reads; else the
 * whole grid), and the box of the input that the first pass reads.
 */
function levelPasses(size: readonly [number, number, number], bank: FilterBank, options: UndecimatedLevelOptions) {
  const axes = options.axes ?? [0, 1, 2];
  const opts: AxisFilterOptions = {
    step: options.step ?? 1,
    shift: options.shift,
    mode: options.mode ?? 'periodic',
    precision: options.precision,
  };
  const single = options.precision === 'float32';
  const lo = (single && bank.decLo32) || bank.decLo;
  const hi = (single && bank.decHi32) || bank.decHi;
  const whole: GridBox = { lower: [0, 0, 0], upper: [size[0] - 1, size[1] - 1, size[2] - 1] };
  const regions: GridBox[] = axes.map(() => whole);
  let r = options.region ?? whole;
  if (options.region)
    for (let p = axes.length - 1; p >= 0; p--) {
      regions[p] = r;
      const a = axes[p]!;
      const [l1, h1] = inputRange(size[a], lo.length, opts, r.lower[a], r.upper[a]);
      const [l2, h2] = inputRange(size[a], hi.length, opts, r.lower[a], r.upper[a]);
      const lower: Vec3 = [...r.lower];
      const upper: Vec3 = [...r.upper];
      lower[a] = Math.min(l1, l2);
      upper[a] = Math.max(h1, h2);
      r = { lower, upper };
    }
  return { axes, opts, lo, hi, regions, input: r };
}

/** The box of the input that `undecimatedWaveletLevel` reads with these options (the whole grid without a region). */
export function levelInputBox(size: readonly [number, number, number], bank: FilterBank, options: UndecimatedLevelOptions): GridBox {
  return levelPasses(size, bank, options).input;
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
): Map<string, RealArray> {
  const { axes, opts, lo, hi, regions } = levelPasses(size, bank, options);
  let srcBox: GridBox = options.dataBox ?? { lower: [0, 0, 0], upper: [size[0] - 1, size[1] - 1, size[2] - 1] };
  let bands = new Map<string, ArrayLike<number>>([['', data]]);
  axes.forEach((axis, p) => {
    const next = new Map<string, ArrayLike<number>>();
    const o = { ...opts, region: regions[p], srcBox, dstBox: regions[p] };
    for (const [code, x] of bands) {
      next.set(code + 'L', filterAlongAxis(x, size, axis, lo, o));
      next.set(code + 'H', filterAlongAxis(x, size, axis, hi, o));
    }
    bands = next;
    srcBox = regions[p]!;
  });
  return bands as Map<string, RealArray>;
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
  /**
   * Compute the sub-bands only inside this box (inclusive voxel indices), with the
   * whole-image values; the images then hold the box only (`DerivedImage.box`).
   * Single-level transforms from level 1; otherwise the whole image is computed.
   */
  box?: IndexBox;
}

/** Sides padded to even by one wrapped voxel (numpy.pad "wrap" at the end), as PyRadiomics does before swtn. */
const evenSize = (size: Vec3): [number, number, number] => [size[0] + (size[0] % 2), size[1] + (size[1] % 2), size[2] + (size[2] % 2)];

/** The voxels in `box` of the image padded to even sides (`evenSize`), x fastest. */
function paddedBox(data: ArrayLike<number>, size: Vec3, box: GridBox, single: boolean): RealArray {
  const [bx, by, bz] = boxExtent(box);
  const padded = single ? new Float32Array(bx * by * bz) : new Float64Array(bx * by * bz);
  let d = 0;
  for (let z = box.lower[2]; z <= box.upper[2]; z++) {
    const sz = z % size[2];
    for (let y = box.lower[1]; y <= box.upper[1]; y++) {
      const srow = size[0] * (y % size[1] + size[1] * sz);
      for (let x = box.lower[0]; x <= box.upper[0]; x++) padded[d++] = data[srow + (x % size[0])]!;
    }
  }
  return padded;
}

function cropFromEven(src: RealArray, psize: Readonly<Vec3>, size: Vec3): RealArray {
  if (psize[0] === size[0] && psize[1] === size[1] && psize[2] === size[2]) return src;
  const n = size[0] * size[1] * size[2];
  const out = src instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
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
 * order (PyWavelets' axes (2, 1, 0) of the z-y-x numpy array). Like PyWavelets, a
 * float32 image is transformed in float32 arithmetic (float32 results), any other
 * voxel type in float64; the terms are added in PyWavelets' order (bit-identical).
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
  const precision: WaveletPrecision = volume.data instanceof Float32Array ? 'float32' : 'float64';
  const psize = evenSize(volume.size);
  const approxCode = 'L'.repeat(axes.length);
  // only a box: the passes cover what the box reads (padding adds voxels at the ends only, so
  // the box has the same indices in the padded image), from the part of the padded image
  // they read
  const box = options.box && startLevel === 0 && level === 1 ? options.box : undefined;
  const levelOptions: UndecimatedLevelOptions = { axes, mode: 'periodic', precision, region: box };
  const dataBox = levelInputBox(psize, bank, levelOptions);
  let data: RealArray = paddedBox(volume.data, volume.size, dataBox, precision === 'float32');
  for (let l = 0; l < startLevel; l++) {
    data = undecimatedWaveletLevel(data, psize, bank, { axes, mode: 'periodic', precision }).get(approxCode)!;
  }
  const geometry = { spacing: volume.spacing, origin: volume.origin, direction: volume.direction };
  const output = (prefix: string, band: RealArray): DerivedImage =>
    box
      ? { prefix, volume: createVolume(boxExtent(box), { ...boxGeometry(volume, box), data: band }), box }
      : { prefix, volume: createVolume(volume.size, { ...geometry, data: cropFromEven(band, psize, volume.size) }) };
  const images: DerivedImage[] = [];
  for (let l = 0; l < level; l++) {
    const bands = undecimatedWaveletLevel(data, psize, bank, { ...levelOptions, dataBox });
    data = bands.get(approxCode)!;
    for (const [code, band] of bands) {
      if (code === approxCode) continue;
      const prefix = l === 0 ? `wavelet-${code}` : `wavelet${l + 1}-${code}`;
      images.push(output(prefix, band));
    }
  }
  const approxName = level === 1 ? `wavelet-${approxCode}` : `wavelet${level}-${approxCode}`;
  images.push(output(approxName, data));
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
    const lo = box.lower[c]! - reach;
    const hi = box.upper[c]! + reach;
    const whole = lo <= 0 || hi >= volume.size[c]! - 1;
    crop.lower[c] = whole ? 0 : lo;
    crop.upper[c] = whole ? volume.size[c]! - 1 : hi;
  }
  const cropped = cropVolume(volume, crop);
  const [nx, ny] = volume.size;
  const [cx, cy, cz] = cropped.size;
  return pyradiomicsWaveletImages(cropped, { ...options, box: undefined }).map(({ prefix, volume: part }) => {
    const full = part.data instanceof Float32Array ? new Float32Array(volume.data.length) : new Float64Array(volume.data.length);
    full.fill(NaN);
    for (let k = 0; k < cz; k++)
      for (let j = 0; j < cy; j++) {
        const from = cx * (j + cy * k);
        full.set((part.data as RealArray).subarray(from, from + cx), crop.lower[0] + nx * (crop.lower[1] + j + ny * (crop.lower[2] + k)));
      }
    return { prefix, volume: createVolume(volume.size, { spacing: volume.spacing, origin: volume.origin, direction: volume.direction, data: full }) };
  });
}
