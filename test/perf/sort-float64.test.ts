/**
 * The radix sort behind the first-order statistics gives the built-in
 * `Float64Array.prototype.sort()`'s result bit for bit (values of every kind:
 * integers, float32 values, full doubles, negatives, ±0, ±Infinity,
 * subnormals, duplicates, NaN).
 */
import { describe, it, expect } from 'vitest';
import { sortFloat64 } from '../../src/core/util/sort.js';

function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

function bits(x: Float64Array): string[] {
  return Array.from(new BigUint64Array(x.buffer, x.byteOffset, x.length), (b) => b.toString(16));
}

function expectSameAsBuiltIn(x: Float64Array) {
  const expected = Float64Array.from(x).sort();
  const got = sortFloat64(Float64Array.from(x));
  expect(bits(got)).toEqual(bits(expected));
}

describe('sortFloat64', () => {
  const kinds: Record<string, (r: () => number) => number> = {
    'int16 values': (r) => Math.round((r() - 0.3) * 4000),
    'float32 values': (r) => Math.fround((r() - 0.5) * 1e3),
    'doubles of mixed sign and scale': (r) => (r() - 0.5) * 10 ** Math.round(r() * 20 - 10),
    'few distinct values': (r) => [0, -0, 1, -1, 2.5][Math.floor(r() * 5)]!,
    'all equal': () => 7,
  };
  for (const [name, gen] of Object.entries(kinds)) {
    for (const n of [0, 1, 5, 255, 256, 257, 1000, 20000]) {
      it(`${name}, n = ${n}`, () => {
        const r = lcg(n + 17);
        expectSameAsBuiltIn(Float64Array.from({ length: n }, () => gen(r)));
      });
    }
  }

  it('special values: ±0, ±Infinity, subnormals, extremes, NaN', () => {
    const special = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, 2.2e-308, -2.2e-308, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1];
    const r = lcg(3);
    const x = Float64Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? special[Math.floor(r() * special.length)]! : (r() - 0.5) * 100));
    expectSameAsBuiltIn(x);
    const withNaN = Float64Array.from(x);
    for (let i = 0; i < withNaN.length; i += 97) withNaN[i] = NaN;
    const got = sortFloat64(Float64Array.from(withNaN));
    const expected = Float64Array.from(withNaN).sort();
    expect(Array.from(got)).toEqual(Array.from(expected)); // NaN last, the rest in order
  });

  it('sorts a view in place without touching the rest of its buffer', () => {
    const r = lcg(9);
    const all = Float64Array.from({ length: 1200 }, () => r() * 10 - 5);
    const before = Float64Array.from(all);
    const view = all.subarray(100, 1100);
    const expected = Float64Array.from(view).sort();
    expect(sortFloat64(view)).toBe(view);
    expect(bits(view)).toEqual(bits(expected));
    expect(bits(all.subarray(0, 100))).toEqual(bits(before.subarray(0, 100)));
    expect(bits(all.subarray(1100))).toEqual(bits(before.subarray(1100)));
  });
});
