/**
 * PyRadiomics 3.1's voxel-wise intensity image types (radiomics/imageoperations.py:
 * getSquareImage, getSquareRootImage, getLogarithmImage, getExponentialImage). Each
 * rescales so the result stays on the range of the original image; values are
 * float64, as numpy computes them. M = max |x| over the whole image given.
 */
import { withData, type Volume } from '../image/volume.js';

function maxAbs(data: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]!);
    if (a > m || Number.isNaN(a)) m = a;
  }
  return m;
}

/** `square`: f(x) = (c·x)², c = 1/√M. */
export function squareImage(volume: Volume): Volume {
  const x = volume.data;
  const c = 1 / Math.sqrt(maxAbs(x));
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = c * x[i]!;
    out[i] = v * v;
  }
  return withData(volume, out);
}

/** `squareroot`: f(x) = √(M·x) for x > 0, −√(−M·x) for x < 0, 0 at 0. */
export function squareRootImage(volume: Volume): Volume {
  const x = volume.data;
  const c = maxAbs(x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    out[i] = v > 0 ? Math.sqrt(v * c) : v < 0 ? -Math.sqrt(-v * c) : v;
  }
  return withData(volume, out);
}

/**
 * `logarithm`: g(x) = log(x + 1) for x > 0, −log(1 − x) for x < 0, then rescaled by
 * M / max |g| (PyRadiomics rescales by the maximum of the transformed image, which
 * equals the documented c = M / log(M + 1)).
 */
export function logarithmImage(volume: Volume): Volume {
  const x = volume.data;
  const m = maxAbs(x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    out[i] = v > 0 ? Math.log(v + 1) : v < 0 ? -Math.log(-(v - 1)) : v;
  }
  const scale = m / maxAbs(out);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * scale;
  return withData(volume, out);
}

/** `exponential`: f(x) = exp(c·x), c = log(M)/M. */
export function exponentialImage(volume: Volume): Volume {
  const x = volume.data;
  const m = maxAbs(x);
  const c = Math.log(m) / m;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.exp(c * x[i]!);
  return withData(volume, out);
}
