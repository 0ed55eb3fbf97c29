/**
 * Neighbour and direction tables shared by both radiomics engines' texture matrices. Offsets are
 * (dx, dy, dz) in voxels; what differs between the engines is only which offsets they take and in
 * which order (the order fixes the order of the per-direction sums, so each engine keeps its own):
 *
 * - PyRadiomics (`buildAngles`): the order of its C extension's `build_angles`, any distances,
 *   2D along any axis; a direction's index is its index in PyRadiomics' matrices.
 * - IBSI 1 (`DIRECTIONS_2D`, `DIRECTIONS_3D`): the 13 unique directions at Chebyshev distance 1
 *   with the 4 in-plane ones first, so the 2D set is a prefix of the 3D set.
 * - `chebyshevNeighbourhood`: the whole 8- (2D) or 26- (3D) neighbourhood, for zones and
 *   neighbourhood matrices.
 *
 * `offsetSteps` and `maxDistance` turn offsets into linear index steps on a (padded) grid.
 */

/**
 * PyRadiomics' neighbour offsets ("angles"), in the order PyRadiomics' C extension builds them
 * (`build_angles`): offsets are enumerated with the z offset varying slowest and
 * each offset running from +d to −d; an offset is kept when it is not (0,0,0), does
 * not move in the excluded 2D dimension, fits inside the image and its infinity
 * norm is one of the requested distances. Mono-directional sets (GLCM, GLRLM) keep
 * the first half, i.e. one of each pair ±a (13 in 3D, 4 in 2D at distance 1).
 *
 * Offsets are returned as [dx, dy, dz] triples in a flat Int32Array; the order is
 * PyRadiomics' order, so angle index a here is angle index a in its matrices.
 *
 * @param size voxels along x, y, z of the (cropped) image
 * @param force2Ddimension PyRadiomics' dimension index in numpy (z, y, x) order:
 *   0 = z (axial slices), 1 = y, 2 = x; null for 3D.
 */
export function buildAngles(
  size: readonly number[],
  distances: readonly number[],
  bidirectional: boolean,
  force2Ddimension: number | null,
): Int32Array {
  const maxD = Math.max(...distances);
  if (!(maxD >= 1) || distances.some((d) => !(d >= 1) || !Number.isInteger(d)))
    throw new Error(`distances must be positive integers, got [${distances.join(', ')}]`);
  // numpy order: dimension 0 = z, 1 = y, 2 = x
  const npSize = [size[2], size[1], size[0]];
  const out: number[] = [];
  const off = [0, 0, 0];
  for (off[0] = maxD; off[0] >= -maxD; off[0]--)
    for (off[1] = maxD; off[1] >= -maxD; off[1]--)
      for (off[2] = maxD; off[2] >= -maxD; off[2]--) {
        let norm = 0;
        let valid = true;
        for (let d = 0; d < 3; d++) {
          const o = off[d]!;
          if ((d === force2Ddimension && o !== 0) || o >= npSize[d]! || o <= -npSize[d]!) {
            valid = false;
            break;
          }
          norm = Math.max(norm, Math.abs(o));
        }
        if (!valid || norm < 1 || !distances.includes(norm)) continue;
        out.push(off[2], off[1], off[0]);
      }
  const n = out.length / 3;
  return Int32Array.from(bidirectional ? out : out.slice(0, (n >> 1) * 3));
}

/** The 4 unique in-plane directions at Chebyshev distance 1 (2D). */
export const DIRECTIONS_2D: ReadonlyArray<readonly [number, number, number]> = [
  [1, 0, 0],
  [0, 1, 0],
  [1, 1, 0],
  [1, -1, 0],
];

/** The 13 unique directions at Chebyshev distance 1 (3D). */
export const DIRECTIONS_3D: ReadonlyArray<readonly [number, number, number]> = [
  ...DIRECTIONS_2D,
  [0, 0, 1],
  [1, 0, 1],
  [1, 0, -1],
  [0, 1, 1],
  [0, 1, -1],
  [1, 1, 1],
  [1, 1, -1],
  [1, -1, 1],
  [1, -1, -1],
];

/** Every offset of the Chebyshev distance-1 neighbourhood, in-slice (8, 2D) or in the volume (26), dz then dy then dx from −1 to 1. */
export function chebyshevNeighbourhood(twoD: boolean): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let dz = twoD ? 0 : -1; dz <= (twoD ? 0 : 1); dz++)
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (dx || dy || dz) out.push([dx, dy, dz]);
  return out;
}

/** The largest |component| of the offsets: the padding their neighbours need. */
export function maxDistance(angles: Int32Array): number {
  let d = 0;
  for (const o of angles) d = Math.max(d, Math.abs(o));
  return d;
}

/** Linear index steps of the offsets (flat dx, dy, dz triples) on a grid of `size`. */
export function offsetSteps(angles: Int32Array, size: readonly number[]): Int32Array {
  const n = angles.length / 3;
  const steps = new Int32Array(n);
  for (let a = 0; a < n; a++) steps[a] = angles[3 * a]! + size[0]! * (angles[3 * a + 1]! + size[1]! * angles[3 * a + 2]!);
  return steps;
}
