/**
 * Voxel descriptors for habitat clustering (../shared/SPEC.md §3 (Habitats)): for every voxel of the
 * VOI, the normalised intensity of the sequence, optionally local-window
 * first-order statistics of it, and optionally the other sequences'
 * normalised intensities at the same voxel (multi-sequence habitats).
 *
 * Local windows follow PyRadiomics' voxel-based mode: a cube of
 * (2·radius + 1)³ voxels around each voxel, masked by the VOI (PyRadiomics'
 * default `maskedKernel: True`), first-order features of the voxels in it.
 * Moments are ratios of box sums computed with separable running sums over
 * the VOI's bounding box (O(voxels) per statistic, independent of the
 * radius); entropy and uniformity use a sliding-window histogram. Nothing is
 * allocated per voxel.
 */
import { describeGeometryMismatch, type Volume } from '../image/volume.js';

/**
 * Per-patient scaling of the intensity over the VOI: 'zscore' ((x − mean)/SD),
 * 'minmax' ((x − min)/(max − min)), 'percentile' ((x − P1)/(P99 − P1): robust
 * to single outliers, and — unlike the mean — hardly moved by the patient's
 * habitat fractions) or 'none'.
 */
export type IntensityNormalisation = 'zscore' | 'minmax' | 'percentile' | 'none';

/** First-order features available in local windows (PyRadiomics first-order definitions). */
export type LocalFeature = 'mean' | 'variance' | 'skewness' | 'kurtosis' | 'rms' | 'entropy' | 'uniformity';

export const LOCAL_FEATURES: readonly LocalFeature[] = [
  'mean',
  'variance',
  'skewness',
  'kurtosis',
  'rms',
  'entropy',
  'uniformity',
];

export interface LocalWindowOptions {
  /** Kernel radius in voxels (PyRadiomics' kernelRadius); 1 gives a 3×3×3 window. */
  radius: number;
  features: LocalFeature[];
  /**
   * Bin width on the normalised intensity for entropy and uniformity (bins
   * aligned to multiples of the width, as PyRadiomics' fixed bin width).
   * Default: 0.25 (z-score), 1/16 (min-max, percentile), 25 (no normalisation, PyRadiomics' default).
   */
  binWidth?: number;
}

export interface DescriptorOptions {
  /** Per-patient intensity normalisation over the VOI (default 'zscore'). */
  normalisation?: IntensityNormalisation;
  local?: LocalWindowOptions;
  /** Other sequences whose normalised intensities are appended (multi-sequence habitats). */
  otherSequences?: string[];
}

export interface VoxelDescriptors {
  /** Descriptor names; column 0 is always `<sequence>:intensity`. */
  names: string[];
  dim: number;
  /** Row-major n × dim. */
  data: Float64Array;
  /** Linear voxel index (into the volume) of each row. */
  indices: Int32Array;
}

/** Linear indices of the VOI voxels (mask > 0) in storage order. */
export function voiIndices(mask: Volume): Int32Array {
  const m = mask.data;
  let n = 0;
  for (let v = 0; v < m.length; v++) if (m[v]! > 0) n++;
  const out = new Int32Array(n);
  n = 0;
  for (let v = 0; v < m.length; v++) if (m[v]! > 0) out[n++] = v;
  return out;
}

/** Quantile q of sorted values with linear interpolation (numpy's default 'linear' method). */
function quantileSorted(v: Float64Array, q: number): number {
  const h = (v.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo]! + (h - lo) * (v[hi]! - v[lo]!);
}

/** Offset and scale so that (x − offset)/scale is the chosen normalisation over the VOI voxels. */
export function voiNormalisation(
  image: Volume,
  indices: Int32Array,
  method: IntensityNormalisation,
): { offset: number; scale: number } {
  if (method === 'none') return { offset: 0, scale: 1 };
  const d = image.data;
  if (method === 'percentile') {
    const v = Float64Array.from(indices, (i) => d[i]!).sort();
    const lo = quantileSorted(v, 0.01);
    const hi = quantileSorted(v, 0.99);
    return { offset: lo, scale: hi > lo ? hi - lo : 1 };
  }
  if (method === 'minmax') {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of indices) {
      if (d[v]! < lo) lo = d[v]!;
      if (d[v]! > hi) hi = d[v]!;
    }
    return { offset: lo, scale: hi > lo ? hi - lo : 1 };
  }
  let s = 0;
  for (const v of indices) s += d[v]!;
  const mean = s / indices.length;
  let ss = 0;
  for (const v of indices) ss += (d[v]! - mean) ** 2;
  const sd = Math.sqrt(ss / indices.length);
  return { offset: mean, scale: sd > 0 ? sd : 1 };
}

