/**
 * Cubic B-spline control-point lattices over a voxel grid, as N4 uses them
 * (ITK BSplineScatteredDataPointSetToImageFilter / BSplineControlPointImageFilter):
 * a lattice of C control points per axis spans C − 3 uniform knot spans over the
 * parametric domain [0, C − 3), onto which voxel index i of n maps as
 * u = (C − 3)·i/(n − 1). Control point j carries the B-spline centred at u = j − 1.
 * Everything is separable, so fitting and evaluation cost O(4·voxels).
 */

export type Size3 = [number, number, number];

/** Relative margin that keeps the last sample inside [0, spans) (ITK's BSplineEpsilon, 1e-3). */
const BSPLINE_EPSILON = 1e-3;

/** Uniform cubic B-spline B3(t), support |t| < 2. */
function cubicBSpline(t: number): number {
  const a = Math.abs(t);
  if (a < 1) return (4 - 6 * a * a + 3 * a * a * a) / 6;
  if (a < 2) {
    const b = 2 - a;
    return (b * b * b) / 6;
  }
  return 0;
}

/** Basis weights along one axis: for sample s, control points start[s] … start[s]+3 with weights w[4s … 4s+3]. */
export interface AxisBasis {
  start: Int32Array;
  w: Float64Array;
}

/** Parametric coordinates of n samples spread evenly over [0, spans] (last one pulled inside by epsilon). */
export function evenParametricCoordinates(n: number, spans: number): Float64Array {
  const u = new Float64Array(n);
  const eps = (spans / Math.max(1, n - 1)) * BSPLINE_EPSILON;
  for (let i = 0; i < n; i++) u[i] = n > 1 ? (spans * i) / (n - 1) : 0;
  return clampParametric(u, spans, eps);
}

/** Keep parametric coordinates in [0, spans − eps] (samples beyond the fitted domain are clamped to its edge). */
export function clampParametric(u: Float64Array, spans: number, eps: number): Float64Array {
  for (let i = 0; i < u.length; i++) {
    if (u[i]! >= spans - eps) u[i] = spans - eps;
    if (u[i]! < 0) u[i] = 0;
  }
  return u;
}

export function axisBasis(u: Float64Array): AxisBasis {
  const start = new Int32Array(u.length);
  const w = new Float64Array(4 * u.length);
  for (let s = 0; s < u.length; s++) {
    const f = Math.floor(u[s]!);
    const frac = u[s]! - f;
    start[s] = f;
    for (let k = 0; k < 4; k++) w[4 * s + k] = cubicBSpline(frac - k + 1);
  }
  return { start, w };
}

/** The three axes' bases of a volume of `size` for a lattice with `controlPoints` per axis. */
export function volumeBasis(size: Size3, controlPoints: Size3): [AxisBasis, AxisBasis, AxisBasis] {
  return [0, 1, 2].map((a) => axisBasis(evenParametricCoordinates(size[a]!, controlPoints[a]! - 3))) as [AxisBasis, AxisBasis, AxisBasis];
}

/** Raise the weights to a power (B² for the normal equations, B³ for the numerator). */
function powWeights(b: AxisBasis, p: number): AxisBasis {
  return { start: b.start, w: b.w.map((x) => Math.pow(x, p)) };
}

/**
 * Separable sum  out[a,b,c] = Σ_{i,j,k} q[i,j,k] · X[i,a] · Y[j,b] · Z[k,c]
 * over the lattice (C0 × C1 × C2), where X/Y/Z are sparse bases (4 non-zeros per sample).
 */
function scatterToLattice(
  q: Float64Array,
  size: Size3,
  C: Size3,
  bx: AxisBasis,
  by: AxisBasis,
  bz: AxisBasis,
  scale?: [Float64Array, Float64Array, Float64Array],
): Float64Array {
  const [nx, ny, nz] = size;
  const cx = C[0];
  const t1 = new Float64Array(nz * ny * cx);
  let v = 0;
  const sx = scale ? scale[0] : new Float64Array(nx).fill(1);
  const xs = bx.start;
  const xw = bx.w;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const row = (k * ny + j) * cx;
      const fjk = scale ? scale[1][j]! * scale[2][k]! : 1;
      for (let i = 0; i < nx; i++, v++) {
        let x = q[v]!;
        if (x === 0) continue;
        x *= sx[i]! * fjk;
        const s = row + xs[i]!;
        const w = 4 * i;
        t1[s]! += x * xw[w]!;
        t1[s + 1]! += x * xw[w + 1]!;
        t1[s + 2]! += x * xw[w + 2]!;
        t1[s + 3]! += x * xw[w + 3]!;
      }
    }
  }
  return finishScatter(t1, size, C, by, bz);
}

