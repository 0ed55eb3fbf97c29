import type { Volume } from '../../image/volume.js';
import { boundaryIndex, type BoundaryMode } from '../../util/boundary.js';
import { dimsOf, responseVolume, type FilterBaseOptions } from './common.js';
import { fft1d, fftAxes } from '../../util/fft.js';
import type { Pooling } from './rotations.js';
import { toFloat64, type Dims } from './separable.js';

export interface GaborFilterOptions extends FilterBaseOptions {
  /** Gaussian envelope scale σ (mm). */
  sigma: number;
  /** Wavelength λ (mm). */
  lambda: number;
  /** Spatial aspect ratio γ. */
  gamma: number;
  /** Orientation θ (radians); the first angle when rotation invariant. */
  theta?: number;
  /** Rotation invariance: pool the responses for θ, θ+Δθ, …, over [0, 2π). */
  rotationInvariant?: boolean;
  /** Angular step Δθ (radians) for rotation invariance. */
  thetaStep?: number;
  pooling?: Pooling;
  /**
   * Planes the 2D kernel is applied in: `axial` (i–j plane of every slice k) or
   * `orthogonal` (i–j, i–k and j–k planes, pooled together). Default: orthogonal for a
   * rotation-invariant 3D filter, axial otherwise.
   */
  planes?: 'axial' | 'orthogonal';
  /**
   * Kernel half-width in units of the envelope's longer scale σ·max(1, 1/γ), at most half
   * the plane (the reference implementation's kernel spans the whole plane). Default 5
   * (envelope e^−12.5 there); the phase 1 kernels reach the plane size either way.
   */
  truncate?: number;
}

/**
 * The 2D Gabor kernel of IBSI 2 (manual section 3.4, Q88H) on an m×m grid (m odd),
 * in voxel units: g(u, v) = exp(−(x̃² + γ²ỹ²)/2σ²) · exp(i·2πx̃/λ) with the grid rotated
 * by θ: ỹ = −u·cosθ + v·sinθ, x̃ = u·sinθ + v·cosθ (u along the plane's first (row)
 * axis, v along its second (column) axis). Returned as (re, im) with v fastest.
 */
export function gaborKernel2d(m: number, sigmaVox: number, lambdaVox: number, gamma: number, theta: number): { re: Float64Array; im: Float64Array } {
  const c = (m - 1) / 2;
  const re = new Float64Array(m * m);
  const im = new Float64Array(m * m);
  const ct = Math.cos(theta);
  const st = Math.sin(theta);
  for (let r = 0; r < m; r++) {
    const u = r - c;
    for (let q = 0; q < m; q++) {
      const v = q - c;
      const yt = -u * ct + v * st;
      const xt = u * st + v * ct;
      const env = Math.exp(-(xt * xt + gamma * gamma * yt * yt) / (2 * sigmaVox * sigmaVox));
      const ph = (2 * Math.PI * xt) / lambdaVox;
      re[r * m + q] = env * Math.cos(ph);
      im[r * m + q] = env * Math.sin(ph);
    }
  }
  return { re, im };
}

/** For a stack axis (normal of the plane), the plane's (row, column) axes — the reference implementation's axis roles. */
function planeAxes(stack: 0 | 1 | 2): [0 | 1 | 2, 0 | 1 | 2] {
  if (stack === 2) return [1, 0]; // i–j plane: rows along j, columns along i
  if (stack === 1) return [2, 0]; // i–k plane: rows along k, columns along i
  return [2, 1]; // j–k plane: rows along k, columns along j
}

/**
 * Modulus of the Gabor response for each angle, summed (mean pooling) or maxed over
 * angles and planes. The image is padded by half the kernel on both in-plane axes with
 * the boundary condition, so the FFT product is an exact linear convolution.
 * The kernel spans the whole plane (m = 2⌊n/2⌋ + 1, n the larger in-plane size) unless
 * `truncate` makes it smaller.
 * Angles θ and θ+π give identical moduli (the kernel becomes its conjugate), so each
 * such pair is computed once.
 */
