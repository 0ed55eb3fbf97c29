/**
 * ComBat against Bioconductor sva::ComBat 3.46 (fixtures from
 * scripts/fixtures/harmonise_combat_r.R): parametric, non-parametric, mean-only (both),
 * reference batch (both), covariates (both, and with a reference batch), a batch never
 * seen in training harmonised to the reference batch, and a feature constant within a
 * batch. Agreement to 1e-8 relative.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyCombat, fitCombat, type CombatOptions } from '../../src/core/harmonise/index.js';

interface Case {
  data: number[][];
  batch: string[];
  covariates: number[][];
  covariateNames: string[];
  expected: Record<string, number[][]>;
}
interface Fixture {
  sva: string;
  cases: Case[];
  newBatch: { data: number[][]; batch: string[]; referenceBatch: string; train: number[]; expected: Record<string, number[][]> };
  constantFeature: { data: number[][]; batch: string[]; parametric: number[][]; nonParametric: number[][] };
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/harmonise/combat.json', import.meta.url), 'utf8')) as Fixture;

const TOL = 1e-8;
function expectClose(actual: number[][], expected: number[][], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  actual.forEach((row, i) => row.forEach((v, j) => {
    const e = expected[i]![j]!;
    worst = Math.max(worst, Math.abs(v - e) / Math.max(1, Math.abs(e)));
  }));
  if (!(worst <= TOL)) throw new Error(`${what}: worst relative error ${worst.toExponential(2)} > ${TOL}`);
}

const modes: Record<string, (c: Case) => CombatOptions> = {
  parametric: () => ({}),
  nonParametric: () => ({ parametric: false }),
  meanOnly: () => ({ meanOnly: true }),
  meanOnlyNonParametric: () => ({ parametric: false, meanOnly: true }),
  referenceBatch: () => ({ referenceBatch: 'B' }),
  referenceBatchNonParametric: () => ({ parametric: false, referenceBatch: 'B' }),
  covariates: (c) => ({ covariates: c.covariates, covariateNames: c.covariateNames }),
  covariatesNonParametric: (c) => ({ parametric: false, covariates: c.covariates, covariateNames: c.covariateNames }),
  covariatesReferenceBatch: (c) => ({ referenceBatch: 'B', covariates: c.covariates, covariateNames: c.covariateNames }),
};

describe(`ComBat matches sva::ComBat ${fx.sva}`, () => {
  fx.cases.forEach((c, k) => {
    for (const [mode, options] of Object.entries(modes)) {
      it(`case ${k + 1} (${c.data.length} samples, ${c.data[0]!.length} features): ${mode}`, () => {
        const opts = options(c);
        const fit = fitCombat(c.data, c.batch, opts);
        expectClose(fit.harmonised, c.expected[mode]!, `case ${k + 1} ${mode}`);
        // the fitted model applied to the training data gives the same numbers
        const again = applyCombat(fit.model, c.data, c.batch, { covariates: opts.covariates });
        expectClose(again.harmonised, c.expected[mode]!, `case ${k + 1} ${mode} (applied)`);
        // and survives a JSON round trip
        const restored = JSON.parse(JSON.stringify(fit.model));
        expectClose(applyCombat(restored, c.data, c.batch, { covariates: opts.covariates }).harmonised, fit.harmonised, `case ${k + 1} ${mode} (JSON)`);
      });
    }
  });

  for (const mode of ['parametric', 'nonParametric', 'meanOnly']) {
    it(`a batch never seen in training, harmonised to the reference batch: ${mode}`, () => {
      const nb = fx.newBatch;
      const opts: CombatOptions = { referenceBatch: nb.referenceBatch, parametric: mode !== 'nonParametric', meanOnly: mode === 'meanOnly' };
      const train = new Set(nb.train);
      const trainRows = nb.train.map((i) => nb.data[i]!);
      const fit = fitCombat(trainRows, nb.train.map((i) => nb.batch[i]), opts);
      expectClose(fit.harmonised, nb.train.map((i) => nb.expected[mode]![i]!), `${mode} training`);
      const newRows = nb.data.map((_, i) => i).filter((i) => !train.has(i));
      const applied = applyCombat(fit.model, newRows.map((i) => nb.data[i]!), newRows.map((i) => nb.batch[i]));
      expect(applied.batches).toEqual([{ name: 'D', n: newRows.length, mode: 'new batch' }]);
      expectClose(applied.harmonised, newRows.map((i) => nb.expected[mode]![i]!), `${mode} new batch`);
    });
  }

  it('a feature constant within a batch is left unadjusted, as sva', () => {
    const cf = fx.constantFeature;
    const par = fitCombat(cf.data, cf.batch);
    expect(par.model.unadjusted).toEqual([2]);
    expectClose(par.harmonised, cf.parametric, 'parametric');
    expect(par.harmonised.map((r) => r[2])).toEqual(cf.data.map((r) => r[2]));
    expectClose(fitCombat(cf.data, cf.batch, { parametric: false }).harmonised, cf.nonParametric, 'non-parametric');
  });
});
