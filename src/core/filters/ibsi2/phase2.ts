/**
 * IBSI 2 phase 2 (arXiv:2006.05470, chapter 6): intensity statistics of filtered
 * response maps of the IBSI 1 lung CT phantom inside GTV-1.
 *
 * Processing, per configuration (A = 2D, B = 3D):
 * 1. intensities rounded to integers (HU), as the manual asks for the NIfTI phantom;
 * 2. B only: image resampled to 1×1×1 mm with tricubic B-splines on the IBSI grid
 *    (grid centres aligned), intensities rounded again; mask resampled trilinearly and
 *    thresholded at 0.5 (A: no interpolation);
 * 3. the filter, with mirror boundary condition (2D filters per slice for A);
 * 4. re-segmentation of the ROI to original intensities in [−1000, 400] HU;
 * 5. the 18 intensity-based statistics (IBSI 1 §3.3) of the response inside the ROI.
 *
 * To keep the work bounded the image is cropped to the ROI's bounding box plus a
 * margin larger than every filter's reach before filtering, so inside the ROI the
 * response equals the whole-image response (except for the Fourier-domain Simoncelli
 * filter, whose reach is unbounded but decays quickly; it is padded by mirroring).
 */
import { type Vec3, type Volume, indexToPhysical, physicalToIndex } from '../../image/volume.js';
import { gridForSpacing, resampleToGrid } from '../../image/resample.js';
import { intensityStatistics } from '../../util/intensity-statistics.js';
import { gaborAngles, gaborFilterData } from './gabor.js';
import { lawsFilterData } from './laws.js';
import { logFilterData } from './log.js';
import { meanFilterData } from './mean.js';
import { separableWaveletData } from './separable-wavelet.js';
import { simoncelliData } from './simoncelli.js';
import type { Dims } from './separable.js';

export const PHASE2_FEATURES = [
  'stat_mean', 'stat_var', 'stat_skew', 'stat_kurt', 'stat_median', 'stat_min', 'stat_p10', 'stat_p90', 'stat_max',
  'stat_iqr', 'stat_range', 'stat_mad', 'stat_rmad', 'stat_medad', 'stat_cov', 'stat_qcod', 'stat_energy', 'stat_rms',
] as const;

export interface Phase2Config {
  /** "1.A" … "9.B" */
  id: string;
  description: string;
  dimensions: 2 | 3;
  /** Margin (voxels of the processed grid) kept around the ROI for this filter, or the whole image. */
  margin: number | 'image';
  /** The filter on the processed grid (mirror boundary); identity for configuration 1. */
  filter: (x: Float64Array, dims: Dims, spacing: Vec3) => Float64Array;
}

const M = 'mirror' as const;
const P = 'periodic' as const;

function cfg(n: number, filterA: Phase2Config['filter'], filterB: Phase2Config['filter'], desc: string, margin: number | 'image'): Phase2Config[] {
  return [
    { id: `${n}.A`, description: `${desc} (2D)`, dimensions: 2, margin, filter: filterA },
    { id: `${n}.B`, description: `${desc} (3D)`, dimensions: 3, margin, filter: filterB },
  ];
}

export const PHASE2_CONFIGS: Phase2Config[] = [
  ...cfg(1, (x) => x, (x) => x, 'no filter', 0),
  ...cfg(2, (x, d) => meanFilterData(x, d, 5, M, 2), (x, d) => meanFilterData(x, d, 5, M, 3), 'mean, M = 5', 4),
  ...cfg(3, (x, d, s) => logFilterData(x, d, s, 1.5, 4, M, 2), (x, d, s) => logFilterData(x, d, s, 1.5, 4, M, 3), 'LoG σ = 1.5 mm, 4σ', 10),
  ...cfg(
    4,
    (x, d) => lawsFilterData(x, d, 'L5E5', M, true, 'max', 7),
    (x, d) => lawsFilterData(x, d, 'L5E5E5', M, true, 'max', 7),
    'Laws L5E5 / L5E5E5, energy δ = 7, rotation invariant (max)',
    12,
  ),
  ...cfg(
    5,
    (x, d, s) => gaborFilterData(x, d, s, { sigma: 5, lambda: 2, gamma: 1.5, thetas: gaborAngles(0, Math.PI / 8), boundary: M, stacks: [2], pooling: 'mean', truncate: 5 }),
    (x, d, s) => gaborFilterData(x, d, s, { sigma: 5, lambda: 2, gamma: 1.5, thetas: gaborAngles(0, Math.PI / 8), boundary: M, stacks: [2, 1, 0], pooling: 'mean', truncate: 5 }),
    'Gabor σ = 5 mm, λ = 2 mm, γ = 3/2, Δθ = π/8 (mean)',
    28,
  ),
  ...cfg(
    6,
    (x, d) => separableWaveletData(x, d, 'db3', 'LH', 1, M, true, 'mean'),
    (x, d) => separableWaveletData(x, d, 'db3', 'LLH', 1, M, true, 'mean'),
    'db3 level 1 LH / LLH, rotation invariant (mean)',
    8,
  ),
  ...cfg(
    7,
    (x, d) => separableWaveletData(x, d, 'db3', 'HH', 2, M, true, 'mean'),
    (x, d) => separableWaveletData(x, d, 'db3', 'HHH', 2, M, true, 'mean'),
    'db3 level 2 HH / HHH, rotation invariant (mean)',
    12,
  ),
  // The Simoncelli filters act on the whole image, periodically, as the reference implementation does.
  ...cfg(8, (x, d) => simoncelliData(x, d, 1, P, 2, null), (x, d) => simoncelliData(x, d, 1, P, 3, null), 'Simoncelli level 1', 'image'),
  ...cfg(9, (x, d) => simoncelliData(x, d, 2, P, 2, null), (x, d) => simoncelliData(x, d, 2, P, 3, null), 'Simoncelli level 2', 'image'),
];

