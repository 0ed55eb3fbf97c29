/**
 * Sharding a cohort over machines (docs/scaling.md): the partition, the shard
 * index from Slurm / Kubernetes environments, and merged shards equal to one
 * unsharded run byte for byte. Correctness only; nothing here is timed.
 */
import { describe, it, expect } from 'vitest';
import {
  cohortCsv,
  csvRecords,
  mergeCohortCsvs,
  parseShardSpec,
  resolveShard,
  shardItems,
  type CohortRow,
} from '../../src/core/radiomics/cohort-extract.js';

const ids = ['P10', 'P2', 'P1', 'P3', 'P11', 'P4', 'P5'];
const items = ids.map((id) => ({ id }));

describe('shard partition', () => {
  it('is a disjoint, balanced cover taking every n-th patient of the numerically sorted list', () => {
    for (const n of [1, 2, 3, 7, 9]) {
      const parts = Array.from({ length: n }, (_, s) => shardItems(items, { index: s, count: n }).map((p) => p.id));
      const all = parts.flat();
      expect(new Set(all).size).toBe(ids.length);
      expect(all.sort()).toEqual([...ids].sort());
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(shardItems(items, { index: 0, count: 3 }).map((p) => p.id)).toEqual(['P1', 'P4', 'P11']);
    expect(shardItems(items, { index: 1, count: 3 }).map((p) => p.id)).toEqual(['P2', 'P5']);
    expect(shardItems(items, { index: 2, count: 3 }).map((p) => p.id)).toEqual(['P3', 'P10']);
  });

  it('does not depend on the order in which the files were listed', () => {
    const shuffled = [...items].reverse();
    for (let s = 0; s < 3; s++) expect(shardItems(shuffled, { index: s, count: 3 })).toEqual(shardItems(items, { index: s, count: 3 }));
  });
});

describe('shard index', () => {
  it('--shard i/n is 1-based', () => {
    expect(parseShardSpec('1/4')).toEqual({ index: 0, count: 4 });
    expect(parseShardSpec(' 4 / 4 ')).toEqual({ index: 3, count: 4 });
    expect(() => parseShardSpec('0/4')).toThrow('numbered 1 to 4');
    expect(() => parseShardSpec('5/4')).toThrow('numbered 1 to 4');
    expect(() => parseShardSpec('2')).toThrow('i/n');
    expect(() => parseShardSpec('1/0')).toThrow('at least 1');
  });

  it('reads Slurm job arrays (0-based or 1-based --array, with a step)', () => {
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' }).shard).toEqual({ index: 0, count: 4 });
    // --array=1-4
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' }).shard).toEqual({ index: 3, count: 4 });
    // --array=10-40:10
    expect(
      resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '30', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_STEP: '10' }).shard,
    ).toEqual({ index: 2, count: 4 });
    // --shards overrides the count (e.g. an array throttled or re-run in parts)
    expect(resolveShard(undefined, '8', { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '2', SLURM_ARRAY_TASK_MIN: '4' }).shard).toEqual({ index: 1, count: 8 });
    expect(() => resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '3' })).toThrow('SLURM_ARRAY_TASK_COUNT');
    expect(() => resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4' })).toThrow('task 5 of an array of 4');
    expect(() => resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '4' })).toThrow('SLURM_ARRAY_TASK_ID must be');
  });

  it('reads Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX, 0-based; count from --shards or HABITAT_SHARD_COUNT)', () => {
    expect(resolveShard(undefined, '3', { JOB_COMPLETION_INDEX: '2' })).toEqual({ shard: { index: 2, count: 3 }, source: 'JOB_COMPLETION_INDEX=2 of 3' });
    expect(resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '0', HABITAT_SHARD_COUNT: '5' }).shard).toEqual({ index: 0, count: 5 });
    expect(() => resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '0' })).toThrow('HABITAT_SHARD_COUNT');
    expect(() => resolveShard(undefined, '3', { JOB_COMPLETION_INDEX: '3' })).toThrow('not below the shard count 3');
  });

  it('prefers --shard, then Slurm, then Kubernetes; no index means the whole cohort', () => {
    const env = { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2', JOB_COMPLETION_INDEX: '0', HABITAT_SHARD_COUNT: '2' };
    expect(resolveShard('2/3', undefined, env).shard).toEqual({ index: 1, count: 3 });
    expect(resolveShard(undefined, undefined, env).shard).toEqual({ index: 1, count: 2 });
    expect(resolveShard(undefined, undefined, {})).toEqual({ shard: { index: 0, count: 1 }, source: 'whole cohort' });
    expect(() => resolveShard(undefined, '3', {})).toThrow('needs a shard index');
    expect(() => resolveShard('1/2', '2', {})).toThrow('not both');
  });
});

