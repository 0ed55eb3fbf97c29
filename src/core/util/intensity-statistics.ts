/**
 * The intensity statistics of IBSI 1 §3.3 (UHIW), shared by the IBSI 1 engine (on the ROI's
 * intensities, and its intensity histogram on discretised levels) and the IBSI 2 phase 2
 * benchmark (on filter response maps). Kept below both in util so the filters do not
 * import the radiomics engine.
 */

/** Percentile with linear interpolation between order statistics (numpy's default, as the reference implementation). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function sortedCopy(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let n = 0; n < x.length; n++) s += x[n]!;
  return s / x.length;
}

/**
 * The statistics shared by `stat_` (on intensities) and `ih_` (on discretised levels), IBSI 1 §3.3–3.4:
 * population moments, excess kurtosis, percentiles with linear interpolation, robust MAD over [P10, P90].
 */
export function descriptive(x: ArrayLike<number>): Record<string, number> {
  const n = x.length;
  if (n === 0) throw new Error('intensity statistics: the region has no value');
  const s = sortedCopy(x);
  const mu = mean(x);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  let mad = 0;
  for (let t = 0; t < n; t++) {
    const d = x[t]! - mu;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
    mad += Math.abs(d);
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  mad /= n;
  const p10 = percentile(s, 0.1);
  const p25 = percentile(s, 0.25);
  const p75 = percentile(s, 0.75);
  const p90 = percentile(s, 0.9);
  const median = percentile(s, 0.5);
  // Robust mean absolute deviation (1A0V): only values within [P10, P90].
  let rs = 0;
  let rn = 0;
  for (let t = 0; t < n; t++)
    if (x[t]! >= p10 && x[t]! <= p90) {
      rs += x[t]!;
      rn++;
    }
  const rmu = rs / rn;
  let rmad = 0;
  for (let t = 0; t < n; t++) if (x[t]! >= p10 && x[t]! <= p90) rmad += Math.abs(x[t]! - rmu);
  rmad /= rn;
  let medad = 0;
  for (let t = 0; t < n; t++) medad += Math.abs(x[t]! - median);
  medad /= n;
  return {
    mean: mu,
    var: m2,
    skew: m2 === 0 ? 0 : m3 / Math.pow(m2, 1.5),
    kurt: m2 === 0 ? 0 : m4 / (m2 * m2) - 3,
    median,
    min: s[0]!,
    p10,
    p90,
    max: s[n - 1]!,
    iqr: p75 - p25,
    range: s[n - 1]! - s[0]!,
    mad,
    rmad,
    medad,
    cov: Math.sqrt(m2) / mu,
    qcod: (p75 - p25) / (p75 + p25),
  };
}

/** Intensity-based statistical features (IBSI 1 §3.3, UHIW) of the intensities in the intensity mask. */
export function intensityStatistics(values: ArrayLike<number>): Record<string, number> {
  const d = descriptive(values);
  let energy = 0;
  for (let t = 0; t < values.length; t++) energy += values[t]! * values[t]!;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(d)) out[`stat_${k}`] = v;
  out.stat_energy = energy;
  out.stat_rms = Math.sqrt(energy / values.length);
  return out;
}
