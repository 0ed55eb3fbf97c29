/**
 * Ascending sort of a Float64Array by LSD radix sort on the IEEE-754 bit
 * patterns: the same order as `Float64Array.prototype.sort()` (numeric, −0
 * before +0, NaN last; equal values are bit-identical, so the result is the
 * same array bit for bit), in linear time. Byte positions in which every key
 * agrees are skipped, so integer-valued or float32-valued data take 2–4 passes.
 */

/** Below this length the built-in sort is as fast. */
const SMALL = 256;
/** The word order of a Float64Array's Uint32Array view (little-endian on every platform Node and browsers run on). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Sort `x` in place (ascending) and return it. */
export function sortFloat64(x: Float64Array): Float64Array {
  const n = x.length;
  if (n < SMALL || !LITTLE_ENDIAN) return x.sort();
  // keys: flip every bit of negatives, only the sign bit of the rest (little-endian words)
  const words = new Uint32Array(x.buffer, x.byteOffset, 2 * n);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  const counts = new Int32Array(8 * 256);
  let nan = 0;
  for (let i = 0; i < n; i++) {
    let l = words[2 * i]!;
    let h = words[2 * i + 1]!;
    if ((h & 0x7ff00000) === 0x7ff00000 && ((h & 0xfffff) !== 0 || l !== 0)) {
      // NaN: sorted last (the built-in puts every NaN at the end)
      h = 0xffffffff;
      l = 0xffffffff;
      nan++;
    } else if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    lo[i] = l;
    hi[i] = h;
    counts[l & 0xff]!++;
    counts[256 + ((l >>> 8) & 0xff)]!++;
    counts[512 + ((l >>> 16) & 0xff)]!++;
    counts[768 + (l >>> 24)]!++;
    counts[1024 + (h & 0xff)]!++;
    counts[1280 + ((h >>> 8) & 0xff)]!++;
    counts[1536 + ((h >>> 16) & 0xff)]!++;
    counts[1792 + (h >>> 24)]!++;
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  const pos = new Int32Array(256);
  for (let d = 0; d < 8; d++) {
    const c0 = 256 * d;
    let skip = false;
    for (let b = 0; b < 256; b++) if (counts[c0 + b] === n) skip = true;
    if (skip) continue;
    for (let b = 0, s = 0; b < 256; b++) {
      pos[b] = s;
      s += counts[c0 + b]!;
    }
    const shift = 8 * (d & 3);
    const key = d < 4 ? lo : hi;
    for (let i = 0; i < n; i++) {
      const p = pos[(key[i]! >>> shift) & 0xff]!++;
      lo2[p] = lo[i]!;
      hi2[p] = hi[i]!;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  for (let i = 0; i < n - nan; i++) {
    const h = hi[i]!;
    if (h & 0x80000000) {
      words[2 * i] = lo[i]!;
      words[2 * i + 1] = h & 0x7fffffff;
    } else {
      words[2 * i] = ~lo[i]! >>> 0;
      words[2 * i + 1] = ~h >>> 0;
    }
  }
  for (let i = n - nan; i < n; i++) x[i] = NaN;
  return x;
}
