import { describe, expect, it } from 'vitest';
import { harmonisePatientRegion, referenceBatchShortfall, studyHarmonisationBlock } from '../../../src/core/study/stages/harmonise.js';
import { analyseRegion, cohortBatches, CV_REPEATS, fitColumnTransform, foldMatrices, nestedCvAuc, subsetBatches, type CohortBatches } from '../../../src/core/study/stages/regions.js';
import { iccPlan } from '../../../src/core/study/stages/icc-filter.js';
import { clinicalModel } from '../../../src/core/study/stages/clinical-model.js';
import { applyCombat, fitCombat } from '../../../src/core/harmonise/combat.js';
import { DEFAULT_STUDY_CONFIG, checkHarmonisationColumns, parseStudyConfig, type StudyConfig } from '../../../src/core/study/config.js';
import { parseClinicalCsv } from '../../../src/core/study/clinical.js';
import { stratifiedFolds } from '../../../src/core/learn/lasso.js';
import { createRng } from '../../../src/core/util/random.js';

/**
 * A cohort of three centres: each centre's scanner adds its own offset and scale to
 * every feature; feature `signal` carries the outcome. Rows: patient i in centre
 * c(1 + i mod 3).
 */
function centres(n: number, seed: number) {
  const rng = createRng(seed);
  const ids = Array.from({ length: n }, (_, i) => `p${String(i).padStart(3, '0')}`);
  const labels = ids.map((_, i) => ((i >> 1) % 2) as 0 | 1);
  const batch = ids.map((_, i) => `c${1 + (i % 3)}`);
  const shift = { c1: [0, 0, 0, 0], c2: [1.5, -2, 0.7, 3], c3: [-1, 1, 2, -0.5] } as Record<string, number[]>;
  const scale = { c1: [1, 1, 1, 1], c2: [1.4, 0.8, 1.2, 2], c3: [0.7, 1.1, 0.9, 1.3] } as Record<string, number[]>;
  const names = ['signal', 'noise1', 'noise2', 'noise3'];
  const age = ids.map(() => 60 + 8 * rng.normal());
  const X = labels.map((y, i) => names.map((_, f) => scale[batch[i]!]![f]! * ((f === 0 ? y : 0) + rng.normal()) + shift[batch[i]!]![f]! + (f === 1 ? 0.02 * age[i]! : 0)));
  return { ids, labels, batch, names, X, age };
}

function batchesOf(c: ReturnType<typeof centres>, opts: Partial<CohortBatches> = {}): CohortBatches {
  return { ids: c.ids, batch: c.batch, covariates: c.ids.map(() => []), covariateNames: [], parametric: true, meanOnly: false, ...opts };
}