interface Box {
  lo: [number, number, number];
  size: [number, number, number];
}

function voiBox(mask: Volume, indices: Int32Array, pad: number): Box {
  const [nx, ny, nz] = mask.size;
  const lo: [number, number, number] = [Infinity, Infinity, Infinity];
  const hi: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (const v of indices) {
    const i = v % nx;
    const j = Math.floor(v / nx) % ny;
    const k = Math.floor(v / (nx * ny));
    if (i < lo[0]) lo[0] = i;
    if (j < lo[1]) lo[1] = j;
    if (k < lo[2]) lo[2] = k;
    if (i > hi[0]) hi[0] = i;
    if (j > hi[1]) hi[1] = j;
    if (k > hi[2]) hi[2] = k;
  }
  const dims = [nx, ny, nz];
  const size: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    lo[c] = Math.max(0, lo[c]! - pad);
    size[c] = Math.min(dims[c]! - 1, hi[c]! + pad) - lo[c]! + 1;
  }
  return { lo, size };
}

/**
 * In-place box sum of radius r along each axis of a box-shaped array
 * (windows clipped at the box border), by running sums: `a` holds the input
 * and receives the result, `tmp` is scratch of the same length.
 */
export function boxSum3d(a: Float64Array, size: readonly [number, number, number], r: number, tmp: Float64Array): void {
  const [bx, by, bz] = size;
  const strides = [1, bx, bx * by];
  const lens = [bx, by, bz];
  for (let axis = 0; axis < 3; axis++) {
    const len = lens[axis]!;
    const st = strides[axis]!;
    const others: [number, number, number, number] = axis === 0 ? [by, bz, bx, bx * by] : axis === 1 ? [bx, bz, 1, bx * by] : [bx, by, 1, bx];
    const [n1, n2, s1, s2] = others;
    for (let q = 0; q < n2; q++) {
      for (let p = 0; p < n1; p++) {
        const base = p * s1 + q * s2;
        // running sum over [t − r, t + r] ∩ [0, len − 1]
        let run = 0;
        for (let t = 0; t < Math.min(r, len); t++) run += a[base + t * st]!;
        for (let t = 0; t < len; t++) {
          const add = t + r;
          if (add < len) run += a[base + add * st]!;
          const drop = t - r - 1;
          if (drop >= 0) run -= a[base + drop * st]!;
          tmp[base + t * st] = run;
        }
      }
    }
    a.set(tmp);
  }
}

function defaultBinWidth(method: IntensityNormalisation): number {
  return method === 'zscore' ? 0.25 : method === 'minmax' || method === 'percentile' ? 1 / 16 : 25;
}

/**
 * Local-window first-order features of the normalised intensity for every VOI
 * voxel: returns one Float64Array (length = number of VOI voxels) per feature.
 */
