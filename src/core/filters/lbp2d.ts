/**
 * PyRadiomics 3.1's `LBP2D` image type: scikit-image's `local_binary_pattern`
 * (Ojala, Pietikäinen & Mäenpää 2002, IEEE TPAMI 24(7)) applied slice by slice in
 * the plane orthogonal to `force2Ddimension`. P neighbours on a circle of radius R
 * (in voxels) at angle 2πp/P, row offset −R·sin, column offset R·cos (rounded to 5
 * decimals), read by bilinear interpolation with zeros outside the slice; a
 * neighbour counts as 1 when it is ≥ the centre.
 *
 * Methods: `default` (Σ 2^p), `ror` (minimum over bit rotations), `uniform`
 * (number of ones when the pattern has ≤ 2 changes, else P + 1; scikit-image counts
 * changes along p = 0 … P−1 without wrapping round), `nri_uniform` (one code per
 * uniform pattern), `var` (neighbour variance, NaN when 0).
 * As in PyRadiomics, results are written back into an array of the input's voxel
 * type (integer inputs keep integer codes).
 */
import { withData, type Vec3, type Volume, type VoxelArray } from '../image/volume.js';

/** An ITK axis index (x, y, z). */
type Axis = 0 | 1 | 2;

export type LbpMethod = 'default' | 'ror' | 'uniform' | 'nri_uniform' | 'var';

export interface Lbp2DOptions {
  /** lbp2DRadius, default 1. */
  radius?: number;
  /** lbp2DSamples, default 8. */
  samples?: number;
  /** lbp2DMethod, default "uniform". */
  method?: LbpMethod;
  /** PyRadiomics' force2Ddimension in numpy (z, y, x) order: 0 = axial slices (default). */
  force2Ddimension?: number;
}

/** numpy.round(x, 5): round half to even at 5 decimals. */
function round5(x: number): number {
  const y = x * 1e5;
  let r = Math.round(y);
  if (Math.abs(y - Math.trunc(y)) === 0.5 && r % 2 !== 0) r -= 1;
  return r / 1e5;
}

function rotateRight(value: number, length: number): number {
  return (value >> 1) | ((value & 1) << (length - 1));
}

/** LBP of one 2-D slice `img` (rows × cols, row-major), written to `out`. */
export function localBinaryPattern2D(
  img: Float64Array,
  rows: number,
  cols: number,
  P: number,
  R: number,
  method: LbpMethod,
  out: Float64Array,
): void {
  const rp = new Float64Array(P);
  const cp = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    const a = (2 * Math.PI * p) / P;
    rp[p] = round5(-R * Math.sin(a));
    cp[p] = round5(R * Math.cos(a));
  }
  const texture = new Float64Array(P);
  const signed = new Int8Array(P);
  const pixel = (r: number, c: number) => (r < 0 || r >= rows || c < 0 || c >= cols ? 0 : img[r * cols + c]!);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const centre = img[r * cols + c]!;
      for (let i = 0; i < P; i++) {
        // Bilinear interpolation exactly as scikit-image evaluates it.
        const y = r + rp[i]!;
        const x = c + cp[i]!;
        const minr = Math.floor(y);
        const minc = Math.floor(x);
        const maxr = Math.ceil(y);
        const maxc = Math.ceil(x);
        const dr = y - minr;
        const dc = x - minc;
        const top = (1 - dc) * pixel(minr, minc) + dc * pixel(minr, maxc);
        const bottom = (1 - dc) * pixel(maxr, minc) + dc * pixel(maxr, maxc);
        texture[i] = (1 - dr) * top + dr * bottom;
        signed[i] = texture[i]! - centre >= 0 ? 1 : 0;
      }
      let lbp = 0;
      if (method === 'var') {
        let sum = 0;
        let sq = 0;
        for (let i = 0; i < P; i++) {
          sum += texture[i]!;
          sq += texture[i]! * texture[i]!;
        }
        const v = (sq - (sum * sum) / P) / P;
        lbp = v !== 0 ? v : NaN;
      } else if (method === 'uniform' || method === 'nri_uniform') {
        let changes = 0;
        for (let i = 0; i < P - 1; i++) changes += signed[i] !== signed[i + 1] ? 1 : 0;
        if (method === 'uniform') {
          if (changes <= 2) for (let i = 0; i < P; i++) lbp += signed[i]!;
          else lbp = P + 1;
        } else if (changes <= 2) {
          let ones = 0;
          let firstOne = -1;
          let firstZero = -1;
          for (let i = 0; i < P; i++) {
            if (signed[i]) {
              ones++;
              if (firstOne === -1) firstOne = i;
            } else if (firstZero === -1) firstZero = i;
          }
          if (ones === 0) lbp = 0;
          else if (ones === P) lbp = P * (P - 1) + 1;
          else {
            const rot = firstOne === 0 ? ones - firstZero : P - firstOne;
            lbp = 1 + (ones - 1) * P + rot;
          }
        } else lbp = P * (P - 1) + 2;
      } else {
        for (let i = 0; i < P; i++) lbp += signed[i]! * 2 ** i;
        if (method === 'ror') {
          let chain = lbp;
          for (let i = 1; i < P; i++) {
            chain = rotateRight(chain, P);
            lbp = Math.min(lbp, chain);
          }
        }
      }
      out[r * cols + c] = lbp;
    }
  }
}

/**
 * PyRadiomics `getLBP2DImage` on a 3-D volume: slices orthogonal to numpy axis
 * `force2Ddimension` (0 = z: rows y, columns x; 1 = y: rows z, columns x;
 * 2 = x: rows y, columns z).
 */
export function lbp2DImage(volume: Volume, options: Lbp2DOptions = {}): Volume {
  const P = options.samples ?? 8;
  const R = options.radius ?? 1;
  const method = options.method ?? 'uniform';
  const dim = options.force2Ddimension ?? 0;
  if (!Number.isInteger(P) || P < 1 || P > 30) throw new Error(`LBP 2D: lbp2DSamples must be an integer 1…30, got ${P}`);
  if (![0, 1, 2].includes(dim)) throw new Error(`LBP 2D: force2Ddimension must be 0, 1 or 2, got ${dim}`);
  const [nx, ny] = volume.size;
  const strides: Vec3 = [1, nx, nx * ny];
  // ITK axes of (slice, row, column) for each numpy axis left out.
  const [sAxis, rAxis, cAxis]: [Axis, Axis, Axis] = dim === 0 ? [2, 1, 0] : dim === 1 ? [1, 2, 0] : [0, 1, 2];
  const n = volume.size;
  const rows = n[rAxis];
  const cols = n[cAxis];
  const slice = new Float64Array(rows * cols);
  const res = new Float64Array(rows * cols);
  const src = volume.data;
  const Ctor = src.constructor as new (n: number) => VoxelArray;
  const out = new Ctor(src.length);
  for (let s = 0; s < n[sAxis]; s++) {
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) slice[r * cols + c] = src[s * strides[sAxis] + r * strides[rAxis] + c * strides[cAxis]]!;
    localBinaryPattern2D(slice, rows, cols, P, R, method, res);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) out[s * strides[sAxis] + r * strides[rAxis] + c * strides[cAxis]] = res[r * cols + c]!;
  }
  return withData(volume, out);
}
