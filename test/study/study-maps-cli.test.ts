/**
 * `habitat study --maps`: after the study, every patient's habitat label map of
 * every sequence is written as `habitats/<id>/<SEQ>-habitats.nii.gz` on the
 * grid the features were extracted on. On a small demo cohort (two sequences,
 * k fixed, no N4 or registration; shape + first-order features so that each
 * habitat's voxel count is in features.csv as its VoxelVolume on the 1 mm grid):
 * one file per patient and sequence, uint8 labels 0…k, non-zero exactly on the
 * prepared VOI (prepared again here from the cohort files), and the voxels of
 * each HabN equal to the study's own (features.csv) for every patient, and
 * voxel for voxel to model.json's habitat model applied to the prepared images
 * for one patient. A second run without the cache (so the CLI prepares the
 * images again) writes the same maps.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readVolume } from '../../src/core/image/io-node.js';
import { applyHabitatModel, type HabitatModel } from '../../src/core/habitats/habitat-model.js';
import { parseStudyConfig } from '../../src/core/study/config.js';
import { readCohortLayout } from '../../src/core/cohort/cohort-node.js';
import { filePatientSource } from '../../src/core/study/executor-node.js';
import { preparePatient, type PreparedPatient } from '../../src/core/study/prepare.js';
import { demoCommand } from '../../src/cli/commands/demo.js';
import { studyCommand } from '../../src/cli/commands/study.js';

const SEQUENCES = ['T2WI', 'CE-T1WI'];
const K: Record<string, number> = { T2WI: 3, 'CE-T1WI': 2 };
const STUDY_YAML = [
  `sequences: [${SEQUENCES.join(', ')}]`,
  'reference: T2WI',
  'preprocessing: {n4: false, register: none}',
  `habitats: {k: {T2WI: ${K.T2WI}, CE-T1WI: ${K['CE-T1WI']}}}`,
  'selection: {seed: 3, folds: 3}',
  'split: {seed: 5, validation: 0.3, stratify: true}',
  'models: {bootstrap: 5}',
  'extraction: {params: params.yaml}',
].join('\n');

let tmp: string;
let cohort: string;
let out: string;
let outNoCache: string;
let ids: string[];
const prepared = new Map<string, PreparedPatient>();

async function quietly(run: () => Promise<number>): Promise<number> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await run();
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

function counts(labels: ArrayLike<number>, k: number): number[] {
  const c = new Array<number>(k + 1).fill(0);
  for (let i = 0; i < labels.length; i++) c[labels[i]!]!++;
  return c;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'habitat-study-maps-'));
  cohort = path.join(tmp, 'cohort');
  out = path.join(tmp, 'out');
  outNoCache = path.join(tmp, 'out-no-cache');
  expect(await quietly(() => demoCommand(['--out', cohort, '--patients', '12', '--seed', '7']))).toBe(0);
  writeFileSync(path.join(tmp, 'study.yaml'), STUDY_YAML);
  writeFileSync(path.join(tmp, 'params.yaml'), 'imageType: {Original: {}}\nfeatureClass: {firstorder: null, shape: [VoxelVolume]}\nsetting: {binWidth: 25, label: 1}\n');
  const common = ['--config', path.join(tmp, 'study.yaml'), '--jobs', '1', '--quiet', '--maps'];
  expect(await quietly(() => studyCommand([cohort, '--out', out, ...common]))).toBe(0);
  expect(await quietly(() => studyCommand([cohort, '--out', outNoCache, '--no-cache', ...common]))).toBe(0);
  const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as { split: { training: string[]; validation: string[] } };
  ids = [...report.split.training, ...report.split.validation].sort();
  // The prepared images, computed here from the cohort files with the study's settings.
  const config = parseStudyConfig(STUDY_YAML, 'study.yaml');
  const layout = await readCohortLayout(cohort);
  for (const pt of layout.patients.filter((p) => ids.includes(p.id))) {
    prepared.set(pt.id, await preparePatient(await filePatientSource(pt, SEQUENCES).load(), config));
  }
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('habitat study --maps', () => {
  it('writes one label map per patient of the study and sequence', () => {
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(readdirSync(path.join(out, 'habitats')).sort()).toEqual(ids);
    for (const id of ids) expect(readdirSync(path.join(out, 'habitats', id)).sort()).toEqual(SEQUENCES.map((s) => `${s}-habitats.nii.gz`).sort());
  });

  it('labels are uint8 0…k, on the prepared grid, non-zero exactly on the prepared VOI', async () => {
    for (const id of ids) {
      const p = prepared.get(id)!;
      for (const seq of SEQUENCES) {
        const map = await readVolume(path.join(out, 'habitats', id, `${seq}-habitats.nii.gz`));
        expect(map.data).toBeInstanceOf(Uint8Array);
        expect(map.size).toEqual(p.mask.size);
        for (let a = 0; a < 3; a++) {
          expect(map.spacing[a]).toBeCloseTo(p.mask.spacing[a]!, 5);
          expect(map.origin[a]).toBeCloseTo(p.mask.origin[a]!, 4);
        }
        let outside = 0;
        let unlabelled = 0;
        let tooHigh = 0;
        for (let i = 0; i < map.data.length; i++) {
          if (p.mask.data[i] === 0 && map.data[i] !== 0) outside++;
          if (p.mask.data[i] !== 0 && map.data[i] === 0) unlabelled++;
          if (map.data[i]! > K[seq]!) tooHigh++;
        }
        expect({ id, seq, outside, unlabelled, tooHigh }).toEqual({ id, seq, outside: 0, unlabelled: 0, tooHigh: 0 });
      }
    }
  });

  it("each HabN's voxels are those its features were computed on (features.csv VoxelVolume, 1 mm³ voxels)", async () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(path.join(out, 'features.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.id).sort()).toEqual(ids);
    let compared = 0;
    for (const row of rows) {
      for (const seq of SEQUENCES) {
        const map = await readVolume(path.join(out, 'habitats', row.id!, `${seq}-habitats.nii.gz`));
        const c = counts(map.data, K[seq]!);
        for (let h = 1; h <= K[seq]!; h++) {
          const cell = row[`${seq}_Hab${h}_original_shape_VoxelVolume`];
          expect(cell, `${row.id} ${seq} Hab${h}`).toBeDefined();
          // a habitat of fewer than 2 voxels has no features (empty cell)
          if (c[h]! < 2) expect(cell).toBe('');
          else {
            expect(Number(cell), `${row.id} ${seq} Hab${h}`).toBeCloseTo(c[h]!, 6);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(ids.length * 4);
  });

  it("equals model.json's cohort habitat models applied to the prepared images, voxel for voxel", async () => {
    const model = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as { habitatModels: Record<string, HabitatModel> };
    const id = ids[0]!;
    const p = prepared.get(id)!;
    for (const seq of SEQUENCES) {
      expect(model.habitatModels[seq]!.k).toBe(K[seq]);
      const expected = applyHabitatModel(model.habitatModels[seq]!, { images: p.images, mask: p.mask }, id);
      const map = await readVolume(path.join(out, 'habitats', id, `${seq}-habitats.nii.gz`));
      expect(counts(map.data, K[seq]!).slice(1)).toEqual(expected.voxelCounts);
      let differ = 0;
      for (let i = 0; i < map.data.length; i++) if (map.data[i] !== expected.labels.data[i]) differ++;
      expect(differ).toBe(0);
    }
  });

  it('without the cache (images prepared again) the maps are the same', async () => {
    expect(readdirSync(path.join(outNoCache, 'habitats')).sort()).toEqual(ids);
    for (const id of ids) {
      for (const seq of SEQUENCES) {
        const a = await readVolume(path.join(out, 'habitats', id, `${seq}-habitats.nii.gz`));
        const b = await readVolume(path.join(outNoCache, 'habitats', id, `${seq}-habitats.nii.gz`));
        expect(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength).equals(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength)), `${id} ${seq}`).toBe(true);
      }
    }
  });
});