export function gaborFilterData(
  x: Float64Array,
  dims: Dims,
  spacing: readonly number[],
  opts: {
    sigma: number;
    lambda: number;
    gamma: number;
    thetas: number[];
    boundary: BoundaryMode;
    stacks: (0 | 1 | 2)[];
    pooling: Pooling;
    truncate?: number;
  },
): Float64Array {
  if (!(opts.sigma > 0) || !(opts.lambda > 0) || !(opts.gamma > 0)) {
    throw new Error(`Gabor filter: sigma, lambda and gamma must be positive (got ${opts.sigma}, ${opts.lambda}, ${opts.gamma})`);
  }
  // Group angles that differ by π: identical modulus.
  const groups: { theta: number; count: number }[] = [];
  for (const t of opts.thetas) {
    const g = groups.find((q) => {
      const d = Math.abs(((((t - q.theta) % Math.PI) + Math.PI) % Math.PI));
      return d < 1e-9 || Math.PI - d < 1e-9;
    });
    if (g) g.count++;
    else groups.push({ theta: t, count: 1 });
  }
  const out = new Float64Array(x.length);
  if (opts.pooling === 'max' || opts.pooling === 'min') out.fill(opts.pooling === 'max' ? -Infinity : Infinity);
  let total = 0;
  const [nx, ny] = dims;
  const strides = [1, nx, nx * ny];
  for (const s of opts.stacks) {
    const [ra, ca] = planeAxes(s);
    const nr = dims[ra];
    const nc = dims[ca];
    const ns = dims[s];
    const spacingPlane = Math.max(spacing[ra]!, spacing[ca]!);
    const sigmaVox = opts.sigma / spacingPlane;
    const lambdaVox = opts.lambda / spacingPlane;
    let pad = Math.floor(Math.max(nr, nc) / 2);
    if (opts.truncate !== undefined) pad = Math.min(pad, Math.ceil(opts.truncate * sigmaVox * Math.max(1, 1 / opts.gamma)));
    const m = 2 * pad + 1;
    // FFT lengths: at least n + 2·pad (so the circular product is a linear convolution), rounded up to a power of two.
    const pr = nextPowerOfTwo(nr + 2 * pad);
    const pc = nextPowerOfTwo(nc + 2 * pad);
    const plane = pr * pc;
    // Kernel spectra of every angle group, centred at index 0 (wrapped) so output index = padded input index.
    const kernels = groups.map((g) => {
      const k = gaborKernel2d(m, sigmaVox, lambdaVox, opts.gamma, g.theta);
      const kre = new Float64Array(plane);
      const kim = new Float64Array(plane);
      for (let r = 0; r < m; r++) {
        const rr = (r - pad + pr) % pr;
        for (let q = 0; q < m; q++) {
          const qq = (q - pad + pc) % pc;
          kre[rr * pc + qq] = k.re[r * m + q]!;
          kim[rr * pc + qq] = k.im[r * m + q]!;
        }
      }
      fftAxes(kre, kim, [pc, pr], [0, 1]);
      return { re: kre, im: kim, count: g.count };
    });
    // One slice at a time (memory stays at a few planes): pad, FFT, then per angle multiply, inverse FFT, pool the modulus.
    const sre = new Float64Array(plane);
    const sim = new Float64Array(plane);
    const wre = new Float64Array(plane);
    const wim = new Float64Array(plane);
    const rowSrc = Int32Array.from({ length: pr }, (_, r) => boundaryIndex(r - pad, nr, opts.boundary));
    const colSrc = Int32Array.from({ length: pc }, (_, q) => boundaryIndex(q - pad, nc, opts.boundary));
    for (let z = 0; z < ns; z++) {
      for (let r = 0; r < pr; r++) {
        const rs = rowSrc[r]!;
        for (let q = 0; q < pc; q++) {
          const cs = colSrc[q]!;
          sre[r * pc + q] = rs < 0 || cs < 0 ? 0 : x[z * strides[s]! + rs * strides[ra]! + cs * strides[ca]!]!;
        }
      }
      sim.fill(0);
      fftAxes(sre, sim, [pc, pr], [0, 1]);
      for (const k of kernels) {
        for (let t = 0; t < plane; t++) {
          const ar = sre[t]!;
          const ai = sim[t]!;
          wre[t] = ar * k.re[t]! - ai * k.im[t]!;
          wim[t] = ar * k.im[t]! + ai * k.re[t]!;
        }
        inverseCropped(wre, wim, pc, pr, 1, pad, nc);
        for (let r = 0; r < nr; r++) {
          for (let q = 0; q < nc; q++) {
            const t = (r + pad) * pc + (q + pad);
            const mod = Math.sqrt(wre[t]! * wre[t]! + wim[t]! * wim[t]!);
            const dst = z * strides[s]! + r * strides[ra]! + q * strides[ca]!;
            if (opts.pooling === 'mean') out[dst]! += k.count * mod;
            else if (opts.pooling === 'max') out[dst] = Math.max(out[dst]!, mod);
            else out[dst] = Math.min(out[dst]!, mod);
          }
        }
      }
    }
    for (const g of groups) total += g.count;
  }
  if (opts.pooling === 'mean') for (let n = 0; n < out.length; n++) out[n]! /= total;
  return out;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

/**
 * Inverse 2D FFT of a stack of [col, row] planes, computing only the columns the
 * cropped output needs in the second (row-direction) pass.
 */
function inverseCropped(re: Float64Array, im: Float64Array, pc: number, pr: number, ns: number, pad: number, nc: number): void {
  fftAxes(re, im, [pc, pr, ns], [0], true);
  const lr = new Float64Array(pr);
  const li = new Float64Array(pr);
  for (let z = 0; z < ns; z++) {
    const o = z * pc * pr;
    for (let q = pad; q < pad + nc; q++) {
      for (let r = 0, p = o + q; r < pr; r++, p += pc) {
        lr[r] = re[p]!;
        li[r] = im[p]!;
      }
      fft1d(lr, li, true);
      for (let r = 0, p = o + q; r < pr; r++, p += pc) {
        re[p] = lr[r]!;
        im[p] = li[r]!;
      }
    }
  }
}

/** Angles θ0, θ0+Δθ, … covering [0, 2π) (IBSI 2: rotation invariance of the 2D Gabor filter). */
export function gaborAngles(theta0: number, step: number): number[] {
  if (!(step > 0)) throw new Error(`Gabor filter: theta step must be positive, got ${step}`);
  const n = Math.round((2 * Math.PI) / step);
  if (Math.abs(n * step - 2 * Math.PI) > 1e-6) throw new Error(`Gabor filter: theta step ${step} does not divide 2π`);
  return Array.from({ length: n }, (_, t) => theta0 + t * step);
}

export function gaborFilter(vol: Volume, opts: GaborFilterOptions): Volume {
  const rot = opts.rotationInvariant ?? false;
  const dimensions = opts.dimensions ?? 3;
  const planes = opts.planes ?? (rot && dimensions === 3 ? 'orthogonal' : 'axial');
  if (planes === 'orthogonal' && dimensions === 2) throw new Error('Gabor filter: orthogonal planes need dimensions=3');
  const thetas = rot ? gaborAngles(opts.theta ?? 0, opts.thetaStep ?? Math.PI / 4) : [opts.theta ?? 0];
  const data = gaborFilterData(toFloat64(vol.data), dimsOf(vol), vol.spacing, {
    sigma: opts.sigma,
    lambda: opts.lambda,
    gamma: opts.gamma,
    thetas,
    boundary: opts.boundary ?? 'mirror',
    stacks: planes === 'orthogonal' ? [2, 1, 0] : [2],
    pooling: opts.pooling ?? 'mean',
    truncate: opts.truncate ?? 5,
  });
  return responseVolume(vol, data);
}
