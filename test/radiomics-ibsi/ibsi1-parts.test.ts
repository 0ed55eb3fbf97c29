/**
 * The parts of the IBSI 1 engine held to independent references: the FFT Moran's I / Geary's C
 * against the O(N²) definition, the convex hull and the marching-cubes mesh against closed-form
 * solids, the aligned interpolation grid against the IBSI configuration C dimensions, and the
 * compliance rule.
 */
import { describe, expect, it } from 'vitest';
import { moranGearyDirect, moranGearyFft } from '../../src/core/radiomics/ibsi/spatial-autocorrelation.js';
import { convexHull, latticeHullCandidates } from '../../src/core/radiomics/kernels/convex-hull.js';
import { marchingCubesMesh, meshVolumeArea } from '../../src/core/radiomics/ibsi/mesh.js';
import { alignedGridPositions } from '../../src/core/radiomics/ibsi/preprocess.js';
import { ellipsoidArea } from '../../src/core/radiomics/ibsi/morphology.js';
import { matchesReference, significantDigits, type ReferenceRow } from '../../src/core/radiomics/ibsi/compliance.js';
import { createRng } from '../../src/core/util/random.js';

const mulberry32 = (seed: number) => {
  const r = createRng(seed);
  return () => r.next();
};

describe('Moran I / Geary C', () => {
  it('FFT form equals the pairwise definition on a random ROI with anisotropic voxels', () => {
    const rand = mulberry32(7);
    const size: [number, number, number] = [9, 7, 5];
    const n = size[0] * size[1] * size[2];
    const image = new Float64Array(n);
    const mask = new Uint8Array(n);
    for (let v = 0; v < n; v++) {
      image[v] = Math.round(100 * rand()) + (v % 9) * 5;
      mask[v] = rand() < 0.7 ? 1 : 0;
    }
    const spacing: [number, number, number] = [0.8, 1.1, 3];
    const a = moranGearyDirect(size, spacing, image, mask);
    const b = moranGearyFft(size, spacing, image, mask);
    expect(b.moranI).toBeCloseTo(a.moranI, 10);
    expect(b.gearyC).toBeCloseTo(a.gearyC, 10);
    expect(Math.abs(a.moranI)).toBeGreaterThan(1e-4);
  });
});

describe('convex hull', () => {
  it('of a unit cube and points inside it has volume 1 and area 6', () => {
    const rand = mulberry32(3);
    const pts: [number, number, number][] = [];
    for (let c = 0; c < 8; c++) pts.push([c & 1, (c >> 1) & 1, (c >> 2) & 1]);
    for (let t = 0; t < 200; t++) pts.push([rand(), rand(), rand()]);
    const h = convexHull(pts);
    expect(h.volume).toBeCloseTo(1, 12);
    expect(h.area).toBeCloseTo(6, 12);
    expect(h.vertices.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('lattice candidates keep every vertex of a lattice ball hull', () => {
    const pts: [number, number, number][] = [];
    for (let x = -6; x <= 6; x++) for (let y = -6; y <= 6; y++) for (let z = -6; z <= 6; z++) if (x * x + y * y + z * z <= 30) pts.push([x, y, z]);
    const all = convexHull(pts);
    const fast = convexHull(pts, latticeHullCandidates(pts, (p) => [p[0], p[1], p[2]]));
    expect(fast.volume).toBeCloseTo(all.volume, 9);
    expect(fast.area).toBeCloseTo(all.area, 9);
  });
});

describe('marching-cubes mesh', () => {
  it('of one voxel is the octahedron of edge midpoints (volume 1/6, area √3)', () => {
    const r = meshVolumeArea(marchingCubesMesh([1, 1, 1], [1, 1, 1], new Uint8Array([1])));
    expect(r.volume).toBeCloseTo(1 / 6, 12);
    expect(r.area).toBeCloseTo(Math.sqrt(3), 12);
  });

  it('of a voxelised ball encloses the ball volume within 2 % and scales with the spacing', () => {
    const n = 31;
    const R = 12;
    const mask = new Uint8Array(n * n * n);
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++)
        for (let i = 0; i < n; i++) if ((i - 15) ** 2 + (j - 15) ** 2 + (k - 15) ** 2 <= R * R) mask[i + n * (j + n * k)] = 1;
    const r = meshVolumeArea(marchingCubesMesh([n, n, n], [1, 1, 1], mask));
    expect(r.volume / ((4 / 3) * Math.PI * R ** 3)).toBeGreaterThan(0.98);
    expect(r.volume / ((4 / 3) * Math.PI * R ** 3)).toBeLessThan(1.02);
    expect(r.area / (4 * Math.PI * R * R)).toBeGreaterThan(0.98);
    // A mesh of a binary mask is faceted: its area exceeds the smooth sphere's by several per cent (6.9 % here).
    expect(r.area / (4 * Math.PI * R * R)).toBeLessThan(1.1);
    const s = meshVolumeArea(marchingCubesMesh([n, n, n], [2, 2, 2], mask));
    expect(s.volume).toBeCloseTo(8 * r.volume, 6);
    expect(s.area).toBeCloseTo(4 * r.area, 6);
  });
});

describe('IBSI interpolation grid', () => {
  it('gives the configuration C grid 100 × 99 × 90 with centres aligned', () => {
    const x = alignedGridPositions(204, 0.977, 2);
    const z = alignedGridPositions(60, 3, 2);
    expect([x.length, alignedGridPositions(201, 0.977, 2).length, z.length]).toEqual([100, 99, 90]);
    expect((x[0]! + x[x.length - 1]!) / 2).toBeCloseTo((204 - 1) / 2, 12);
    expect(z[1]! - z[0]!).toBeCloseTo(2 / 3, 12);
  });
});

describe('ellipsoid area series', () => {
  it('gives the sphere area for equal semi-axes (the prolate and triaxial cases are held to the AEE reference rows)', () => {
    expect(ellipsoidArea(2, 2, 2)).toBeCloseTo(4 * Math.PI * 4, 9);
    expect(ellipsoidArea(3, 2, 1)).toBeGreaterThan(ellipsoidArea(2, 2, 1));
  });
});

describe('compliance rule', () => {
  const row = (text: string, tol: number): ReferenceRow => ({
    cells: [],
    dataset: 'd',
    family: 'f',
    feature: 'x',
    tag: 't',
    reference: Number(text),
    referenceText: text,
    tolerance: tol,
  });
  it('rounds to 3 significant digits, or more when the reference has them', () => {
    expect(significantDigits('3065')).toBe(4);
    expect(significantDigits('-18000000')).toBe(2);
    expect(significantDigits('0.0934')).toBe(3);
    expect(matchesReference(0.69849, row('0.698', 0))).toBe(true);
    expect(matchesReference(0.6986, row('0.698', 0))).toBe(false);
    expect(matchesReference(3065.2, row('3065', 0))).toBe(true);
    expect(matchesReference(3066, row('3065', 0))).toBe(false);
    expect(matchesReference(559.9, row('556', 4))).toBe(true);
    expect(matchesReference(560.6, row('556', 4))).toBe(false);
  });
});
