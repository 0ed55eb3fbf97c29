/**
 * Habitat clustering at cohort scale.
 * 1. GMM/BIC over k = 1…8 on 1 000 000 pooled 1-D voxels (target < 10 s).
 *    Procedure: EM (full covariance, k-means++-seeded K-means init, n_init 5 —
 *    the default — and 1 for the cost of the restarts, tol 1e-3, max_iter 100,
 *    reg_covar 1e-6) runs on a seeded uniform
 *    subsample of 100 000 of the voxels (gmmBic's maxFitPoints), followed by
 *    2 EM steps on all 1 000 000 voxels (refineIterations); the BIC of every k
 *    is the log-likelihood of the result over ALL voxels, with p·ln(1 000 000).
 * 2. K-means assignment of a cohort: 40 patients × 120×120×60 volumes
 *    (≈ 150 000 VOI voxels each), 2-D descriptors (z-scored intensity, 3×3×3
 *    local mean), k = 4 centroids, uint8 label maps; only the
 *    assignment (descriptors, standardisation, nearest centroid, label map) is timed.
 * 3. The cohort model fit on that cohort (pooling, BIC curve, K-means).
 */
import { measure } from './_measure.js';
import { DEFAULT_GMM_STARTS, gmmBic } from '../src/core/habitats/gmm-bic.js';
import { applyHabitatModel, fitHabitatModel, type HabitatModel } from '../src/core/habitats/habitat-model.js';
import { createRng } from '../src/core/util/random.js';
import { asCases, syntheticCohort } from '../test/habitats/synthetic-cohort.js';

const n = 1_000_000;
const rng = createRng(42);
const voxels = new Float64Array(n);
for (let s = 0; s < n; s++) {
  const u = rng.next();
  voxels[s] = u < 0.35 ? -1.1 + 0.45 * rng.normal() : u < 0.75 ? 0.3 + 0.35 * rng.normal() : 1.5 + 0.5 * rng.normal();
}
for (const nInit of [DEFAULT_GMM_STARTS, 1]) {
  const cpu0 = process.cpuUsage();
  let cpuMs = 0;
  let best = 0;
  let bic: number[] = [];
  await measure(
    `gmmBic k=1..8, 1e6 pooled 1-D voxels (EM on 1e5 subsample, 2 EM steps + BIC on all), ${nInit} EM start(s) per k`,
    () => {
      const r = gmmBic({ data: voxels, dim: 1 }, [1, 2, 3, 4, 5, 6, 7, 8], { seed: 1, maxFitPoints: 100_000, nInit });
      cpuMs = process.cpuUsage(cpu0).user / 1000;
      best = r.best;
      bic = r.bic.map((b) => Math.round(b));
      return r;
    },
    { n, emSubsample: 100_000, nInit, get cpuMs() { return cpuMs; }, get bestK() { return best; }, get bic() { return bic; } },
  );
}

// A cohort of 60 patients; generated one at a time inside the timed loop would
// measure the generator, so volumes are made first and only assignment is timed.
const patients = syntheticCohort({
  patients: 40,
  levels: [100, 180, 260, 340],
  noiseSd: 20,
  bias: 0.1,
  gain: [0.8, 1.25],
  texture: 8,
  size: [120, 120, 60],
  spacing: [0.5, 0.5, 1],
  tumourScale: 3,
  seed: 3,
});
const model: HabitatModel = {
  sequence: 'T2',
  k: 4,
  kChosenBy: 'user',
  bic: { ks: [], bic: [], best: 4, icl: [], bestIcl: 4, on: 'all', voxels: 'all', n: 0 },
  descriptorNames: ['T2:intensity', 'T2:mean_r1'],
  descriptors: { normalisation: 'zscore', local: { radius: 1, features: ['mean'] } },
  standardisation: { mean: [0, 0], sd: [1, 0.9] },
  centroids: [[-1.2, -1.2], [-0.4, -0.4], [0.4, 0.4], [1.2, 1.2]],
  habitatIntensity: [-1.2, -0.4, 0.4, 1.2],
  patients: [],
  totalVoxels: 0,
  pooledVoxels: 0,
  seed: 0,
};
let voi = 0;
const cpu1 = process.cpuUsage();
let cpuMs2 = 0;
await measure(
  'habitat assignment, 40 patients × 864 000-voxel volumes (descriptors + nearest centroid)',
  () => {
    for (const p of patients) voi += applyHabitatModel(model, p, p.id).voxelCounts.reduce((a, b) => a + b, 0);
    cpuMs2 = process.cpuUsage(cpu1).user / 1000;
  },
  { patients: patients.length, get voiVoxels() { return voi; }, get cpuMs() { return cpuMs2; } },
);

// 3. The cohort model itself on the same cohort: pooling (200 000 voxels),
//    GMM/BIC k = 1…8 on 2-D descriptors, K-means with 10 restarts.
const cpu2 = process.cpuUsage();
let cpuMs3 = 0;
let fitted = 0;
await measure(
  'fitHabitatModel, 40 patients, 2-D descriptors, 200 000 pooled voxels, k = 1..8, 10 K-means restarts',
  async () => {
    const m = await fitHabitatModel(asCases(patients), {
      sequence: 'T2',
      seed: 1,
      descriptors: { normalisation: 'zscore', local: { radius: 1, features: ['mean'] } },
    });
    fitted = m.k;
    cpuMs3 = process.cpuUsage(cpu2).user / 1000;
  },
  { get k() { return fitted; }, get cpuMs() { return cpuMs3; } },
);
