/**
 * Resampling of volumes onto new voxel grids.
 *
 * Two grid conventions are offered:
 * - `pyradiomics`: PyRadiomics' `imageoperations.resampleImage` (v3.1): the new
 *   grid's corner coincides with the original grid's corner, and with a mask the
 *   grid is cropped to the label's bounding box plus `padDistance` new voxels.
 *   Values follow SimpleITK's ResampleImageFilter: points outside the input
 *   (continuous index outside [−0.5, n − 0.5)) get the default value 0, and the
 *   result is cast back to the input pixel type (clamped, truncated towards zero,
 *   as ITK's `static_cast`).
 * - `ibsi`: IBSI 1 reference manual §2.4 (image interpolation): the centres of the
 *   original and the new grid are aligned and the new size is
 *   ceil(original extent / new spacing); values are extrapolated at the edges,
 *   intensities are optionally rounded, and masks are interpolated as partial
 *   volumes and thresholded (default 0.5).
 *
 * Interpolators: nearest neighbour (ITK's round-half-up), (tri)linear and cubic
 * B-spline. The B-spline follows ITK's BSplineInterpolateImageFunction (order 3):
 * the image is first turned into B-spline coefficients by the recursive
 * prefilter of Unser (1993, 1999) with mirror boundaries
 * (BSplineDecompositionImageFilter), then each point is the weighted sum of the
 * 4×4×4 coefficients around it.
 */
import type { Vec3, Volume, VoxelArray } from './volume.js';
import { indexToPhysical, physicalToIndex } from './volume.js';
import { cropVolume, labelBoundingBox, type IndexBox } from './crop.js';

export type Interpolator = 'nearest' | 'linear' | 'bspline';
export type GridConvention = 'pyradiomics' | 'ibsi';

/** A voxel grid without data. */
export interface Grid {
  size: Vec3;
  spacing: Vec3;
  origin: Vec3;
  direction: ArrayLike<number>;
}

export interface ResampleToGridOptions {
  /** Default 'linear'. */
  interpolator?: Interpolator;
  /**
   * 'itk' (default): points outside the input grid (continuous index outside
   * [−0.5, n − 0.5) on some axis) get `defaultValue`, as ITK's ResampleImageFilter.
   * 'extrapolate': every point is interpolated, with edge voxels repeated
   * (nearest, linear) or mirrored coefficients (B-spline).
   */
  boundary?: 'itk' | 'extrapolate';
  /** Value of points outside the input in 'itk' mode; default 0. */
  defaultValue?: number;
  /**
   * Voxel type of the result: 'input' (default) casts to the input's type like
   * ITK (clamp to the type's range, truncate towards zero for integer types);
   * 'float32' / 'float64' keep the interpolated values.
   */
  outputType?: 'input' | 'float32' | 'float64';
}

const TYPE_RANGE: Record<string, [number, number]> = {
  Int8Array: [-128, 127],
  Uint8Array: [0, 255],
  Int16Array: [-32768, 32767],
  Uint16Array: [0, 65535],
  Int32Array: [-2147483648, 2147483647],
  Uint32Array: [0, 4294967295],
};

function newArrayLike(kind: VoxelArray, n: number): VoxelArray {
  const Ctor = kind.constructor as new (n: number) => VoxelArray;
  return new Ctor(n);
}

/** The grid of a volume (copy). */
export function gridOf(v: Volume): Grid {
  return {
    size: [...v.size] as Vec3,
    spacing: [...v.spacing] as Vec3,
    origin: [...v.origin] as Vec3,
    direction: Float64Array.from(v.direction),
  };
}

// ---------------------------------------------------------------------------
// B-spline prefilter (ITK BSplineDecompositionImageFilter, order 3)

/** Pole of the cubic B-spline prefilter, z = √3 − 2 (Unser 1993, Part II, Table I). */
const CUBIC_POLE = Math.sqrt(3) - 2;
/** ITK's default tolerance for the truncated causal initialisation sum. */
const PREFILTER_TOLERANCE = 1e-10;

