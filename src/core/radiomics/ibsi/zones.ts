/**
 * IBSI 1 grey level size zone matrix (GLSZM, 9SAK) and grey level distance zone matrix
 * (GLDZM, VMDZ). Zones are groups of connected voxels with equal grey level: 8-connected in a
 * slice (2D), 26-connected in the volume (3D).
 */
import { chebyshevNeighbourhood } from '../kernels/neighbours.js';
import type { DiscreteGrid } from './roi.js';
import {
  addCount,
  emptySizeMatrix,
  mergeSizeMatrices,
  sizeMatrixFeatures,
  sizeMatrixTotal,
  sliceAggregations,
  tagFeatures,
  type SizeMatrix,
} from './texture-common.js';

export interface Zone {
  level: number;
  size: number;
  /** Smallest distance-to-edge of the zone's voxels (GLDZM). */
  distance: number;
}

/**
 * Distance of every voxel of `mask` to the ROI edge in steps of the 4- (2D, in-slice) or
 * 6-connected (3D) neighbourhood; a voxel with a neighbour outside the ROI (or the grid) has
 * distance 1 (IBSI 1 §3.9).
 */
export function edgeDistanceMap(size: [number, number, number], mask: Uint8Array, twoD: boolean): Int32Array {
  const [nx, ny, nz] = size;
  const dist = new Int32Array(mask.length);
  const queue = new Int32Array(mask.length);
  let head = 0;
  let tail = 0;
  const steps: [number, number, number][] = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]];
  if (!twoD) steps.push([0, 0, 1], [0, 0, -1]);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const v = i + nx * (j + ny * k);
        if (!mask[v]) continue;
        for (const [dx, dy, dz] of steps) {
          const a = i + dx, b = j + dy, c = k + dz;
          if (a < 0 || a >= nx || b < 0 || b >= ny || c < 0 || c >= nz || !mask[a + nx * (b + ny * c)]) {
            dist[v] = 1;
            queue[tail++] = v;
            break;
          }
        }
      }
  while (head < tail) {
    const v = queue[head++]!;
    const i = v % nx;
    const j = ((v - i) / nx) % ny;
    const k = (v - i - nx * j) / (nx * ny);
    for (const [dx, dy, dz] of steps) {
      const a = i + dx, b = j + dy, c = k + dz;
      if (a < 0 || a >= nx || b < 0 || b >= ny || c < 0 || c >= nz) continue;
      const w = a + nx * (b + ny * c);
      if (mask[w] && dist[w] === 0) {
        dist[w] = dist[v]! + 1;
        queue[tail++] = w;
      }
    }
  }
  return dist;
}

/** Connected zones of equal grey level in slice `slice` (2D) or the whole volume (null). */
export function findZones(g: DiscreteGrid, slice: number | null, distance?: Int32Array): Zone[] {
  const [nx, ny, nz] = g.size;
  const offsets = chebyshevNeighbourhood(slice !== null);
  const k0 = slice ?? 0;
  const k1 = slice ?? nz - 1;
  const seen = new Uint8Array(g.levels.length);
  const stack: number[] = [];
  const zones: Zone[] = [];
  for (let k = k0; k <= k1; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const v0 = i + nx * (j + ny * k);
        const a = g.levels[v0];
        if (!a || seen[v0]) continue;
        seen[v0] = 1;
        stack.push(v0);
        let size = 0;
        let dmin = Infinity;
        while (stack.length) {
          const v = stack.pop()!;
          size++;
          if (distance && distance[v]! < dmin) dmin = distance[v]!;
          const vi = v % nx;
          const vj = ((v - vi) / nx) % ny;
          const vk = (v - vi - nx * vj) / (nx * ny);
          for (const [dx, dy, dz] of offsets) {
            const p = vi + dx, q = vj + dy, r = vk + dz;
            if (p < 0 || p >= nx || q < 0 || q >= ny || r < k0 || r > k1) continue;
            const w = p + nx * (q + ny * r);
            if (!seen[w] && g.levels[w] === a) {
              seen[w] = 1;
              stack.push(w);
            }
          }
        }
        zones.push({ level: a, size, distance: dmin });
      }
  return zones;
}

function countVoxels(g: DiscreteGrid, slice: number | null): number {
  const [nx, ny, nz] = g.size;
  const from = slice === null ? 0 : nx * ny * slice;
  const to = slice === null ? nx * ny * nz : from + nx * ny;
  let n = 0;
  for (let v = from; v < to; v++) if (g.levels[v]) n++;
  return n;
}

export function glszmMatrix(g: DiscreteGrid, slice: number | null): SizeMatrix {
  const m = emptySizeMatrix();
  for (const z of findZones(g, slice)) addCount(m, z.level, z.size);
  m.nv = countVoxels(g, slice);
  return m;
}

/**
 * GLDZM: zones by grey level × distance to the ROI edge. `distanceMask` is the mask the distance
 * map is computed on, `distance` its edge distance map (in-slice for 2D).
 */
export function gldzmMatrix(g: DiscreteGrid, slice: number | null, distance: Int32Array): SizeMatrix {
  const m = emptySizeMatrix();
  for (const z of findZones(g, slice, distance)) addCount(m, z.level, z.distance);
  m.nv = countVoxels(g, slice);
  return m;
}

const SZM_NAMES = {
  se: 'sze', le: 'lze', lg: 'lgze', hg: 'hgze', slg: 'szlge', shg: 'szhge', llg: 'lzlge', lhg: 'lzhge',
  glnu: 'glnu', glnu_norm: 'glnu_norm', jnu: 'zsnu', jnu_norm: 'zsnu_norm', perc: 'z_perc',
  gl_var: 'gl_var', j_var: 'zs_var', entr: 'zs_entr',
};

const DZM_NAMES = {
  se: 'sde', le: 'lde', lg: 'lgze', hg: 'hgze', slg: 'sdlge', shg: 'sdhge', llg: 'ldlge', lhg: 'ldhge',
  glnu: 'glnu', glnu_norm: 'glnu_norm', jnu: 'zdnu', jnu_norm: 'zdnu_norm', perc: 'z_perc',
  gl_var: 'gl_var', j_var: 'zd_var', entr: 'zd_entr',
};

export function glszmFamily(g: DiscreteGrid, which: { twoD: boolean; threeD: boolean }): Record<string, number> {
  const agg = sliceAggregations(g, (k) => glszmMatrix(g, k), mergeSizeMatrices, (m) => sizeMatrixTotal(m) === 0, sizeMatrixFeatures, which);
  const out: Record<string, number> = {};
  for (const [suffix, f] of Object.entries(agg)) Object.assign(out, tagFeatures(f, 'szm', SZM_NAMES, '_' + suffix));
  return out;
}

export function gldzmFamily(
  g: DiscreteGrid,
  distanceMask: Uint8Array,
  which: { twoD: boolean; threeD: boolean },
): Record<string, number> {
  const dist2D = which.twoD ? edgeDistanceMap(g.size, distanceMask, true) : null;
  const dist3D = which.threeD ? edgeDistanceMap(g.size, distanceMask, false) : null;
  const agg = sliceAggregations(
    g,
    (k) => gldzmMatrix(g, k, (k === null ? dist3D : dist2D)!),
    mergeSizeMatrices,
    (m) => sizeMatrixTotal(m) === 0,
    sizeMatrixFeatures,
    which,
  );
  const out: Record<string, number> = {};
  for (const [suffix, f] of Object.entries(agg)) Object.assign(out, tagFeatures(f, 'dzm', DZM_NAMES, '_' + suffix));
  return out;
}
