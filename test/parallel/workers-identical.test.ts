/**
 * The worker count and the way workers boot change nothing in the output:
 * extract-cohort with 1, 2 and 3 worker threads, and with workers booted from
 * the esbuild bundle or through tsx, writes the same CSV byte for byte. The
 * patients' volumes differ in size (the first has 30× the others' voxels), so
 * with several workers jobs finish out of order and the rows must still come
 * out in patient × sequence order (timing decides how often they finish out of
 * order, so that is not asserted).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeVolume } from '../../src/core/node.js';
import { createVolume, type Vec3 } from '../../src/core/image/volume.js';
import { extractCohort } from '../../src/core/radiomics/cohort-extract-node.js';
import { cohortCsv } from '../../src/core/radiomics/cohort-extract.js';
import { createNodePool, workerBundle } from '../../src/core/parallel/pool-node.js';

const PARAMS = 'imageType:\n  Original: {}\nfeatureClass:\n  firstorder:\n  glcm:\n  glrlm:\nsetting:\n  binWidth: 8\n';
let dir: string;

function volumes(seed: number, size: Vec3) {
  const n = size[0] * size[1] * size[2];
  const img = new Float32Array(n);
  const mask = new Uint8Array(n);
  let s = seed * 7919 + 11;
  for (let i = 0; i < n; i++) {
    s = (s * 48271) % 2147483647;
    const x = i % size[0];
    const y = Math.floor(i / size[0]) % size[1];
    const z = Math.floor(i / (size[0] * size[1]));
    img[i] = 40 + (s % 61) + 0.5 * x;
    mask[i] = x > 1 && x < size[0] - 2 && y > 1 && y < size[1] - 2 && z > 0 && z < size[2] - 1 ? 1 : 0;
  }
  const spacing: Vec3 = [1, 1.1, 2.5];
  return { image: createVolume(size, { spacing, data: img }), mask: createVolume(size, { spacing, data: mask }) };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'workers-identical-'));
  for (let p = 1; p <= 6; p++) {
    const id = `P${p}`;
    mkdirSync(path.join(dir, id));
    const v = volumes(p, p === 1 ? [48, 44, 16] : [14, 13, 6]);
    await writeVolume(v.mask, path.join(dir, id, 'mask.nii.gz'));
    await writeVolume(v.image, path.join(dir, id, 'T2.nii.gz'));
    await writeVolume({ ...v.image, data: v.image.data.map((x) => 3 * x - 20) }, path.join(dir, id, 'DWI.nii.gz'));
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function csvWith(jobs: number): Promise<{ csv: string; order: string[] }> {
  const order: string[] = [];
  const r = await extractCohort(dir, { paramsText: PARAMS, paramsName: 'params.yaml', jobs, onProgress: (_d, _t, job) => order.push(`${job.patient} ${job.sequence}`) });
  expect(r.problems).toEqual([]);
  expect(r.extracted).toBe(12);
  return { csv: cohortCsv(r.rows).csv, order };
}

describe('1 or N workers, bundle or tsx boot: identical output', () => {
  it('extract-cohort writes the same CSV byte for byte with 1, 2 and 3 workers', async () => {
    const one = await csvWith(1);
    const two = await csvWith(2);
    const three = await csvWith(3);
    expect(one.csv.split('\n').length).toBe(14); // header + 12 rows + final newline
    expect(two.csv).toBe(one.csv);
    expect(three.csv).toBe(one.csv);
    // one worker completes the jobs in patient × sequence order; with more, completion order
    // depends on timing (usually small P2 jobs before the big P1 ones), the CSV's order does not
    expect(one.order).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6'].flatMap((p) => [`${p} DWI`, `${p} T2`]));
    expect([...three.order].sort()).toEqual([...one.order].sort());
  });

  it('boots workers from an esbuild bundle of the entry, and tsx-booted workers give the same results', async () => {
    const entry = new URL('../../src/core/radiomics/cohort-extract-worker-node.ts', import.meta.url);
    const bundle = workerBundle(entry);
    expect(bundle?.pathname).toMatch(/node_modules\/\.cache\/habitat-workers\/cohort-extract-worker-node-[0-9a-f]{16}\.mjs$/);
    expect(workerBundle(entry)).toBe(bundle); // built once per process
    type Api = { extract(job: object): Promise<{ ok: boolean; features?: Record<string, unknown>; error?: string }> };
    const job = { patient: 'P1', sequence: 'T2', imagePath: path.join(dir, 'P1', 'T2.nii.gz'), maskPath: path.join(dir, 'P1', 'mask.nii.gz'), paramsText: PARAMS, paramsName: 'params.yaml' };
    const results = [];
    for (const boot of ['bundle', 'tsx'] as const) {
      const pool = createNodePool<Api>(entry, 1, undefined, { boot });
      try {
        results.push(await pool.run((api) => api.extract(job)));
      } finally {
        pool.close();
      }
    }
    expect(results[0]!.ok).toBe(true);
    expect(Object.keys(results[0]!.features!).length).toBeGreaterThan(50);
    expect(JSON.stringify(results[1])).toBe(JSON.stringify(results[0]));
  });

  it('deletes bundles of older versions of an entry that were not used for a day, and keeps recent ones', () => {
    const src = mkdtempSync(path.join(path.dirname(new URL(import.meta.url).pathname), 'tmp-entry-'));
    try {
      const file = path.join(src, 'prune-probe-entry.ts');
      writeFileSync(file, `export const stamp: number = ${Date.now()};\n`);
      const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '../../node_modules/.cache/habitat-workers');
      mkdirSync(dir, { recursive: true });
      const old = path.join(dir, 'prune-probe-entry-0123456789abcdef.mjs');
      const recent = path.join(dir, 'prune-probe-entry-fedcba9876543210.mjs');
      const other = path.join(dir, 'prune-probe-entry-x-0123456789abcdef.mjs'); // another entry's name
      for (const f of [old, recent, other]) writeFileSync(f, '');
      const twoDaysAgo = (Date.now() - 48 * 3600_000) / 1000;
      utimesSync(old, twoDaysAgo, twoDaysAgo);
      utimesSync(other, twoDaysAgo, twoDaysAgo);
      const bundle = workerBundle(new URL(`file://${file}`));
      expect(bundle).not.toBeNull();
      expect(existsSync(old)).toBe(false);
      expect(existsSync(recent)).toBe(true);
      expect(existsSync(other)).toBe(true);
      for (const f of [recent, other, bundle!.pathname]) rmSync(f, { force: true });
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });
});
