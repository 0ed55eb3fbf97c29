/**
 * Cohort-level habitats (../shared/SPEC.md §3 (Habitats); Wu et al. 2025, "Habitat generation"):
 * voxel descriptors of all training patients are pooled (a seeded uniform
 * subsample of at most `maxPooledVoxels`), standardised with cohort-level
 * means and standard deviations, the number of habitats is chosen by the
 * minimum BIC of full-covariance GMMs over k = 1…8 (or set by the user),
 * K-means with that k is fitted on the pooled voxels, and the centroids are
 * applied to every voxel of every patient. Habitats are numbered by ascending
 * mean normalised intensity of the sequence (Hab1 = darkest), so a number
 * means the same thing in every patient.
 */
import { createVolume, type Volume } from '../image/volume.js';
import { createRng, deriveSeed } from '../util/random.js';
import { gmmBic, type GmmOptions } from './gmm-bic.js';
import { assignToCentroids, kmeans } from './kmeans.js';
import { voxelDescriptors, type DescriptorOptions, type VoxelDescriptors } from './voxel-descriptors.js';

export interface HabitatCaseData {
  /** Images by sequence name, on the mask's grid. */
  images: Record<string, Volume>;
  /** VOI: voxels > 0. */
  mask: Volume;
}

/** A patient whose volumes are loaded on demand (a cohort need not fit in memory). */
export interface HabitatCase {
  id: string;
  load: () => HabitatCaseData | Promise<HabitatCaseData>;
}

export interface HabitatFitOptions {
  sequence: string;
  /** 'auto' (default): the k of minimum BIC; a number: that k (the BIC curve is still computed). */
  k?: 'auto' | number;
  /** k values of the BIC curve (default 1…8, as the paper). */
  kRange?: number[];
  seed?: number;
  /** Largest number of pooled voxels (default 200 000). */
  maxPooledVoxels?: number;
  descriptors?: DescriptorOptions;
  /** GMM settings for the BIC curve; `maxFitPoints` subsamples the pool for EM (default 100 000). */
  gmm?: GmmOptions & { maxFitPoints?: number };
  /** K-means restarts (default 10). */
  nInit?: number;
  /**
   * Descriptors the BIC curve is computed on: 'all' (default, the clustering
   * space) or 'intensity' (column 0 only). Local-window maps smear region
   * borders into ridges that no Gaussian mixture fits, so with them the
   * curve's minimum drifts to large k; 'intensity' keeps k the number of
   * intensity modes while K-means still uses every descriptor.
   */
  bicOn?: 'all' | 'intensity';
  /**
   * How `k: 'auto'` picks k from the curves: 'bic' (default) the minimum BIC,
   * 'icl' the minimum ICL (BIC plus a penalty for voxels no component claims
   * clearly: counts separated clusters rather than density components).
   */
  criterion?: 'bic' | 'icl';
  /**
   * Voxels the curves are computed on: 'all' (default) or 'homogeneous' —
   * per patient, the VOI voxels whose local variance (3×3×3, masked) is at or
   * below that patient's median. Boundary voxels mix two tissues (partial
   * volume, the slice profile, interpolation); they form bridges between the
   * intensity modes that extra Gaussians are added to fit. K-means still
   * clusters every voxel.
   */
  curveVoxels?: 'all' | 'homogeneous';
  onProgress?: (message: string) => void;
}

export interface HabitatModel {
  sequence: string;
  k: number;
  kChosenBy: 'bic' | 'icl' | 'user';
  /**
   * The curves over k (`best`: minimum BIC, `bestIcl`: minimum ICL), the
   * descriptors (`on`) and voxels (`voxels`, how many: `n`) they were computed on.
   */
  bic: { ks: number[]; bic: number[]; best: number; icl: number[]; bestIcl: number; on: 'all' | 'intensity'; voxels: 'all' | 'homogeneous'; n: number };
  descriptorNames: string[];
  descriptors: DescriptorOptions;
  /** Cohort-level standardisation of each descriptor column: (x − mean) / sd. */
  standardisation: { mean: number[]; sd: number[] };
  /** Standardised centroids in habitat order: row h is habitat h + 1. */
  centroids: number[][];
  /** Mean normalised intensity of the sequence in each habitat's centroid (ascending). */
  habitatIntensity: number[];
  patients: string[];
  totalVoxels: number;
  pooledVoxels: number;
  seed: number;
}

