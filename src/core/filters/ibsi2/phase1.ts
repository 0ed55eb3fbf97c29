/**
 * The IBSI 2 phase 1 test table (arXiv:2006.05470, chapter 5 / phase 1): which
 * digital phantom each test filters and with which settings. Used by the
 * `compliance ibsi2` command and the tests; ids as in the reference maps
 * (`<id>-ValidCRM.nii`, "." written "_").
 */
import type { Volume } from '../../image/volume.js';
import { meanFilter } from './mean.js';
import { logFilter } from './log.js';
import { lawsFilter } from './laws.js';
import { gaborFilter } from './gabor.js';
import { simoncelliFilter } from './simoncelli.js';
import { rieszLogFilter } from './riesz.js';
import { separableWaveletFilter } from './separable-wavelet.js';

export type PhantomName = 'checkerboard' | 'impulse' | 'sphere' | 'pattern_1';

export interface Phase1Test {
  id: string;
  phantom: PhantomName;
  description: string;
  run: (vol: Volume) => Volume;
  /** false for the tests without a published consensus map (10.a): the map is written, not checked. */
  hasReference?: boolean;
}

export const PHASE1_TESTS: Phase1Test[] = [
  { id: '1_a_1', phantom: 'checkerboard', description: 'mean 3D, M=15, zero', run: (v) => meanFilter(v, { support: 15, boundary: 'zero' }) },
  { id: '1_a_2', phantom: 'checkerboard', description: 'mean 3D, M=15, nearest', run: (v) => meanFilter(v, { support: 15, boundary: 'nearest' }) },
  { id: '1_a_3', phantom: 'checkerboard', description: 'mean 3D, M=15, periodic', run: (v) => meanFilter(v, { support: 15, boundary: 'periodic' }) },
  { id: '1_a_4', phantom: 'checkerboard', description: 'mean 3D, M=15, mirror', run: (v) => meanFilter(v, { support: 15, boundary: 'mirror' }) },
  { id: '1_b_1', phantom: 'impulse', description: 'mean 2D, M=15, zero', run: (v) => meanFilter(v, { support: 15, boundary: 'zero', dimensions: 2 }) },
  { id: '2_a', phantom: 'impulse', description: 'LoG 3D, σ=3 mm, 4σ, zero', run: (v) => logFilter(v, { sigma: 3, truncate: 4, boundary: 'zero' }) },
  { id: '2_b', phantom: 'checkerboard', description: 'LoG 3D, σ=5 mm, 4σ, mirror', run: (v) => logFilter(v, { sigma: 5, truncate: 4, boundary: 'mirror' }) },
  { id: '2_c', phantom: 'checkerboard', description: 'LoG 2D, σ=5 mm, 4σ, mirror', run: (v) => logFilter(v, { sigma: 5, truncate: 4, boundary: 'mirror', dimensions: 2 }) },
  { id: '3_a_1', phantom: 'impulse', description: 'Laws E5L5S5 3D, zero', run: (v) => lawsFilter(v, { kernel: 'E5L5S5', boundary: 'zero' }) },
  { id: '3_a_2', phantom: 'impulse', description: 'Laws E5L5S5 3D, rotation invariant (max), zero', run: (v) => lawsFilter(v, { kernel: 'E5L5S5', boundary: 'zero', rotationInvariant: true, pooling: 'max' }) },
  { id: '3_a_3', phantom: 'impulse', description: 'Laws E5L5S5 3D, rot. inv. (max), energy δ=7, zero', run: (v) => lawsFilter(v, { kernel: 'E5L5S5', boundary: 'zero', rotationInvariant: true, pooling: 'max', energyDelta: 7 }) },
  { id: '3_b_1', phantom: 'checkerboard', description: 'Laws E3W5R5 3D, mirror', run: (v) => lawsFilter(v, { kernel: 'E3W5R5', boundary: 'mirror' }) },
  { id: '3_b_2', phantom: 'checkerboard', description: 'Laws E3W5R5 3D, rot. inv. (max), mirror', run: (v) => lawsFilter(v, { kernel: 'E3W5R5', boundary: 'mirror', rotationInvariant: true, pooling: 'max' }) },
  { id: '3_b_3', phantom: 'checkerboard', description: 'Laws E3W5R5 3D, rot. inv. (max), energy δ=7, mirror', run: (v) => lawsFilter(v, { kernel: 'E3W5R5', boundary: 'mirror', rotationInvariant: true, pooling: 'max', energyDelta: 7 }) },
  { id: '3_c_1', phantom: 'checkerboard', description: 'Laws L5S5 2D, mirror', run: (v) => lawsFilter(v, { kernel: 'L5S5', boundary: 'mirror' }) },
  { id: '3_c_2', phantom: 'checkerboard', description: 'Laws L5S5 2D, rot. inv. (max), mirror', run: (v) => lawsFilter(v, { kernel: 'L5S5', boundary: 'mirror', rotationInvariant: true, pooling: 'max' }) },
  { id: '3_c_3', phantom: 'checkerboard', description: 'Laws L5S5 2D, rot. inv. (max), energy δ=7, mirror', run: (v) => lawsFilter(v, { kernel: 'L5S5', boundary: 'mirror', rotationInvariant: true, pooling: 'max', energyDelta: 7 }) },
  { id: '4_a_1', phantom: 'impulse', description: 'Gabor σ=10 mm, λ=4 mm, γ=1/2, θ=π/3, i–j plane, zero', run: (v) => gaborFilter(v, { sigma: 10, lambda: 4, gamma: 0.5, theta: Math.PI / 3, boundary: 'zero' }) },
  { id: '4_a_2', phantom: 'impulse', description: 'Gabor σ=10, λ=4, γ=1/2, Δθ=π/4 (mean), 3 planes, zero', run: (v) => gaborFilter(v, { sigma: 10, lambda: 4, gamma: 0.5, rotationInvariant: true, thetaStep: Math.PI / 4, pooling: 'mean', boundary: 'zero' }) },
  { id: '4_b_1', phantom: 'sphere', description: 'Gabor σ=20 mm, λ=8 mm, γ=5/2, θ=5π/4, i–j plane, mirror', run: (v) => gaborFilter(v, { sigma: 20, lambda: 8, gamma: 2.5, theta: (5 * Math.PI) / 4, boundary: 'mirror' }) },
  { id: '4_b_2', phantom: 'sphere', description: 'Gabor σ=20, λ=8, γ=5/2, Δθ=π/8 (mean), 3 planes, mirror', run: (v) => gaborFilter(v, { sigma: 20, lambda: 8, gamma: 2.5, rotationInvariant: true, thetaStep: Math.PI / 8, pooling: 'mean', boundary: 'mirror' }) },
  { id: '5_a_1', phantom: 'impulse', description: 'db2 LHL level 1, zero', run: (v) => separableWaveletFilter(v, { wavelet: 'db2', subband: 'LHL', boundary: 'zero' }) },
  { id: '5_a_2', phantom: 'impulse', description: 'db2 LHL level 1, rot. inv. (mean), zero', run: (v) => separableWaveletFilter(v, { wavelet: 'db2', subband: 'LHL', boundary: 'zero', rotationInvariant: true, pooling: 'mean' }) },
  { id: '6_a_1', phantom: 'sphere', description: 'coif1 HHL level 1, periodic', run: (v) => separableWaveletFilter(v, { wavelet: 'coif1', subband: 'HHL', boundary: 'periodic' }) },
  { id: '6_a_2', phantom: 'sphere', description: 'coif1 HHL level 1, rot. inv. (mean), periodic', run: (v) => separableWaveletFilter(v, { wavelet: 'coif1', subband: 'HHL', boundary: 'periodic', rotationInvariant: true, pooling: 'mean' }) },
  { id: '7_a_1', phantom: 'checkerboard', description: 'haar LLL level 2, rot. inv. (mean), mirror', run: (v) => separableWaveletFilter(v, { wavelet: 'haar', subband: 'LLL', level: 2, boundary: 'mirror', rotationInvariant: true, pooling: 'mean' }) },
  { id: '7_a_2', phantom: 'checkerboard', description: 'haar HHH level 2, rot. inv. (mean), mirror', run: (v) => separableWaveletFilter(v, { wavelet: 'haar', subband: 'HHH', level: 2, boundary: 'mirror', rotationInvariant: true, pooling: 'mean' }) },
  { id: '8_a_1', phantom: 'checkerboard', description: 'Simoncelli level 1, periodic', run: (v) => simoncelliFilter(v, { level: 1, boundary: 'periodic' }) },
  { id: '8_a_2', phantom: 'checkerboard', description: 'Simoncelli level 2, periodic', run: (v) => simoncelliFilter(v, { level: 2, boundary: 'periodic' }) },
  { id: '8_a_3', phantom: 'checkerboard', description: 'Simoncelli level 3, periodic', run: (v) => simoncelliFilter(v, { level: 3, boundary: 'periodic' }) },
  { id: '9_a', phantom: 'impulse', description: 'Riesz LoG σ=3 mm, order (1,0,0), zero', run: (v) => rieszLogFilter(v, { sigma: 3, order: [1, 0, 0], boundary: 'zero' }) },
  { id: '9_b_1', phantom: 'sphere', description: 'Riesz LoG σ=3 mm, order (0,2,0), zero', run: (v) => rieszLogFilter(v, { sigma: 3, order: [0, 2, 0], boundary: 'zero' }) },
  { id: '10_a', phantom: 'impulse', description: 'Riesz Simoncelli level 1, order (1,0,0), zero', run: (v) => simoncelliFilter(v, { level: 1, rieszOrder: [1, 0, 0], boundary: 'zero' }), hasReference: false },
  { id: '10_b_1', phantom: 'pattern_1', description: 'Riesz Simoncelli level 1, order (0,2,0), nearest', run: (v) => simoncelliFilter(v, { level: 1, rieszOrder: [0, 2, 0], boundary: 'nearest' }) },
];

/** Phase-1 comparison rule: every voxel within `tolerance` (default 1 %) of the reference map's range. */
export function compareResponseMaps(
  computed: ArrayLike<number>,
  reference: ArrayLike<number>,
  tolerance = 0.01,
): { pass: boolean; maxAbsDiff: number; range: number; relMaxDiff: number; worstIndex: number } {
  if (computed.length !== reference.length) {
    throw new Error(`response map has ${computed.length} voxels, reference ${reference.length}`);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let n = 0; n < reference.length; n++) {
    if (reference[n]! < lo) lo = reference[n]!;
    if (reference[n]! > hi) hi = reference[n]!;
  }
  const range = hi - lo;
  let maxAbsDiff = 0;
  let worstIndex = -1;
  for (let n = 0; n < reference.length; n++) {
    const d = Math.abs(computed[n]! - reference[n]!);
    if (!(d <= maxAbsDiff)) {
      maxAbsDiff = d;
      worstIndex = n;
    }
  }
  const relMaxDiff = range > 0 ? maxAbsDiff / range : maxAbsDiff;
  return { pass: relMaxDiff <= tolerance, maxAbsDiff, range, relMaxDiff, worstIndex };
}
