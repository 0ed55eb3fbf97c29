/**
 * Coefficients of the 2D shape class (PyRadiomics `shape2D` + C
 * `calculate_coefficients2D`): the single-slice mask is padded by one pixel and
 * traced by marching squares (vertices on edge midpoints, each inside corner of
 * an ambiguous square cut off separately); the surface is the shoelace sum over
 * the oriented contour segments, the perimeter their total length, the diameter
 * the largest distance between contour vertices.
 */
import { maxDistance2D } from '../kernels/convex-hull.js';
import { symmetricEigenvalues } from '../eigen.js';

export interface Shape2DCoefficients {
  perimeter: number;
  surface: number;
  diameter: number;
  pixelCount: number;
  pixelSurface: number;
  /** Eigenvalues of the pixel-centre covariance, ascending. */
  eigenvalues: Float64Array;
}

/** Square corners (row, column): p0 top-left, p1 top-right, p2 bottom-right, p3 bottom-left. */
const SQUARE: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [1, 1],
  [1, 0],
];
/** Midpoint of edge e, which joins corner e and corner e + 1. */
const EDGE_MID: readonly (readonly [number, number])[] = [
  [0, 0.5],
  [0.5, 1],
  [1, 0.5],
  [0.5, 0],
];

/** Oriented contour segments (edge pairs) of a square configuration: each run of inside corners k1…k2 gives edge (k1−1) → edge k2. */
function squareSegments(config: number): [number, number][] {
  const inside = (k: number) => ((config >> (k & 3)) & 1) === 1;
  if (config === 0 || config === 15) return [];
  const segs: [number, number][] = [];
  for (let k = 0; k < 4; k++) {
    if (!inside(k) || inside(k + 3)) continue; // k starts a run
    let end = k;
    while (inside(end + 1)) end++;
    segs.push([(k + 3) & 3, end & 3]);
  }
  return segs;
}
const SEGMENTS = Array.from({ length: 16 }, (_, c) => squareSegments(c));

/** @param mask rows × cols, column fastest; spacing [row spacing, column spacing] */
export function shape2DCoefficients(mask: Uint8Array, rows: number, cols: number, spacing: readonly [number, number]): Shape2DCoefficients {
  const pr = rows + 2;
  const pc = cols + 2;
  const padded = new Uint8Array(pr * pc);
  let pixelCount = 0;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const v = mask[r * cols + c] ? 1 : 0;
      padded[(r + 1) * pc + c + 1] = v;
      pixelCount += v;
    }
  const [s0, s1] = spacing;
  let perimeter = 0;
  let surface = 0;
  const verts: number[] = [];
  for (let iy = 0; iy < pr - 1; iy++)
    for (let ix = 0; ix < pc - 1; ix++) {
      let idx = 0;
      for (let k = 0; k < 4; k++) if (padded[(iy + SQUARE[k]![0]) * pc + ix + SQUARE[k]![1]]) idx |= 1 << k;
      if (idx === 0 || idx === 15) continue;
      for (const [ea, eb] of SEGMENTS[idx]!) {
        const a0 = (iy + EDGE_MID[ea]![0]) * s0;
        const a1 = (ix + EDGE_MID[ea]![1]) * s1;
        const b0 = (iy + EDGE_MID[eb]![0]) * s0;
        const b1 = (ix + EDGE_MID[eb]![1]) * s1;
        surface += a0 * b1 - b0 * a1;
        perimeter += Math.hypot(a0 - b0, a1 - b1);
      }
      // crossings on the two grid edges leaving corner p3 (each grid edge once)
      const p3 = (idx >> 3) & 1;
      if ((idx & 1) !== p3) verts.push((iy + 0.5) * s0, ix * s1);
      if (((idx >> 2) & 1) !== p3) verts.push((iy + 1) * s0, (ix + 0.5) * s1);
    }
  // pixel-centre covariance
  let m0 = 0;
  let m1 = 0;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      if (mask[r * cols + c]) {
        m0 += r * s0;
        m1 += c * s1;
      }
  m0 /= pixelCount;
  m1 /= pixelCount;
  const cov = new Float64Array(4);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      if (mask[r * cols + c]) {
        const a = r * s0 - m0;
        const b = c * s1 - m1;
        cov[0]! += a * a;
        cov[1]! += a * b;
        cov[3]! += b * b;
      }
  cov[2] = cov[1]!;
  for (let k = 0; k < 4; k++) cov[k]! /= pixelCount;
  const ev = symmetricEigenvalues(cov, 2);
  for (let k = 0; k < 2; k++) if (ev[k]! < 0 && ev[k]! > -1e-10) ev[k] = 0;
  return {
    perimeter,
    surface: surface / 2,
    diameter: maxDistance2D(Float64Array.from(verts)),
    pixelCount,
    pixelSurface: pixelCount * s0 * s1,
    eigenvalues: ev.sort(),
  };
}
