import { describe, it, expect, beforeAll, vi } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'fflate';
import { readVolume } from '../../src/core/node.js';
import { importCommand } from '../../src/cli/commands/import.js';
import { listFilesRecursive } from '../../src/core/cohort/cohort-node.js';
import type { ImportJson } from '../../src/core/import/import-node.js';
import { EXPORT, FIXTURE, manifest, compareOnPhysicalGrid, diceOnPhysicalGrid } from './export-fixture.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'hw-import-'));
const clinical = path.join(tmp, 'clinical-in.csv');

/**
 * Run `habitat import` in this process. With `terminal`, stderr is a terminal
 * for the run (its progress line is kept in `progress`); otherwise it is not, as
 * in a log, and the command writes no progress at all.
 */
async function run(argv: string[], terminal = false): Promise<{ code: number; out: string; progress: string[] }> {
  const lines: string[] = [];
  const progress: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const wasTTY = process.stderr.isTTY;
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (progress.push(String(s)), true));
  process.stderr.isTTY = terminal;
  try {
    return { code: await importCommand(argv), out: lines.join('\n'), progress };
  } finally {
    process.stderr.isTTY = wasTTY;
    write.mockRestore();
    log.mockRestore();
    err.mockRestore();
  }
}

/** Every byte written under `dir`, gzip members decompressed, as latin1 text. */
async function allOutputText(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const f of await listFilesRecursive(dir)) {
    let b: Uint8Array = readFileSync(f);
    if (f.endsWith('.gz')) b = gunzipSync(b);
    parts.push(Buffer.from(b).toString('latin1'));
  }
  return parts.join('\n');
}

const m = manifest();

beforeAll(() => {
  const rows = m.patients.map((p, n) => `${p.PatientID},${n % 2},${50 + n}`);
  writeFileSync(clinical, ['MRN,outcome,age', ...rows, 'NPC9999,1,70'].join('\n') + '\n');
});