/**
 * The y and z stages of the separable scatter: from t1[(k·ny + j)·Cx + a]
 * (already summed over x) to the lattice sums out[(c·Cy + b)·Cx + a].
 */
export function finishScatter(t1: Float64Array, size: Size3, C: Size3, by: AxisBasis, bz: AxisBasis): Float64Array {
  const [, ny, nz] = size;
  const [cx, cy, cz] = C;
  const t2 = new Float64Array(nz * cy * cx);
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const src = (k * ny + j) * cx;
      for (let m = 0; m < 4; m++) {
        const wy = by.w[4 * j + m]!;
        if (wy === 0) continue;
        const dst = (k * cy + by.start[j]! + m) * cx;
        for (let a = 0; a < cx; a++) t2[dst + a]! += wy * t1[src + a]!;
      }
    }
  }
  const out = new Float64Array(cz * cy * cx);
  for (let k = 0; k < nz; k++) {
    for (let m = 0; m < 4; m++) {
      const wz = bz.w[4 * k + m]!;
      if (wz === 0) continue;
      const dst = (bz.start[k]! + m) * cy * cx;
      const src = k * cy * cx;
      for (let r = 0; r < cy * cx; r++) out[dst + r]! += wz * t2[src + r]!;
    }
  }
  return out;
}

/** Control points φ = δ/ω where ω ≠ 0, else 0 (ITK: NaN/inf also become 0). */
export function latticeFromSums(delta: Float64Array, omega: Float64Array): Float64Array {
  const phi = new Float64Array(delta.length);
  for (let n = 0; n < phi.length; n++) {
    const r = omega[n] !== 0 ? delta[n]! / omega[n]! : 0;
    phi[n] = Number.isFinite(r) ? r : 0;
  }
  return phi;
}

/** Everything about a lattice of size C over a voxel grid that does not depend on the fitted values. */
export interface LatticeFit {
  size: Size3;
  C: Size3;
  basis: [AxisBasis, AxisBasis, AxisBasis];
  cubed: [AxisBasis, AxisBasis, AxisBasis];
  /** Per-axis Σ B² over a sample's 4 control points; their product is Σ B² over the 64 neighbours. */
  s2: [Float64Array, Float64Array, Float64Array];
  /** 1 / s2, per axis. */
  invS2: [Float64Array, Float64Array, Float64Array];
  /** Normal-equation weights Ω[a,b,c] = Σ over included voxels of B². */
  omega: Float64Array;
}

/** Prepare fitting on a grid of `size` with C control points per axis, over the `included` voxels. */
export function prepareLatticeFit(size: Size3, C: Size3, included: Uint8Array): LatticeFit {
  const basis = volumeBasis(size, C);
  const q = new Float64Array(included.length);
  for (let v = 0; v < q.length; v++) q[v] = included[v]!;
  const omega = scatterToLattice(q, size, C, powWeights(basis[0], 2), powWeights(basis[1], 2), powWeights(basis[2], 2));
  const s2 = basis.map((b) => {
    const n = b.start.length;
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) s[i] = b.w[4 * i]! ** 2 + b.w[4 * i + 1]! ** 2 + b.w[4 * i + 2]! ** 2 + b.w[4 * i + 3]! ** 2;
    return s;
  }) as [Float64Array, Float64Array, Float64Array];
  const cubed = basis.map((b) => powWeights(b, 3)) as [AxisBasis, AxisBasis, AxisBasis];
  const invS2 = s2.map((a) => a.map((x) => 1 / x)) as [Float64Array, Float64Array, Float64Array];
  return { size, C, basis, cubed, s2, invS2, omega };
}

/**
 * B-spline approximation of scattered values (Lee, Wolberg & Shin 1997, as
 * extended by Tustison & Gee 2005 and ITK): each voxel's value r spreads to its
 * 4×4×4 control points as r·B³/ΣB², and each control point is the ratio of that
 * sum to Σ B² (`omega`). `values` holds r at included voxels and 0 elsewhere;
 * it is left unchanged.
 */
export function fitLattice(values: Float64Array, fit: LatticeFit): Float64Array {
  // each value is divided by Σ B² over its 64 neighbours = product of the per-axis sums
  const delta = scatterToLattice(values, fit.size, fit.C, fit.cubed[0], fit.cubed[1], fit.cubed[2], fit.invS2);
  return latticeFromSums(delta, fit.omega);
}

