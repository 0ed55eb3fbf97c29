/**
 * Choosing k at cohort level the study's way (docs/habitats.md, "Choosing k"):
 * per-patient percentile scaling, GMM curves on homogeneous voxels, minimum ICL.
 * - planted Voronoi subregions under per-patient gain and bias (no partial volume):
 *   the planted k, by ICL and also by BIC on those voxels;
 * - the demo cohort (bias-free, aligned; 5 mm slices averaged over a slice profile, 1 mm resampling,
 *   per-patient texture and levels): partial-volume bridges and heavy-tailed pooled
 *   clusters push the BIC minimum past the planted k, while the ICL on homogeneous
 *   voxels finds it in every sequence.
 */
import { describe, expect, it } from 'vitest';
import { fitHabitatModel, type HabitatFitOptions } from '../../src/core/habitats/habitat-model.js';
import { DEMO_PLANTED, DEMO_SEQUENCES, generateDemoPatient } from '../../src/demo/demo.js';
import { parseStudyConfig } from '../../src/core/study/config.js';
import { preparePatient, type PreparedPatient } from '../../src/core/study/prepare.js';
import { descriptorOptions } from '../../src/core/study/pipeline.js';
import { asCases, syntheticCohort } from './synthetic-cohort.js';

const small = { size: [32, 32, 16] as [number, number, number], spacing: [1, 1, 2] as [number, number, number] };
const studyWay: Partial<HabitatFitOptions> = { descriptors: { normalisation: 'percentile' }, criterion: 'icl', curveVoxels: 'homogeneous' };

describe('k by ICL on homogeneous voxels, planted subregions under gain and bias', () => {
  for (const levels of [
    [150, 300],
    [100, 220, 340],
    [100, 200, 300, 400],
  ]) {
    it(`k = ${levels.length}`, async () => {
      const pts = syntheticCohort({ patients: 6, levels, noiseSd: 12, bias: 0.08, gain: [0.8, 1.25], texture: 4, seed: 31 + levels.length, ...small });
      const model = await fitHabitatModel(asCases(pts), { sequence: 'T2', seed: 3, kRange: [1, 2, 3, 4, 5, 6], nInit: 3, ...studyWay });
      expect(model.kChosenBy).toBe('icl');
      expect(model.k).toBe(levels.length);
      expect(model.bic.bestIcl).toBe(levels.length);
      // the curves are computed on about half of the VOI voxels (at or below each patient's median local variance)
      expect(model.bic.voxels).toBe('homogeneous');
      expect(model.bic.n).toBeGreaterThan(0.45 * model.totalVoxels);
      expect(model.bic.n).toBeLessThan(0.6 * model.totalVoxels);
      // ICL = BIC + a non-negative assignment term
      model.bic.icl.forEach((v, i) => expect(v).toBeGreaterThanOrEqual(model.bic.bic[i]! - 1e-6));
    });
  }

  it('per-VOI z-scores move the habitats with the patient\'s fractions; percentiles do not', async () => {
    // Two subregions whose fractions vary between patients: under z-scores each patient's
    // levels sit elsewhere, so the pooled clusters blur; the 1st/99th percentiles stay put.
    const pts = syntheticCohort({ patients: 6, levels: [150, 300], noiseSd: 12, bias: 0, gain: [1, 1], texture: 0, seed: 8, ...small });
    const spread = async (normalisation: 'zscore' | 'percentile') => {
      const m = await fitHabitatModel(asCases(pts), { sequence: 'T2', seed: 3, k: 2, kRange: [2], nInit: 3, descriptors: { normalisation } });
      return m; // centroids in standardised units: the cluster SD is what the fractions inflate
    };
    const z = await spread('zscore');
    const p = await spread('percentile');
    // separation of the two centroids in cohort-standardised units: larger = tighter clusters
    const sep = (m: typeof z) => m.centroids[1]![0]! - m.centroids[0]![0]!;
    expect(sep(p)).toBeGreaterThan(sep(z));
  });
});

describe('the demo cohort without bias fields or motion, prepared as the study does (no N4, no registration)', () => {
  it('ICL on homogeneous voxels finds the planted k of every sequence; BIC overshoots', async () => {
    const config = parseStudyConfig('preprocessing: {n4: false, register: none}', 'test.yaml');
    const prepared: PreparedPatient[] = [];
    for (let i = 0; i < 12; i++) {
      const p = generateDemoPatient(i, { patients: 12, seed: 404, motion: false, biasField: false });
      prepared.push(await preparePatient({ id: p.id, series: p.series, mask: p.mask }, config));
    }
    const cases = prepared.map((p) => ({ id: p.id, load: () => ({ images: p.images, mask: p.mask }) }));
    let bicOvershoots = 0;
    for (const seq of DEMO_SEQUENCES) {
      const m = await fitHabitatModel(cases, {
        sequence: seq,
        seed: 42,
        descriptors: descriptorOptions(config, seq),
        criterion: config.habitats.criterion,
        curveVoxels: config.habitats.curveVoxels,
      });
      expect(m.k, seq).toBe(DEMO_PLANTED[seq].k);
      if (m.bic.best > DEMO_PLANTED[seq].k) bicOvershoots++;
    }
    expect(bicOvershoots).toBeGreaterThan(0);
  });
});