function row(patient: string, sequence: string, a: number, note = 'x'): CohortRow {
  return { patient, sequence, image: `${patient}/${sequence}.nii.gz`, mask: `${patient}/mask.nii.gz`, features: { diagnostics_Note: note, original_firstorder_Mean: a, original_glcm_Idn: NaN } };
}

describe('merge', () => {
  const rows = [
    row('P1', 'T2WI', 1.5),
    row('P1', 'ADC', 0.1 + 0.2),
    row('P10', 'T2WI', -3e-20, "{'a': 1, \"b\": 2}"),
    row('P2', 'T2WI', 1e21, 'two\nlines'),
    row('P3', 'T2WI', 7),
  ];

  it('CSV records keep quoted commas, quotes and line breaks', () => {
    const recs = csvRecords(cohortCsv(rows).csv);
    expect(recs).toHaveLength(6);
    expect(recs[0]!.fields.slice(0, 5)).toEqual(['patient', 'sequence', 'image', 'mask', 'diagnostics_Note']);
    expect(recs.map((r) => r.fields[0])).toEqual(['patient', 'P1', 'P1', 'P2', 'P3', 'P10']);
    expect(recs[1]!.fields[1]).toBe('ADC');
    expect(recs[3]!.fields[4]).toBe('two\nlines');
    expect(recs[5]!.fields[4]).toBe("{'a': 1, \"b\": 2}");
    expect(recs[2]!.fields[5]).toBe('1.5');
    expect(recs[1]!.fields[6]).toBe('NaN');
  });

  it('shards merged equal one run byte for byte, whatever the shard count and file order', () => {
    const single = cohortCsv(rows).csv;
    const byPatient = [...new Set(rows.map((r) => r.patient))].map((id) => ({ id }));
    for (const n of [1, 2, 3, 4]) {
      const shards = Array.from({ length: n }, (_, s) => {
        const mine = new Set(shardItems(byPatient, { index: s, count: n }).map((p) => p.id));
        return { name: `shard${s + 1}.csv`, text: cohortCsv(rows.filter((r) => mine.has(r.patient))).csv };
      });
      expect(mergeCohortCsvs(shards)).toBe(single);
      expect(mergeCohortCsvs([...shards].reverse())).toBe(single);
    }
  });

  it('rejects headers that disagree and overlapping shards; skips empty shards', () => {
    const a = cohortCsv(rows.slice(0, 2)).csv;
    const b = cohortCsv(rows.slice(2).map((r) => ({ ...r, features: { ...r.features, original_glcm_Extra: 1 } }))).csv;
    expect(() => mergeCohortCsvs([{ name: 'a.csv', text: a }, { name: 'b.csv', text: b }])).toThrow(/b\.csv: header differs from a\.csv/);
    expect(() => mergeCohortCsvs([{ name: 'a.csv', text: a }, { name: 'a2.csv', text: a }])).toThrow('patient P1 ADC is also in a.csv');
    expect(mergeCohortCsvs([{ name: 'e.csv', text: '' }, { name: 'a.csv', text: a }])).toBe(a);
    expect(() => mergeCohortCsvs([{ name: 'x.csv', text: 'Image,Mask\nx,y\n' }])).toThrow('x.csv: not an extract-cohort CSV');
  });

  it('a row whose feature names differ from the first row is left out with a message', () => {
    const odd = { ...row('P4', 'T2WI', 1), features: { original_firstorder_Mean: 1 } };
    const { csv, problems } = cohortCsv([...rows, odd]);
    expect(csvRecords(csv)).toHaveLength(6);
    expect(problems).toEqual([expect.stringMatching(/^patient P4 T2WI: feature names differ .*missing 2 e\.g\. diagnostics_Note/)]);
  });
});
