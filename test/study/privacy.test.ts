/**
 * Privacy (issue 11b): exports leave out DICOM patient identifiers. A cohort
 * whose T2WI series are DICOM files carrying PatientName, PatientID, birth
 * date, address, institution, physician, accession number, study date and
 * UIDs (written by scripts/fixtures/dicom-series.ts; @itk-wasm/dicom's own
 * tag reader confirms they are in the files) goes through the whole study
 * (`habitat study --bundle`, the same core code as the app's runner and
 * Export report). No identifier appears in any export file — report.html/json,
 * CSVs, figures, model.json, study.yaml, params.yaml — nor in the study
 * bundle's entries, raw or inflated. The readers keep only the geometry and
 * voxels: the volume read from the series holds no header field either.
 * Patient ids are the cohort's folder names (chosen by the user, matched to
 * clinical.csv) and are exported, as they must be to link results to patients.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { readDicomTagsNode } from '@itk-wasm/dicom';
import { readVolume, writeVolume } from '../../src/core/node.js';
import { demoClinicalCsv, generateDemoPatient } from '../../src/demo/demo.js';
import { readStudyBundle } from '../../src/core/study/bundle.js';
import { studyCommand } from '../../src/cli/commands/study.js';
import { exampleIdentity, writeDicomSeries, type DicomIdentity } from '../../scripts/fixtures/dicom-series.js';

const N = 20;
const DEMO = { patients: N, seed: 2025, motion: false, biasField: false };
let tmp: string;
let cohort: string;
let out: string;
const identities: DicomIdentity[] = [];
const ids: string[] = [];

/** Every identifying value, as written and as DICOM pads it (trailing space), plus the name's parts. */
function needles(): string[] {
  const set = new Set<string>();
  for (const id of identities) {
    for (const [key, v] of Object.entries(id)) {
      if (key === 'PatientSex') continue; // one letter: not identifying, and found in any text
      set.add(v);
      if (key === 'StudyDate' || key === 'PatientBirthDate') set.add(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}`);
    }
    for (const part of id.PatientName.split('^')) set.add(part);
  }
  set.add('St Example Hospital');
  set.add('Example Street');
  return [...set];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (n === '.cache') return [];
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'habitat-privacy-'));
  cohort = path.join(tmp, 'cohort');
  out = path.join(tmp, 'out');
  writeFileSync(path.join(tmp, 'placeholder'), '');
  mkdirSync(cohort);
  writeFileSync(path.join(cohort, 'clinical.csv'), demoClinicalCsv(DEMO));
  for (let i = 0; i < N; i++) {
    const p = generateDemoPatient(i, DEMO);
    ids.push(p.id);
    const id = exampleIdentity(i);
    identities.push(id);
    writeDicomSeries(path.join(cohort, p.id, 'T2WI'), p.series.T2WI, id);
    await writeVolume(p.mask, path.join(cohort, p.id, 'mask.nii.gz'));
  }
  writeFileSync(
    path.join(tmp, 'study.yaml'),
    [
      'sequences: [T2WI]',
      'reference: T2WI',
      'preprocessing: {n4: false, register: none}',
      'habitats: {k: {T2WI: 2}}',
      'selection: {seed: 3, folds: 5}',
      'split: {seed: 5, validation: 0.3, stratify: true}',
      'models: {bootstrap: 5}',
      'extraction: {params: params.yaml}',
    ].join('\n'),
  );
  writeFileSync(path.join(tmp, 'params.yaml'), 'imageType: {Original: {}}\nfeatureClass: {firstorder: null, glcm: null}\nsetting: {binWidth: 25, label: 1}\n');
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const code = await studyCommand([cohort, '--config', path.join(tmp, 'study.yaml'), '--out', out, '--jobs', '1', '--quiet', '--no-cache', '--bundle']);
    expect(code).toBe(0);
  } finally {
    log.mockRestore();
  }
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('DICOM identifiers stay out of the exports', () => {
  it('the series really carry the identifiers (read back by @itk-wasm/dicom)', async () => {
    const first = path.join(cohort, ids[0]!, 'T2WI', 'IM0001.dcm');
    const { tags } = await readDicomTagsNode(first);
    const t = new Map(tags.map(([k, v]) => [k, v.trim()]));
    expect(t.get('0010|0010')).toBe(identities[0]!.PatientName);
    expect(t.get('0010|0020')).toBe(identities[0]!.PatientID);
    expect(t.get('0010|0030')).toBe(identities[0]!.PatientBirthDate);
    expect(t.get('0008|0080')).toBe(identities[0]!.InstitutionName);
    expect(readFileSync(first).includes(identities[0]!.PatientID)).toBe(true);
  });

  it('the reader keeps geometry and voxels only', async () => {
    const v = await readVolume(path.join(cohort, ids[0]!, 'T2WI'));
    const p = generateDemoPatient(0, DEMO).series.T2WI;
    expect(v.size).toEqual(p.size);
    expect(v.origin).toEqual(p.origin);
    expect(Array.from(v.data)).toEqual(Array.from(p.data));
    expect(v.metadata).toEqual({ source: path.join(cohort, ids[0]!, 'T2WI'), format: 'dicom', files: '14' });
    const text = JSON.stringify({ ...v, data: undefined });
    for (const needle of needles()) expect(text, needle).not.toContain(needle);
  });

  it('the study ran on the DICOM cohort', () => {
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as { cohort: { patients: number } };
    expect(report.cohort.patients).toBe(N);
  });

  it('no export file holds an identifier (patient ids are the folder names)', () => {
    const files = filesUnder(out).filter((f) => !f.endsWith('.zip'));
    expect(files.map((f) => path.relative(out, f)).sort()).toEqual(
      expect.arrayContaining(['report.html', 'report.json', 'features.csv', 'predictions.csv', 'table1.csv', 'table2.csv', 'table3.csv', 'model.json', 'study.yaml', 'params.yaml', 'figures/bic.svg']),
    );
    const all = needles();
    for (const f of files) {
      const text = readFileSync(f, 'latin1');
      for (const needle of all) expect(text.includes(needle), `${path.relative(out, f)} contains ${needle}`).toBe(false);
    }
    // the folder names are the study's patient ids, and they are exported
    const predictions = readFileSync(path.join(out, 'predictions.csv'), 'utf8');
    for (const id of ids) expect(predictions).toContain(`${id},`);
  });

  it('nor does the study bundle (zip bytes, every entry, the restored view)', () => {
    const zip = new Uint8Array(readFileSync(path.join(out, 'study-bundle.zip')));
    const all = needles();
    const raw = Buffer.from(zip).toString('latin1');
    for (const needle of all) expect(raw.includes(needle), `zip bytes contain ${needle}`).toBe(false);
    const entries = unzipSync(zip);
    expect(Object.keys(entries)).toContain('bundle/view.json');
    for (const [name, bytes] of Object.entries(entries)) {
      const text = strFromU8(bytes);
      for (const needle of all) expect(text.includes(needle), `${name} contains ${needle}`).toBe(false);
    }
    const { view } = readStudyBundle('study-bundle.zip', zip);
    expect(view.result.analysis.ids.sort()).toEqual([...ids].sort());
  });
});
