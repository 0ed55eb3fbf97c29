/**
 * The run-length, size-zone and co-occurrence matrices on small random ROIs
 * (sparse and dense masks, 3D and one-voxel-thick boxes, force2D) against
 * direct implementations of their definitions: every line of the box walked
 * voxel by voxel (GLRLM, with PyRadiomics' rule that drops a direction whose
 * lines never hold two ROI voxels), zones grown by breadth-first search
 * (GLSZM), pairs counted at every box voxel (GLCM), and every ROI voxel's
 * neighbourhood (all offsets whose largest component is one of the distances)
 * gathered coordinate by coordinate (GLDM, NGTDM). Plus hand-checked
 * cases of the direction rule.
 */
import { describe, expect, it } from 'vitest';
import { buildAngles } from '../../src/core/radiomics/kernels/neighbours.js';
import type { DiscretisedRoi } from '../../src/core/radiomics/discretise.js';
import { glcmMatrix } from '../../src/core/radiomics/glcm/matrix.js';
import { glrlmMatrix } from '../../src/core/radiomics/glrlm/matrix.js';
import { glszmMatrix } from '../../src/core/radiomics/glszm/matrix.js';
import { gldmMatrix } from '../../src/core/radiomics/gldm/matrix.js';
import { ngtdmMatrix } from '../../src/core/radiomics/ngtdm/matrix.js';
import type { Vec3 } from '../../src/core/image/volume.js';

function makeRoi(size: Vec3, mask: number[], levels: number[]): DiscretisedRoi {
  const present = [...new Set(levels.filter((_, i) => mask[i]))].sort((a, b) => a - b);
  return {
    size,
    spacing: [1, 1, 1],
    values: Float64Array.from(levels),
    mask: Uint8Array.from(mask),
    levels: Int32Array.from(levels, (l, i) => (mask[i] ? l : 0)),
    grayLevels: Int32Array.from(present),
    Ng: Math.max(...present),
    binEdges: new Float64Array(0),
  };
}

function randomRoi(size: Vec3, density: number, nLevels: number, rand: () => number): DiscretisedRoi {
  const n = size[0] * size[1] * size[2];
  const mask = Array.from({ length: n }, () => (rand() < density ? 1 : 0));
  if (!mask.some((m) => m)) mask[0] = 1;
  return makeRoi(size, mask, Array.from({ length: n }, () => 1 + Math.floor(rand() * nLevels)));
}

const at = (roi: DiscretisedRoi, x: number, y: number, z: number) => x + roi.size[0] * (y + roi.size[1] * z);
const inBox = (roi: DiscretisedRoi, x: number, y: number, z: number) =>
  x >= 0 && y >= 0 && z >= 0 && x < roi.size[0] && y < roi.size[1] && z < roi.size[2];

/** Runs along every line of the box, per direction, as (level → run length → count); null for a dropped direction. */
function naiveRuns(roi: DiscretisedRoi, angles: Int32Array): (Map<string, number> | null)[] {
  const out: (Map<string, number> | null)[] = [];
  for (let a = 0; a < angles.length / 3; a++) {
    const [dx, dy, dz] = [angles[3 * a]!, angles[3 * a + 1]!, angles[3 * a + 2]!];
    const runs = new Map<string, number>();
    let multi = false;
    const add = (l: number, r: number) => runs.set(`${l}:${r}`, (runs.get(`${l}:${r}`) ?? 0) + 1);
    for (let z = 0; z < roi.size[2]; z++)
      for (let y = 0; y < roi.size[1]; y++)
        for (let x = 0; x < roi.size[0]; x++) {
          if (inBox(roi, x - dx, y - dy, z - dz)) continue; // not the start of a line
          let gl = -1;
          let run = 0;
          let inRoi = 0;
          for (let [u, v, w] = [x, y, z]; inBox(roi, u, v, w); u += dx, v += dy, w += dz) {
            const i = at(roi, u, v, w);
            if (!roi.mask[i]) {
              if (gl >= 0) add(gl, run);
              gl = -1;
              continue;
            }
            inRoi++;
            if (roi.levels[i] === gl) run++;
            else {
              if (gl >= 0) add(gl, run);
              gl = roi.levels[i]!;
              run = 1;
            }
          }
          if (gl >= 0) add(gl, run);
          if (inRoi > 1) multi = true;
        }
    out.push(multi ? runs : null);
  }
  return out;
}

