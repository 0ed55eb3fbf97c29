import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GROW_CUT_STEPS, growCut, seedBox, wholeBox, type Dims3 } from '../../src/core/image/grow-cut.js';

interface Case {
  dims: [number, number, number];
  image: number[];
  labels: number[];
  expected: number[];
}
// A literal numpy translation of NiiVue's drawGrowCut shader, every step run (scripts/fixtures/image_grow_cut.py).
const { cases } = JSON.parse(readFileSync(new URL('../fixtures/image/grow-cut.json', import.meta.url), 'utf8')) as { cases: Case[] };

const idx = (d: Dims3, x: number, y: number, z: number) => x + d[0] * (y + d[1] * z);

describe("grow-cut (NiiVue's drawGrowCut rule) against a numpy translation of its shader", () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i: the whole grid gives the reference labels', (_, c) => {
    const labels = Uint8Array.from(c.labels);
    const r = growCut(labels, c.image, c.dims);
    expect(Array.from(labels)).toEqual(c.expected);
    expect(r.changed).toBe(c.expected.filter((v, i) => v !== c.labels[i]).length);
    expect(r.steps).toBeGreaterThan(0);
    expect(r.steps).toBeLessThan(GROW_CUT_STEPS);
  });
});

describe('grow-cut: known answers', () => {
  // Two halves (x < 6: 100, x ≥ 6: 2000); a 2×2×2 seed cube in each half reaches all four of the diagonal
  // neighbourhood's sub-lattices. Every voxel gets its half's label, except on the grid's edges, where the
  // last step's 27-voxel majority counts the voxels outside the grid as label 0 (as NiiVue's shader does).
  const d: Dims3 = [12, 8, 6];
  const image = new Int16Array(12 * 8 * 6);
  const seeds = new Uint8Array(image.length);
  for (let z = 0; z < 6; z++) for (let y = 0; y < 8; y++) for (let x = 0; x < 12; x++) image[idx(d, x, y, z)] = x < 6 ? 100 : 2000;
  for (const [x0, l] of [[2, 1], [8, 2]] as const) for (let z = 2; z < 4; z++) for (let y = 3; y < 5; y++) for (let x = x0; x < x0 + 2; x++) seeds[idx(d, x, y, z)] = l;

  it('splits a two-intensity image into its halves; grid edges and corners become 0', () => {
    const labels = seeds.slice();
    growCut(labels, image, d);
    for (let z = 0; z < 6; z++)
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 12; x++) {
          const onBorder = [x === 0 || x === 11, y === 0 || y === 7, z === 0 || z === 5].filter(Boolean).length;
          const expected = onBorder >= 2 ? 0 : x < 6 ? 1 : 2;
          expect(labels[idx(d, x, y, z)], `${x},${y},${z}`).toBe(expected);
        }
  });

  it('a seed of one voxel spreads only on its diagonal sub-lattice (no other seed: the majority then keeps 0 in most voxels)', () => {
    const labels = new Uint8Array(image.length);
    const flat = new Int16Array(image.length).fill(500);
    labels[idx(d, 5, 4, 3)] = 1;
    growCut(labels, flat, d);
    // a voxel's 27 neighbours hold one quarter of the grid's sub-lattice: at most 9 of 27 (itself and the 8 corners), never a majority
    expect(labels.every((v) => v === 0)).toBe(true);
  });

  it("a box gives the whole grid's answer on the box's own image and leaves the outside alone", () => {
    const box = { lo: [1, 1, 1] as [number, number, number], hi: [11, 7, 5] as [number, number, number] };
    const labels = seeds.slice();
    labels[idx(d, 0, 0, 0)] = 3; // outside the box: kept
    const r = growCut(labels, image, d, box);
    expect(r.box).toEqual(box);
    expect(labels[idx(d, 0, 0, 0)]).toBe(3);
    expect(labels[idx(d, 11, 7, 5)]).toBe(0);
    // the same as the automaton on the cropped arrays
    const cd: Dims3 = [10, 6, 4];
    const cropL = new Uint8Array(240);
    const cropI = new Int16Array(240);
    for (let z = 0; z < 4; z++)
      for (let y = 0; y < 6; y++)
        for (let x = 0; x < 10; x++) {
          cropL[idx(cd, x, y, z)] = seeds[idx(d, x + 1, y + 1, z + 1)]!;
          cropI[idx(cd, x, y, z)] = image[idx(d, x + 1, y + 1, z + 1)]!;
        }
    growCut(cropL, cropI, cd);
    for (let z = 0; z < 4; z++) for (let y = 0; y < 6; y++) for (let x = 0; x < 10; x++) expect(labels[idx(d, x + 1, y + 1, z + 1)]).toBe(cropL[idx(cd, x, y, z)]);
    expect(cropL.includes(1) && cropL.includes(2)).toBe(true);
  });

  it('seedBox: the seeds’ bounding box plus the margin, clipped to the grid; null without seeds', () => {
    expect(seedBox(seeds, d, 0)).toEqual({ lo: [2, 3, 2], hi: [10, 5, 4] });
    expect(seedBox(seeds, d, 3)).toEqual({ lo: [0, 0, 0], hi: [12, 8, 6] });
    expect(seedBox(seeds, d, 1)).toEqual({ lo: [1, 2, 1], hi: [11, 6, 5] });
    expect(seedBox(new Uint8Array(image.length), d, 2)).toBeNull();
    expect(wholeBox(d)).toEqual({ lo: [0, 0, 0], hi: [12, 8, 6] });
  });

  it('refuses mismatched sizes and a box outside the grid in one line', () => {
    expect(() => growCut(new Uint8Array(5), image, d)).toThrow(/grow-cut: the drawing has 5 voxels/);
    expect(() => growCut(seeds.slice(), image, d, { lo: [0, 0, 0], hi: [13, 8, 6] })).toThrow(/not inside the grid/);
  });
});
