/**
 * The study's model pipeline (region-model.ts): scaler → classifier → calibration
 * is the scaler and the classifier applied in turn (the SVM exactly as the study
 * fitted it before: libsvm Platt, refitted when inverted), the L2 logistic
 * option is scikit-learn's fit on the standardised inputs, and a region model's
 * funnel selects the informative feature of a small known case.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitScaler, transformScaler } from '../../src/core/learn/scaler.js';
import { trainSvm } from '../../src/core/learn/svm.js';
import { logisticL2Proba, trainLogisticL2 } from '../../src/core/learn/logistic-l2.js';
import { DEFAULT_STUDY_CONFIG } from '../../src/core/study/config.js';
import { fitRegionModel, fitScaledModel, predictRegionModel, predictScaledModel } from '../../src/core/study/region-model.js';
import { createRng } from '../../src/core/util/random.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/learn/sklearn-logistic.json', import.meta.url), 'utf8')) as {
  logistic: { X: number[][]; y: (0 | 1)[]; Xtest: number[][]; C: number; classWeight: 'balanced' | null }[];
};

describe('ScaledModel', () => {
  const c = fx.logistic[4]!;
  const shifted = c.X.map((r) => r.map((v, j) => 3 * v + 10 + j));

  it('svm: the scaler, then the SVM with the seed, then Platt', () => {
    const fit = fitScaledModel(shifted, c.y, { ...DEFAULT_STUDY_CONFIG.models }, { seed: 7, probability: true });
    const sc = fitScaler(shifted);
    const svm = trainSvm(transformScaler(sc, shifted), c.y, { kernel: 'rbf', C: 1, gamma: 'scale', classWeight: 'balanced', seed: 7 });
    expect(fit.model.scaler).toEqual({ mean: sc.mean, sd: sc.sd });
    expect(fit.model.classifier.kind).toBe('svm');
    const p = predictScaledModel(fit.model, shifted);
    if (!fit.calibrationRefitted) expect(p).toEqual(svm.predictProba(transformScaler(sc, shifted)));
  });

  it('logistic-l2: scikit-learn’s fit on the standardised inputs', () => {
    const settings = { ...DEFAULT_STUDY_CONFIG.models, classifier: 'logistic-l2' as const, C: c.C, classWeight: c.classWeight === 'balanced' ? ('balanced' as const) : ('none' as const) };
    const fit = fitScaledModel(shifted, c.y, settings, { probability: true });
    const sc = fitScaler(shifted);
    const direct = trainLogisticL2(transformScaler(sc, shifted), c.y, { C: c.C, classWeight: c.classWeight });
    expect(fit.model.classifier).toEqual(direct);
    expect(predictScaledModel(fit.model, shifted)).toEqual(logisticL2Proba(direct, transformScaler(sc, shifted)));
    expect(fit.calibrationRefitted).toBe(false);
  });
});

describe('RegionModel', () => {
  it('selects the one informative feature of a small case and predicts with it', () => {
    const rng = createRng(5);
    const n = 60;
    const y = Array.from({ length: n }, (_, i) => (i % 2) as 0 | 1);
    const X = y.map((v) => [v * 2 + rng.normal(), rng.normal(), rng.normal(), rng.normal()]);
    const names = ['signal', 'noise1', 'noise2', 'noise3'];
    for (const classifier of ['svm', 'logistic-l2'] as const) {
      const r = fitRegionModel(X, y, names, { ...DEFAULT_STUDY_CONFIG.models, classifier }, { funnel: { alpha: 0.05, correlationThreshold: 0.85, folds: 5, seed: 1 }, seed: 3, probability: true });
      expect(r.funnel.selected.map((s) => s.name)).toEqual(['signal']);
      const p = predictRegionModel(r, [[2, 0, 0, 0], [0, 0, 0, 0]])!;
      expect(p[0]).toBeGreaterThan(0.5);
      expect(p[1]).toBeLessThan(0.5);
    }
  });
});
