/**
 * Mesh and voxel coefficients of the 3D shape class (PyRadiomics `shape` +
 * C `calculate_coefficients`): the mask is padded by one voxel, triangulated by
 * marching cubes (the surface-cube walk is the kernel shared with the IBSI 1
 * engine, `kernels/marching-cubes.ts`) (vertices on edge midpoints), the mesh volume is the signed
 * sum of the tetrahedra (origin, triangle) / 6 and the surface the sum of
 * triangle areas. Diameters use the mesh vertices (all edge crossings) — the
 * 3D one through their convex hull, the 2D ones per plane. PCA of the voxel
 * centres gives the axis lengths.
 */
import { maxDistance2D, maxDistance3D } from '../kernels/convex-hull.js';
import { symmetricEigenvalues } from '../eigen.js';
import type { Size3 } from '../kernels/grid.js';
import { padMask, surfaceCubes } from '../kernels/marching-cubes.js';
import { CORNERS, edgeMidpoint, triangleTable } from './marching-cubes.js';

/** PyRadiomics' corners as (dx, dy, dz) offsets, for the shared surface-cube walk. */
const CORNERS_XYZ = CORNERS.map(([dz, dy, dx]) => [dx, dy, dz] as const);

export interface ShapeCoefficients {
  meshVolume: number;
  surfaceArea: number;
  /** Maximum diameters: in axial slices (same z), same y (column), same x (row), 3D. */
  diameterSlice: number;
  diameterColumn: number;
  diameterRow: number;
  diameter3D: number;
  voxelCount: number;
  voxelVolume: number;
  /** Eigenvalues of the voxel-centre covariance, ascending. */
  eigenvalues: Float64Array;
}

/**
 * @param mask 1 inside, x fastest, size [nx, ny, nz]
 * @param spacing mm along x, y, z
 */
export function shapeCoefficients(mask: Uint8Array, size: Size3, spacing: Size3): ShapeCoefficients {
  // pad by one voxel (PyRadiomics ConstantPadImageFilter, pad 1) and walk the surface cubes
  const padded = padMask(mask, size);
  const voxelCount = padded.count;
  const cubes = surfaceCubes(padded, CORNERS_XYZ);
  const sz = spacing[2];
  const sy = spacing[1];
  const sx = spacing[0];
  const table = triangleTable();
  const mids = Array.from({ length: 12 }, (_, e) => edgeMidpoint(e));
  const verts: number[] = [];
  let volume = 0;
  let area = 0;
  for (let n = 0; n < cubes.config.length; n++) {
    let idx = cubes.config[n]!;
    const ix = cubes.cube[3 * n]!;
    const iy = cubes.cube[3 * n + 1]!;
    const iz = cubes.cube[3 * n + 2]!;
    // edge crossings from corner 7: every grid edge is visited once this way
    const c7 = (idx >> 7) & 1;
    if (((idx >> 6) & 1) !== c7) verts.push((iz + mids[6]![0]) * sz, (iy + mids[6]![1]) * sy, (ix + mids[6]![2]) * sx);
    if (((idx >> 4) & 1) !== c7) verts.push((iz + mids[7]![0]) * sz, (iy + mids[7]![1]) * sy, (ix + mids[7]![2]) * sx);
    if (((idx >> 3) & 1) !== c7) verts.push((iz + mids[11]![0]) * sz, (iy + mids[11]![1]) * sy, (ix + mids[11]![2]) * sx);
    let sign = 1;
    if (c7) {
      idx ^= 0xff;
      sign = -1;
    }
    for (const tri of table[idx]!) {
      const a = mids[tri[0]!]!;
      const b = mids[tri[1]!]!;
      const c = mids[tri[2]!]!;
      const ax = (iz + a[0]) * sz, ay = (iy + a[1]) * sy, az = (ix + a[2]) * sx;
      const bx = (iz + b[0]) * sz, by = (iy + b[1]) * sy, bz = (ix + b[2]) * sx;
      const cx = (iz + c[0]) * sz, cy = (iy + c[1]) * sy, cz = (ix + c[2]) * sx;
      // signed volume of the tetrahedron (origin, a, b, c) × 6
      volume += sign * ((ay * bz - by * az) * cx + (az * bx - bz * ax) * cy + (ax * by - bx * ay) * cz);
      const ux = ax - cx, uy = ay - cy, uz = az - cz;
      const vx = bx - cx, vy = by - cy, vz = bz - cz;
      const nxx = uy * vz - vy * uz;
      const nyy = uz * vx - vz * ux;
      const nzz = ux * vy - vx * uy;
      area += 0.5 * Math.sqrt(nxx * nxx + nyy * nyy + nzz * nzz);
    }
  }
  const points = Float64Array.from(verts);
  return {
    meshVolume: volume / 6,
    surfaceArea: area,
    diameterSlice: planeDiameter(points, 0),
    diameterColumn: planeDiameter(points, 1),
    diameterRow: planeDiameter(points, 2),
    diameter3D: maxDistance3D(points),
    voxelCount,
    voxelVolume: voxelCount * sx * sy * sz,
    eigenvalues: principalMoments(mask, size, spacing, voxelCount),
  };
}

/** Largest distance between vertices sharing coordinate `axis` (0 = z, 1 = y, 2 = x). */
function planeDiameter(points: Float64Array, axis: number): number {
  const groups = new Map<number, number[]>();
  const [u, v] = [0, 1, 2].filter((d) => d !== axis);
  if (u === undefined || v === undefined) throw new Error(`planeDiameter: axis ${axis} leaves fewer than two other axes`);
  for (let i = 0; i < points.length; i += 3) {
    const key = points[i + axis]!;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(points[i + u]!, points[i + v]!);
  }
  let best = 0;
  for (const g of groups.values()) best = Math.max(best, maxDistance2D(Float64Array.from(g)));
  return best;
}

/** Eigenvalues (ascending) of the covariance of the ROI voxel centres in mm (population, /N). */
export function principalMoments(mask: Uint8Array, size: Size3, spacing: Size3, n: number): Float64Array {
  const [nx, ny, nz] = size;
  const mean: Size3 = [0, 0, 0];
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++)
        if (mask[i]) {
          mean[0] += z * spacing[2];
          mean[1] += y * spacing[1];
          mean[2] += x * spacing[0];
        }
  for (let d = 0; d < 3; d++) mean[d]! /= n;
  const cov = new Float64Array(9);
  i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++)
        if (mask[i]) {
          const p0 = z * spacing[2] - mean[0];
          const p1 = y * spacing[1] - mean[1];
          const p2 = x * spacing[0] - mean[2];
          cov[0]! += p0 * p0;
          cov[1]! += p0 * p1;
          cov[2]! += p0 * p2;
          cov[3]! += p1 * p0;
          cov[4]! += p1 * p1;
          cov[5]! += p1 * p2;
          cov[6]! += p2 * p0;
          cov[7]! += p2 * p1;
          cov[8]! += p2 * p2;
        }
  for (let k = 0; k < 9; k++) cov[k]! /= n;
  const ev = symmetricEigenvalues(cov, 3);
  for (let k = 0; k < 3; k++) if (ev[k]! < 0 && ev[k]! > -1e-10) ev[k] = 0;
  return ev.sort();
}