/** In-place 1-D cubic B-spline prefilter with mirror boundaries (Unser 1999, Box 2). */
function prefilterLine(c: Float64Array, n: number): void {
  if (n === 1) return; // mirror boundaries need two samples; ITK leaves the line as is
  const z = CUBIC_POLE;
  const gain = (1 - z) * (1 - 1 / z); // = 6 for the cubic spline
  for (let i = 0; i < n; i++) c[i]! *= gain;
  // causal initialisation: c+(0) = Σ z^k c(k), truncated where z^k < tolerance
  const horizon = Math.ceil(Math.log(PREFILTER_TOLERANCE) / Math.log(Math.abs(z)));
  if (horizon < n) {
    let zn = z;
    let sum = c[0]!;
    for (let k = 1; k < horizon; k++) {
      sum += zn * c[k]!;
      zn *= z;
    }
    c[0] = sum;
  } else {
    // full mirror-symmetric sum (exact for short lines)
    let zn = z;
    const iz = 1 / z;
    let z2n = Math.pow(z, n - 1);
    let sum = c[0]! + z2n * c[n - 1]!;
    z2n *= z2n * iz;
    for (let k = 1; k <= n - 2; k++) {
      sum += (zn + z2n) * c[k]!;
      zn *= z;
      z2n *= iz;
    }
    c[0] = sum / (1 - zn * zn);
  }
  for (let i = 1; i < n; i++) c[i]! += z * c[i - 1]!;
  // anti-causal initialisation for mirror boundaries (Unser 1999, with its erratum)
  c[n - 1] = (z / (z * z - 1)) * (z * c[n - 2]! + c[n - 1]!);
  for (let i = n - 2; i >= 0; i--) c[i] = z * (c[i + 1]! - c[i]!);
}

/**
 * Cubic B-spline coefficients of a volume (double precision), filtering along
 * x, then y, then z, as ITK's BSplineDecompositionImageFilter. The plain
 * whole-volume form; `bsplineCoefficientsInBox` gives the same numbers for a
 * part of the volume at a fraction of the cost.
 */
export function bsplineCoefficients(vol: Volume): Float64Array {
  const [nx, ny, nz] = vol.size;
  const c = Float64Array.from(vol.data);
  const line = new Float64Array(Math.max(nx, ny, nz));
  const dims = [nx, ny, nz];
  const strides = [1, nx, nx * ny];
  for (let axis = 0; axis < 3; axis++) {
    const n = dims[axis]!;
    const s = strides[axis]!;
    // iterate over all lines along `axis`
    const a1 = axis === 0 ? 1 : 0;
    const a2 = axis === 2 ? 1 : 2;
    for (let q = 0; q < dims[a2]!; q++) {
      for (let p = 0; p < dims[a1]!; p++) {
        const base = p * strides[a1]! + q * strides[a2]!;
        for (let i = 0; i < n; i++) line[i] = c[base + i * s]!;
        prefilterLine(line, n);
        for (let i = 0; i < n; i++) c[base + i * s] = line[i]!;
      }
    }
  }
  return c;
}

/** Rows along x prefiltered together. */
const X_ROWS = 16;

/**
 * `prefilterLine` on `count` lines side by side: line p has its samples at
 * c[base + p + i·s], i = 0 … n − 1. Every line goes through exactly the
 * operations of `prefilterLine`, in the same order (so the same bits); running
 * them together walks memory row by row instead of with stride s, and the
 * lines' recursions interleave. `acc` is scratch of length ≥ count. With
 * `from` > 0 the final (anti-causal) sweep stops there: samples from `from` on
 * are final, those before it are left half-filtered.
 */
function prefilterLines(c: Float64Array, base: number, count: number, n: number, s: number, acc: Float64Array, from = 0): void {
  if (n === 1) return;
  const z = CUBIC_POLE;
  const gain = (1 - z) * (1 - 1 / z);
  const last = base + (n - 1) * s;
  for (let o = base; o <= last; o += s) for (let p = 0; p < count; p++) c[o + p]! *= gain;
  const horizon = Math.ceil(Math.log(PREFILTER_TOLERANCE) / Math.log(Math.abs(z)));
  if (horizon < n) {
    for (let p = 0; p < count; p++) acc[p] = c[base + p]!;
    let zn = z;
    for (let k = 1; k < horizon; k++) {
      const o = base + k * s;
      for (let p = 0; p < count; p++) acc[p]! += zn * c[o + p]!;
      zn *= z;
    }
    for (let p = 0; p < count; p++) c[base + p] = acc[p]!;
  } else {
    let zn = z;
    const iz = 1 / z;
    let z2n = Math.pow(z, n - 1);
    for (let p = 0; p < count; p++) acc[p] = c[base + p]! + z2n * c[last + p]!;
    z2n *= z2n * iz;
    for (let k = 1; k <= n - 2; k++) {
      const o = base + k * s;
      const w = zn + z2n;
      for (let p = 0; p < count; p++) acc[p]! += w * c[o + p]!;
      zn *= z;
      z2n *= iz;
    }
    const d = 1 - zn * zn;
    for (let p = 0; p < count; p++) c[base + p] = acc[p]! / d;
  }
  for (let o = base + s; o <= last; o += s) for (let p = 0; p < count; p++) c[o + p]! += z * c[o - s + p]!;
  const f = z / (z * z - 1);
  for (let p = 0; p < count; p++) c[last + p] = f * (z * c[last - s + p]! + c[last + p]!);
  const stop = base + from * s;
  for (let o = last - s; o >= stop; o -= s) for (let p = 0; p < count; p++) c[o + p] = z * (c[o + s + p]! - c[o + p]!);
}