function glrlmRuns(roi: DiscretisedRoi, force2D: boolean): Map<string, number>[] {
  const m = glrlmMatrix(roi, { force2D, force2Ddimension: 0, weightingNorm: null });
  const out: Map<string, number>[] = [];
  for (let a = 0; a < m.na; a++) {
    const runs = new Map<string, number>();
    for (let g = 0; g < m.ng; g++)
      for (let r = 0; r < m.nr; r++) {
        const v = m.P[(a * m.ng + g) * m.nr + r];
        if (v) runs.set(`${m.levels[g]}:${m.runLengths[r]}`, v);
      }
    out.push(runs);
  }
  return out;
}

/** Zones grown by breadth-first search over the 26 (or 8 in-plane) neighbours: (level:size → count). */
function naiveZones(roi: DiscretisedRoi, force2D: boolean): Map<string, number> {
  const seen = new Uint8Array(roi.mask.length);
  const zones = new Map<string, number>();
  const [nx, ny, nz] = roi.size;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const s = at(roi, x, y, z);
        if (!roi.mask[s] || seen[s]) continue;
        const gl = roi.levels[s];
        const queue = [[x, y, z]];
        seen[s] = 1;
        let size = 0;
        while (queue.length) {
          const [u, v, w] = queue.shift()!;
          size++;
          for (let c = force2D ? 0 : -1; c <= (force2D ? 0 : 1); c++)
            for (let b = -1; b <= 1; b++)
              for (let a = -1; a <= 1; a++) {
                const [p, q, r] = [u! + a, v! + b, w! + c];
                if (!inBox(roi, p, q, r)) continue;
                const j = at(roi, p, q, r);
                if (roi.mask[j] && !seen[j] && roi.levels[j] === gl) {
                  seen[j] = 1;
                  queue.push([p, q, r]);
                }
              }
        }
        zones.set(`${gl}:${size}`, (zones.get(`${gl}:${size}`) ?? 0) + 1);
      }
  return zones;
}

/** Co-occurrences (centre level:neighbour level → count) per direction, before symmetrising. */
function naivePairs(roi: DiscretisedRoi, angles: Int32Array): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  for (let a = 0; a < angles.length / 3; a++) {
    const pairs = new Map<string, number>();
    for (let z = 0; z < roi.size[2]; z++)
      for (let y = 0; y < roi.size[1]; y++)
        for (let x = 0; x < roi.size[0]; x++) {
          const [u, v, w] = [x + angles[3 * a]!, y + angles[3 * a + 1]!, z + angles[3 * a + 2]!];
          const i = at(roi, x, y, z);
          if (!roi.mask[i] || !inBox(roi, u, v, w) || !roi.mask[at(roi, u, v, w)]) continue;
          const k = `${roi.levels[i]}:${roi.levels[at(roi, u, v, w)]}`;
          pairs.set(k, (pairs.get(k) ?? 0) + 1);
        }
    out.push(pairs);
  }
  return out;
}

