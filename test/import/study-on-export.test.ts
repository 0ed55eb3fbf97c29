/**
 * `habitat study <exportDir>` gives the same report as `habitat study` on the
 * cohort folder that `habitat import` writes from the same export (same
 * options): the same patients, features, selected features, AUCs and models
 * (report.json and features.csv compared whole, the run time and cohort
 * title aside). Small: the committed 4-patient export with its three complete
 * patients cloned under new PatientIDs (the ID rewritten in place in a copy of
 * the files, same length) to 12, two sequences, k fixed, first-order and shape
 * features, no N4 or registration.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listFilesRecursive } from '../../src/core/cohort/cohort-node.js';
import { importCommand } from '../../src/cli/commands/import.js';
import { studyCommand } from '../../src/cli/commands/study.js';
import { EXPORT } from './export-fixture.js';
import { quietly } from '../study/cli-helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'hw-study-export-'));
const exportDir = path.join(tmp, 'export');
const ORIGINALS = ['NPC1037', 'NPC1074', 'NPC1111'];
const CLONES = ['NPC2', 'NPC3', 'NPC4']; // NPC1037 → NPC2037, NPC3037, NPC4037

/** A copy of the export with each complete patient's files also written under 3 new PatientIDs. */
async function clonedExport(): Promise<void> {
  for (const abs of await listFilesRecursive(EXPORT)) {
    const rel = path.relative(EXPORT, abs);
    const bytes = readFileSync(abs);
    mkdirSync(path.dirname(path.join(exportDir, rel)), { recursive: true });
    writeFileSync(path.join(exportDir, rel), bytes);
    const text = bytes.toString('latin1');
    const who = ORIGINALS.find((id) => text.includes(id));
    if (!who) continue;
    for (const prefix of CLONES) {
      const clone = Buffer.from(text.split(who).join(prefix + who.slice(4)), 'latin1');
      writeFileSync(path.join(exportDir, `${rel}-${prefix}`), clone);
    }
  }
}

const strip = (report: Record<string, unknown>) => JSON.parse(JSON.stringify(report), (k, v) => (['generatedAt', 'seconds', 'cohortTitle'].includes(k) ? undefined : v));

describe('habitat study on an export folder', () => {
  const viaImport = path.join(tmp, 'via-import');
  const direct = path.join(tmp, 'direct');
  beforeAll(async () => {
    await clonedExport();
    const ids = [...ORIGINALS, ...CLONES.flatMap((p) => ORIGINALS.map((id) => p + id.slice(4)))].sort();
    writeFileSync(path.join(tmp, 'clinical-in.csv'), ['MRN,residual,age', ...ids.map((id, n) => `${id},${n % 2},${40 + ((n * 7) % 30)}`)].join('\n') + '\n');
    writeFileSync(path.join(tmp, 'study.yaml'), [
      'sequences: [T2WI, CE-T1WI]',
      'reference: T2WI',
      'preprocessing: {n4: false, register: none}',
      'habitats: {k: {T2WI: 2, CE-T1WI: 2}}',
      'selection: {seed: 3, folds: 3}',
      'split: {seed: 5, validation: 0.3, stratify: true}',
      'extraction: {params: params.yaml}',
    ].join('\n'));
    writeFileSync(path.join(tmp, 'params.yaml'), 'imageType: {Original: {}}\nfeatureClass: {firstorder: null, shape: [VoxelVolume, Sphericity]}\nsetting: {binWidth: 25, label: 1}\n');
    writeFileSync(path.join(tmp, 'rules.yaml'), 'sequences: [T2WI, CE-T1WI]\nsequence:\n  - { name: CE-T1WI, weighting: T1, contrast: true, fatSat: false }\n  - { name: T2WI, weighting: T2, contrast: false }\n');
    const importOpts = ['--map', path.join(tmp, 'rules.yaml'), '--voi', 'GTVnx', '--clinical', path.join(tmp, 'clinical-in.csv'), '--id-column', 'MRN'];
    const studyOpts = ['--config', path.join(tmp, 'study.yaml'), '--jobs', '1', '--quiet', '--no-cache'];
    expect(await quietly(() => importCommand([exportDir, '--out', path.join(tmp, 'cohort'), ...importOpts]))).toBe(1); // NPC1148 left out (two T2WI)
    expect(await quietly(() => studyCommand([path.join(tmp, 'cohort'), '--out', viaImport, ...studyOpts]))).toBe(0);
    expect(await quietly(() => studyCommand([exportDir, '--out', direct, ...importOpts, ...studyOpts]))).toBe(0);
  }, 900_000);

  it('writes the same report.json and features.csv as on the imported cohort folder', () => {
    const a = JSON.parse(readFileSync(path.join(viaImport, 'report.json'), 'utf8'));
    const b = JSON.parse(readFileSync(path.join(direct, 'report.json'), 'utf8'));
    expect(a.split.training.length + a.split.validation.length).toBe(12);
    expect(strip(b)).toEqual(strip(a));
    // the scanner_ batch columns import adds to clinical.csv are no clinical predictors ('auto' variables)
    expect(a.models.find((m: { name: string }) => m.name === 'Clinic').inputs).toEqual(['age']);
    expect(JSON.stringify(a.table1)).not.toMatch(/scanner_/);
    expect(readFileSync(path.join(direct, 'features.csv'), 'utf8')).toBe(readFileSync(path.join(viaImport, 'features.csv'), 'utf8'));
    // the import the study made is the same cohort
    expect(readFileSync(path.join(direct, 'cohort', 'clinical.csv'), 'utf8')).toBe(readFileSync(path.join(tmp, 'cohort', 'clinical.csv'), 'utf8'));
  });
});