/**
 * The cubic B-spline coefficients of the voxels inside `box` (inclusive), x
 * fastest, bit for bit those of `bsplineCoefficients(vol)` there. The
 * prefilter is a recursive filter over whole lines (each coefficient depends
 * on the whole line, and ITK starts each line at the image edge), so every
 * pass still runs over whole lines — but only over the lines a later pass or
 * the box needs: x over the whole volume (keeping the box's columns), y over
 * those columns, z over those columns and the box's rows. For a tumour box in a
 * large image this is ⅓–½ of the work of the whole-volume prefilter, with
 * identical results (no margin or truncation involved).
 */
export function bsplineCoefficientsInBox(vol: Volume, box: IndexBox): Float64Array {
  const [nx, ny, nz] = vol.size;
  for (let c = 0; c < 3; c++) {
    if (box.lower[c]! < 0 || box.upper[c]! >= vol.size[c]! || box.lower[c]! > box.upper[c]!) {
      throw new Error(`bsplineCoefficientsInBox: box ${box.lower.join(',')}…${box.upper.join(',')} is outside the volume ${vol.size.join('×')}`);
    }
  }
  const [x0, y0, z0] = box.lower;
  const cx = box.upper[0] - x0 + 1;
  const cy = box.upper[1] - y0 + 1;
  const cz = box.upper[2] - z0 + 1;
  const src = vol.data;
  // x: every line of the volume, keeping the box's columns; X_ROWS rows at a time side by side
  // (sample i of row t at i·w + t) so that their recursions interleave
  const a = new Float64Array(cx * ny * nz);
  const rows = ny * nz;
  const tile = new Float64Array(nx * X_ROWS);
  const acc = new Float64Array(Math.max(cx, X_ROWS));
  for (let r0 = 0; r0 < rows; r0 += X_ROWS) {
    const w = Math.min(X_ROWS, rows - r0);
    for (let t = 0; t < w; t++) {
      const off = (r0 + t) * nx;
      for (let i = 0; i < nx; i++) tile[i * w + t] = src[off + i]!;
    }
    prefilterLines(tile, 0, w, nx, w, acc, x0);
    for (let t = 0; t < w; t++) {
      const o = (r0 + t) * cx;
      for (let i = 0; i < cx; i++) a[o + i] = tile[(x0 + i) * w + t]!;
    }
  }
  // y: whole lines in those columns, slice by slice
  for (let k = 0; k < nz; k++) prefilterLines(a, k * cx * ny, cx, ny, cx, acc);
  // z: whole lines in those columns, on the box's rows only
  for (let j = y0; j <= box.upper[1]; j++) prefilterLines(a, j * cx, cx, nz, cx * ny, acc);
  const out = new Float64Array(cx * cy * cz);
  for (let k = 0; k < cz; k++) {
    for (let j = 0; j < cy; j++) {
      const from = cx * (y0 + j + ny * (z0 + k));
      out.set(a.subarray(from, from + cx), cx * (j + cy * k));
    }
  }
  return out;
}

/** Mirror an index into [0, n − 1] as ITK's ApplyMirrorBoundaryConditions (one reflection), then clamp. */
function mirrorIndex(i: number, n: number): number {
  if (n === 1) return 0;
  if (i < 0) i = -i;
  if (i > n - 1) i = 2 * (n - 1) - i;
  return i < 0 ? 0 : i > n - 1 ? n - 1 : i;
}

/** Cubic B-spline weights and first index for continuous index x (ITK SetInterpolationWeights, order 3). */
function cubicSupport(x: number, w: Float64Array, o: number): number {
  // ITK casts the continuous index to float before flooring
  const i0 = Math.floor(Math.fround(x)) - 1;
  const t = x - (i0 + 1);
  const w3 = (t * t * t) / 6;
  const w0 = 1 / 6 + 0.5 * t * (t - 1) - w3;
  const w2 = t + w0 - 2 * w3;
  w[o] = w0;
  w[o + 1] = 1 - w0 - w2 - w3;
  w[o + 2] = w2;
  w[o + 3] = w3;
  return i0;
}

// ---------------------------------------------------------------------------
// Generic resampling onto a grid