describe('texture matrices against their definitions on random ROIs', () => {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const sizes: Vec3[] = [[6, 5, 4], [7, 1, 5], [1, 6, 6], [9, 8, 1], [4, 4, 4]];
  const cases: { roi: DiscretisedRoi; label: string }[] = [];
  for (const size of sizes)
    for (const density of [0.15, 0.5, 0.9])
      for (const nLevels of [1, 3]) cases.push({ roi: randomRoi(size, density, nLevels, rand), label: `${size.join('×')} density ${density} levels ${nLevels}` });

  it('GLRLM: runs along every line, directions without two ROI voxels on a line dropped', () => {
    for (const { roi, label } of cases)
      for (const force2D of [false, true]) {
        const angles = buildAngles(roi.size, [1], false, force2D ? 0 : null);
        const kept = naiveRuns(roi, angles).filter((r): r is Map<string, number> => r !== null);
        const got = glrlmRuns(roi, force2D);
        if (kept.length) expect(got, `${label} force2D ${force2D}`).toEqual(kept);
        else expect(got.every((r) => r.size === 0), label).toBe(true); // no direction with a run left
      }
  });

  it('GLSZM: zones of 26- (8-) connected equal grey levels', () => {
    for (const { roi, label } of cases)
      for (const force2D of [false, true]) {
        const m = glszmMatrix(roi, { force2D, force2Ddimension: 0 });
        const zones = new Map<string, number>();
        for (let g = 0; g < m.ng; g++)
          for (let s = 0; s < m.ns; s++) if (m.P[g * m.ns + s]) zones.set(`${m.levels[g]}:${m.columns[s]}`, m.P[g * m.ns + s]!);
        expect(zones, `${label} force2D ${force2D}`).toEqual(naiveZones(roi, force2D));
        expect([...m.columns]).toEqual([...m.columns].sort((a, b) => a - b));
      }
  });

  it('GLCM: pairs of ROI voxels at every offset and distance (not symmetrised, not normalised back)', () => {
    for (const { roi, label } of cases)
      for (const distances of [[1], [1, 2]]) {
        const angles = buildAngles(roi.size, distances, false, null);
        const m = glcmMatrix(roi, { distances, force2D: false, force2Ddimension: 0, symmetricalGLCM: false, weightingNorm: null });
        const want = naivePairs(roi, angles).filter((p) => p.size > 0);
        const got: Map<string, number>[] = [];
        for (let a = 0; a < m.na; a++) {
          const pairs = new Map<string, number>();
          const total = want[a] ? [...want[a]!.values()].reduce((s, v) => s + v, 0) : 0;
          for (let i = 0; i < m.ng; i++)
            for (let j = 0; j < m.ng; j++) {
              const p = m.P[(a * m.ng + i) * m.ng + j];
              if (p) pairs.set(`${m.levels[i]}:${m.levels[j]}`, Math.round(p * total));
            }
          got.push(pairs);
        }
        if (want.length) expect(got, `${label} distances ${distances}`).toEqual(want);
        else expect(m.na, label).toBeLessThanOrEqual(1);
      }
  });
});

/** Grey levels of the ROI neighbours of ROI voxel (x, y, z) at the given distances (∞-norm), offsets in any order. */
function neighbourLevels(roi: DiscretisedRoi, x: number, y: number, z: number, distances: number[]): number[] {
  const out: number[] = [];
  const d = Math.max(...distances);
  for (let c = -d; c <= d; c++)
    for (let b = -d; b <= d; b++)
      for (let a = -d; a <= d; a++) {
        if (!distances.includes(Math.max(Math.abs(a), Math.abs(b), Math.abs(c)))) continue;
        if (!inBox(roi, x + a, y + b, z + c)) continue;
        const j = at(roi, x + a, y + b, z + c);
        if (roi.mask[j]) out.push(roi.levels[j]!);
      }
  return out;
}

function forEachRoiVoxel(roi: DiscretisedRoi, f: (level: number, x: number, y: number, z: number) => void): void {
  for (let z = 0; z < roi.size[2]; z++)
    for (let y = 0; y < roi.size[1]; y++)
      for (let x = 0; x < roi.size[0]; x++) if (roi.mask[at(roi, x, y, z)]) f(roi.levels[at(roi, x, y, z)]!, x, y, z);
}

