import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fillHoles3d, fillHolesPerSlice, maskAgreement, relabel, slicesWithLabel } from '../../src/core/image/mask-ops.js';

interface Case {
  dims: [number, number, number];
  a: number[];
  b: number[];
  filled: number[];
  filledPerSlice: number[];
  dice: number;
  voxelsA: number;
  voxelsB: number;
}
// scipy.ndimage.binary_fill_holes and numpy (scripts/fixtures/image_mask_ops.py).
const { cases } = JSON.parse(readFileSync(new URL('../fixtures/image/mask-ops.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('mask operations against scipy / numpy', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i: fillHoles3d equals binary_fill_holes, Dice and counts equal numpy', (_, c) => {
    const m = Uint8Array.from(c.a);
    const filled = fillHoles3d(m, c.dims, 1);
    expect(Array.from(m)).toEqual(c.filled);
    expect(filled).toBe(c.filled.filter((v) => v).length - c.voxelsA);
    const perSlice = Uint8Array.from(c.a);
    fillHolesPerSlice(perSlice, c.dims, 1);
    expect(Array.from(perSlice)).toEqual(c.filledPerSlice);
    const agree = maskAgreement(c.a, c.b, 0.5);
    expect(agree.dice).toBeCloseTo(c.dice, 14);
    expect([agree.voxelsA, agree.voxelsB]).toEqual([c.voxelsA, c.voxelsB]);
    expect(agree.volumeA).toBe(c.voxelsA * 0.5);
    expect(agree.volumeDifferencePct).toBeCloseTo(((c.voxelsB - c.voxelsA) / c.voxelsA) * 100, 12);
  });

  it('the fixtures have holes to fill', () => {
    expect(cases.some((c) => c.filled.filter((v) => v).length > c.voxelsA)).toBe(true);
    // Per slice fills more than in 3-D somewhere (outlines open through the neighbouring slices).
    expect(cases.some((c) => c.filledPerSlice.filter((v) => v).length > c.filled.filter((v) => v).length)).toBe(true);
  });

  it('slicesWithLabel and relabel', () => {
    const m = new Uint8Array(2 * 2 * 4);
    m[4] = 2; // z = 1
    m[13] = 1; // z = 3
    m[15] = 2; // z = 3
    expect(slicesWithLabel(m, [2, 2, 4], 2)).toEqual([1, 3]);
    expect(slicesWithLabel(m, [2, 2, 4], 1)).toEqual([3]);
    expect(relabel(m, 2, 0)).toBe(2);
    expect(Array.from(m).filter((v) => v).length).toBe(1);
  });

  it('bad input: one-line errors', () => {
    expect(() => fillHoles3d(new Uint8Array(5), [2, 2, 2], 1)).toThrow('the mask has 5 voxels, the grid 2×2×2 has 8');
    expect(() => maskAgreement([1, 0], [1], 1)).toThrow('not the same grid');
    expect(maskAgreement([0, 0], [0, 0], 1).dice).toBe(1);
  });
});
