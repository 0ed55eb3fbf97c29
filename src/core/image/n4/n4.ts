/**
 * N4 bias-field correction (Tustison et al., "N4ITK: Improved N3 Bias
 * Correction", IEEE TMI 29(6), 2010), following ITK's
 * N4BiasFieldCorrectionImageFilter:
 *
 *   v = log(input) (voxels in the mask with input > 0),  b = 0
 *   for each fitting level:
 *     repeat until the bias-field change converges or the level's iterations run out:
 *       sharpen the histogram of v − b  →  û            (Wiener deconvolution, sharpen.ts)
 *       fit a cubic B-spline lattice to the residual (v − b) − û and add it to b's lattice
 *       convergence = coefficient of variation of exp(b_old − b_new) in the mask
 *     refine the lattice (twice the knot spans) unless this was the last level
 *   corrected = input / exp(b)
 *
 * Defaults are ITK / SimpleITK's: 4 levels × 50 iterations, convergence 0.001,
 * 4 control points, spline order 3, 200 histogram bins, FWHM 0.15, Wiener
 * noise 0.01. An optional shrink factor runs the fit on a subsampled grid and
 * evaluates the fitted lattice at full resolution (as ANTs and 3D Slicer do).
 */
import type { Vec3, Volume } from '../volume.js';
import { indexToPhysical } from '../volume.js';
import { sharpeningMap, type SharpeningMap } from './sharpen.js';
import {
  axisBasis,
  clampParametric,
  contractYZ,
  evaluateLattice,
  finishScatter,
  latticeFromSums,
  type AxisBasis,
  type LatticeFit,
  prepareLatticeFit,
  refineLattice,
  type Size3,
} from './bspline-lattice.js';

export interface N4Options {
  /** Voxels used for the estimate; default every voxel. */
  mask?: Volume;
  /** Mask value that marks included voxels; default: any non-zero value (ITK's UseMaskLabel off). */
  maskLabel?: number;
  /** Iterations per fitting level; its length is the number of levels. Default [50, 50, 50, 50]. */
  maximumIterations?: number[];
  /** Stop a level when the CV of the bias-field change falls to this; default 0.001. */
  convergenceThreshold?: number;
  /** Control points per axis at the first level (≥ 4); default [4, 4, 4]. */
  controlPoints?: [number, number, number];
  histogramBins?: number;
  biasFieldFwhm?: number;
  wienerNoise?: number;
  /** Subsample the grid by this integer factor for fitting; default 1. */
  shrinkFactor?: number;
}

export interface N4Record {
  step: 'n4';
  maximumIterations: number[];
  convergenceThreshold: number;
  controlPoints: [number, number, number];
  splineOrder: 3;
  histogramBins: number;
  biasFieldFwhm: number;
  wienerNoise: number;
  shrinkFactor: number;
  masked: boolean;
  maskLabel: number | null;
  /** Iterations run at each level and the last convergence value of each. */
  iterations: number[];
  convergence: number[];
  /** Control points per axis of the final lattice. */
  finalControlPoints: [number, number, number];
}

export interface N4Result {
  /** input / bias field, float32. */
  corrected: Volume;
  /** The multiplicative bias field exp(b), float32, on the input grid. */
  biasField: Volume;
  record: N4Record;
}

/** Index of voxel (i, j, k) taken from the full grid for output index (a, b, c) when shrinking by f. */
function shrinkOffset(f: number): number {
  return Math.floor((f - 1) / 2);
}

function shrink(vol: Volume, f: number): Volume {
  if (f === 1) return vol;
  const size = vol.size.map((n) => Math.max(1, Math.floor(n / f))) as Vec3;
  const o = shrinkOffset(f);
  const [nx, ny] = vol.size;
  const data = new Float64Array(size[0] * size[1] * size[2]);
  let v = 0;
  for (let k = 0; k < size[2]; k++)
    for (let j = 0; j < size[1]; j++)
      for (let i = 0; i < size[0]; i++, v++) data[v] = vol.data[i * f + o + nx * (j * f + o + ny * (k * f + o))]!;
  return {
    size,
    spacing: vol.spacing.map((s) => s * f) as Vec3,
    origin: indexToPhysical(vol, o, o, o),
    direction: Float64Array.from(vol.direction),
    data,
  };
}