/** Round half away from zero (HU are integers). */
function roundHU(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** The processed image (float64), ROI mask and grid of one configuration, cropped to the ROI plus `margin`. */
export interface Phase2Grid {
  dims: Dims;
  spacing: Vec3;
  image: Float64Array;
  mask: Uint8Array;
}

function roiBox(mask: ArrayLike<number>, size: Readonly<Vec3>): { lo: Vec3; hi: Vec3 } {
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-1, -1, -1];
  const [nx, ny] = size;
  for (let n = 0; n < mask.length; n++) {
    if (!mask[n]) continue;
    const i = n % nx;
    const j = Math.floor(n / nx) % ny;
    const k = Math.floor(n / (nx * ny));
    const p = [i, j, k];
    for (let a = 0; a < 3; a++) {
      if (p[a]! < lo[a]!) lo[a] = p[a]!;
      if (p[a]! > hi[a]!) hi[a] = p[a]!;
    }
  }
  if (hi[0] < 0) throw new Error('IBSI 2 phase 2: the ROI mask is empty');
  return { lo, hi };
}

/**
 * Step 1–2 of the pipeline on a grid cropped to the ROI plus `margin` voxels (in-plane
 * only for 2D): the original grid for A, the 1 mm IBSI grid for B.
 */
export function phase2Grid(image: Volume, mask: Volume, dimensions: 2 | 3, marginOrImage: number | 'image'): Phase2Grid {
  const margin = marginOrImage === 'image' ? Infinity : marginOrImage;
  if (image.size.some((s, a) => s !== mask.size[a])) throw new Error('IBSI 2 phase 2: image and mask sizes differ');
  if (dimensions === 2) {
    const { lo, hi } = roiBox(mask.data, mask.size);
    const a0 = [0, 1].map((a) => Math.max(0, lo[a]! - margin));
    const a1 = [0, 1].map((a) => Math.min(image.size[a]! - 1, hi[a]! + margin));
    const dims: Dims = [a1[0]! - a0[0]! + 1, a1[1]! - a0[1]! + 1, hi[2] - lo[2] + 1];
    const n = dims[0] * dims[1] * dims[2];
    const img = new Float64Array(n);
    const msk = new Uint8Array(n);
    const [nx, ny] = image.size;
    for (let k = 0; k < dims[2]; k++)
      for (let j = 0; j < dims[1]; j++)
        for (let i = 0; i < dims[0]; i++) {
          const src = i + a0[0]! + nx * (j + a0[1]! + ny * (k + lo[2]));
          const dst = i + dims[0] * (j + dims[1] * k);
          img[dst] = roundHU(image.data[src]!);
          msk[dst] = mask.data[src]! > 0.5 ? 1 : 0;
        }
    return { dims, spacing: [...image.spacing] as Vec3, image: img, mask: msk };
  }
  // 3D: 1 mm IBSI grid (centres aligned); only the part covering the ROI box plus margin is interpolated.
  const full = gridForSpacing(image, [1, 1, 1], 'ibsi');
  const fullVol: Volume = { size: full.size, spacing: full.spacing, origin: full.origin, direction: Float64Array.from(full.direction), data: new Float32Array(0) };
  const { lo, hi } = roiBox(mask.data, mask.size);
  // ROI box corners in the new grid's continuous index: new index = (old index − o)·s/s', o the old index of new voxel 0.
  // The ROI box corners (voxel edges) in the new grid's continuous index; the new grid has the image's direction.
  const c0 = physicalToIndex(fullVol, indexToPhysical(image, lo[0] - 0.5, lo[1] - 0.5, lo[2] - 0.5));
  const c1 = physicalToIndex(fullVol, indexToPhysical(image, hi[0] + 0.5, hi[1] + 0.5, hi[2] + 0.5));
  const lo3 = [0, 1, 2].map((a) => Math.max(0, Math.floor(Math.min(c0[a]!, c1[a]!)) - margin));
  const hi3 = [0, 1, 2].map((a) => Math.min(full.size[a]! - 1, Math.ceil(Math.max(c0[a]!, c1[a]!)) + margin));
  const size: Vec3 = [hi3[0]! - lo3[0]! + 1, hi3[1]! - lo3[1]! + 1, hi3[2]! - lo3[2]! + 1];
  const sub = { size, spacing: full.spacing, origin: indexToPhysical(fullVol, lo3[0]!, lo3[1]!, lo3[2]!), direction: full.direction };
  const roundedImage: Volume = { ...image, data: Float32Array.from(image.data, roundHU) };
  const img = resampleToGrid(roundedImage, sub, { interpolator: 'bspline', boundary: 'extrapolate', outputType: 'float64' });
  const maskF: Volume = { ...mask, data: Float32Array.from(mask.data, (v) => (v > 0.5 ? 1 : 0)) };
  const msk = resampleToGrid(maskF, sub, { interpolator: 'linear', boundary: 'extrapolate', outputType: 'float32' });
  return {
    dims: size,
    spacing: [...full.spacing] as Vec3,
    image: Float64Array.from(img.data, roundHU),
    mask: Uint8Array.from(msk.data, (v) => (v >= 0.5 ? 1 : 0)),
  };
}

