/**
 * Moran's I (N365) and Geary's C (NPT7) of the intensities in the intensity mask, with weights
 * w_ij = 1 / ‖r_i − r_j‖ (mm) for every pair of distinct voxels (IBSI 1 §3.1.28–29).
 *
 * All pair sums have the form Σ_o w(o)·Σ_i a_i b_{i+o} over grid offsets o, i.e. cross-correlations
 * weighted by w(o); `moranGearyFft` evaluates them with zero-padded FFTs (the IBSI 2 filters' FFT) in O(N log N), so the whole
 * CT phantom needs no sampling. `moranGearyDirect` is the O(N²) definition, for small ROIs and checks.
 */
import { fftAxes } from '../../util/fft.js';
import type { Size3 } from './roi.js';

export interface MoranGeary {
  moranI: number;
  gearyC: number;
}

export function moranGearyDirect(size: Size3, spacing: Size3, image: ArrayLike<number>, mask: Uint8Array): MoranGeary {
  const [nx, ny] = size;
  const pos: number[] = [];
  const val: number[] = [];
  for (let v = 0; v < mask.length; v++) {
    if (!mask[v]) continue;
    const i = v % nx;
    const j = ((v - i) / nx) % ny;
    const k = (v - i - nx * j) / (nx * ny);
    pos.push(i * spacing[0], j * spacing[1], k * spacing[2]);
    val.push(image[v]!);
  }
  const n = val.length;
  let mu = 0;
  for (const x of val) mu += x;
  mu /= n;
  let den = 0;
  for (const x of val) den += (x - mu) ** 2;
  let sw = 0, mor = 0, gea = 0;
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      const w = 1 / Math.hypot(pos[3 * a]! - pos[3 * b]!, pos[3 * a + 1]! - pos[3 * b + 1]!, pos[3 * a + 2]! - pos[3 * b + 2]!);
      sw += 2 * w;
      mor += 2 * w * (val[a]! - mu) * (val[b]! - mu);
      gea += 2 * w * (val[a]! - val[b]!) ** 2;
    }
  return { moranI: (n / sw) * (mor / den), gearyC: ((n - 1) / (2 * sw)) * (gea / den) };
}

function fft3(re: Float64Array, im: Float64Array, dims: Size3, inverse: boolean): void {
  fftAxes(re, im, dims, [0, 1, 2], inverse);
}

const pow2 = (n: number) => 1 << Math.ceil(Math.log2(Math.max(1, n)));

export function moranGearyFft(size: Size3, spacing: Size3, image: ArrayLike<number>, mask: Uint8Array): MoranGeary {
  const [nx, ny, nz] = size;
  const dims: Size3 = [pow2(2 * nx - 1), pow2(2 * ny - 1), pow2(2 * nz - 1)];
  const total = dims[0] * dims[1] * dims[2];
  let n = 0, mu = 0;
  for (let v = 0; v < mask.length; v++)
    if (mask[v]) {
      n++;
      mu += image[v]!;
    }
  mu /= n;
  // Two real fields per complex FFT: (m, y) and (y², 0), with y = (x − μ)·m.
  const r1 = new Float64Array(total), i1 = new Float64Array(total);
  const r2 = new Float64Array(total), i2 = new Float64Array(total);
  let den = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const v = i + nx * (j + ny * k);
        if (!mask[v]) continue;
        const y = image[v]! - mu;
        const t = i + dims[0] * (j + dims[1] * k);
        r1[t] = 1;
        i1[t] = y;
        r2[t] = y * y;
        den += y * y;
      }
  fft3(r1, i1, dims, false);
  fft3(r2, i2, dims, false);
  // Separate M = F(m) and Y = F(y) from Z = M + iY: M(k) = (Z(k) + conj Z(−k))/2, Y(k) = (Z(k) − conj Z(−k))/(2i).
  // Spectra of the correlations: C_mm = |M|², C_yy = |Y|², C_am = A·conj(M) with a = y².
  const cr = new Float64Array(total), ci = new Float64Array(total); // C_mm + i·C_yy (both real fields)
  const er = new Float64Array(total), ei = new Float64Array(total); // C_am
  const [a, b, c] = dims;
  for (let k = 0; k < c; k++)
    for (let j = 0; j < b; j++)
      for (let i = 0; i < a; i++) {
        const t = i + a * (j + b * k);
        const u = ((a - i) % a) + a * (((b - j) % b) + b * ((c - k) % c));
        const zr = r1[t]!, zi = i1[t]!, wr = r1[u]!, wi = -i1[u]!;
        const mr = (zr + wr) / 2, mi = (zi + wi) / 2;
        const yr = (zi - wi) / 2, yi = -(zr - wr) / 2;
        const cmm = mr * mr + mi * mi;
        const cyy = yr * yr + yi * yi;
        cr[t] = cmm;
        ci[t] = cyy;
        // A·conj(M)
        er[t] = r2[t]! * mr + i2[t]! * mi;
        ei[t] = i2[t]! * mr - r2[t]! * mi;
      }
  fft3(cr, ci, dims, true);
  fft3(er, ei, dims, true);
  let sw = 0, mor = 0, gea = 0;
  for (let k = 0; k < c; k++) {
    const dz = (k <= c / 2 ? k : k - c) * spacing[2];
    for (let j = 0; j < b; j++) {
      const dy = (j <= b / 2 ? j : j - b) * spacing[1];
      for (let i = 0; i < a; i++) {
        if (i === 0 && j === 0 && k === 0) continue;
        const dx = (i <= a / 2 ? i : i - a) * spacing[0];
        const w = 1 / Math.sqrt(dx * dx + dy * dy + dz * dz);
        const t = i + a * (j + b * k);
        const cmm = cr[t]!;
        if (Math.abs(cmm) < 0.5) continue; // no voxel pair at this offset
        sw += w * cmm;
        mor += w * ci[t]!;
        // Σ_{pairs at o} (y_i − y_j)² = C_am(o) + C_am(−o) − 2 C_yy(o); w(o) = w(−o), so 2 C_am suffices over all o.
        gea += w * (2 * er[t]! - 2 * ci[t]!);
      }
    }
  }
  return { moranI: (n / sw) * (mor / den), gearyC: ((n - 1) / (2 * sw)) * (gea / den) };
}
