import { describe, expect, it } from 'vitest';
import { decisionCurves, evaluate, studyTable1 } from '../../../src/core/study/stages/evaluation.js';
import type { ClinicalTable } from '../../../src/core/study/clinical.js';

describe('evaluation stage', () => {
  it('evaluate: AUC, confusion at the threshold, Brier, DeLong against a reference', () => {
    const y: (0 | 1)[] = [0, 0, 1, 1];
    const p = [0.1, 0.4, 0.35, 0.8];
    const e = evaluate(y, p, 0.5, null);
    expect(e.n).toBe(4);
    expect(e.positives).toBe(2);
    expect(e.auc).toBeCloseTo(0.75, 15);
    // at 0.5 only 0.8 is called positive: tp 1, fn 1, tn 2, fp 0
    expect(e.accuracy).toBe(0.75);
    expect(e.sensitivity).toBe(0.5);
    expect(e.specificity).toBe(1);
    expect(e.brier).toBeCloseTo((0.01 + 0.16 + 0.4225 + 0.04) / 4, 15);
    expect(e.delongP).toBeNull();
    // a model equal to its reference: the paired test has no difference to find
    const self = evaluate(y, p, 0.5, [0.2, 0.3, 0.6, 0.9]);
    expect(self.delongP).not.toBeNull();
    expect(self.delongP!).toBeGreaterThan(0);
    expect(self.delongP!).toBeLessThanOrEqual(1);
  });

  it('decisionCurves: net benefit = TP/n − FP/n · t/(1−t) per cohort, and treat-all', () => {
    const labels: (0 | 1)[] = [0, 1, 1, 0, 1, 0];
    const probs = [0.2, 0.7, 0.9, 0.6, 0.3, 0.1];
    const d = decisionCurves({ M: probs }, labels, { train: [0, 1, 2, 3], validation: [4, 5] });
    const k = d.thresholds.indexOf(0.5);
    expect(k).toBe(49);
    // training at 0.5: positive calls 0.7, 0.9, 0.6 → TP 2, FP 1 of 4 → 0.5 − 0.25
    expect(d.training.M![k]).toBeCloseTo(0.25, 15);
    expect(d.treatAll.training[k]).toBeCloseTo(0, 15);
    // validation at 0.25: 0.3 (case) is positive, 0.1 is not → 1/2
    const k25 = d.thresholds.indexOf(0.25);
    expect(d.validation.M![k25]).toBeCloseTo(0.5, 15);
    expect(d.treatAll.validation[k25]).toBeCloseTo(0.5 - 0.5 / 3, 15);
  });

  it('studyTable1 compares the training and the validation cohorts, the outcome last', () => {
    const clinical: ClinicalTable = {
      file: 'c.csv',
      ids: ['b', 'a', 'c', 'd'],
      outcome: [1, 0, 1, 0],
      outcomeLabels: ['no', 'yes'],
      variables: [{ name: 'age', kind: 'continuous' }],
      values: { age: ['50', '40', '60', '70'] },
    };
    const rows = studyTable1(clinical, ['a', 'b', 'c', 'd'], [0, 1, 1, 0], [2, 3], 'residual');
    expect(rows.map((r) => r.name)).toEqual(['age', 'residual']);
    const age = rows[0]!;
    if (age.kind !== 'continuous') throw new Error('age should be continuous');
    // rows follow the cohort's ids, not the CSV's order: training a, b (40, 50), validation c, d (60, 70)
    expect(age.groups.map((g) => g.mean)).toEqual([45, 65]);
    const outcome = rows[1]!;
    if (outcome.kind !== 'categorical') throw new Error('outcome should be categorical');
    const yes = outcome.levels.indexOf('yes');
    expect(outcome.counts.map((c) => c[yes])).toEqual([1, 1]);
  });
});