/**
 * First two stages of evaluating a lattice on a grid: contract z, then y.
 * Returns B[(k·ny + j)·Cx + a]; the value at voxel (i, j, k) is then
 * Σ_m wx[i,m] · B[(k·ny + j)·Cx + startx[i] + m].
 */
export function contractYZ(phi: Float64Array, C: Size3, by: AxisBasis, bz: AxisBasis): Float64Array {
  const ny = by.start.length;
  const nz = bz.start.length;
  const [cx, cy] = C;
  const a = new Float64Array(nz * cy * cx);
  for (let k = 0; k < nz; k++) {
    const dst = k * cy * cx;
    for (let m = 0; m < 4; m++) {
      const w = bz.w[4 * k + m]!;
      if (w === 0) continue;
      const src = (bz.start[k]! + m) * cy * cx;
      for (let r = 0; r < cy * cx; r++) a[dst + r]! += w * phi[src + r]!;
    }
  }
  const b = new Float64Array(nz * ny * cx);
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const dst = (k * ny + j) * cx;
      for (let m = 0; m < 4; m++) {
        const w = by.w[4 * j + m]!;
        if (w === 0) continue;
        const src = (k * cy + by.start[j]! + m) * cx;
        for (let r = 0; r < cx; r++) b[dst + r]! += w * a[src + r]!;
      }
    }
  }
  return b;
}

/** Evaluate the lattice at every voxel of a grid described by per-axis bases (separable, ~4 operations per voxel). */
export function evaluateLattice(
  phi: Float64Array,
  C: Size3,
  basis: [AxisBasis, AxisBasis, AxisBasis],
  out: Float64Array = new Float64Array(basis[0].start.length * basis[1].start.length * basis[2].start.length),
): Float64Array {
  const [bx, by, bz] = basis;
  const nx = bx.start.length;
  const rows = by.start.length * bz.start.length;
  const cx = C[0];
  const b = contractYZ(phi, C, by, bz);
  let v = 0;
  for (let row = 0; row < rows; row++) {
    const src = row * cx;
    for (let i = 0; i < nx; i++, v++) {
      const s = src + bx.start[i]!;
      const w = 4 * i;
      out[v] = bx.w[w]! * b[s]! + bx.w[w + 1]! * b[s + 1]! + bx.w[w + 2]! * b[s + 2]! + bx.w[w + 3]! * b[s + 3]!;
    }
  }
  return out;
}

/**
 * Refine a lattice to twice as many knot spans (C → 2C − 3 control points per
 * axis) describing exactly the same function: uniform cubic B-spline
 * subdivision, fine[2i] = (c[i] + c[i+1])/2, fine[2i+1] = (c[i] + 6c[i+1] + c[i+2])/8.
 */
export function refineLattice(phi: Float64Array, C: Size3): { phi: Float64Array; C: Size3 } {
  let cur = phi;
  const dims: Size3 = [...C];
  for (let axis = 0; axis < 3; axis++) {
    const n = dims[axis]!;
    const m = 2 * n - 3;
    const next: Size3 = [...dims];
    next[axis] = m;
    const out = new Float64Array(next[0] * next[1] * next[2]);
    const strideIn = axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1];
    const strideOut = axis === 0 ? 1 : axis === 1 ? next[0] : next[0] * next[1];
    const other = [0, 1, 2].filter((a) => a !== axis);
    for (let p = 0; p < dims[other[1]!]!; p++) {
      for (let q = 0; q < dims[other[0]!]!; q++) {
        const baseIn = q * (other[0] === 0 ? 1 : dims[0]) + p * (other[1] === 1 ? dims[0] : dims[0] * dims[1]);
        const baseOut = q * (other[0] === 0 ? 1 : next[0]) + p * (other[1] === 1 ? next[0] : next[0] * next[1]);
        const c = (i: number) => cur[baseIn + i * strideIn]!;
        for (let J = 0; J < m; J++) {
          const i = J >> 1;
          const val = J % 2 === 0 ? 0.5 * (c(i) + c(i + 1)) : (c(i) + 6 * c(i + 1) + c(i + 2)) / 8;
          out[baseOut + J * strideOut] = val;
        }
      }
    }
    cur = out;
    dims[axis] = m;
  }
  return { phi: cur, C: dims };
}
