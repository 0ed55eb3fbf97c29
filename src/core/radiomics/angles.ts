/**
 * Neighbour offsets ("angles") in the order PyRadiomics' C extension builds them
 * (`build_angles`): offsets are enumerated with the z offset varying slowest and
 * each offset running from +d to −d; an offset is kept when it is not (0,0,0), does
 * not move in the excluded 2D dimension, fits inside the image and its infinity
 * norm is one of the requested distances. Mono-directional sets (GLCM, GLRLM) keep
 * the first half, i.e. one of each pair ±a (13 in 3D, 4 in 2D at distance 1).
 *
 * Offsets are returned as [dx, dy, dz] triples in a flat Int32Array; the order is
 * PyRadiomics' order, so angle index a here is angle index a in its matrices.
 */

/**
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
          const o = off[d];
          if ((d === force2Ddimension && o !== 0) || o >= npSize[d] || o <= -npSize[d]) {
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