export interface HabitatMap {
  patientId: string;
  /** uint8 label map on the mask's grid: 0 outside the VOI, 1…k inside. */
  labels: Volume;
  /** Voxels, volume (mm³) and fraction of the VOI of habitats 1…k (index h − 1). */
  voxelCounts: number[];
  volumesMm3: number[];
  fractions: number[];
  /** Habitat numbers with no voxel in this patient (see docs/habitats.md). */
  missing: number[];
}

function standardise(d: VoxelDescriptors, mean: number[], sd: number[]): void {
  const { data, dim } = d;
  for (let s = 0; s < data.length; s += dim) {
    for (let f = 0; f < dim; f++) data[s + f] = (data[s + f]! - mean[f]!) / sd[f]!;
  }
}

/**
 * Order clusters by their centroid's intensity (descriptor column 0, the
 * sequence's normalised intensity; ties keep cluster order) and return the
 * reordered centroids with `rank[c]` = habitat index of cluster c.
 */
export function orderByIntensity(centroids: number[][]): { ordered: number[][]; rank: Int32Array } {
  const order = centroids.map((_, c) => c).sort((a, b) => centroids[a]![0]! - centroids[b]![0]! || a - b);
  const rank = new Int32Array(centroids.length);
  order.forEach((c, h) => (rank[c] = h));
  return { ordered: order.map((c) => centroids[c]!), rank };
}

function labelMap(
  patientId: string,
  mask: Volume,
  indices: Int32Array,
  clusterOf: Uint8Array,
  rank: ArrayLike<number> | null,
  k: number,
): HabitatMap {
  const data = new Uint8Array(mask.data.length);
  const counts = new Array<number>(k).fill(0);
  for (let s = 0; s < indices.length; s++) {
    const h = rank ? rank[clusterOf[s]!]! : clusterOf[s]!;
    data[indices[s]!] = h + 1;
    counts[h]!++;
  }
  const labels = createVolume(mask.size, { spacing: mask.spacing, origin: mask.origin, direction: mask.direction, data });
  labels.metadata = { description: `habitat labels 1…${k}, 0 outside the VOI` };
  const voxelMm3 = mask.spacing[0] * mask.spacing[1] * mask.spacing[2];
  return {
    patientId,
    labels,
    voxelCounts: counts,
    volumesMm3: counts.map((c) => c * voxelMm3),
    fractions: counts.map((c) => c / indices.length),
    missing: counts.flatMap((c, h) => (c === 0 ? [h + 1] : [])),
  };
}