/** Run N4 and return the corrected image, the bias field and the record of what was done. */
export function n4BiasFieldCorrection(image: Volume, opts: N4Options = {}): N4Result {
  const maximumIterations = opts.maximumIterations ?? [50, 50, 50, 50];
  const convergenceThreshold = opts.convergenceThreshold ?? 0.001;
  const controlPoints = opts.controlPoints ?? [4, 4, 4];
  const histogramBins = opts.histogramBins ?? 200;
  const biasFieldFwhm = opts.biasFieldFwhm ?? 0.15;
  const wienerNoise = opts.wienerNoise ?? 0.01;
  const shrinkFactor = opts.shrinkFactor ?? 1;
  if (maximumIterations.length === 0) throw new Error('n4: maximumIterations needs at least one level');
  if (controlPoints.some((c) => !Number.isInteger(c) || c < 4)) throw new Error(`n4: controlPoints ${controlPoints.join(',')} must be integers ≥ 4 (spline order 3)`);
  if (!Number.isInteger(shrinkFactor) || shrinkFactor < 1) throw new Error(`n4: shrink factor ${shrinkFactor} must be a positive integer`);
  if (opts.mask && opts.mask.data.length !== image.data.length) {
    throw new Error(`n4: mask has ${opts.mask.data.length} voxels, image ${image.data.length}: resample the mask onto the image grid first`);
  }
  const label = opts.maskLabel;
  const small = shrink(image, shrinkFactor);
  const smallMask = opts.mask ? shrink(opts.mask, shrinkFactor) : undefined;
  const size = small.size as Size3;
  if (size.some((n) => n < 2)) throw new Error(`n4: image ${image.size.join('×')} is too small (after shrinking by ${shrinkFactor}) for a 3-D fit`);
  const nvox = small.data.length;

  // included voxels and the log image (ITK: only included voxels with value > 0 are logged)
  const included = new Uint8Array(nvox);
  const logInput = new Float64Array(nvox);
  let count = 0;
  for (let v = 0; v < nvox; v++) {
    const m = smallMask ? smallMask.data[v] : 1;
    const inc = label === undefined ? m !== 0 : m === label;
    const x = small.data[v]!;
    if (inc) {
      included[v] = 1;
      count++;
      logInput[v] = x > 0 ? Math.log(x) : x;
    } else logInput[v] = x;
  }
  if (count === 0) throw new Error('n4: the mask selects no voxels');
  const indices = new Int32Array(count);
  for (let v = 0, q = 0; v < nvox; v++) if (included[v]) indices[q++] = v;

  let C: Size3 = [...controlPoints];
  let lattice: Float64Array | null = null;
  const logBias = new Float64Array(nvox); // valid at included voxels during the iterations
  const logUncorrected = Float64Array.from(logInput);
  const iterations: number[] = [];
  const convergence: number[] = [];
  const levels = maximumIterations.length;
  const sharpen = { histogramBins, fwhm: biasFieldFwhm, wienerNoise };
  let range: [number, number] | undefined;

  for (let level = 0; level < levels; level++) {
    const fit = prepareLatticeFit(size, C, included);
    let it = 0;
    let cv = Infinity;
    while (it < maximumIterations[level]! && cv > convergenceThreshold) {
      it++;
      // residual bias = (v − b) − E[u | v − b] (Tustison et al. 2010, eq. 5), fitted in the same pass
      const map = sharpeningMap(logUncorrected, indices, sharpen, range);
      const phi = map ? fitResidual(logUncorrected, included, map, fit) : new Float64Array(C[0] * C[1] * C[2]);
      if (lattice) for (let n = 0; n < phi.length; n++) lattice[n]! += phi[n]!;
      else lattice = phi;
      const u = updateBias(lattice, C, fit.basis, included, logBias, logInput, logUncorrected);
      cv = u.cv;
      range = [u.lo, u.hi];
    }
    iterations.push(it);
    convergence.push(cv);
    if (level < levels - 1 && lattice) {
      const r = refineLattice(lattice, C);
      lattice = r.phi;
      C = r.C;
    }
  }

  // evaluate the final lattice on the full-resolution grid
  const full = image.size;
  const bases = [0, 1, 2].map((a) => {
    const spans = C[a]! - 3;
    const o = shrinkOffset(shrinkFactor);
    const u = new Float64Array(full[a]!);
    // full index i sits at shrunken continuous index (i − o)/f, parametric u = spans·that/(n_small − 1)
    for (let i = 0; i < full[a]!; i++) u[i] = (spans * ((i - o) / shrinkFactor)) / (size[a]! - 1);
    return axisBasis(clampParametric(u, spans, (spans / (size[a]! - 1)) * 1e-3));
  }) as Parameters<typeof evaluateLattice>[2];
  const logField = evaluateLattice(lattice as Float64Array, C, bases);
  const corrected = new Float32Array(image.data.length);
  const bias = new Float32Array(image.data.length);
  for (let v = 0; v < image.data.length; v++) {
    const b = Math.exp(logField[v]!);
    bias[v] = b;
    corrected[v] = image.data[v]! / b;
  }
  const geometry = { size: [...image.size] as Vec3, spacing: [...image.spacing] as Vec3, origin: [...image.origin] as Vec3 };
  return {
    corrected: { ...geometry, direction: Float64Array.from(image.direction), data: corrected, metadata: image.metadata ? { ...image.metadata } : undefined },
    biasField: { ...geometry, direction: Float64Array.from(image.direction), data: bias },
    record: {
      step: 'n4',
      maximumIterations: [...maximumIterations],
      convergenceThreshold,
      controlPoints: [...controlPoints],
      splineOrder: 3,
      histogramBins,
      biasFieldFwhm,
      wienerNoise,
      shrinkFactor,
      masked: !!opts.mask,
      maskLabel: opts.mask ? (label ?? null) : null,
      iterations,
      convergence,
      finalControlPoints: [...C],
    },
  };
}