function localWindowFeatures(
  image: Volume,
  mask: Volume,
  indices: Int32Array,
  norm: { offset: number; scale: number },
  opts: LocalWindowOptions,
  method: IntensityNormalisation,
): Float64Array[] {
  const r = opts.radius;
  if (!Number.isInteger(r) || r < 1) throw new Error(`local window radius must be a positive integer, got ${r}`);
  const box = voiBox(mask, indices, r);
  const [bx, by] = box.size;
  const nb = box.size[0] * box.size[1] * box.size[2];
  const [nx, ny] = mask.size;
  // Box index of each VOI voxel, and the normalised intensity inside the VOI (0 elsewhere).
  const boxIdx = new Int32Array(indices.length);
  const x = new Float64Array(nb);
  const inVoi = new Uint8Array(nb);
  for (let s = 0; s < indices.length; s++) {
    const v = indices[s]!;
    const i = (v % nx) - box.lo[0];
    const j = (Math.floor(v / nx) % ny) - box.lo[1];
    const k = Math.floor(v / (nx * ny)) - box.lo[2];
    const b = i + bx * (j + by * k);
    boxIdx[s] = b;
    x[b] = (image.data[v]! - norm.offset) / norm.scale;
    inVoi[b] = 1;
  }
  const a = new Float64Array(nb);
  const tmp = new Float64Array(nb);
  const gather = (): Float64Array => {
    const out = new Float64Array(indices.length);
    for (let s = 0; s < indices.length; s++) out[s] = a[boxIdx[s]!]!;
    return out;
  };
  const windowSum = (power: number): Float64Array => {
    for (let b = 0; b < nb; b++) a[b] = inVoi[b] ? (power === 0 ? 1 : x[b]! ** power) : 0;
    boxSum3d(a, box.size, r, tmp);
    return gather();
  };
  const want = new Set(opts.features);
  const needMoments = ['mean', 'variance', 'skewness', 'kurtosis', 'rms'].some((f) => want.has(f as LocalFeature));
  const count = windowSum(0);
  const out: Record<string, Float64Array> = {};
  if (needMoments) {
    const maxPower = want.has('kurtosis') ? 4 : want.has('skewness') ? 3 : 2;
    const sums = [count];
    for (let p = 1; p <= maxPower; p++) sums.push(windowSum(p));
    const n = indices.length;
    const mk = (f: LocalFeature) => (want.has(f) ? (out[f] = new Float64Array(n)) : null);
    const mean = mk('mean');
    const variance = mk('variance');
    const skew = mk('skewness');
    const kurt = mk('kurtosis');
    const rms = mk('rms');
    for (let s = 0; s < n; s++) {
      const c = count[s]!;
      const m1 = sums[1]![s]! / c;
      const e2 = sums[2]![s]! / c;
      const m2 = Math.max(0, e2 - m1 * m1);
      if (mean) mean[s] = m1;
      if (variance) variance[s] = m2;
      if (rms) rms[s] = Math.sqrt(e2);
      // Central moments from raw ones; a flat window has skewness and kurtosis 0 (as PyRadiomics).
      if (skew) {
        const m3 = sums[3]![s]! / c - 3 * m1 * e2 + 2 * m1 ** 3;
        skew[s] = m2 > 1e-12 ? m3 / m2 ** 1.5 : 0;
      }
      if (kurt) {
        const e3 = sums[3]![s]! / c;
        const m4 = sums[4]![s]! / c - 4 * m1 * e3 + 6 * m1 * m1 * e2 - 3 * m1 ** 4;
        kurt[s] = m2 > 1e-12 ? m4 / (m2 * m2) : 0;
      }
    }
  }
  if (want.has('entropy') || want.has('uniformity')) {
    const bw = opts.binWidth ?? defaultBinWidth(method);
    if (!(bw > 0)) throw new Error(`local window binWidth must be positive, got ${bw}`);
    // PyRadiomics fixed bin width: bin = ⌊x/w⌋ − ⌊min/w⌋ (edges at multiples of w).
    const bins = new Int32Array(nb).fill(-1);
    let lo = Infinity;
    for (let b = 0; b < nb; b++) if (inVoi[b]) lo = Math.min(lo, Math.floor(x[b]! / bw));
    let nBins = 0;
    for (let b = 0; b < nb; b++) {
      if (!inVoi[b]) continue;
      bins[b] = Math.floor(x[b]! / bw) - lo;
      nBins = Math.max(nBins, bins[b]! + 1);
    }
    const n = indices.length;
    const entropy = want.has('entropy') ? (out.entropy = new Float64Array(n)) : null;
    const uniformity = want.has('uniformity') ? (out.uniformity = new Float64Array(n)) : null;
    // Sliding-window histogram along x: moving one voxel adds one (2r+1)² plane
    // and drops another; Σ c·ln c and Σ c² are updated per count change, so
    // Entropy = log2 N − Σ c·log2 c / N and Uniformity = Σ c² / N² cost O(1)
    // per change (PyRadiomics' −Σ p·log2(p + ε) differs by O(ε·N)).
    const [, , bz] = box.size;
    const maxN = (2 * r + 1) ** 3;
    const cLogC = new Float64Array(maxN + 1);
    for (let c = 2; c <= maxN; c++) cLogC[c] = c * Math.log(c);
    const hist = new Int32Array(nBins);
    const entBox = a;
    const uniBox = tmp;
    let S = 0;
    let Q = 0;
    let N = 0;
    let j0 = 0;
    let j1 = 0;
    let k0 = 0;
    let k1 = 0;
    const plane = (i: number, sign: 1 | -1) => {
      for (let kk = k0; kk <= k1; kk++) {
        for (let jj = j0; jj <= j1; jj++) {
          const g = bins[i + bx * (jj + by * kk)]!;
          if (g < 0) continue;
          const c = hist[g]!;
          const c2 = c + sign;
          S += cLogC[c2]! - cLogC[c]!;
          Q += c2 * c2 - c * c;
          hist[g] = c2;
          N += sign;
        }
      }
    };
    for (let k = 0; k < bz; k++) {
      for (let j = 0; j < by; j++) {
        const row = bx * (j + by * k);
        let any = false;
        for (let i = 0; i < bx && !any; i++) any = inVoi[row + i] === 1;
        if (!any) continue;
        j0 = Math.max(0, j - r);
        j1 = Math.min(by - 1, j + r);
        k0 = Math.max(0, k - r);
        k1 = Math.min(bz - 1, k + r);
        for (let i = 0; i < Math.min(r, bx); i++) plane(i, 1);
        for (let i = 0; i < bx; i++) {
          if (i + r < bx) plane(i + r, 1);
          if (i - r - 1 >= 0) plane(i - r - 1, -1);
          if (inVoi[row + i]) {
            entBox[row + i] = (Math.log(N) - S / N) / Math.LN2;
            uniBox[row + i] = Q / (N * N);
          }
        }
        for (let i = Math.max(0, bx - r - 1); i < bx; i++) plane(i, -1);
      }
    }
    for (let s = 0; s < n; s++) {
      if (entropy) entropy[s] = entBox[boxIdx[s]!]!;
      if (uniformity) uniformity[s] = uniBox[boxIdx[s]!]!;
    }
  }
  return opts.features.map((f) => {
    if (!LOCAL_FEATURES.includes(f)) throw new Error(`unknown local window feature "${f}" (known: ${LOCAL_FEATURES.join(', ')})`);
    const col = out[f];
    if (!col) throw new Error(`local window feature "${f}" was not computed`);
    return col;
  });
}