/** Fit the cohort-level habitat model of one sequence (see the module comment). */
export async function fitHabitatModel(cases: readonly HabitatCase[], opts: HabitatFitOptions): Promise<HabitatModel> {
  if (cases.length === 0) throw new Error('habitats: no patients to fit');
  const seed = opts.seed ?? 0;
  const maxPool = opts.maxPooledVoxels ?? 200_000;
  const kRange = opts.kRange ?? [1, 2, 3, 4, 5, 6, 7, 8];
  const progress = opts.onProgress ?? (() => {});
  const rng = createRng(deriveSeed(seed, 'habitat-pool', opts.sequence));
  const curveVoxels = opts.curveVoxels ?? 'all';
  const homRng = createRng(deriveSeed(seed, 'habitat-pool-homogeneous', opts.sequence));
  let homPool = new Float64Array(0);
  let homSeen = 0;
  let dim = 0;
  let names: string[] = [];
  let pool = new Float64Array(0);
  let seen = 0;
  let sum: Float64Array = new Float64Array(0);
  let sumSq: Float64Array = new Float64Array(0);
  for (let p = 0; p < cases.length; p++) {
    const c = cases[p]!;
    const { images, mask } = await c.load();
    const d = voxelDescriptors(images, mask, opts.sequence, opts.descriptors, c.id);
    if (p === 0) {
      dim = d.dim;
      names = d.names;
      pool = new Float64Array(maxPool * dim);
      sum = new Float64Array(dim);
      sumSq = new Float64Array(dim);
      if (curveVoxels === 'homogeneous') homPool = new Float64Array(maxPool * dim);
    }
    const n = d.data.length / dim;
    const homogeneous = curveVoxels === 'homogeneous' ? homogeneousVoxels(images, mask, opts, c.id) : null;
    for (let s = 0; s < n; s++) {
      const row = d.data.subarray(s * dim, (s + 1) * dim);
      for (let f = 0; f < dim; f++) {
        sum[f]! += row[f]!;
        sumSq[f]! += row[f]! * row[f]!;
      }
      reservoirAdd(pool, row, seen++, maxPool, rng);
      if (homogeneous && homogeneous[s]) reservoirAdd(homPool, row, homSeen++, maxPool, homRng);
    }
    progress(`habitats ${opts.sequence}: pooled ${c.id} (${p + 1}/${cases.length}, ${n} VOI voxels)`);
  }
  const nPool = Math.min(seen, maxPool);
  pool = pool.subarray(0, nPool * dim);
  const mean = Array.from(sum, (s) => s / seen);
  const sd = Array.from(sumSq, (s, f) => {
    const v = s / seen - mean[f]! * mean[f]!;
    return v > 1e-24 ? Math.sqrt(v) : 1;
  });
  const pooled: VoxelDescriptors = { names, dim, data: pool, indices: new Int32Array(0) };
  standardise(pooled, mean, sd);
  // The curves' voxels: the whole pool, or its homogeneous part (standardised alike).
  let curvePool = pool;
  let nCurve = nPool;
  if (curveVoxels === 'homogeneous') {
    nCurve = Math.min(homSeen, maxPool);
    if (nCurve < 100) throw new Error(`habitats ${opts.sequence}: only ${nCurve} homogeneous VOI voxels in the cohort; use curveVoxels 'all'`);
    curvePool = homPool.subarray(0, nCurve * dim);
    standardise({ names, dim, data: curvePool, indices: new Int32Array(0) }, mean, sd);
  }

  const ks = kRange.filter((k) => k <= nCurve);
  const bicOn = opts.bicOn ?? 'all';
  const criterion = opts.criterion ?? 'bic';
  progress(
    `habitats ${opts.sequence}: GMM ${criterion.toUpperCase()} over k = ${ks.join(',')} on ${nCurve} ${curveVoxels === 'homogeneous' ? 'homogeneous ' : ''}pooled voxels (${bicOn === 'all' ? `${dim} descriptors` : 'intensity'})`,
  );
  const bicPoints = bicOn === 'all' || dim === 1 ? { data: curvePool, dim } : { data: Float64Array.from({ length: nCurve }, (_, s) => curvePool[s * dim]!), dim: 1 };
  const bic = gmmBic(bicPoints, ks, {
    seed: deriveSeed(seed, 'habitat-gmm'),
    maxFitPoints: 100_000,
    ...opts.gmm,
  });
  const userK = typeof opts.k === 'number' ? opts.k : undefined;
  if (userK !== undefined && (!Number.isInteger(userK) || userK < 1 || userK > 255 || userK > nPool)) {
    throw new Error(`habitats: k must be an integer from 1 to ${Math.min(255, nPool)}, got ${opts.k}`);
  }
  const k = userK ?? (criterion === 'icl' ? bic.bestIcl : bic.best);
  progress(`habitats ${opts.sequence}: K-means with k = ${k} (${userK ? 'set by the user' : `minimum ${criterion.toUpperCase()}`})`);
  const km = kmeans({ data: pool, dim }, k, { seed: deriveSeed(seed, 'habitat-kmeans'), nInit: opts.nInit ?? 10 });
  const { ordered } = orderByIntensity(km.centroids);
  return {
    sequence: opts.sequence,
    k,
    kChosenBy: userK ? 'user' : criterion,
    bic: { ks: bic.ks, bic: bic.bic, best: bic.best, icl: bic.icl, bestIcl: bic.bestIcl, on: bicOn, voxels: curveVoxels, n: nCurve },
    descriptorNames: names,
    descriptors: opts.descriptors ?? {},
    standardisation: { mean, sd },
    centroids: ordered,
    habitatIntensity: ordered.map((c) => c[0]! * sd[0]! + mean[0]!),
    patients: cases.map((c) => c.id),
    totalVoxels: seen,
    pooledVoxels: nPool,
    seed,
  };
}

/**
 * Reservoir sampling (Vitter's algorithm R): row number `seen` (0-based) of a
 * stream enters a pool of `maxPool` rows so that the pool stays a uniform
 * subsample of the rows seen so far, in one pass, reproducible under the seed.
 */
function reservoirAdd(pool: Float64Array, row: Float64Array, seen: number, maxPool: number, rng: ReturnType<typeof createRng>): void {
  if (seen < maxPool) pool.set(row, seen * row.length);
  else {
    const t = rng.int(seen + 1);
    if (t < maxPool) pool.set(row, t * row.length);
  }
}