const combatConfig = (h: Partial<StudyConfig['harmonisation']> = {}): StudyConfig => ({ ...DEFAULT_STUDY_CONFIG, harmonisation: { ...DEFAULT_STUDY_CONFIG.harmonisation, method: 'combat', batch: 'centre', ...h } });
const noIcc = { plan: iccPlan([], []), features: [] };
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('harmonisation config', () => {
  it('defaults to none, so an existing study is unchanged', () => {
    expect(DEFAULT_STUDY_CONFIG.harmonisation).toEqual({ method: 'none', parametric: true, meanOnly: false, covariates: [] });
  });

  it('refuses combat without a batch column, the outcome as a covariate or as the batch, each in one line naming the file', () => {
    const bad: [string, RegExp][] = [
      ['harmonisation: {method: combat}', /^s\.yaml: "harmonisation\.batch" must name/],
      ['harmonisation: {method: combat, batch: centre, covariates: [age, residual]}', /^s\.yaml: "harmonisation\.covariates" must not hold the outcome column "residual".*leak/],
      ['harmonisation: {method: combat, batch: residual}', /^s\.yaml: "harmonisation\.batch" must not be the outcome column/],
      ['harmonisation: {method: combat, batch: centre, covariates: [centre]}', /^s\.yaml: "harmonisation\.covariates" must not hold the batch column/],
      ['harmonisation: {method: combat, batch: centre, parametric: 1}', /^s\.yaml: "harmonisation\.parametric" must be true or false/],
    ];
    for (const [yaml, re] of bad) {
      expect(() => parseStudyConfig(yaml, 's.yaml')).toThrow(re);
      try { parseStudyConfig(yaml, 's.yaml'); } catch (e) { expect((e as Error).message).not.toContain('\n'); }
    }
    const ok = parseStudyConfig('harmonisation: {method: combat, batch: centre, covariates: [age], referenceBatch: 2}', 's.yaml');
    expect(ok.harmonisation).toEqual({ method: 'combat', batch: 'centre', parametric: true, meanOnly: false, covariates: ['age'], referenceBatch: '2' });
  });

  it('refuses a column the clinical table lacks in one line naming the config file and the key', () => {
    const config = parseStudyConfig('harmonisation: {method: combat, batch: centre, covariates: [agee]}', 'study.yaml');
    const text = 'id,age,centre,residual\na,50,c1,0\nb,60,c2,1\n';
    expect(() => parseClinicalCsv('clin.csv', text, { checkColumns: (cols) => checkHarmonisationColumns(config, cols, 'study.yaml', 'clin.csv') }))
      .toThrow(/^study\.yaml: "harmonisation\.covariates": no column "agee" in clin\.csv \(columns: id, age, centre, residual\)$/);
  });

  it('with clinical.variables auto, the batch column is not a clinical predictor', () => {
    const rng = createRng(3);
    const rows = range(60).map((i) => `p${i},${50 + 8 * (i % 2) + 4 * rng.normal()},c${1 + (i % 2)},${i % 2}`);
    const t = parseClinicalCsv('clinical.csv', ['id,age,centre,residual', ...rows].join('\n'));
    const labels = t.outcome;
    const without = clinicalModel(t, t.ids, labels, range(60), DEFAULT_STUDY_CONFIG);
    expect(without.table2.univariate.map((r) => r.name).join(' ')).toContain('centre');
    const withCombat = clinicalModel(t, t.ids, labels, range(60), combatConfig());
    expect(withCombat.table2.univariate.map((r) => r.name).join(' ')).not.toContain('centre');
    expect(withCombat.table2.univariate.map((r) => r.name)).toContain('age');
  });
});

describe('cohort batches: one line per problem', () => {
  const csv = (cells: string[]) => parseClinicalCsv('clinical.csv', ['id,age,sex,centre,residual', ...cells].join('\n'));
  const rows = range(8).map((i) => `p${i},${50 + i},${i % 2 ? 'F' : 'M'},c${1 + (i % 2)},${(i >> 1) % 2}`);

  it('reads the batch and codes a categorical covariate as dummies', () => {
    const t = csv(rows);
    const b = cohortBatches(combatConfig({ covariates: ['age', 'sex'] }), t, t.ids, range(6))!;
    expect(b.batch).toEqual(['c1', 'c2', 'c1', 'c2', 'c1', 'c2', 'c1', 'c2']);
    expect(b.covariateNames).toEqual(['age', 'sex=M']);
    expect(b.covariates[0]).toEqual([50, 1]);
    expect(b.covariates[1]).toEqual([51, 0]);
    expect(cohortBatches(DEFAULT_STUDY_CONFIG, t, t.ids, range(6))).toBeNull();
  });

  it('a missing batch value names the patient and the column', () => {
    const t = csv(rows.map((r, i) => (i === 3 ? 'p3,53,F,,1' : r)));
    expect(() => cohortBatches(combatConfig(), t, t.ids, range(6))).toThrow(/^clinical\.csv: patient p3 has no value in column "centre" \(harmonisation\.batch\)/);
  });

  it('a batch with one training patient is refused, naming it (sva would switch every batch to mean-only)', () => {
    const t = csv(rows.map((r, i) => (i === 4 ? 'p4,54,M,c3,0' : r)));
    expect(() => cohortBatches(combatConfig(), t, t.ids, range(6))).toThrow(/^study config: "harmonisation\.batch": batch "c3" \(column "centre"\) has one training patient \(p4\)/);
    // the same patient in the validation cohort is a batch never seen: allowed
    expect(cohortBatches(combatConfig(), t, t.ids, [0, 1, 2, 3, 5, 6])).not.toBeNull();
  });

  it('a reference batch that is not a training batch is refused', () => {
    const t = csv(rows);
    expect(() => cohortBatches(combatConfig({ referenceBatch: 'c9' }), t, t.ids, range(6))).toThrow(/"harmonisation\.referenceBatch": "c9" is not a batch of the training cohort \(c1, c2\)/);
  });
});