/**
 * Resample `vol` onto `grid` by physical position (identity transform): each
 * output voxel centre is mapped to the input's continuous index and
 * interpolated there.
 */
export function resampleToGrid(vol: Volume, grid: Grid, opts: ResampleToGridOptions = {}): Volume {
  const interpolator = opts.interpolator ?? 'linear';
  const boundary = opts.boundary ?? 'itk';
  const defaultValue = opts.defaultValue ?? 0;
  const outputType = opts.outputType ?? 'input';
  const [nx, ny, nz] = vol.size;
  const nxy = nx * ny;
  const [mx, my, mz] = grid.size;
  const out: VoxelArray =
    outputType === 'float32' ? new Float32Array(mx * my * mz) : outputType === 'float64' ? new Float64Array(mx * my * mz) : newArrayLike(vol.data, mx * my * mz);
  const range = outputType === 'input' ? TYPE_RANGE[vol.data.constructor.name] : undefined;
  const src = vol.data;
  const outVol: Volume = {
    size: [...grid.size] as Vec3,
    spacing: [...grid.spacing] as Vec3,
    origin: [...grid.origin] as Vec3,
    direction: Float64Array.from(grid.direction),
    data: out,
    metadata: vol.metadata ? { ...vol.metadata } : undefined,
  };
  const wx = new Float64Array(4);
  const wy = new Float64Array(4);
  const wz = new Float64Array(4);
  const ix = new Int32Array(4);
  const iy = new Int32Array(4);
  const iz = new Int32Array(4);
  const extrapolate = boundary === 'extrapolate';
  // As ITK's ResampleImageFilter (LinearThreadedGenerateData): map the scanline's
  // first voxel and the voxel one past its end into the input, and interpolate
  // the continuous index linearly between them (no accumulated rounding).
  const mapIndex = (i: number, j: number, k: number) => physicalToIndex(vol, indexToPhysical(outVol, i, j, k));
  // B-spline: coefficients only on the input voxels some output point's 4×4×4 support reaches
  let coef: Float64Array | null = null;
  let cLo: Vec3 = [0, 0, 0];
  let cnx = 0;
  let cnxy = 0;
  if (interpolator === 'bspline') {
    const box = bsplineSupportBox(vol, grid.size, mapIndex);
    if (box) {
      coef = bsplineCoefficientsInBox(vol, box);
      cLo = box.lower;
      cnx = box.upper[0] - box.lower[0] + 1;
      cnxy = cnx * (box.upper[1] - box.lower[1] + 1);
    }
  }
  // each scanline is computed in double precision into `row`, then cast into the output in one step
  const row = new Float64Array(mx);
  // axis-aligned scanlines (y and z fixed along them, as on every PyRadiomics grid): the B-spline
  // weights of y and z are computed once per scanline, and those of x once for all scanlines
  // that map x alike
  const fast = coef ? new BsplineScanline(vol.size, cLo, cnx, cnxy, mx) : null;
  for (let k = 0, n = 0; k < mz; k++) {
    for (let j = 0; j < my; j++, n += mx) {
      const s0 = mapIndex(0, j, k);
      const s1 = mapIndex(mx, j, k);
      const dx = s1[0] - s0[0];
      const dy = s1[1] - s0[1];
      const dz = s1[2] - s0[2];
      if (fast && dy === 0 && dz === 0) {
        fast.run(coef as Float64Array, s0, dx, row, extrapolate, defaultValue);
      } else {
        for (let i = 0; i < mx; i++) {
          const alpha = i / mx;
          const x = s0[0] + alpha * dx;
          const y = s0[1] + alpha * dy;
          const z = s0[2] + alpha * dz;
          let value: number;
          const inside = x >= -0.5 && x < nx - 0.5 && y >= -0.5 && y < ny - 0.5 && z >= -0.5 && z < nz - 0.5;
          if (!inside && !extrapolate) {
            value = defaultValue;
          } else if (interpolator === 'nearest') {
            // ITK NearestNeighborInterpolateImageFunction: round half up
            const a = clampIndex(Math.floor(x + 0.5), nx);
            const b = clampIndex(Math.floor(y + 0.5), ny);
            const c = clampIndex(Math.floor(z + 0.5), nz);
            value = src[a + nx * b + nxy * c]!;
          } else if (interpolator === 'linear') {
            value = trilinear(src, nx, ny, nz, x, y, z);
          } else {
            const x0 = cubicSupport(x, wx, 0);
            const y0 = cubicSupport(y, wy, 0);
            const z0 = cubicSupport(z, wz, 0);
            for (let q = 0; q < 4; q++) {
              ix[q] = mirrorIndex(x0 + q, nx) - cLo[0];
              iy[q] = mirrorIndex(y0 + q, ny) - cLo[1];
              iz[q] = mirrorIndex(z0 + q, nz) - cLo[2];
            }
            let s = 0;
            const cf = coef as Float64Array;
            for (let c = 0; c < 4; c++) {
              const oz = cnxy * iz[c]!;
              let sy = 0;
              for (let b = 0; b < 4; b++) {
                const oy = oz + cnx * iy[b]!;
                sy += wy[b]! * (wx[0]! * cf[oy + ix[0]!]! + wx[1]! * cf[oy + ix[1]!]! + wx[2]! * cf[oy + ix[2]!]! + wx[3]! * cf[oy + ix[3]!]!);
              }
              s += wz[c]! * sy;
            }
            value = s;
          }
          row[i] = value;
        }
      }
      if (range) {
        // ITK ResampleImageFilter::CastPixelWithBoundsChecking: clamp, then static_cast (truncation)
        const [lo, hi] = range;
        for (let i = 0; i < mx; i++) {
          const v = row[i]!;
          row[i] = v < lo ? lo : v > hi ? hi : Math.trunc(v);
        }
      }
      out.set(row, n); // exact for the clamped integers; rounds to float32 as a direct store would
    }
  }
  return outVol;
}