/**
 * Evaluate the bias lattice at the included voxels and, in the same pass,
 * update the uncorrected image (logInput − b), the log-intensity range for the
 * next histogram, and ITK's convergence measure: σ/μ of exp(b_old − b_new) over
 * the included voxels (σ with n − 1).
 */
function updateBias(
  lattice: Float64Array,
  C: Size3,
  basis: [AxisBasis, AxisBasis, AxisBasis],
  included: Uint8Array,
  logBias: Float64Array,
  logInput: Float64Array,
  logUncorrected: Float64Array,
): { cv: number; lo: number; hi: number } {
  const [bx, by, bz] = basis;
  const nx = bx.start.length;
  const rows = by.start.length * bz.start.length;
  const cx = C[0];
  const b = contractYZ(lattice, C, by, bz);
  const xs = bx.start;
  const xw = bx.w;
  let sd = 0;
  let sdd = 0;
  let n = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let v = 0;
  for (let row = 0; row < rows; row++) {
    const src = row * cx;
    for (let i = 0; i < nx; i++, v++) {
      if (!included[v]) continue;
      const s = src + xs[i]!;
      const w = 4 * i;
      const nb = xw[w]! * b[s]! + xw[w + 1]! * b[s + 1]! + xw[w + 2]! * b[s + 2]! + xw[w + 3]! * b[s + 3]!;
      // d = exp(b_old − b_new) − 1 is small, so plain sums of d and d² lose nothing
      const e = logBias[v]! - nb;
      // Taylor series of expm1 for small changes (error < 2e-13 for |e| < 0.05): Math.expm1 dominates the pass otherwise
      const d = e > -0.05 && e < 0.05 ? e * (1 + e * (1 / 2 + e * (1 / 6 + e * (1 / 24 + e * (1 / 120 + e / 720))))) : Math.expm1(e);
      logBias[v] = nb;
      const u = logInput[v]! - nb;
      logUncorrected[v] = u;
      if (u < lo) lo = u;
      if (u > hi) hi = u;
      n++;
      sd += d;
      sdd += d * d;
    }
  }
  const mu = 1 + sd / n;
  const sigma = Math.sqrt(Math.max(0, sdd - (sd * sd) / n) / (n - 1));
  return { cv: sigma / mu, lo, hi };
}

/**
 * Fit the lattice to the residual r = x − E[u | x] of the included voxels
 * (x = current log uncorrected intensity), computing r on the fly inside the
 * x stage of the separable scatter (same sums as fitLattice on the residual image).
 */
function fitResidual(logUncorrected: Float64Array, included: Uint8Array, map: SharpeningMap, fit: LatticeFit): Float64Array {
  const [nx, ny, nz] = fit.size;
  const cx = fit.C[0];
  const [isx, isy, isz] = fit.invS2;
  const bx = fit.cubed[0];
  const xs = bx.start;
  const xw = bx.w;
  const E = map.E;
  const last = E.length - 1;
  const lo = map.lo;
  const inv = 1 / map.slope;
  const t1 = new Float64Array(nz * ny * cx);
  let v = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const row = (k * ny + j) * cx;
      const fjk = isy[j]! * isz[k]!;
      for (let i = 0; i < nx; i++, v++) {
        if (!included[v]) continue;
        const x = logUncorrected[v]!;
        const c = (x - lo) * inv;
        const b = c | 0; // c ≥ 0
        const r = x - (b < last ? E[b]! + (E[b + 1]! - E[b]!) * (c - b) : E[last]!);
        if (r === 0) continue;
        const q = r * isx[i]! * fjk;
        const s = row + xs[i]!;
        const w = 4 * i;
        t1[s]! += q * xw[w]!;
        t1[s + 1]! += q * xw[w + 1]!;
        t1[s + 2]! += q * xw[w + 2]!;
        t1[s + 3]! += q * xw[w + 3]!;
      }
    }
  }
  return latticeFromSums(finishScatter(t1, fit.size, fit.C, fit.cubed[1], fit.cubed[2]), fit.omega);
}