/** Steps 3–5: filter, re-segment on the unfiltered intensities, statistics of the response. */
export function phase2Features(grid: Phase2Grid, config: Phase2Config, range: [number, number] = [-1000, 400]): Record<string, number> {
  const response = config.filter(grid.image, grid.dims, grid.spacing);
  const values: number[] = [];
  for (let n = 0; n < response.length; n++) {
    if (grid.mask[n] && grid.image[n]! >= range[0] && grid.image[n]! <= range[1]) values.push(response[n]!);
  }
  if (values.length === 0) throw new Error(`IBSI 2 phase 2 ${config.id}: no voxel left in the ROI after re-segmentation`);
  const all = intensityStatistics(values);
  const out: Record<string, number> = {};
  for (const f of PHASE2_FEATURES) {
    const v = all[f];
    if (v === undefined) throw new Error(`IBSI 2 phase 2: the intensity statistics have no ${f}`);
    out[f] = v;
  }
  return out;
}

export interface Phase2Reference {
  id: string;
  feature: string;
  value: number;
  tolerance: number;
}

/** Parse `reference_values.csv` (semicolon-separated: filter_id;feature;feature_tag;consensus_value;tolerance). */
export function parsePhase2References(text: string): Phase2Reference[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const [header, ...rows] = lines;
  if (header === undefined) throw new Error('reference_values.csv: the file is empty');
  const head = header.split(';');
  const col = (name: string) => {
    const c = head.indexOf(name);
    if (c < 0) throw new Error(`reference_values.csv: column "${name}" missing`);
    return c;
  };
  const [ci, ct, cv, cTol] = [col('filter_id'), col('feature_tag'), col('consensus_value'), col('tolerance')];
  return rows.flatMap((l, r) => {
    const f = l.split(';');
    const [id, feature, value, tolerance] = [f[ci], f[ct], f[cv], f[cTol]];
    // Rows without a consensus value (e.g. 8.B stat_qcod) are not standardised: skipped.
    if (value === undefined || value.trim() === '') return [];
    if (id === undefined || feature === undefined || tolerance === undefined) {
      throw new Error(`reference_values.csv: data row ${r + 1} has ${f.length} fields, the header ${head.length}`);
    }
    return [{ id, feature, value: Number(value), tolerance: Number(tolerance) }];
  });
}

/** IBSI tolerance rule: |x − reference| ≤ tolerance, x rounded to 3 significant digits first (as the reference values are). */
export function withinTolerance(x: number, ref: Phase2Reference): boolean {
  const r = Number(x.toPrecision(3));
  return Math.abs(r - ref.value) <= ref.tolerance + 1e-12 * Math.abs(ref.value) || Math.abs(x - ref.value) <= ref.tolerance;
}