/**
 * B-spline interpolation along an axis-aligned scanline (y and z constant):
 * the same arithmetic as the general loop of `resampleToGrid`, point for point
 * and in the same order, with the y/z weights and coefficient rows computed
 * once per scanline and the x weights and indices once per distinct x mapping
 * (start and step of the continuous x index).
 */
class BsplineScanline {
  private readonly wx: Float64Array;
  private readonly ix: Int32Array;
  private readonly inX: Uint8Array;
  private key0 = NaN;
  private keyD = NaN;
  private readonly wy = new Float64Array(4);
  private readonly wz = new Float64Array(4);
  private readonly rows = new Int32Array(16);

  constructor(
    private readonly size: Vec3,
    private readonly lo: Vec3,
    private readonly cnx: number,
    private readonly cnxy: number,
    private readonly mx: number,
  ) {
    this.wx = new Float64Array(4 * mx);
    this.ix = new Int32Array(4 * mx);
    this.inX = new Uint8Array(mx);
  }

  run(cf: Float64Array, s0: Vec3, dx: number, row: Float64Array, extrapolate: boolean, defaultValue: number): void {
    const [nx, ny, nz] = this.size;
    const { mx, wx, ix, inX, wy, wz, rows } = this;
    // y and z as the general loop computes them at every point (alpha · 0 = 0)
    const y = s0[1] + 0;
    const z = s0[2] + 0;
    if (!extrapolate && !(y >= -0.5 && y < ny - 0.5 && z >= -0.5 && z < nz - 0.5)) {
      row.fill(defaultValue);
      return;
    }
    if (!Object.is(s0[0], this.key0) || !Object.is(dx, this.keyD)) {
      this.key0 = s0[0];
      this.keyD = dx;
      for (let i = 0; i < mx; i++) {
        const x = s0[0] + (i / mx) * dx;
        inX[i] = x >= -0.5 && x < nx - 0.5 ? 1 : 0;
        const x0 = cubicSupport(x, wx, 4 * i);
        for (let q = 0; q < 4; q++) ix[4 * i + q] = mirrorIndex(x0 + q, nx) - this.lo[0];
      }
    }
    const y0 = cubicSupport(y, wy, 0);
    const z0 = cubicSupport(z, wz, 0);
    for (let c = 0; c < 4; c++) {
      const oz = this.cnxy * (mirrorIndex(z0 + c, nz) - this.lo[2]);
      for (let b = 0; b < 4; b++) rows[4 * c + b] = oz + this.cnx * (mirrorIndex(y0 + b, ny) - this.lo[1]);
    }
    for (let i = 0; i < mx; i++) {
      if (!inX[i] && !extrapolate) {
        row[i] = defaultValue;
        continue;
      }
      const q = 4 * i;
      const w0 = wx[q]!;
      const w1 = wx[q + 1]!;
      const w2 = wx[q + 2]!;
      const w3 = wx[q + 3]!;
      const i0 = ix[q]!;
      const i1 = ix[q + 1]!;
      const i2 = ix[q + 2]!;
      const i3 = ix[q + 3]!;
      let s = 0;
      for (let c = 0; c < 4; c++) {
        let sy = 0;
        for (let b = 0; b < 4; b++) {
          const o = rows[4 * c + b]!;
          sy += wy[b]! * (w0 * cf[o + i0]! + w1 * cf[o + i1]! + w2 * cf[o + i2]! + w3 * cf[o + i3]!);
        }
        s += wz[c]! * sy;
      }
      row[i] = s;
    }
  }
}

