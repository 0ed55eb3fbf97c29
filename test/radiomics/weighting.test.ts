/**
 * weightingNorm (no PyRadiomics baseline covers manhattan/euclidean/infinity):
 * the merged GLCM / GLRLM equal a naive recomputation on a small random ROI —
 * pairs and runs counted per offset, the GLCM weighted by exp(−‖d‖²) and the
 * GLRLM by ‖d‖ with d = |offset| ∘ spacing (PyRadiomics glcm/glrlm
 * `_calculateMatrix`).
 */
import { describe, expect, it } from 'vitest';
import { discretiseFixedBinWidth } from '../../src/core/radiomics/discretise.js';
import { glcmMatrix } from '../../src/core/radiomics/glcm/matrix.js';
import { glrlmMatrix } from '../../src/core/radiomics/glrlm/matrix.js';
import type { WeightingNorm } from '../../src/core/radiomics/family.js';
import type { RoiImage } from '../../src/core/radiomics/roi.js';

const size: [number, number, number] = [5, 4, 3];
const spacing: [number, number, number] = [0.7, 1.3, 2.5];
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const n = size[0] * size[1] * size[2];
const roi: RoiImage = {
  size,
  spacing,
  values: Float64Array.from({ length: n }, () => Math.floor(rand() * 4)),
  mask: Uint8Array.from({ length: n }, () => (rand() < 0.8 ? 1 : 0)),
};
const binned = discretiseFixedBinWidth(roi, 1);
const levels = Array.from(binned.grayLevels);
const ng = levels.length;

/** The 13 offsets, one of each ± pair. */
const offsets: [number, number, number][] = [];
for (let dz = -1; dz <= 1; dz++)
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) {
      const first = [dz, dy, dx].find((v) => v !== 0);
      if (first === 1) offsets.push([dx, dy, dz]);
    }

function norm(kind: WeightingNorm, o: [number, number, number]): number {
  const l = o.map((v, c) => Math.abs(v) * spacing[c]!);
  if (kind === 'infinity') return Math.max(...l);
  if (kind === 'euclidean') return Math.hypot(...l);
  if (kind === 'manhattan') return l[0]! + l[1]! + l[2]!;
  return 0;
}
const at = (x: number, y: number, z: number) =>
  x < 0 || y < 0 || z < 0 || x >= size[0] || y >= size[1] || z >= size[2] ? -1 : x + size[0] * (y + size[1] * z);

describe('weightingNorm merges directions as PyRadiomics', () => {
  for (const kind of ['manhattan', 'euclidean', 'infinity', 'no_weighting'] as const) {
    it(`GLCM and GLRLM, ${kind}`, () => {
      // naive GLCM
      const glcm = new Float64Array(ng * ng);
      for (const o of offsets) {
        const w = kind === 'no_weighting' ? 1 : Math.exp(-(norm(kind, o) ** 2));
        for (let z = 0; z < size[2]; z++)
          for (let y = 0; y < size[1]; y++)
            for (let x = 0; x < size[0]; x++) {
              const i = at(x, y, z);
              const j = at(x + o[0], y + o[1], z + o[2]);
              if (j < 0 || !roi.mask[i] || !roi.mask[j]) continue;
              const a = levels.indexOf(binned.levels[i]!);
              const b = levels.indexOf(binned.levels[j]!);
              glcm[a * ng + b]! += w;
              glcm[b * ng + a]! += w;
            }
      }
      const total = glcm.reduce((s, v) => s + v, 0);
      const mine = glcmMatrix(binned, { distances: [1], force2D: false, force2Ddimension: 0, symmetricalGLCM: true, weightingNorm: kind });
      expect(mine.na).toBe(1);
      glcm.forEach((v, k) => expect(mine.P[k]).toBeCloseTo(v / total, 12));

      // naive GLRLM: runs along each line of each offset
      const runs = new Map<string, number>();
      for (const o of offsets) {
        const w = kind === 'no_weighting' ? 1 : norm(kind, o);
        for (let z = 0; z < size[2]; z++)
          for (let y = 0; y < size[1]; y++)
            for (let x = 0; x < size[0]; x++) {
              if (at(x - o[0], y - o[1], z - o[2]) >= 0) continue; // not a line start
              let run = 0;
              let gl = -1;
              const flush = () => {
                if (run > 0) runs.set(`${gl},${run}`, (runs.get(`${gl},${run}`) ?? 0) + w);
              };
              for (let i = at(x, y, z), k = 0; i >= 0; k++, i = at(x + k * o[0], y + k * o[1], z + k * o[2])) {
                if (!roi.mask[i]) {
                  flush();
                  run = 0;
                  gl = -1;
                } else if (binned.levels[i] === gl) run++;
                else {
                  flush();
                  gl = binned.levels[i]!;
                  run = 1;
                }
              }
              flush();
            }
      }
      const rl = glrlmMatrix(binned, { force2D: false, force2Ddimension: 0, weightingNorm: kind });
      expect(rl.na).toBe(1);
      for (let g = 0; g < rl.ng; g++)
        for (let r = 0; r < rl.nr; r++) expect(rl.P[g * rl.nr + r]).toBeCloseTo(runs.get(`${rl.levels[g]},${rl.runLengths[r]}`) ?? 0, 10);
      expect([...runs.values()].reduce((s, v) => s + v, 0)).toBeCloseTo(rl.P.reduce((s, v) => s + v, 0), 9);
    });
  }
});
