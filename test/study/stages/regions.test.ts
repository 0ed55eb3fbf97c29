import { describe, expect, it } from 'vitest';
import { analyseRegion, nestedCvAuc, regionMatrix, studyRegions } from '../../../src/core/study/stages/regions.js';
import { iccPlan } from '../../../src/core/study/stages/icc-filter.js';
import { DEFAULT_STUDY_CONFIG } from '../../../src/core/study/config.js';
import type { PatientFeatures } from '../../../src/core/study/patient-features.js';
import { createRng } from '../../../src/core/util/random.js';

/** n patients, alternating outcome; feature `signal` = outcome + small noise, three pure-noise features. */
function cohort(n: number, seed: number) {
  const rng = createRng(seed);
  const rnd = () => rng.next();
  const labels = Array.from({ length: n }, (_, i) => (i % 2) as 0 | 1);
  const names = ['signal', 'noise1', 'noise2', 'noise3'];
  const X = labels.map((y) => [y + 0.3 * (rnd() - 0.5), rnd(), rnd(), rnd()]);
  return { labels, names, X };
}

describe('region stage', () => {
  it('studyRegions lists each sequence’s whole tumour, then its habitats', () => {
    expect(studyRegions(['T2WI', 'CE-T1WI'], { T2WI: 2 })).toEqual([
      { sequence: 'T2WI', region: 'total' },
      { sequence: 'T2WI', region: 'Hab1' },
      { sequence: 'T2WI', region: 'Hab2' },
      { sequence: 'CE-T1WI', region: 'total' },
    ]);
  });

  it('regionMatrix takes the names from the first patient with the region, NaN where a value or a patient is missing', () => {
    const features = [
      { id: 'a', regions: {} },
      { id: 'b', regions: { 'T2WI|Hab1': { x: 1, y: 2 } } },
      { id: 'c', regions: { 'T2WI|Hab1': { x: 3, y: Number.NaN } } },
    ] as unknown as PatientFeatures[];
    const m = regionMatrix(['a', 'b', 'c', 'z'], features, 'T2WI|Hab1');
    expect(m.names).toEqual(['x', 'y']);
    expect(m.X[1]).toEqual([1, 2]);
    expect(m.X[0]!.every(Number.isNaN)).toBe(true);
    expect(m.X[2]![1]).toBeNaN();
    expect(m.X[3]!.every(Number.isNaN)).toBe(true);
  });

  const config = DEFAULT_STUDY_CONFIG;
  const noIcc = { plan: iccPlan([], []), features: [] };

  it('selects the one informative feature, and its nested-CV AUC is high', () => {
    const { labels, names, X } = cohort(60, 7);
    const train = labels.map((_, i) => i).filter((i) => i % 5 !== 0);
    const validation = labels.map((_, i) => i).filter((i) => i % 5 === 0);
    const r = analyseRegion({ sequence: 'T2WI', region: 'Hab1', names, X }, labels, { train, validation }, config, noIcc);
    expect(r.result.funnel.extracted).toBe(4);
    expect(r.result.funnel.icc).toBe(4);
    expect(r.result.selected.map((s) => s.name)).toContain('signal');
    expect(r.result.auc.cvTraining!).toBeGreaterThan(0.9);
    expect(r.result.auc.validation!).toBeGreaterThan(0.9);
    expect(r.radScores).toHaveLength(60);
    // the Rad-score ranks the cases above the controls
    const mean = (y: 0 | 1) => r.radScores.filter((_, i) => labels[i] === y).reduce((s, v) => s + v, 0) / 30;
    expect(mean(1)).toBeGreaterThan(mean(0));
  });

  it('a region whose training cohort has one outcome class gets no model and zero Rad-scores', () => {
    const { names, X } = cohort(20, 3);
    const labels = Array.from({ length: 20 }, (_, i) => (i < 15 ? 0 : 1) as 0 | 1);
    const r = analyseRegion({ sequence: 'T2WI', region: 'total', names, X }, labels, { train: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], validation: [15, 16] }, config, noIcc);
    expect(r.result.selected).toEqual([]);
    expect(r.result.auc).toEqual({ training: null, validation: null, cvTraining: null, cvTrainingCi: null });
    expect(r.radScores).toEqual(new Array(20).fill(0));
  });

  it('nestedCvAuc is near 0.5 on noise and null when a fold has one class', () => {
    const rng = createRng(11);
    const rnd = () => rng.next();
    const y = Array.from({ length: 80 }, (_, i) => (i % 2) as 0 | 1);
    const X = y.map(() => [rnd(), rnd(), rnd()]);
    const cv = nestedCvAuc(X, y, ['a', 'b', 'c'], config, 0.05, 1);
    expect(cv).not.toBeNull();
    expect(Math.abs(cv!.auc - 0.5)).toBeLessThan(0.15);
    expect(cv!.ci[0]).toBeLessThanOrEqual(0.5);
    const y1 = y.map((_, i) => (i === 0 ? 1 : 0) as 0 | 1);
    expect(nestedCvAuc(X, y1, ['a', 'b', 'c'], config, 0.05, 1)).toBeNull();
  });
});