describe('the column transform (fitted on training rows, applied to any rows)', () => {
  const c = centres(60, 11);
  const train = range(60).filter((i) => i % 10 < 7 && i % 3 !== 2); // centres 1–2 only
  const validation = range(60).filter((i) => !train.includes(i));

  it('is ComBat fitted by hand on the training rows with the largest batch as reference; seen batches get the training estimates, an unseen one is mapped onto the reference', () => {
    const t = fitColumnTransform(batchesOf(c), c.X, train);
    const byHand = fitCombat(train.map((i) => c.X[i]!), train.map((i) => c.batch[i]), { referenceBatch: 'c1' });
    // 14 patients each: on a tie the first by name is the reference
    expect(train.filter((i) => c.batch[i] === 'c1').length).toBe(train.filter((i) => c.batch[i] === 'c2').length);
    expect(t.model).toEqual(byHand.model);
    const tr = t.apply(c.X, train);
    expect(tr.X).toEqual(byHand.harmonised);
    expect(tr.batches.map((b) => b.mode)).toEqual(['reference', 'training estimates']);
    const v = t.apply(c.X, validation);
    const vHand = applyCombat(byHand.model, validation.map((i) => c.X[i]!), validation.map((i) => c.batch[i]));
    expect(v.X).toEqual(vHand.harmonised);
    expect(v.batches).toEqual([
      { name: 'c1', n: validation.filter((i) => c.batch[i] === 'c1').length, mode: 'reference' },
      { name: 'c2', n: validation.filter((i) => c.batch[i] === 'c2').length, mode: 'training estimates' },
      { name: 'c3', n: 20, mode: 'new batch' },
    ]);
    // the centre-3 shift of feature noise3 (−0.5, scale 1.3) is removed: its mean comes to centre 1's
    const mean = (rows: number[][], f: number) => rows.reduce((s, r) => s + r[f]!, 0) / rows.length;
    const c3 = validation.map((i, k) => [i, k]).filter(([i]) => c.batch[i!] === 'c3').map(([, k]) => v.X[k!]!);
    const c1 = train.map((i, k) => [i, k]).filter(([i]) => c.batch[i!] === 'c1').map(([, k]) => tr.X[k!]!);
    expect(Math.abs(mean(c3, 2) - mean(c1, 2))).toBeLessThan(Math.abs(mean(validation.filter((i) => c.batch[i] === 'c3').map((i) => c.X[i]!), 2) - mean(c1, 2)));
  });

  it('a configured reference batch is used when the training set has it; a training set with fewer than 2 of its patients is an error, never another reference', () => {
    const t = fitColumnTransform(batchesOf(c, { referenceBatch: 'c2' }), c.X, train);
    expect(t.model!.referenceBatch).toBe('c2');
    const noC2 = train.filter((i) => c.batch[i] !== 'c2');
    expect(() => fitColumnTransform(batchesOf(c, { referenceBatch: 'c2' }), c.X, noC2)).toThrow(/^ComBat: the reference batch "c2" has no patients in this training set \(ComBat needs at least 2\)$/);
    const oneC2 = [...noC2, train.find((i) => c.batch[i] === 'c2')!];
    expect(() => fitColumnTransform(batchesOf(c, { referenceBatch: 'c2' }), c.X, oneC2)).toThrow(/^ComBat: the reference batch "c2" has one patient in this training set/);
    expect(referenceBatchShortfall(batchesOf(c, { referenceBatch: 'c2' }), train)).toBeNull();
    expect(referenceBatchShortfall(batchesOf(c), noC2)).toBeNull();
  });

  it('nested CV: a repeat with a fold whose training part lacks the reference batch is left out, with a note; every repeat out: no CV AUC', () => {
    const Xtr = train.map((i) => c.X[i]!);
    const y = train.map((i) => c.labels[i]!);
    const config = combatConfig();
    // the reference batch as configured, present in every fold's training part: every repeat counts, no note
    const bt = subsetBatches(batchesOf(c), train)!;
    const notes: string[] = [];
    expect(nestedCvAuc(Xtr, y, c.names, config, 0.05, 1, { ...bt, referenceBatch: 'c1' }, notes)).not.toBeNull();
    expect(notes).toEqual([]);
    // a reference batch of 2 patients: in every repeat one of them is held out, leaving one in that fold's training part
    const two = bt.batch.map((b, i) => (i === 0 || i === 1 ? 'r' : b));
    const out = nestedCvAuc(Xtr, y, c.names, config, 0.05, 1, { ...bt, batch: two, referenceBatch: 'r' }, notes);
    expect(out).toBeNull();
    expect(notes).toEqual([`nested CV: ${CV_REPEATS} of ${CV_REPEATS} repeats left out (a fold's training part cannot be harmonised: the reference batch "r" has one patient in this training set (ComBat needs at least 2)); no CV AUC`]);
  });

  it('never sees an outcome: permuting the validation (or training) outcomes leaves every harmonised feature unchanged', () => {
    const b = batchesOf(c);
    const config = combatConfig();
    const rng = createRng(5);
    const shuffle = (idx: number[]) => {
      const out = idx.slice();
      for (let k = out.length - 1; k > 0; k--) { const j = Math.floor(rng.next() * (k + 1)); [out[k], out[j]] = [out[j]!, out[k]!]; }
      return out;
    };
    const permuted = (rows: number[]) => {
      const y = c.labels.slice();
      const to = shuffle(rows);
      rows.forEach((i, k) => (y[to[k]!] = c.labels[i]!));
      return y;
    };
    const base = analyseRegion({ sequence: 'T2WI', region: 'Hab1', names: c.names, X: c.X }, c.labels, { train, validation }, config, noIcc, b);
    const yv = permuted(validation);
    expect(yv).not.toEqual(c.labels);
    const pv = analyseRegion({ sequence: 'T2WI', region: 'Hab1', names: c.names, X: c.X }, yv, { train, validation }, config, noIcc, b);
    expect(pv.harmonisation).toEqual(base.harmonisation);
    // the model and the validation patients' scores depend on their features only
    expect(pv.radScores).toEqual(base.radScores);
    const yt = permuted(train);
    const pt = analyseRegion({ sequence: 'T2WI', region: 'Hab1', names: c.names, X: c.X }, yt, { train, validation }, config, noIcc, b);
    expect(pt.harmonisation).toEqual(base.harmonisation);
    // and the transform itself takes no outcome: its output is the same function of the features
    const t = fitColumnTransform(b, c.X, train);
    expect(t.apply(c.X, range(60)).X).toEqual(fitColumnTransform(b, c.X, train).apply(c.X, range(60)).X);
    expect(base.harmonisation!.validation.map((x) => x.mode)).toEqual(['reference', 'training estimates', 'new batch']);
  });

  it('in each nested-CV fold equals ComBat fitted by hand on the fold rows (same numbers)', () => {
    const Xtr = train.map((i) => c.X[i]!);
    const bt = subsetBatches(batchesOf(c), train)!;
    const y = train.map((i) => c.labels[i]!);
    const folds = stratifiedFolds(y, 5, 1);
    for (let f = 0; f < 5; f++) {
      const tr = range(y.length).filter((i) => folds[i] !== f);
      const te = range(y.length).filter((i) => folds[i] === f);
      const m = foldMatrices(Xtr, tr, te, bt);
      const sizes = ['c1', 'c2'].map((b) => tr.filter((i) => bt.batch[i] === b).length);
      const ref = sizes[1]! > sizes[0]! ? 'c2' : 'c1';
      const hand = fitCombat(tr.map((i) => Xtr[i]!), tr.map((i) => bt.batch[i]), { referenceBatch: ref });
      expect(m.train).toEqual(hand.harmonised);
      expect(m.test).toEqual(applyCombat(hand.model, te.map((i) => Xtr[i]!), te.map((i) => bt.batch[i])).harmonised);
    }
  });

  it('a batch with one patient in a training set is left out of the fit; its patients are then a batch not seen (one alone: left as it is)', () => {
    const rows = [...range(60).filter((i) => c.batch[i] !== 'c3'), 2];
    const t = fitColumnTransform(batchesOf(c), c.X, rows);
    expect(t.leftOut).toEqual(['c3']);
    expect(t.model!.batches.map((b) => b.name)).toEqual(['c1', 'c2']);
    const alone = t.apply(c.X, [2]);
    expect(alone.X).toEqual([c.X[2]]);
    expect(alone.batches).toEqual([{ name: 'c3', n: 1, mode: 'one patient of a batch not seen (left as it is)' }]);
    expect(t.apply(c.X, [2, 5, 8]).batches[0]!.mode).toBe('new batch');
  });

  it('a feature constant within a training batch is left unadjusted (as sva), the others harmonised', () => {
    const X = c.X.map((r, i) => [...r.slice(0, 3), c.batch[i] === 'c2' ? 7 : r[3]!]);
    const t = fitColumnTransform(batchesOf(c), X, train);
    expect(t.model!.unadjusted).toEqual([3]);
    const out = t.apply(X, range(60)).X;
    expect(out.map((r) => r[3])).toEqual(X.map((r) => r[3]));
    expect(out.map((r) => r[0])).not.toEqual(X.map((r) => r[0]));
  });

  it('with covariates equals sva-style ComBat with them preserved; without a batches input it is the identity', () => {
    const b = batchesOf(c, { covariates: c.age.map((a) => [a]), covariateNames: ['age'] });
    const t = fitColumnTransform(b, c.X, train);
    const hand = fitCombat(train.map((i) => c.X[i]!), train.map((i) => c.batch[i]), { referenceBatch: 'c1', covariates: train.map((i) => [c.age[i]!]), covariateNames: ['age'] });
    expect(t.apply(c.X, train).X).toEqual(hand.harmonised);
    const id = fitColumnTransform(null, c.X, train);
    expect(id.model).toBeNull();
    expect(id.apply(c.X, [0, 1]).X).toEqual([c.X[0], c.X[1]]);
  });

  it("model.json's block holds the best habitats' training fits; one new patient of a training centre gets its centre's estimates, of a new centre is refused", () => {
    const b = batchesOf(c, { covariates: c.age.map((a) => [a]), covariateNames: ['age'] });
    const t = fitColumnTransform(b, c.X, train);
    const block = studyHarmonisationBlock('centre', { 'T2WI|Hab2': { names: c.names, model: t.model }, 'T2WI|Hab1': { names: c.names, model: null } }, { T2WI: 'Hab2' });
    expect(Object.keys(block.regions)).toEqual(['T2WI|Hab2']);
    const i = validation.find((k) => c.batch[k] === 'c2')!;
    const features = Object.fromEntries(c.names.map((n, j) => [n, c.X[i]![j]!]));
    const one = harmonisePatientRegion(block.regions['T2WI|Hab2']!, features, 'c2', { age: String(c.age[i]) }, 'p');
    expect(c.names.map((n) => one[n])).toEqual(t.apply(c.X, [i]).X[0]);
    expect(() => harmonisePatientRegion(block.regions['T2WI|Hab2']!, features, 'c3', { age: '60' }, 'P9')).toThrow(/^patient P9: batch "c3" was not seen in training/);
    expect(() => harmonisePatientRegion(block.regions['T2WI|Hab2']!, features, 'c2', { age: '' }, 'P9')).toThrow(/^patient P9: no value in column "age"/);
  });
});