describe('habitat import on the PACS-style export', () => {
  const out = path.join(tmp, 'cohort');
  let json: ImportJson;
  let result: { code: number; out: string; progress: string[] };
  beforeAll(async () => {
    result = await run([EXPORT, '--out', out, '--voi', 'GTVnx', '--voi2', 'GTVnx_R2', '--clinical', clinical, '--id-column', 'MRN'], true);
    json = JSON.parse(readFileSync(path.join(out, 'import.json'), 'utf8'));
  }, 300_000);

  it('writes the cohort layout for the complete patients and lists the others with their reasons', () => {
    expect(result.code).toBe(1); // one patient left out
    expect(readdirSync(out).sort()).toEqual(['NPC1037', 'NPC1074', 'NPC1111', 'clinical.csv', 'import.json']);
    for (const id of ['NPC1037', 'NPC1074', 'NPC1111']) expect(readdirSync(path.join(out, id)).sort()).toEqual(['CE-T1WI.nii.gz', 'FSCE-T1WI.nii.gz', 'T2WI.nii.gz', 'mask.nii.gz', 'mask2.nii.gz']);
    expect(result.out).toMatch(/left out: NPC1148: T2WI ambiguous: series 3 "t2_tse_tra", series 4 "t2_tse_tra_repeat"/);
    expect(result.out).toMatch(/left out: NPC1148: FSCE-T1WI missing/);
    expect(result.out).toMatch(/^unreadable: DICOM\/00001\/IM999999: unreadable DICOM/m);
    expect(result.out.match(/RT plan \(not an image\)/g)).toHaveLength(4);
    const p1 = json.patients.find((p) => p.id === 'NPC1037')!;
    expect(p1.vois.map((v) => [v.as, v.roi])).toEqual([['mask', 'GTVnx'], ['mask2', 'GTVnx_R2']]);
    const why = Object.fromEntries(p1.series.map((s) => [s.description, s.becomes ?? s.why]));
    expect(why).toEqual({ AAHead_Scout: 'localizer', t2_tse_tra: 'T2WI', ep2d_diff_tra_b1000: 'diffusion', t1_tse_tra_post: 'CE-T1WI', t1_tse_fs_tra_post: 'FSCE-T1WI', t1_tse_fs_cor_post: 'coronal repeat of FSCE-T1WI (only axial series are used)' });
  });

  it('shows its progress on a terminal: files scanned, then patients built, with the time left, on one line cleared at the end', async () => {
    const files = (await listFilesRecursive(EXPORT)).length;
    const shown = result.progress.map((s) => s.replace(/^\r\x1b\[K/, ''));
    expect(result.progress.every((s) => s.startsWith('\r\x1b[K'))).toBe(true);
    expect(shown.filter((s) => new RegExp(`^\\[\\d+ s\\] scan ${files}/${files}$`).test(s))).toHaveLength(1);
    const patients = shown.filter((s) => / import \d+\/\d+ /.test(s)).map((s) => s.replace(/^\[\d+ s\] /, '').replace(/ · about .* left$/, ''));
    expect(patients).toEqual(json.patients.map((p, n) => `import ${n + 1}/${json.patients.length} ${p.id}`));
    expect(shown.at(-1)).toBe('');
  });

  it('images equal dcm2niix and masks plastimatch', async () => {
    for (const id of ['NPC1037', 'NPC1074', 'NPC1111']) {
      for (const seq of ['T2WI', 'CE-T1WI', 'FSCE-T1WI']) {
        const mine = await readVolume(path.join(out, id, `${seq}.nii.gz`));
        const ref = await readVolume(path.join(FIXTURE, 'ref', id, `${seq}.nii.gz`));
        expect([id, seq, compareOnPhysicalGrid(mine, ref)]).toEqual([id, seq, { mismatched: 0, offGrid: 0 }]);
      }
      for (const [file, roi] of [['mask', 'GTVnx'], ['mask2', 'GTVnx_R2']]) {
        const mine = await readVolume(path.join(out, id, `${file}.nii.gz`));
        const ref = await readVolume(path.join(FIXTURE, 'ref', id, 'plastimatch', `${roi}.nii.gz`));
        expect(diceOnPhysicalGrid(mine, ref)).toBeGreaterThanOrEqual(0.98);
      }
    }
  });

  it('clinical.csv has the id first, only the imported patients, and their scanner as batch columns', () => {
    const text = readFileSync(path.join(out, 'clinical.csv'), 'utf8').trim().split('\n');
    expect(text[0]).toBe('id,outcome,age,scanner_institution,scanner_manufacturer,scanner_model,scanner_field_T');
    expect(text.slice(1).map((l) => l.split(',')[0])).toEqual(['NPC1037', 'NPC1074', 'NPC1111']);
    // the fixture's headers (pydicom): InstitutionName, Manufacturer by vendor, no ManufacturerModelName, 3 T
    expect(text.slice(1).map((l) => l.split(',').slice(3))).toEqual(m.patients.slice(0, 3).map((p) => ['St. Example Hospital', p.vendor, '', '3']));
    expect(json.batchColumns).toEqual(['scanner_institution', 'scanner_manufacturer', 'scanner_model', 'scanner_field_T']);
    expect(result.out).toMatch(/2 row\(s\) match no imported patient/);
  });

  it('no name, birth date, address, accession number or UID reaches an output', async () => {
    // the site's name is a batch key: in clinical.csv's scanner_institution column only
    const text = (await allOutputText(out)).replace(/,St\. Example Hospital,/g, ',(site),');
    for (const p of m.patients) for (const s of p.identifiers) expect(text.includes(s), s).toBe(false);
    expect(text).not.toMatch(/1\.2\.826\.0\.1\.3680043/); // the fixture's UID root
    expect(text).not.toMatch(/St\. Example Hospital|HOUSE\^GREGORY|SMITH\^ANNA/);
  });
});

describe('habitat import --pseudonymise', () => {
  it('writes P001… ids and the key only where asked', async () => {
    const out = path.join(tmp, 'pseudo');
    const key = path.join(tmp, 'secret', 'key.csv');
    const rules = path.join(tmp, 'pick.yaml');
    writeFileSync(rules, 'patients: { NPC1037: { T2WI: 3 } }\n');
    const r = await run([EXPORT, '--out', out, '--voi', 'GTVnx', '--map', rules, '--pseudonymise', '--key-out', key, '--clinical', clinical, '--id-column', 'MRN']);
    expect(r.code).toBe(1);
    expect(r.progress).toEqual([]); // stderr is not a terminal here, as in a log: no progress line
    expect(readdirSync(out).sort()).toEqual(['P001', 'P002', 'P003', 'clinical.csv', 'import.json']);
    expect(readFileSync(key, 'utf8')).toBe('id,PatientID\nP001,NPC1037\nP002,NPC1074\nP003,NPC1111\nP004,NPC1148\n');
    const text = await allOutputText(out);
    for (const p of m.patients) expect(text.includes(p.PatientID), p.PatientID).toBe(false);
    expect(text).not.toMatch(/IM0\d{5}/); // no file names from the export either
    expect(text).not.toMatch(/St\. Example Hospital|HOUSE\^GREGORY/); // the site is coded
    expect(readFileSync(path.join(out, 'clinical.csv'), 'utf8').split('\n')[1]).toMatch(/^P001,0,50,site1,SIEMENS,,3$/);
    expect(r.out).toMatch(/left out: P004: T2WI ambiguous/);
    expect(JSON.parse(readFileSync(path.join(out, 'import.json'), 'utf8')).rules).toMatch(/P001:/);
  }, 300_000);

  it('refuses --pseudonymise without --key-out before writing anything', async () => {
    const out = path.join(tmp, 'nokey');
    await expect(run([EXPORT, '--out', out, '--pseudonymise'])).rejects.toThrow('--pseudonymise needs --key-out');
    expect(existsSync(out)).toBe(false);
  });
});

describe('VOI problems are one clear line per patient', () => {
  it('an ROI on a frame of reference that is not in the export, and an ROI name that does not exist', async () => {
    const rules = path.join(tmp, 'rules.yaml');
    writeFileSync(rules, 'sequences: [T2WI, CE-T1WI]\nsequence:\n  - { name: CE-T1WI, weighting: T1, contrast: true, fatSat: false }\n  - { name: T2WI, weighting: T2, contrast: false }\npatients: { NPC1148: { T2WI: 3 } }\n');
    const r = await run([EXPORT, '--out', path.join(tmp, 'ct'), '--map', rules, '--voi', 'GTVp_CT']);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n').filter((l) => l.startsWith('left out:'));
    expect(lines).toEqual([
      'left out: NPC1037: mask: no ROI matches "GTVp_CT" (ROIs: Brainstem, GTVnx, GTVnx_R2)',
      'left out: NPC1074: mask: no ROI matches "GTVp_CT" (ROIs: Brainstem, GTVnx, GTVnx_R2)',
      'left out: NPC1111: mask: no ROI matches "GTVp_CT" (ROIs: Brainstem, GTVnx, GTVnx_R2)',
      'left out: NPC1148: mask: ROI "GTVp_CT" is on another frame of reference than the images, drawn on a series that is not in the export; register it first or export the images it was drawn on',
    ]);
  }, 300_000);
});

describe('check and study take an export folder directly', () => {
  it('habitat check imports it first (same options) and reports the left-out patient', async () => {
    const { checkCommand } = await import('../../src/cli/commands/check.js');
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let code: number;
    try {
      code = await checkCommand([EXPORT, '--voi', 'GTVnx', '--voi2', 'GTVnx_R2', '--deep']);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    expect(code).toBe(1);
    expect(lines.filter((l) => l.startsWith('left out:'))).toEqual([
      'left out: NPC1148: T2WI ambiguous: series 3 "t2_tse_tra", series 4 "t2_tse_tra_repeat" (pick one in the review table or under "patients:" in the rules file)',
      'left out: NPC1148: FSCE-T1WI missing (no axial series looks like it)',
    ]);
    expect(lines.at(-1)).toBe('checked 3 patients, 15 image files, no clinical table: 2 problems');
  }, 300_000);
});
