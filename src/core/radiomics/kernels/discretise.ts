/**
 * Grey-level discretisation kernel shared by both radiomics engines: the intensity range of the
 * ROI, and the pass that gives every ROI voxel its grey level (1 … N_g, 0 outside) by a bin rule.
 *
 * The bin rules differ on purpose, each pinned to its own reference, and are the thin
 * definitions on top:
 *
 * - PyRadiomics (`imageoperations.getBinEdges` / `binImage`): bin edges first, then
 *   `numpy.digitize(x, edges)` (`edgesRule`). Fixed bin width: edges from the largest multiple of
 *   the width ≤ min (Python's floor modulo) to max + 2w by `numpy.arange`, so every bin is
 *   half-open and a flat ROI on an exact multiple gets the single bin [e − 0.5, e + 0.5]. Fixed
 *   bin count: `numpy.histogram`'s equal-width edges over [min, max], the last one raised by 1.
 * - IBSI 1 §2.7 (`ibsiFixedBinSize`, `ibsiFixedBinNumber`): by formula, ⌊(x − X_min)/w⌋ + 1 from
 *   a chosen lower bound, and min(N_g, ⌊N_g (x − min)/(max − min)⌋ + 1) (1 on a flat ROI).
 */

/** Smallest and largest value where `mask` is set ([∞, −∞] for an empty mask). */
export function intensityRange(values: ArrayLike<number>, mask: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let v = 0; v < mask.length; v++) {
    if (!mask[v]) continue;
    const x = values[v]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** Grey level `level(x)` of every voxel where `mask` is set (0 elsewhere), and the largest level given. */
export function assignLevels(
  values: ArrayLike<number>,
  mask: ArrayLike<number>,
  level: (x: number) => number,
): { levels: Int32Array; maxLevel: number } {
  const levels = new Int32Array(mask.length);
  let maxLevel = 0;
  for (let v = 0; v < mask.length; v++) {
    if (!mask[v]) continue;
    const q = level(values[v]!);
    levels[v] = q;
    if (q > maxLevel) maxLevel = q;
  }
  return { levels, maxLevel };
}

/** The distinct levels present where `mask` is set, ascending (levels 0 … maxLevel). */
export function distinctLevels(levels: Int32Array, mask: ArrayLike<number>, maxLevel: number): Int32Array {
  const seen = new Uint8Array(maxLevel + 1);
  for (let v = 0; v < mask.length; v++) if (mask[v]) seen[levels[v]!] = 1;
  const present: number[] = [];
  for (let l = 0; l < seen.length; l++) if (seen[l]) present.push(l);
  return Int32Array.from(present);
}

/** Python's float modulo: the result has the sign of the divisor. */
function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** numpy.arange(start, stop, step) for floats (values start + i·(start+step−start)). */
function arange(start: number, stop: number, step: number): Float64Array {
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const delta = start + step - start;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i * delta;
  if (n > 1) out[1] = start + step;
  return out;
}

/** PyRadiomics: bin edges for a fixed bin width (getBinEdges without binCount). */
export function fixedBinWidthEdges(min: number, max: number, binWidth: number): Float64Array {
  const low = min - pyMod(min, binWidth);
  const edges = arange(low, max + 2 * binWidth, binWidth);
  if (edges.length === 1) return Float64Array.of(edges[0]! - 0.5, edges[0]! + 0.5);
  return edges;
}

/** PyRadiomics: bin edges for a fixed bin count (numpy.histogram(values, binCount) edges, last edge + 1). */
export function fixedBinCountEdges(min: number, max: number, binCount: number): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  // numpy.linspace: arange(0, num)·step + start, the endpoint set exactly.
  const edges = new Float64Array(binCount + 1);
  const step = (last - first) / binCount;
  for (let i = 0; i <= binCount; i++) edges[i] = i * step + first;
  edges[binCount] = last;
  edges[binCount] += 1;
  return edges;
}

/** numpy.digitize for increasing edges: the number of edges ≤ x. */
export function digitize(x: number, edges: Float64Array): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * PyRadiomics' rule: the bin of x among `edges` (numpy.digitize). On non-decreasing edges with
 * finite, distinct ends (all that getBinEdges makes) the bin is guessed from the edges' mean
 * width and walked to the answer, the count of edges ≤ x: the same number as the binary search
 * of `digitize` by construction, whatever the guess (0 for NaN, where both comparisons fail);
 * on any other edges the binary search itself.
 */
export function edgesRule(edges: Float64Array): (x: number) => number {
  const n = edges.length;
  const first = edges[0]!;
  let ordered = n >= 2 && Number.isFinite(first) && Number.isFinite(edges[n - 1]) && edges[n - 1]! > first;
  for (let i = 1; ordered && i < n; i++) ordered = edges[i - 1]! <= edges[i]!;
  if (!ordered) return (x) => digitize(x, edges);
  const perBin = (n - 1) / (edges[n - 1]! - first);
  return (x) => {
    let q = Math.floor((x - first) * perBin) + 1;
    if (!(q > 0)) q = 0;
    else if (q > n) q = n;
    while (q < n && edges[q]! <= x) q++;
    while (q > 0 && edges[q - 1]! > x) q--;
    return q;
  };
}

/** IBSI 1 fixed bin size: bins of width `binSize` from the lower bound `min`. */
export const ibsiFixedBinSize = (min: number, binSize: number) => (x: number) => Math.floor((x - min) / binSize) + 1;

/** IBSI 1 fixed bin number: `bins` equal bins over [lo, hi]; a flat ROI is level 1. */
export const ibsiFixedBinNumber = (lo: number, hi: number, bins: number) => (x: number) =>
  hi === lo ? 1 : Math.min(bins, Math.floor((bins * (x - lo)) / (hi - lo)) + 1);