/**
 * Per VOI voxel (in voxelDescriptors' order): whether its local variance of
 * the normalised intensity (3×3×3 kernel masked by the VOI) is at or below the
 * patient's median — the voxels away from region borders.
 */
function homogeneousVoxels(images: Readonly<Record<string, Volume>>, mask: Volume, opts: HabitatFitOptions, id: string): Uint8Array {
  const d = voxelDescriptors(images, mask, opts.sequence, { normalisation: opts.descriptors?.normalisation, local: { radius: 1, features: ['variance'] } }, id);
  const n = d.data.length / d.dim;
  const v = new Float64Array(n);
  for (let s = 0; s < n; s++) v[s] = d.data[s * d.dim + 1]!;
  const sorted = Float64Array.from(v).sort();
  const median = sorted[Math.floor((n - 1) / 2)]!;
  const out = new Uint8Array(n);
  for (let s = 0; s < n; s++) out[s] = v[s]! <= median ? 1 : 0;
  return out;
}

/** Habitat label map of one patient under a fitted cohort model (nearest standardised centroid). */
export function applyHabitatModel(model: HabitatModel, data: HabitatCaseData, patientId = ''): HabitatMap {
  const first = model.centroids[0];
  if (!first || model.centroids.some((c) => c.length !== first.length)) {
    throw new Error(`habitat model for ${model.sequence}: ${model.centroids.length} centroids, not all of one length (a model file edited or cut short?)`);
  }
  const d = voxelDescriptors(data.images, data.mask, model.sequence, model.descriptors, patientId);
  if (d.dim !== first.length) {
    throw new Error(`patient ${patientId}: ${d.dim} descriptors, the habitat model has ${first.length}`);
  }
  standardise(d, model.standardisation.mean, model.standardisation.sd);
  const cluster = new Uint8Array(d.indices.length);
  assignToCentroids(d.data, d.dim, model.centroids, cluster);
  return labelMap(patientId, data.mask, d.indices, cluster, null, model.k);
}

export interface PerPatientHabitatOptions {
  sequence: string;
  /** 'auto': the k of minimum BIC on this patient's voxels; a number: that k. */
  k: 'auto' | number;
  kRange?: number[];
  seed?: number;
  descriptors?: DescriptorOptions;
  nInit?: number;
}

/**
 * Per-patient habitats: descriptors standardised within the patient,
 * K-means on the patient's own voxels, numbered by the same rule
 * (ascending centroid intensity), so Hab1 is still the darkest.
 */
export function perPatientHabitats(
  data: HabitatCaseData,
  opts: PerPatientHabitatOptions,
  patientId = '',
): HabitatMap & { k: number; bic?: number[] } {
  const seed = deriveSeed(opts.seed ?? 0, 'per-patient', patientId);
  const d = voxelDescriptors(data.images, data.mask, opts.sequence, opts.descriptors, patientId);
  const n = d.indices.length;
  const mean = new Array<number>(d.dim).fill(0);
  const sd = new Array<number>(d.dim).fill(0);
  for (let s = 0; s < n; s++) for (let f = 0; f < d.dim; f++) mean[f]! += d.data[s * d.dim + f]! / n;
  for (let s = 0; s < n; s++) for (let f = 0; f < d.dim; f++) sd[f]! += (d.data[s * d.dim + f]! - mean[f]!) ** 2 / n;
  for (let f = 0; f < d.dim; f++) sd[f] = sd[f]! > 1e-24 ? Math.sqrt(sd[f]!) : 1;
  standardise(d, mean, sd);
  let k: number;
  let bic: number[] | undefined;
  if (opts.k === 'auto') {
    const ks = (opts.kRange ?? [1, 2, 3, 4, 5, 6, 7, 8]).filter((kk) => kk <= n);
    const r = gmmBic({ data: d.data, dim: d.dim }, ks, { seed, maxFitPoints: 100_000 });
    k = r.best;
    bic = r.bic;
  } else k = opts.k;
  if (!Number.isInteger(k) || k < 1 || k > Math.min(255, n)) {
    throw new Error(`patient ${patientId}: k must be an integer from 1 to ${Math.min(255, n)}, got ${k}`);
  }
  const km = kmeans({ data: d.data, dim: d.dim }, k, { seed, nInit: opts.nInit ?? 10 });
  const { rank } = orderByIntensity(km.centroids);
  const cluster = Uint8Array.from(km.labels);
  return { ...labelMap(patientId, data.mask, d.indices, cluster, rank, k), k, bic };
}