/**
 * The input voxels whose B-spline coefficients the resampling onto a grid of
 * `size` reads: the 4-voxel supports of every output point (after mirroring at
 * the edges), or null for an empty grid. Along a scanline the continuous index
 * is monotone (it is computed as in `resampleToGrid`, and rounding keeps
 * monotonicity), so its first and last points bound the scanline; points the
 * 'itk' boundary leaves at the default value only widen the box.
 */
function bsplineSupportBox(vol: Volume, size: readonly [number, number, number], mapIndex: (i: number, j: number, k: number) => Vec3): IndexBox | null {
  const [mx, my, mz] = size;
  if (mx * my * mz === 0) return null;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  const ends = mx > 1 ? [0, mx - 1] : [0];
  for (let k = 0; k < mz; k++) {
    for (let j = 0; j < my; j++) {
      const s0 = mapIndex(0, j, k);
      const s1 = mapIndex(mx, j, k);
      for (const i of ends) {
        const alpha = i / mx;
        for (let c = 0; c < 3; c++) {
          const first = Math.floor(Math.fround(s0[c]! + alpha * (s1[c]! - s0[c]!))) - 1; // as cubicSupport
          if (first < lo[c]!) lo[c] = first;
          if (first + 3 > hi[c]!) hi[c] = first + 3;
        }
      }
    }
  }
  const lower = [0, 0, 0] as Vec3;
  const upper = [0, 0, 0] as Vec3;
  for (let c = 0; c < 3; c++) {
    const n = vol.size[c]!;
    if (lo[c]! >= 0 && hi[c]! <= n - 1) {
      lower[c] = lo[c]!;
      upper[c] = hi[c]!;
    } else if (!(hi[c]! - lo[c]! <= 4 * n)) {
      lower[c] = 0; // far outside, or not finite: the whole axis
      upper[c] = n - 1;
    } else {
      lower[c] = n - 1;
      upper[c] = 0;
      for (let i = lo[c]!; i <= hi[c]!; i++) {
        const m = mirrorIndex(i, n);
        if (m < lower[c]!) lower[c] = m;
        if (m > upper[c]!) upper[c] = m;
      }
    }
  }
  return { lower, upper };
}

function clampIndex(i: number, n: number): number {
  return i < 0 ? 0 : i > n - 1 ? n - 1 : i;
}

/** Trilinear interpolation with edge voxels repeated (ITK LinearInterpolateImageFunction near the border). */
function trilinear(src: ArrayLike<number>, nx: number, ny: number, nz: number, x: number, y: number, z: number): number {
  x = x < 0 ? 0 : x > nx - 1 ? nx - 1 : x;
  y = y < 0 ? 0 : y > ny - 1 ? ny - 1 : y;
  z = z < 0 ? 0 : z > nz - 1 ? nz - 1 : z;
  const i0 = Math.floor(x);
  const j0 = Math.floor(y);
  const k0 = Math.floor(z);
  const fx = x - i0;
  const fy = y - j0;
  const fz = z - k0;
  const i1 = i0 + 1 < nx ? i0 + 1 : i0;
  const j1 = j0 + 1 < ny ? j0 + 1 : j0;
  const k1 = k0 + 1 < nz ? k0 + 1 : k0;
  const nxy = nx * ny;
  const a = nxy * k0;
  const b = nxy * k1;
  const r00 = src[i0 + nx * j0 + a]! * (1 - fx) + src[i1 + nx * j0 + a]! * fx;
  const r10 = src[i0 + nx * j1 + a]! * (1 - fx) + src[i1 + nx * j1 + a]! * fx;
  const r01 = src[i0 + nx * j0 + b]! * (1 - fx) + src[i1 + nx * j0 + b]! * fx;
  const r11 = src[i0 + nx * j1 + b]! * (1 - fx) + src[i1 + nx * j1 + b]! * fx;
  return (r00 * (1 - fy) + r10 * fy) * (1 - fz) + (r01 * (1 - fy) + r11 * fy) * fz;
}

// ---------------------------------------------------------------------------
// Grids for a new spacing

/** Replace 0 (or non-finite) entries of a requested spacing by the volume's own spacing ("keep this axis"). */
export function effectiveSpacing(vol: Volume, spacing: readonly number[]): Vec3 {
  if (spacing.length !== 3) throw new Error(`resample: spacing needs 3 values, got ${spacing.length}`);
  return spacing.map((s, c) => {
    if (s < 0) throw new Error(`resample: spacing ${spacing.join(',')} has a negative entry`);
    return s === 0 || !Number.isFinite(s) ? vol.spacing[c] : s;
  }) as Vec3;
}

