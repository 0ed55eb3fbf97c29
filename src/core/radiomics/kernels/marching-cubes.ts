/**
 * The marching-cubes walk shared by both radiomics engines' meshes: the binary mask padded with
 * one empty voxel on every side (so the surface is closed), and the list of its surface cubes —
 * the 2×2×2 blocks of voxel centres with corners both inside and outside — each with its corner
 * configuration (bit c set = corner c inside, corners numbered as the caller lists them).
 *
 * What each engine builds on a cube differs on purpose, each pinned to its own reference, and
 * stays with the engine:
 *
 * - PyRadiomics (`shape/matrix.ts`, as its C extension `cshape.c`): the classic 128-entry
 *   triangle table (`shape/marching-cubes.ts`, generated, the largest-area fan of each polygon),
 *   the complement of a configuration with corner 7 inside triangulated reversed; vertices in
 *   (z, y, x) mm from the padded origin; volume and area summed triangle by triangle; diameters
 *   from the edge crossings.
 * - IBSI 1 (`ibsi/mesh.ts`): the polygons built per cube from its faces and fanned from the
 *   vertex that encloses the most inside (outside, above four inside corners) volume in mm; an
 *   indexed mesh in (x, y, z) mm of the unpadded grid, whose volume and area `meshVolumeArea` sums
 *   and whose vertices the convex hull reads.
 */
import type { Size3 } from './grid.js';

export interface PaddedMask {
  /** 1 inside, 0 outside, on the grid grown by one voxel on every side. */
  data: Uint8Array;
  /** Padded size (nx + 2, ny + 2, nz + 2). */
  size: Size3;
  /** Number of voxels inside. */
  count: number;
}

/** `mask` (non-zero = inside, x fastest, grid of `size`) padded by one empty voxel on every side. */
export function padMask(mask: ArrayLike<number>, size: readonly number[]): PaddedMask {
  const [nx, ny, nz] = size as Size3;
  const px = nx + 2;
  const py = ny + 2;
  const pz = nz + 2;
  const data = new Uint8Array(px * py * pz);
  let count = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const v = mask[x + nx * (y + ny * z)] ? 1 : 0;
        data[x + 1 + px * (y + 1 + py * (z + 1))] = v;
        count += v;
      }
  return { data, size: [px, py, pz], count };
}

export interface SurfaceCubes {
  /** Corner configuration of each surface cube (bit c = corner c inside). */
  config: number[];
  /** Padded index (i, j, k) of each cube's corner (0, 0, 0), flat triples. */
  cube: number[];
}

/**
 * The cubes of a padded mask whose corners are not all inside or all outside, in voxel order
 * (x fastest). `corners[c]` is the offset (dx, dy, dz) of corner c from the cube's first voxel.
 */
export function surfaceCubes(p: PaddedMask, corners: readonly (readonly [number, number, number])[]): SurfaceCubes {
  const [px, py, pz] = p.size;
  const { data } = p;
  const offset = corners.map(([dx, dy, dz]) => dx + px * (dy + py * dz));
  const full = (1 << corners.length) - 1;
  const config: number[] = [];
  const cube: number[] = [];
  for (let k = 0; k < pz - 1; k++)
    for (let j = 0; j < py - 1; j++)
      for (let i = 0; i < px - 1; i++) {
        const base = i + px * (j + py * k);
        let c = 0;
        for (let t = 0; t < offset.length; t++) if (data[base + offset[t]!]) c |= 1 << t;
        if (c === 0 || c === full) continue;
        config.push(c);
        cube.push(i, j, k);
      }
  return { config, cube };
}
