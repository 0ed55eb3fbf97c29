import { describe, expect, it } from 'vitest';
import { compositeSpecs, fitCompositeModels } from '../../../src/core/study/stages/composite.js';
import { DEFAULT_STUDY_CONFIG } from '../../../src/core/study/config.js';
import { youden } from '../../../src/core/stats/roc.js';
import type { SequenceEvidence } from '../../../src/core/study/evidence.js';
import { createRng } from '../../../src/core/util/random.js';

describe('composite models stage', () => {
  const rng = createRng(9);
  const n = 60;
  const labels = Array.from({ length: n }, (_, i) => (i % 2) as 0 | 1);
  const clinical = { age: labels.map((y) => 50 + 5 * y + 5 * rng.normal()), 'T=T3': labels.map(() => (rng.next() < 0.5 ? 1 : 0)) };
  const radScores = {
    'T2WI|Hab2': labels.map((y) => y + 0.5 * rng.normal()),
    'CE-T1WI|Hab1': labels.map((y) => 0.3 * y + rng.normal()),
  };

  it('Clinic, Clinic + each best habitat, Combined; a sequence without a best habitat adds nothing', () => {
    const specs = compositeSpecs(['age'], clinical, { T2WI: 'Hab2' }, radScores, ['T2WI', 'CE-T1WI', 'FSCE-T1WI']);
    expect(specs.map((s) => [s.name, s.inputs])).toEqual([
      ['Clinic', ['age']],
      ['Clinic + T2WI Hab2', ['age', 'Rad-score T2WI Hab2']],
      ['Combined', ['age', 'Rad-score T2WI Hab2']],
    ]);
    expect(specs[1]!.columns).toEqual([clinical.age, radScores['T2WI|Hab2']]);
    expect(compositeSpecs(['age'], clinical, {}, radScores, ['T2WI']).map((s) => s.name)).toEqual(['Clinic']);
  });

  it('fits on training, thresholds by Youden on training, DeLong against Clinic, flags models without evidence', () => {
    const specs = compositeSpecs(['age'], clinical, { T2WI: 'Hab2', 'CE-T1WI': 'Hab1' }, radScores, ['T2WI', 'CE-T1WI']);
    const train = labels.map((_, i) => i).filter((i) => i % 5 !== 0);
    const validation = labels.map((_, i) => i).filter((i) => i % 5 === 0);
    const evidence: SequenceEvidence[] = [
      { sequence: 'T2WI', beatsWholeTumour: true, aboveChance: true, statement: null },
      { sequence: 'CE-T1WI', beatsWholeTumour: false, aboveChance: false, statement: 'CE-T1WI: no evidence' },
    ];
    const out = fitCompositeModels(specs, labels, { train, validation }, DEFAULT_STUDY_CONFIG, evidence);
    expect(out.models.map((m) => m.name)).toEqual(['Clinic', 'Clinic + T2WI Hab2', 'Clinic + CE-T1WI Hab1', 'Combined']);
    for (const m of out.models) {
      const probs = out.probsByModel[m.name]!;
      expect(probs).toHaveLength(n);
      expect(m.threshold).toBe(youden(train.map((i) => labels[i]!), train.map((i) => probs[i]!)).threshold);
      expect(m.training.n).toBe(train.length);
      expect(m.validation.n).toBe(validation.length);
      expect(m.delongP).toBe(m.validation.delongP);
    }
    const [clinic, t2, ce, combined] = out.models;
    expect(clinic!.delongP).toBeNull();
    expect(t2!.delongP).not.toBeNull();
    expect(t2!.flag).toBeNull();
    expect(ce!.flag).toBe('built on a habitat without evidence of discrimination (CE-T1WI)');
    expect(combined!.flag).toBe(ce!.flag);
    // the strong Rad-score carries the model on training
    expect(t2!.training.auc).toBeGreaterThan(clinic!.training.auc);
  });

  it('a model with no input is not fitted', () => {
    const specs = compositeSpecs([], clinical, {}, radScores, ['T2WI']);
    const out = fitCompositeModels(specs, labels, { train: [0, 1, 2, 3], validation: [4, 5] }, DEFAULT_STUDY_CONFIG, []);
    expect(out.models).toEqual([]);
  });
});
