/**
 * IBSI 1 local intensity features (9ST6, §3.2): the mean intensity in a sphere of 1 cm³
 * (radius (3/(4π))^{1/3} cm ≈ 6.2 mm) around a voxel centre, over all image voxels whose centres
 * lie in the sphere (inside or outside the ROI).
 */
import type { IbsiRoi } from './roi.js';

const RADIUS_MM = 10 * Math.cbrt(3 / (4 * Math.PI));

export function localIntensityFeatures(roi: IbsiRoi): Record<string, number> {
  const [nx, ny, nz] = roi.size;
  const [sx, sy, sz] = roi.spacing;
  const r = [Math.floor(RADIUS_MM / sx), Math.floor(RADIUS_MM / sy), Math.floor(RADIUS_MM / sz)];
  const offs: [number, number, number][] = [];
  for (let c = -r[2]!; c <= r[2]!; c++)
    for (let b = -r[1]!; b <= r[1]!; b++)
      for (let a = -r[0]!; a <= r[0]!; a++)
        if ((a * sx) ** 2 + (b * sy) ** 2 + (c * sz) ** 2 <= RADIUS_MM * RADIUS_MM) offs.push([a, b, c]);
  const localMean = (i: number, j: number, k: number): number => {
    let s = 0;
    let n = 0;
    for (const [a, b, c] of offs) {
      const p = i + a, q = j + b, t = k + c;
      if (p < 0 || p >= nx || q < 0 || q >= ny || t < 0 || t >= nz) continue;
      s += roi.image[p + nx * (q + ny * t)]!;
      n++;
    }
    return s / n;
  };
  let maxI = -Infinity;
  let peakLoc = -Infinity;
  let peakGlob = -Infinity;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const v = i + nx * (j + ny * k);
        if (!roi.intMask[v]) continue;
        const m = localMean(i, j, k);
        if (m > peakGlob) peakGlob = m;
        const x = roi.image[v]!;
        // Local peak: among the voxels of maximum intensity, the highest local mean.
        if (x > maxI) {
          maxI = x;
          peakLoc = m;
        } else if (x === maxI && m > peakLoc) peakLoc = m;
      }
  return { loc_peak_loc: peakLoc, loc_peak_glob: peakGlob };
}
