/**
 * Boundary conditions of the IBSI 2 reference manual (arXiv:2006.05470, section 2.3,
 * "padding"): how a filter sees voxels outside the image.
 *
 * - `zero`     — constant value 0 outside the image;
 * - `nearest`  — the edge voxel is repeated;
 * - `periodic` — the image wraps around (tiles the plane / space);
 * - `mirror`   — symmetric reflection that repeats the edge voxel (d c b a | a b c d | d c b a),
 *   i.e. numpy's `symmetric` / scipy.ndimage's `reflect`.
 */
export type BoundaryMode = 'zero' | 'nearest' | 'periodic' | 'mirror';

/** Parse a user-facing boundary name (also accepts the scipy / numpy / MIRP spellings). */
export function parseBoundaryMode(name: unknown): BoundaryMode {
  const s = String(name ?? 'mirror').toLowerCase();
  switch (s) {
    case 'zero':
    case 'constant':
      return 'zero';
    case 'nearest':
    case 'edge':
    case 'replicate':
      return 'nearest';
    case 'periodic':
    case 'wrap':
    case 'circular':
      return 'periodic';
    case 'mirror':
    case 'symmetric':
    case 'reflect':
      return 'mirror';
    default:
      throw new Error(`boundary: unknown boundary condition "${s}" (zero, nearest, periodic or mirror)`);
  }
}

/**
 * Index inside [0, n) that position `p` (possibly outside) reads under `mode`,
 * or -1 when the value is the constant zero.
 */
export function boundaryIndex(p: number, n: number, mode: BoundaryMode): number {
  if (p >= 0 && p < n) return p;
  switch (mode) {
    case 'zero':
      return -1;
    case 'nearest':
      return p < 0 ? 0 : n - 1;
    case 'periodic':
      return ((p % n) + n) % n;
    case 'mirror': {
      const period = 2 * n;
      let q = ((p % period) + period) % period;
      if (q >= n) q = period - 1 - q;
      return q;
    }
  }
}