/**
 * The whole-volume grid with a new spacing.
 * - 'pyradiomics': corners aligned: the new grid's first voxel corner is the
 *   original's; size = ceil(n · s / s'), as PyRadiomics' resampleImage without cropping.
 * - 'ibsi': centres aligned; size = ceil(n · s / s') (IBSI 1 manual §2.4).
 */
export function gridForSpacing(vol: Volume, spacing: readonly number[], convention: GridConvention = 'ibsi'): Grid {
  const sp = effectiveSpacing(vol, spacing);
  const size = [0, 0, 0] as Vec3;
  const originIndex = [0, 0, 0] as Vec3; // continuous index (original grid) of the new voxel (0,0,0)
  for (let c = 0; c < 3; c++) {
    const ratio = vol.spacing[c]! / sp[c]!;
    if (Math.abs(sp[c]! - vol.spacing[c]!) <= 1e-9 * vol.spacing[c]!) {
      size[c] = vol.size[c]!;
      originIndex[c] = 0;
      continue;
    }
    // PyRadiomics: ceil(n·ratio) exactly; IBSI: ceil(extent / new spacing), forgiving float error on exact multiples
    size[c] = convention === 'pyradiomics' ? Math.ceil(vol.size[c]! * ratio) : Math.ceil(vol.size[c]! * ratio - 1e-9);
    if (convention === 'pyradiomics') {
      originIndex[c] = (0.5 * (sp[c]! - vol.spacing[c]!)) / vol.spacing[c]!;
    } else {
      // align the grid centres: centre index (n−1)/2 in the original, (m−1)/2 in the new grid
      originIndex[c] = (vol.size[c]! - 1) / 2 - ((size[c]! - 1) / 2) * (sp[c]! / vol.spacing[c]!);
    }
  }
  return { size, spacing: sp, origin: indexToPhysical(vol, originIndex[0], originIndex[1], originIndex[2]), direction: Float64Array.from(vol.direction) };
}

export interface ResampleToSpacingOptions {
  interpolator?: Interpolator;
  grid?: GridConvention;
  /** Round intensities to the nearest integer after interpolation (IBSI, e.g. CT in HU). */
  roundIntensities?: boolean;
  outputType?: 'input' | 'float32' | 'float64';
}

/**
 * Resample a whole volume to a new spacing (0 entries keep the axis).
 * Defaults: B-spline, IBSI grid (centres aligned, edges extrapolated), float32 output.
 * With grid 'pyradiomics' the SimpleITK conventions apply (outside points 0,
 * output cast to the input type unless `outputType` says otherwise).
 */
export function resampleToSpacing(vol: Volume, spacing: readonly number[], opts: ResampleToSpacingOptions = {}): Volume {
  const convention = opts.grid ?? 'ibsi';
  const grid = gridForSpacing(vol, spacing, convention);
  const out = resampleToGrid(vol, grid, {
    interpolator: opts.interpolator ?? 'bspline',
    boundary: convention === 'ibsi' ? 'extrapolate' : 'itk',
    outputType: opts.outputType ?? (convention === 'ibsi' ? 'float32' : 'input'),
  });
  if (opts.roundIntensities) roundInPlace(out.data);
  return out;
}

/** Round to the nearest integer, halves away from zero. */
function roundInPlace(d: VoxelArray): void {
  for (let n = 0; n < d.length; n++) d[n] = Math.sign(d[n]!) * Math.round(Math.abs(d[n]!));
}

// ---------------------------------------------------------------------------
// PyRadiomics: resample image and mask on a cropped grid

export interface ResampleImageAndMaskOptions {
  /** New spacing (mm); 0 entries keep the mask's spacing (PyRadiomics `resampledPixelSpacing`). */
  spacing: readonly number[];
  /** Image interpolator; default 'bspline' (PyRadiomics' default sitkBSpline). The mask always uses nearest neighbour. */
  interpolator?: Interpolator;
  /** Extra voxels (of the new grid) around the label's bounding box; default 5. */
  padDistance?: number;
  /** Label value of the ROI; default 1. */
  label?: number;
}

export interface ResampledPair {
  image: Volume;
  mask: Volume;
  /** Settings actually applied (spacing after 0 → keep, and single-slice axes kept). */
  applied: { spacing: Vec3; interpolator: Interpolator; padDistance: number; label: number; resampled: boolean };
}