/**
 * Descriptor matrix of the VOI voxels of `sequence` (see the module comment).
 * `images` must hold `sequence` and every name in `otherSequences`, all on the
 * mask's voxel grid. `patientId` only names the patient in error messages.
 */
export function voxelDescriptors(
  images: Readonly<Record<string, Volume>>,
  mask: Volume,
  sequence: string,
  opts: DescriptorOptions = {},
  patientId = '',
): VoxelDescriptors {
  const who = patientId ? `patient ${patientId}: ` : '';
  const method = opts.normalisation ?? 'zscore';
  const seqs = [sequence, ...(opts.otherSequences ?? []).filter((s) => s !== sequence)];
  for (const s of seqs) {
    const img = images[s];
    if (!img) throw new Error(`${who}no image for sequence "${s}"`);
    const mismatch = describeGeometryMismatch(img, mask);
    if (mismatch) throw new Error(`${who}sequence "${s}" and the mask are on different grids (${mismatch}); resample first`);
  }
  const indices = voiIndices(mask);
  if (indices.length === 0) throw new Error(`${who}the mask is empty (no voxel > 0)`);
  const n = indices.length;
  const columns: Float64Array[] = [];
  const names: string[] = [];
  const main = images[sequence];
  if (!main) throw new Error(`${who}no image for sequence "${sequence}"`);
  const mainNorm = voiNormalisation(main, indices, method);
  for (const s of seqs) {
    const d = images[s]!.data;
    for (const v of indices) {
      if (!Number.isFinite(d[v])) throw new Error(`${who}sequence "${s}" has a non-finite intensity (${d[v]}) inside the VOI`);
    }
  }
  const intensityOf = (img: Volume, nm: { offset: number; scale: number }) => {
    const col = new Float64Array(n);
    for (let s = 0; s < n; s++) col[s] = (img.data[indices[s]!]! - nm.offset) / nm.scale;
    return col;
  };
  columns.push(intensityOf(main, mainNorm));
  names.push(`${sequence}:intensity`);
  if (opts.local && opts.local.features.length > 0) {
    const cols = localWindowFeatures(main, mask, indices, mainNorm, opts.local, method);
    opts.local.features.forEach((f, c) => {
      columns.push(cols[c]!);
      names.push(`${sequence}:${f}_r${opts.local?.radius}`);
    });
  }
  for (const s of seqs.slice(1)) {
    columns.push(intensityOf(images[s]!, voiNormalisation(images[s]!, indices, method)));
    names.push(`${s}:intensity`);
  }
  const dim = columns.length;
  const data = new Float64Array(n * dim);
  for (let c = 0; c < dim; c++) {
    const col = columns[c]!;
    for (let s = 0; s < n; s++) data[s * dim + c] = col[s]!;
  }
  return { names, dim, data, indices };
}
