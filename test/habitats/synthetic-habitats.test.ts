/**
 * Cohort habitats on synthetic tumours with planted subregions (bias field,
 * gain, texture, noise): recovery of the planted regions (Dice per habitat,
 * habitats matched by the numbering rule), BIC minimum at the planted k,
 * numbering consistent across patients, per-patient mode, outputs, determinism.
 */
import { describe, expect, it } from 'vitest';
import {
  applyHabitatModel,
  fitHabitatModel,
  perPatientHabitats,
  type HabitatModel,
} from '../../src/core/habitats/habitat-model.js';
import { asCases, dicePerHabitat, syntheticCohort, type SyntheticPatient } from './synthetic-cohort.js';

const small = { size: [32, 32, 16] as [number, number, number], spacing: [1, 1, 2] as [number, number, number] };

function meanDice(model: HabitatModel, pts: SyntheticPatient[]): number {
  const all = pts.flatMap((p) => dicePerHabitat(applyHabitatModel(model, p, p.id).labels, p.truth, model.k));
  return all.reduce((a, b) => a + b, 0) / all.length;
}

describe('cohort habitats recover planted subregions', () => {
  const pts = syntheticCohort({
    patients: 6,
    levels: [120, 200, 280],
    noiseSd: 25,
    bias: 0.12,
    gain: [0.8, 1.25],
    texture: 10,
    seed: 5,
    ...small,
  });

  it('z-scored intensity + 3×3×3 local mean beat plain K-means on min-max intensities (mean Dice)', async () => {
    const base = { sequence: 'T2', k: 3, kRange: [3], seed: 1 };
    const plain = await fitHabitatModel(asCases(pts), { ...base, descriptors: { normalisation: 'minmax' } });
    const ours = await fitHabitatModel(asCases(pts), {
      ...base,
      descriptors: { normalisation: 'zscore', local: { radius: 1, features: ['mean'] } },
    });
    const dPlain = meanDice(plain, pts);
    const dOurs = meanDice(ours, pts);
    expect(dOurs).toBeGreaterThanOrEqual(dPlain);
    expect(dOurs).toBeGreaterThan(0.9);
    expect(ours.descriptorNames).toEqual(['T2:intensity', 'T2:mean_r1']);
  });

  it('numbers habitats by ascending intensity, consistently in every patient', async () => {
    const model = await fitHabitatModel(asCases(pts), {
      sequence: 'T2',
      k: 3,
      kRange: [3],
      seed: 2,
      nInit: 3,
      descriptors: { local: { radius: 1, features: ['mean'] } },
    });
    expect([...model.habitatIntensity].sort((a, b) => a - b)).toEqual(model.habitatIntensity);
    for (const p of pts) {
      const map = applyHabitatModel(model, p, p.id);
      // Mean intensity of each habitat rises with its number, and habitat h is planted region h.
      const sum = [0, 0, 0];
      const n = [0, 0, 0];
      map.labels.data.forEach((h, v) => {
        if (h > 0) {
          sum[h - 1]! += p.images.T2!.data[v]!;
          n[h - 1]!++;
        }
      });
      const means = sum.map((s, h) => s / n[h]!);
      expect(means[0]).toBeLessThan(means[1]!);
      expect(means[1]).toBeLessThan(means[2]!);
      expect(Math.min(...dicePerHabitat(map.labels, p.truth, 3))).toBeGreaterThan(0.8);
    }
  });

  it('per-patient mode numbers habitats by the same rule', () => {
    for (const p of pts.slice(0, 3)) {
      const map = perPatientHabitats(
        p,
        { sequence: 'T2', k: 3, seed: 1, nInit: 3, descriptors: { local: { radius: 1, features: ['mean'] } } },
        p.id,
      );
      const d = dicePerHabitat(map.labels, p.truth, 3);
      expect(Math.min(...d)).toBeGreaterThan(0.8);
    }
  });

  it('writes uint8 maps (0 outside the VOI), volumes in mm³ and fractions; is deterministic', async () => {
    const opts = { sequence: 'T2', k: 'auto' as const, kRange: [1, 2, 3], seed: 9, nInit: 2 };
    const a = await fitHabitatModel(asCases(pts), opts);
    const b = await fitHabitatModel(asCases(pts), opts);
    expect(a.bic.bic).toEqual(b.bic.bic);
    expect(a.centroids).toEqual(b.centroids);
    const p = pts[0]!;
    const m1 = applyHabitatModel(a, p, p.id);
    const m2 = applyHabitatModel(b, p, p.id);
    expect(m1.labels.data).toEqual(m2.labels.data);
    expect(m1.labels.data).toBeInstanceOf(Uint8Array);
    let voi = 0;
    m1.labels.data.forEach((h, v) => {
      expect(h > 0).toBe(p.mask.data[v]! > 0);
      expect(h).toBeLessThanOrEqual(a.k);
      if (h > 0) voi++;
    });
    expect(m1.voxelCounts.reduce((x, y) => x + y, 0)).toBe(voi);
    expect(m1.volumesMm3[0]).toBeCloseTo(m1.voxelCounts[0]! * 2, 9);
    expect(m1.fractions.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    expect(m1.labels.spacing).toEqual(p.mask.spacing);
    // a model (file) whose centroids are missing or ragged is refused in one line
    for (const centroids of [[], [...a.centroids, [...a.centroids[0]!, 0]]]) {
      expect(() => applyHabitatModel({ ...a, centroids }, p, p.id)).toThrow(/^habitat model for T2: \d+ centroids, not all of one length/);
    }
  });
});

describe('BIC chooses the planted number of well-separated subregions', () => {
  for (const levels of [
    [150, 300],
    [100, 220, 340],
    [100, 200, 300, 400],
  ]) {
    it(`k = ${levels.length}`, async () => {
      const pts = syntheticCohort({
        patients: 5,
        levels,
        noiseSd: 12,
        bias: 0.03,
        gain: [0.95, 1.05],
        texture: 4,
        seed: 11 + levels.length,
        ...small,
      });
      const model = await fitHabitatModel(asCases(pts), {
        sequence: 'T2',
        seed: 3,
        descriptors: { normalisation: 'none' },
        kRange: [1, 2, 3, 4, 5, 6],
        nInit: 3,
      });
      const argmin = model.bic.ks[model.bic.bic.indexOf(Math.min(...model.bic.bic))];
      const argminIcl = model.bic.ks[model.bic.icl.indexOf(Math.min(...model.bic.icl))];
      expect(argminIcl).toBe(levels.length);
      if (levels.length < 4) {
        expect(argmin).toBe(levels.length);
        expect(model.k).toBe(levels.length);
      } else {
        // Four levels pooled over five patients whose gains differ by ±5 % are not four
        // Gaussians: the BIC of this pool is lowest at k = 5 (scikit-learn 1.2's
        // GaussianMixture gives 32,080 at k = 5 against 32,200 at k = 4 with n_init 1, 5 and
        // 20). A single EM start here stopped at 32,265 for k = 5 and let k = 4 win; with
        // the restarts the BIC finds 5 and the ICL the planted 4.
        expect(argmin).toBe(5);
      }
      expect(model.kChosenBy).toBe('bic');
    });
  }
});

describe('BIC on the intensity column with local-window descriptors', () => {
  it('finds the planted k while K-means uses both descriptors', async () => {
    const pts = syntheticCohort({ patients: 5, levels: [100, 220, 340], noiseSd: 12, bias: 0.03, gain: [0.95, 1.05], texture: 4, seed: 14, ...small });
    const model = await fitHabitatModel(asCases(pts), {
      sequence: 'T2',
      seed: 3,
      descriptors: { normalisation: 'none', local: { radius: 1, features: ['mean'] } },
      kRange: [1, 2, 3, 4, 5, 6],
      bicOn: 'intensity',
      nInit: 3,
    });
    expect(model.bic.on).toBe('intensity');
    expect(model.k).toBe(3);
    expect(model.centroids[0]).toHaveLength(2);
  });
});

describe('a habitat missing in a patient', () => {
  it('is reported with zero volume and listed in `missing`', async () => {
    const pts = syntheticCohort({ patients: 4, levels: [120, 280], noiseSd: 10, bias: 0, gain: [1, 1], texture: 0, seed: 3, ...small });
    const model = await fitHabitatModel(asCases(pts), { sequence: 'T2', k: 2, kRange: [2], seed: 1, nInit: 2, descriptors: { normalisation: 'none' } });
    // A homogeneous dark tumour: every voxel falls in Hab1.
    const dark = pts[0]!;
    const flat = { images: { T2: { ...dark.images.T2!, data: Float32Array.from(dark.images.T2!.data, () => 120) } }, mask: dark.mask };
    const map = applyHabitatModel(model, flat, 'flat');
    expect(map.missing).toEqual([2]);
    expect(map.volumesMm3[1]).toBe(0);
    expect(map.fractions[0]).toBe(1);
  });
});