/**
 * PyRadiomics 3.1 `imageoperations.resampleImage`: resample image and mask onto
 * a grid with the new spacing that is aligned to the mask's grid corner and
 * cropped to the label's bounding box plus `padDistance` (new) voxels. Axes on
 * which the label spans a single slice are not resampled. When the new spacing
 * equals the image's, nothing is interpolated: the mask is put onto the image
 * grid and both are cropped to the box plus `padDistance` (cropToTumorMask).
 */
export function resampleImageAndMask(image: Volume, mask: Volume, opts: ResampleImageAndMaskOptions): ResampledPair {
  const label = opts.label ?? 1;
  const padDistance = opts.padDistance ?? 5;
  const interpolator = opts.interpolator ?? 'bspline';
  let spacing = effectiveSpacing(mask, opts.spacing);
  const box = checkRoi(image, mask, label);
  // do not resample along axes where the label spans one slice
  spacing = spacing.map((s, c) => (box.upper[c] === box.lower[c] ? mask.spacing[c] : s)) as Vec3;

  // numpy.allclose(imageSpacing, resampledSpacing): |a − b| ≤ 1e-8 + 1e-5·|b|
  const same = image.spacing.every((s, c) => Math.abs(s - spacing[c]!) <= 1e-8 + 1e-5 * Math.abs(spacing[c]!));
  if (same) {
    const m = resampleToGrid(mask, gridOf(image), { interpolator: 'nearest' });
    const b = labelBoundingBox(m, label);
    if (!b) throw new Error(`resample: label ${label} is lost when the mask is put onto the image grid`);
    const lower = b.lower.map((l) => Math.max(0, l - padDistance)) as Vec3;
    const upper = b.upper.map((u, c) => Math.min(m.size[c]! - 1, u + padDistance)) as Vec3;
    const crop: IndexBox = { lower, upper };
    return {
      image: cropVolume(image, crop),
      mask: cropVolume(m, crop),
      applied: { spacing: [...image.spacing] as Vec3, interpolator, padDistance, label, resampled: false },
    };
  }

  const lo = [0, 0, 0] as Vec3;
  const size = [0, 0, 0] as Vec3;
  const originIndex = [0, 0, 0] as Vec3;
  for (let c = 0; c < 3; c++) {
    const ratio = mask.spacing[c]! / spacing[c]!;
    // new-grid bounds of the box, widened by half a voxel and padDistance
    let lb = Math.floor((box.lower[c]! - 0.5) * ratio - padDistance);
    let ub = Math.ceil((box.upper[c]! + 1 - 0.5) * ratio + padDistance);
    const maxUb = Math.ceil(mask.size[c]! * ratio) - 1;
    if (lb < 0) lb = 0;
    if (ub > maxUb) ub = maxUb;
    lo[c] = lb;
    size[c] = ub - lb + 1;
    // new index 0 sits half a new voxel inside the original corner
    originIndex[c] = (0.5 * (spacing[c]! - mask.spacing[c]!)) / mask.spacing[c]! + lb / ratio;
  }
  const grid: Grid = {
    size,
    spacing,
    origin: indexToPhysical(mask, originIndex[0], originIndex[1], originIndex[2]),
    direction: Float64Array.from(mask.direction),
  };
  return {
    image: resampleToGrid(image, grid, { interpolator, boundary: 'itk', outputType: 'input' }),
    mask: resampleToGrid(mask, grid, { interpolator: 'nearest', boundary: 'itk', outputType: 'input' }),
    applied: { spacing, interpolator, padDistance, label, resampled: true },
  };
}

/**
 * PyRadiomics `_checkROI`: the label must be present, and its bounding box
 * (voxel corners) must lie inside the image (tolerance 1e-3 voxel).
 */
function checkRoi(image: Volume, mask: Volume, label: number): IndexBox {
  const box = labelBoundingBox(mask, label);
  if (!box) throw new Error(`resample: label ${label} is not present in the mask`);
  const corners = [
    indexToPhysical(mask, box.lower[0] - 0.5, box.lower[1] - 0.5, box.lower[2] - 0.5),
    indexToPhysical(mask, box.upper[0] + 0.5, box.upper[1] + 0.5, box.upper[2] + 0.5),
  ].map((p) => physicalToIndex(image, p));
  const tol = 1e-3;
  for (let c = 0; c < 3; c++) {
    const a = Math.min(corners[0]![c]!, corners[1]![c]!);
    const b = Math.max(corners[0]![c]!, corners[1]![c]!);
    if (a < -0.5 - tol || b > image.size[c]! - 0.5 + tol) {
      throw new Error(`resample: the bounding box of label ${label} extends outside the image (axis ${'xyz'[c]})`);
    }
  }
  return box;
}
