/**
 * Harmonising an external cohort onto the training data (model.json's training
 * ComBat, src/core/study/external.ts) uses the features only: permuting the external
 * patients' outcomes leaves every harmonised feature unchanged, and each batch is
 * estimated from its own patients (adding another batch changes nothing in it). A
 * study whose ComBat preserved covariates gets them from the cohort's clinical rows.
 */
import { describe, expect, it } from 'vitest';
import { harmoniseExternal, trainingHarmonisation } from '../../src/core/study/external.js';
import type { PatientFeatures } from '../../src/core/study/patient-features.js';
import { createRng } from '../../src/core/util/random.js';
import { applyCombat, fitCombat } from '../../src/core/harmonise/combat.js';

function patient(id: string, rng: ReturnType<typeof createRng>, shift: number, scale: number, outcome: number): PatientFeatures {
  const value = (base: number) => base * (1 + 0.1 * outcome) + shift + scale * 5 * rng.normal();
  return {
    id,
    regions: {
      'T2WI|Hab2': { mean: value(100), energy: value(400), entropy: value(20) },
      'T2WI|Hab1': { mean: value(50), energy: value(40), entropy: value(10) },
    },
    habitats: {},
    notes: [],
  };
}

describe('external harmonisation onto the training data', () => {
  const rng = createRng(11);
  const training = Array.from({ length: 20 }, (_, i) => patient(`T${i}`, rng, 0, 1, i % 2));
  const h = trainingHarmonisation(training, training.map((p) => p.id), { T2WI: 'Hab2' });
  const outcomes: number[] = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const external = (ys: number[]) => {
    const r = createRng(12);
    return ys.map((y, i) => patient(`E${i}`, r, 30, 1.5, y));
  };

  it('fits the best habitat only, on the training patients', () => {
    expect(Object.keys(h.regions)).toEqual(['T2WI|Hab2']);
    expect(h.regions['T2WI|Hab2']!.names).toEqual(['mean', 'energy', 'entropy']);
    expect(h.regions['T2WI|Hab2']!.model.referenceBatch).toBe('training');
  });

  it("permuting the external patients' outcomes leaves every harmonised feature unchanged", () => {
    // The features are drawn with the outcome; what must not matter is the outcome label
    // attached to them: harmonise the same features under permuted labels.
    const feats = external(outcomes);
    const labelled = (ys: number[]) => harmoniseExternal(h, feats.map((f, i) => ({ ...f, outcome: ys[i] }) as unknown as PatientFeatures), () => 'centre3');
    const a = labelled(outcomes);
    const perm = createRng(5);
    const shuffled = outcomes.slice();
    for (let i = shuffled.length - 1; i > 0; i--) { const j = perm.int(i + 1); [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]; }
    expect(shuffled).not.toEqual(outcomes);
    const b = labelled(shuffled);
    expect(b.features.map((f) => f.regions)).toEqual(a.features.map((f) => f.regions));
    expect(a.summary).toMatch(/centre3: 24 patients, a batch not seen in training/);
    // and the shift is removed: the harmonised mean is near the training mean
    const mean = (fs: PatientFeatures[]) => fs.reduce((s, f) => s + f.regions['T2WI|Hab2']!.mean!, 0) / fs.length;
    expect(Math.abs(mean(a.features) - mean(training))).toBeLessThan(Math.abs(mean(feats) - mean(training)) / 5);
    // features of other regions are untouched
    expect(a.features.map((f) => f.regions['T2WI|Hab1'])).toEqual(feats.map((f) => f.regions['T2WI|Hab1']));
  });

  it('each batch from its own patients; a patient missing a feature is excluded, not imputed', () => {
    const feats = external(outcomes);
    const alone = harmoniseExternal(h, feats.slice(0, 12), () => 'A');
    const both = harmoniseExternal(h, feats, (id) => (Number(id.slice(1)) < 12 ? 'A' : 'B'));
    expect(both.features.slice(0, 12).map((f) => f.regions)).toEqual(alone.features.map((f) => f.regions));
    const gap = feats.map((f, i) => (i === 3 ? { ...f, regions: { ...f.regions, 'T2WI|Hab2': { ...f.regions['T2WI|Hab2'], energy: NaN } } } : f));
    const r = harmoniseExternal(h, gap, () => 'A');
    expect(r.excluded).toEqual([{ id: 'E3', reason: 'T2WI Hab2 feature energy is missing, so it cannot be harmonised' }]);
    expect(r.features).toHaveLength(23);
  });

  it("a study's ComBat with covariates: each patient's values from its clinical row; a missing value excludes the patient", () => {
    const names = ['mean', 'energy', 'entropy'];
    const x = (f: PatientFeatures) => names.map((n) => f.regions['T2WI|Hab2']![n] as number);
    const age = (i: number) => 50 + ((i * 7) % 23);
    const fit = fitCombat(training.map(x), training.map((_, i) => (i % 2 ? 'centre2' : 'centre1')), { covariates: training.map((_, i) => [age(i)]), covariateNames: ['age'], referenceBatch: 'centre1' });
    const study = { batch: 'centre', regions: { 'T2WI|Hab2': { names, model: fit.model } } };
    const feats = external(outcomes);
    const rows = (id: string) => ({ age: id === 'E5' ? '' : String(age(Number(id.slice(1)))) });
    const batch = (id: string) => (Number(id.slice(1)) % 2 ? 'centre2' : 'centre9');
    const r = harmoniseExternal(study, feats, batch, rows);
    expect(r.excluded).toEqual([{ id: 'E5', reason: 'no value in column "age" (a covariate ComBat preserves)' }]);
    const kept = feats.filter((f) => f.id !== 'E5');
    const hand = applyCombat(fit.model, kept.map(x), kept.map((f) => batch(f.id)), { covariates: kept.map((f) => [age(Number(f.id.slice(1)))]) });
    expect(r.features.map((f) => x(f))).toEqual(hand.harmonised);
    expect(() => harmoniseExternal(study, feats, batch)).toThrow(/^the study's ComBat preserves covariates \(age\): harmonising needs the cohort's clinical table$/);
  });
});