describe('neighbourhood matrices against their definitions on random ROIs', () => {
  let seed = 777;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rois = [[6, 5, 4], [5, 5, 5], [8, 7, 1]].flatMap((size) => [0.3, 0.8].map((density) => randomRoi(size as Vec3, density, 4, rand)));

  it('GLDM: voxels per grey level and number of neighbours within α', () => {
    for (const roi of rois)
      for (const [distances, alpha] of [[[1], 0], [[1, 2], 1]] as [number[], number][]) {
        const want = new Map<string, number>();
        forEachRoiVoxel(roi, (l, x, y, z) => {
          const dep = neighbourLevels(roi, x, y, z, distances).filter((m) => Math.abs(m - l) <= alpha).length;
          want.set(`${l}:${dep + 1}`, (want.get(`${l}:${dep + 1}`) ?? 0) + 1);
        });
        const m = gldmMatrix(roi, { distances, force2D: false, force2Ddimension: 0, gldm_a: alpha });
        const got = new Map<string, number>();
        for (let g = 0; g < m.ng; g++) for (let c = 0; c < m.ns; c++) if (m.P[g * m.ns + c]) got.set(`${m.levels[g]}:${m.columns[c]}`, m.P[g * m.ns + c]!);
        expect(got, `${roi.size.join('×')} distances ${distances}`).toEqual(want);
      }
  });

  it('NGTDM: n_i and s_i = Σ |i − mean of the ROI neighbours|', () => {
    for (const roi of rois)
      for (const distances of [[1], [2]]) {
        const n = new Map<number, number>();
        const s = new Map<number, number>();
        forEachRoiVoxel(roi, (l, x, y, z) => {
          const nb = neighbourLevels(roi, x, y, z, distances);
          n.set(l, (n.get(l) ?? 0) + 1);
          s.set(l, (s.get(l) ?? 0) + (nb.length ? Math.abs(l - nb.reduce((a, b) => a + b, 0) / nb.length) : 0));
        });
        const m = ngtdmMatrix(roi, { distances, force2D: false, force2Ddimension: 0 });
        expect([...m.levels]).toEqual([...n.keys()].sort((a, b) => a - b));
        m.levels.forEach((l, k) => {
          expect(m.n[k]).toBe(n.get(l));
          expect(m.s[k]).toBeCloseTo(s.get(l)!, 10);
        });
      }
  });
});

describe('GLRLM direction rule, by hand', () => {
  it('two ROI voxels apart on a line keep the direction: two runs of length 1', () => {
    // x: [1 0 1], one line along x; buildAngles keeps only (1, 0, 0) for a 3×1×1 box
    const m = glrlmMatrix(makeRoi([3, 1, 1], [1, 0, 1], [2, 2, 2]), { force2D: false, force2Ddimension: 0, weightingNorm: null });
    expect(m.na).toBe(1);
    expect([...m.runLengths]).toEqual([1]);
    expect([...m.P]).toEqual([2]);
  });

  it('a line with two equal neighbours is one run of length 2', () => {
    const m = glrlmMatrix(makeRoi([3, 1, 1], [1, 1, 0], [4, 4, 1]), { force2D: false, force2Ddimension: 0, weightingNorm: null });
    expect([...m.runLengths]).toEqual([2]);
    expect([...m.P]).toEqual([1]);
  });

  it('a diagonal pair: the directions along which no line holds both are dropped', () => {
    // 2×2×1 box with ROI voxels (0,0) and (1,1): only the (1,1,0) diagonal joins them
    const roi = makeRoi([2, 2, 1], [1, 0, 0, 1], [1, 1, 1, 1]);
    const m = glrlmMatrix(roi, { force2D: false, force2Ddimension: 0, weightingNorm: null });
    expect(m.na).toBe(1);
    expect([...m.runLengths]).toEqual([2]);
    expect([...m.P]).toEqual([1]);
  });
});
