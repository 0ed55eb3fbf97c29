/**
 * `extract-cohort` and `merge` end to end on a small synthetic cohort in worker
 * threads: shards merged equal one run byte for byte, each row equals the
 * single-image extractor, and a bad patient is reported by name and skipped.
 */
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readVolume, writeVolume } from '../../src/core/node.js';
import { createVolume } from '../../src/core/image/volume.js';
import { extractFeatures } from '../../src/core/radiomics/extractor.js';
import { parseParams } from '../../src/core/radiomics/params.js';
import { csvRecords } from '../../src/core/radiomics/cohort-extract.js';
import { extractCohortCommand } from '../../src/cli/commands/extract-cohort.js';
import { mergeCommand } from '../../src/cli/commands/merge.js';

const PARAMS = 'imageType:\n  Original: {}\nfeatureClass:\n  firstorder:\n  glcm:\n  glszm:\nsetting:\n  binWidth: 10\n';
let dir: string;

function patientVolumes(seed: number) {
  const size: [number, number, number] = [12, 11, 6];
  const n = size[0] * size[1] * size[2];
  const img = new Float32Array(n);
  const mask = new Uint8Array(n);
  let s = seed * 7919 + 1;
  for (let i = 0; i < n; i++) {
    s = (s * 48271) % 2147483647;
    img[i] = 50 + (s % 97);
    const x = i % 12;
    const y = Math.floor(i / 12) % 11;
    const z = Math.floor(i / 132);
    mask[i] = x > 2 && x < 9 + (seed % 2) && y > 1 && y < 8 && z > 0 && z < 5 ? 1 : 0;
  }
  return { image: createVolume(size, { spacing: [1, 1.2, 2], data: img }), mask: createVolume(size, { spacing: [1, 1.2, 2], data: mask }) };
}

async function run(fn: (argv: string[]) => Promise<number>, argv: string[]) {
  const err: string[] = [];
  const e = vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
  const l = vi.spyOn(console, 'log').mockImplementation(() => {});
  const w = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await fn(argv), err };
  } finally {
    e.mockRestore();
    l.mockRestore();
    w.mockRestore();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cohort-'));
  const cohort = path.join(dir, 'cohort');
  for (let p = 1; p <= 5; p++) {
    const id = `P${p}`;
    mkdirSync(path.join(cohort, id), { recursive: true });
    const v = patientVolumes(p);
    await writeVolume(v.mask, path.join(cohort, id, 'mask.nii.gz'));
    await writeVolume(v.image, path.join(cohort, id, 'T2.nii.gz'));
    await writeVolume({ ...v.image, data: v.image.data.map((x) => 2 * x) }, path.join(cohort, id, 'ADC.nii.gz'));
  }
  // P4's ADC file is corrupt
  writeFileSync(path.join(cohort, 'P4', 'ADC.nii.gz'), 'not an image');
  writeFileSync(path.join(dir, 'params.yaml'), PARAMS);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('extract-cohort', () => {
  it('writes one sorted row per patient × sequence; a bad file is reported by name and skipped', async () => {
    const cohort = path.join(dir, 'cohort');
    const { code, err } = await run(extractCohortCommand, [cohort, '--params', path.join(dir, 'params.yaml'), '--jobs', '2', '--out', path.join(dir, 'all.csv')]);
    expect(code).toBe(0);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^extract-cohort: patient P4 ADC: .*P4\/ADC\.nii\.gz/);
    const recs = csvRecords(readFileSync(path.join(dir, 'all.csv'), 'utf8'));
    expect(recs[0]!.fields.slice(0, 4)).toEqual(['patient', 'sequence', 'image', 'mask']);
    expect(recs.slice(1).map((r) => `${r.fields[0]} ${r.fields[1]}`)).toEqual(['P1 ADC', 'P1 T2', 'P2 ADC', 'P2 T2', 'P3 ADC', 'P3 T2', 'P4 T2', 'P5 ADC', 'P5 T2']);
    expect(recs[2]!.fields.slice(2, 4)).toEqual(['P1/T2.nii.gz', 'P1/mask.nii.gz']);
    // the row equals the single-image extractor on the same files (pyradiomics --format csv columns)
    const f = extractFeatures(await readVolume(path.join(cohort, 'P3', 'T2.nii.gz')), await readVolume(path.join(cohort, 'P3', 'mask.nii.gz')), {
      params: parseParams(PARAMS),
    });
    const header = recs[0]!.fields.slice(4);
    expect(header).toEqual(Object.keys(f));
    const p3 = recs[6]!.fields;
    expect(p3[1]).toBe('T2');
    for (const [k, name] of header.entries())
      if (name.startsWith('original_')) expect(p3[4 + k]).toBe(String(f[name]));
  });

  it('shards (by flag and by environment) merged equal the single run byte for byte', async () => {
    const cohort = path.join(dir, 'cohort');
    const args = [cohort, '--params', path.join(dir, 'params.yaml'), '--jobs', '1'];
    // shard 1 of 2 from a Slurm array (--array=1-2), shard 2 from a Kubernetes Indexed Job
    process.env.SLURM_ARRAY_TASK_ID = '1';
    process.env.SLURM_ARRAY_TASK_COUNT = '2';
    process.env.SLURM_ARRAY_TASK_MIN = '1';
    try {
      expect((await run(extractCohortCommand, [...args, '--out', path.join(dir, 's1.csv')])).code).toBe(0);
    } finally {
      delete process.env.SLURM_ARRAY_TASK_ID;
      delete process.env.SLURM_ARRAY_TASK_COUNT;
      delete process.env.SLURM_ARRAY_TASK_MIN;
    }
    process.env.JOB_COMPLETION_INDEX = '1';
    try {
      expect((await run(extractCohortCommand, [...args, '--shards', '2', '--out', path.join(dir, 's2.csv')])).code).toBe(0);
    } finally {
      delete process.env.JOB_COMPLETION_INDEX;
    }
    const s = (n: number) => readFileSync(path.join(dir, `s${n}.csv`), 'utf8');
    expect(csvRecords(s(1)).map((r) => r.fields[0])).toEqual(['patient', 'P1', 'P1', 'P3', 'P3', 'P5', 'P5']);
    expect(csvRecords(s(2)).map((r) => r.fields[0])).toEqual(['patient', 'P2', 'P2', 'P4']);
    const merged = path.join(dir, 'merged.csv');
    expect((await run(mergeCommand, [path.join(dir, 's2.csv'), path.join(dir, 's1.csv'), '--out', merged])).code).toBe(0);
    expect(readFileSync(merged)).toEqual(readFileSync(path.join(dir, 'all.csv')));
  });

  it('exits non-zero when nothing could be extracted', async () => {
    const bad = path.join(dir, 'bad');
    mkdirSync(path.join(bad, 'P1'), { recursive: true });
    writeFileSync(path.join(bad, 'P1', 'mask.nii.gz'), 'x');
    writeFileSync(path.join(bad, 'P1', 'T2.nii.gz'), 'x');
    const { code, err } = await run(extractCohortCommand, [bad, '--params', path.join(dir, 'params.yaml'), '--jobs', '1', '--out', path.join(dir, 'none.csv')]);
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^extract-cohort: patient P1 T2: /);
    expect(err[err.length - 1]).toMatch(/nothing could be extracted/);
  });
});
