/**
 * N4's histogram sharpening (Tustison et al. 2010, §II.B; Sled et al. 1998):
 * the log-intensity histogram is modelled as the true histogram blurred by a
 * Gaussian (the bias field's log distribution, of width `fwhm`); a Wiener
 * deconvolution estimates the sharpened histogram U, and each voxel is mapped
 * to its expected true intensity E[u | v] = (v·U ⊛ F)/(U ⊛ F).
 * Follows ITK's N4BiasFieldCorrectionImageFilter::SharpenImage.
 */
// the project's FFT (forward unnormalised, inverse with 1/N), shared with the IBSI 2 filters
import { fft1d as fftInPlace } from '../../util/fft.js';

export interface SharpenSettings {
  histogramBins: number;
  /** Full width at half maximum of the Gaussian bias-field model, in log-intensity units. */
  fwhm: number;
  wienerNoise: number;
}

/** The sharpening map E[u | v] sampled at `bins` evenly spaced log intensities from `lo` in steps of `slope`. */
export interface SharpeningMap {
  lo: number;
  slope: number;
  E: Float64Array;
}

/**
 * Build the sharpening map from the log intensities `v` at the voxels listed
 * in `indices`. `range` may give their minimum and maximum if already known.
 * Returns null when all values are equal (sharpening is then the identity).
 */
export function sharpeningMap(v: Float64Array, indices: Int32Array, s: SharpenSettings, range?: [number, number]): SharpeningMap | null {
  const bins = s.histogramBins;
  let lo = Infinity;
  let hi = -Infinity;
  if (range) [lo, hi] = range;
  else
    for (let q = 0; q < indices.length; q++) {
      const x = v[indices[q]!]!;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  if (!(hi > lo)) return null;
  const slope = (hi - lo) / (bins - 1);
  // histogram with triangular Parzen windowing
  const H = new Float64Array(bins);
  const inv = 1 / slope;
  for (let q = 0; q < indices.length; q++) {
    const c = (v[indices[q]!]! - lo) * inv;
    const i = c | 0; // c ≥ 0: truncation is floor
    const off = c - i;
    if (off === 0) H[i]! += 1;
    else if (i < bins - 1) {
      H[i]! += 1 - off;
      H[i + 1]! += off;
    }
  }
  // zero-pad to a power of two with room for the blur (2^(ceil(log2 bins) + 1))
  const padded = Math.round(Math.pow(2, Math.ceil(Math.log(bins) / Math.log(2)) + 1));
  const offset = Math.floor(0.5 * (padded - bins));
  const Vr = new Float64Array(padded);
  const Vi = new Float64Array(padded);
  for (let n = 0; n < bins; n++) Vr[n + offset] = H[n]!;
  fftInPlace(Vr, Vi);

  // Gaussian F with the given FWHM (in bins), normalised to unit area
  const scaledFwhm = s.fwhm / slope;
  const expFactor = (4 * Math.log(2)) / (scaledFwhm * scaledFwhm);
  const scale = (2 * Math.sqrt(Math.log(2) / Math.PI)) / scaledFwhm;
  const Fr = new Float64Array(padded);
  const Fi = new Float64Array(padded);
  Fr[0] = scale;
  const half = padded >> 1;
  for (let n = 1; n <= half; n++) Fr[n] = Fr[padded - n] = scale * Math.exp(-n * n * expFactor);
  fftInPlace(Fr, Fi);

  // Wiener filter G = conj(F̂)/(|F̂|² + noise); U = IFFT(V̂ · Re G), negatives set to 0
  const Ur = new Float64Array(padded);
  const Ui = new Float64Array(padded);
  for (let n = 0; n < padded; n++) {
    const den = Fr[n]! * Fr[n]! + Fi[n]! * Fi[n]! + s.wienerNoise;
    const g = Fr[n]! / den;
    Ur[n] = Vr[n]! * g;
    Ui[n] = Vi[n]! * g;
  }
  fftInPlace(Ur, Ui, true);
  for (let n = 0; n < padded; n++) {
    Ur[n] = Math.max(Ur[n]!, 0);
    Ui[n] = 0;
  }
  // E[u|v] = (bin value · U) ⊛ F / (U ⊛ F)
  const Nr = new Float64Array(padded);
  const Ni = new Float64Array(padded);
  for (let n = 0; n < padded; n++) Nr[n] = (lo + (n - offset) * slope) * Ur[n]!;
  convolveWith(Nr, Ni, Fr, Fi);
  const Dr = Float64Array.from(Ur);
  const Di = new Float64Array(padded);
  convolveWith(Dr, Di, Fr, Fi);
  const E = new Float64Array(bins);
  for (let n = 0; n < bins; n++) {
    const d = Dr[n + offset]!;
    E[n] = d !== 0 ? Nr[n + offset]! / d : 0;
  }
  return { lo, slope, E };
}

/** Value of the sharpening map at log intensity x (linear between bins, last bin beyond). */
export function applySharpening(map: SharpeningMap, x: number): number {
  const c = (x - map.lo) / map.slope;
  const i = Math.floor(c);
  const E = map.E;
  return i < E.length - 1 ? E[i]! + (E[i + 1]! - E[i]!) * (c - i) : E[E.length - 1]!;
}

/**
 * Sharpen the log intensities `v` at the voxels listed in `indices`; writes the
 * sharpened values to `out` at the same positions.
 */
export function sharpenLogIntensities(v: Float64Array, indices: Int32Array, out: Float64Array, s: SharpenSettings): void {
  const map = sharpeningMap(v, indices, s);
  for (let q = 0; q < indices.length; q++) {
    const p = indices[q]!;
    out[p] = map ? applySharpening(map, v[p]!) : v[p]!;
  }
}

/** Circular convolution of (xr, xi) with the signal whose FFT is (fr, fi), in place. */
function convolveWith(xr: Float64Array, xi: Float64Array, fr: Float64Array, fi: Float64Array): void {
  fftInPlace(xr, xi);
  for (let n = 0; n < xr.length; n++) {
    const a = xr[n]! * fr[n]! - xi[n]! * fi[n]!;
    const b = xr[n]! * fi[n]! + xi[n]! * fr[n]!;
    xr[n] = a;
    xi[n] = b;
  }
  fftInPlace(xr, xi, true);
}
