/**
 * Otsu's threshold (Otsu 1979) as ITK 5.2's OtsuThresholdImageFilter computes it,
 * and the foreground mask SimpleITK's N4 example builds with it when no mask is
 * given: `OtsuThreshold(image, 0, 1, 200)` — voxels above the threshold are 1.
 *
 * ITK's procedure, reproduced step by step so that the threshold is ITK's to the bit:
 * the image as float32; a histogram of `bins` bins from its minimum to its maximum
 * plus a margin of (max − min)/bins/100 (ImageToHistogramFilter's marginal scale),
 * bin edges min + j·Δ with Δ and j·Δ computed in float32 (Histogram::Initialize);
 * each bin measured at its midpoint; the threshold bin t maximises the between-class
 * term Σ n_c·μ_c² over the classes "bins ≤ t" and "bins > t" (t < bins − 1; a later
 * t wins only when its term is larger by more than one ulp); the threshold is that
 * bin's upper edge, as float32.
 */
import type { Vec3, Volume } from './volume.js';

export interface OtsuResult {
  threshold: number;
  bins: number;
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** ITK's Math::FloatAlmostEqual(a, b, 1 ulp, 0.1·ε) for the non-negative values compared here. */
function withinOneUlp(a: number, b: number): boolean {
  if (Math.abs(a - b) <= 0.1 * Number.EPSILON) return true;
  f64[0] = a;
  const ia = i64[0]!;
  f64[0] = b;
  const d = ia - i64[0]!;
  return d <= 1n && d >= -1n;
}

/** Otsu threshold of the values (read as float32), ITK's OtsuThresholdCalculator on a `bins`-bin histogram. */
export function otsuThreshold(values: ArrayLike<number>, bins = 200, what = 'image'): OtsuResult {
  if (!Number.isInteger(bins) || bins < 2) throw new Error(`otsu: bins must be an integer ≥ 2, got ${bins}`);
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  for (let v = 0; v < n; v++) {
    const x = Math.fround(values[v]!);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (!(max > min)) throw new Error(`${what}: Otsu's threshold needs at least two distinct intensities (all voxels are ${min})`);
  const upper = max + (max - min) / bins / 100;
  const f = Math.fround;
  const interval = f(f(f(upper) - f(min)) / f(bins));
  const lo = new Float64Array(bins);
  const hi = new Float64Array(bins);
  for (let j = 0; j < bins; j++) lo[j] = min + f(f(j) * interval);
  for (let j = 0; j < bins - 1; j++) hi[j] = lo[j + 1]!;
  hi[bins - 1] = upper;

  const freq = new Float64Array(bins);
  for (let v = 0; v < n; v++) {
    const x = f(values[v]!);
    // the bin with lo ≤ x < hi (Histogram::GetIndex's search over contiguous bins)
    let j = Math.min(bins - 1, Math.max(0, Math.floor((x - min) / interval)));
    while (j > 0 && x < lo[j]!) j--;
    while (j < bins - 1 && x >= hi[j]!) j++;
    freq[j]!++;
  }
  const meas = new Float64Array(bins);
  for (let j = 0; j < bins; j++) meas[j] = (lo[j]! + hi[j]!) / 2;

  // OtsuMultipleThresholdsCalculator with one threshold, in its order of operations
  let globalMean = 0;
  for (let j = 0; j < bins; j++) globalMean += meas[j]! * freq[j]!;
  globalMean /= n;
  let freq0 = freq[0]!;
  let mean0 = freq0 > 0 ? meas[0]! : 0;
  let freq1 = n - freq0;
  let mean1 = freq1 > 0 ? (globalMean * n - mean0 * freq0) / freq1 : 0;
  let maxVar = (freq0 * (mean0 * mean0) + freq1 * (mean1 * mean1)) / n;
  let best = 0;
  for (let t = 1; t <= bins - 2; t++) {
    const meanOld = mean0;
    const freqOld = freq0;
    freq0 += freq[t]!;
    mean0 = freq0 > 0 ? (meanOld * freqOld + meas[t]! * freq[t]!) / freq0 : 0;
    freq1 = n - freq0;
    mean1 = globalMean * n - mean0 * freq0;
    mean1 = freq1 > 0 ? mean1 / freq1 : 0;
    const v = (freq0 * (mean0 * mean0) + freq1 * (mean1 * mean1)) / n;
    if (v > maxVar && !withinOneUlp(maxVar, v)) {
      maxVar = v;
      best = t;
    }
  }
  return { threshold: f(hi[best]!), bins };
}

export interface ForegroundMask extends OtsuResult {
  /** uint8 0/1 on the image grid: 1 where the intensity is above the threshold. */
  mask: Volume;
  voxels: number;
}

/** SimpleITK's N4 example's default mask: Otsu's threshold over the whole image (200 bins), 1 above it. */
export function otsuForegroundMask(image: Volume, bins = 200, what = 'image'): ForegroundMask {
  const { threshold } = otsuThreshold(image.data, bins, what);
  const data = new Uint8Array(image.data.length);
  let voxels = 0;
  for (let v = 0; v < data.length; v++) {
    if (Math.fround(image.data[v]!) > threshold) {
      data[v] = 1;
      voxels++;
    }
  }
  return {
    mask: { size: [...image.size] as Vec3, spacing: [...image.spacing] as Vec3, origin: [...image.origin] as Vec3, direction: Float64Array.from(image.direction), data },
    threshold,
    bins,
    voxels,
  };
}
