/**
 * `habitat check` over a cohort folder full of broken files: every broken file,
 * mask, sequence gap and clinical problem is one line naming it, and the check
 * finishes (exit code 1). A clean cohort gives exit code 0.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkCommand } from '../../src/cli/commands/check.js';
import { writeVolume } from '../../src/core/image/io-node.js';
import { boxMask, image, nii, niiGz, withDims, withPixdim, write } from './files.js';
import { runCliText } from '../cli/run-cli.js';

let out: string[] = [];
beforeEach(() => {
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

function cleanPatient(dir: string, id: string): void {
  const img = image();
  write(dir, `${id}/T2WI.nii.gz`, niiGz(img));
  write(dir, `${id}/ADC.nii.gz`, niiGz(image()));
  write(dir, `${id}/mask.nii.gz`, niiGz(boxMask(img)));
}

describe('habitat check', () => {
  it('passes a clean cohort with exit code 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hw-check-ok-'));
    for (const id of ['P1', 'P2', 'P3', 'P4']) cleanPatient(dir, id);
    write(dir, 'clinical.csv', 'id,residual,age\nP1,0,50\nP2,1,61\nP3,0,47\nP4,1,70\n');
    expect(await checkCommand([dir, '--deep'])).toBe(0);
    expect(out).toEqual(['checked 4 patients, 12 image files, clinical table 4 rows: no problems']);
  });

  it('reports every broken file of a hostile folder, one line each, and finishes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hw-check-bad-'));
    cleanPatient(dir, 'P01');
    const img = image();
    const big = image([40, 40, 20]);
    const gz = niiGz(big);
    const base = (id: string, t2: Uint8Array | string, t2name = 'T2WI.nii.gz', mask = niiGz(boxMask(img))) => {
      write(dir, `${id}/${t2name}`, t2);
      write(dir, `${id}/ADC.nii.gz`, niiGz(image()));
      write(dir, `${id}/mask.nii.gz`, mask);
    };
    base('P02', gz.subarray(0, gz.length >> 1)); // truncated .nii.gz (header intact)
    base('P03', new Uint8Array(0)); // zero-byte file
    base('P04', 'this is a note, not an image\n', 'T2WI.nrrd'); // text named .nrrd
    base('P05', withDims(nii(img), [32767, 32767, 32767]), 'T2WI.nii'); // absurd dims
    base('P06', niiGz(img), 'T2WI.nii.gz', niiGz(boxMask(image([12, 10, 6], [1, 1, 3])))); // mask of other geometry
    base('P07', niiGz(img), 'T2WI.nii.gz', niiGz(boxMask(img, [0, 0, 0], [-1, -1, -1]))); // empty mask
    base('P08', niiGz(img), 'T2WI.nii.gz', niiGz(boxMask(img, [4, 4, 2], [4, 4, 2]))); // one-voxel mask
    write(dir, 'P09/T2WI.nii.gz', niiGz(img)); // ADC missing
    write(dir, 'P09/mask.nii.gz', niiGz(boxMask(img)));
    const nan = image();
    nan.data[5 + 12 * (5 + 10 * 2)] = NaN;
    nan.data[6 + 12 * (5 + 10 * 2)] = Infinity;
    // NaN/Inf inside the ROI (seen with --deep), in NRRD and in NIfTI (whose NaN ITK 5 reads as 0: readVolume puts them back)
    base('P10', new Uint8Array(0), 'T2WI.nrrd');
    await writeVolume(nan, path.join(dir, 'P10/T2WI.nrrd'));
    base('P11', withPixdim(nii(img), 0, -2), 'T2WI.nii'); // negative spacing
    base('P13', niiGz(nan)); // NaN/Inf in a NIfTI: restored from the raw bytes, refused inside the ROI
    base('P12', niiGz(img), 'T2WI.nii.gz', gzipSync(new TextEncoder().encode('not a nifti at all, just gzipped text'))); // mask not an image
    write(dir, 'clinical.csv', 'patient,residual\nP01,1\n'); // no id column
    const code = await checkCommand([dir, '--deep']);
    expect(code).toBe(1);
    const lines = out;
    const expectLine = (re: RegExp) => expect(lines.some((l) => re.test(l)), `${re} in\n${lines.join('\n')}`).toBe(true);
    expectLine(/P02\/T2WI\.nii\.gz: truncated: the header describes 40×40×20 float32 voxels/);
    expectLine(/P03\/T2WI\.nii\.gz: the file is empty/);
    expectLine(/P04\/T2WI\.nrrd: not a NRRD file/);
    expectLine(/P05\/T2WI\.nii: the header gives an absurd image size 32767×32767×32767/);
    expectLine(/P06\/mask\.nii\.gz: geometry differs from .*P06\/T2WI\.nii\.gz \(spacing 1×1×2 vs 1×1×3\)/);
    expectLine(/P07\/mask\.nii\.gz: the mask is empty/);
    expectLine(/P08\/mask\.nii\.gz: the ROI is a single voxel/);
    expectLine(/^patient P09: no ADC image \(12 other patients have one\)/);
    expectLine(/P10\/T2WI\.nrrd: 2 voxels are NaN or infinite inside the ROI \(label 1\)/);
    expectLine(/P13\/T2WI\.nii\.gz: 2 voxels are NaN or infinite inside the ROI \(label 1\)/);
    expectLine(/P11\/T2WI\.nii: invalid voxel spacing -2×1×2 mm/);
    expectLine(/P12\/mask\.nii\.gz: (truncated NIfTI header|not a NIfTI file)/);
    expectLine(/clinical\.csv: no id column "id" \(columns: patient, residual\)/);
    // nothing about the clean patient; every line is one line; the summary is last
    expect(lines.filter((l) => l.includes('P01/'))).toEqual([]);
    for (const l of lines) expect(l).not.toContain('\n');
    expect(lines.at(-1)).toMatch(/^checked 13 patients, 38 image files, clinical table 0 rows: 13 problems$/);
  });

  it('checks the clinical table against the patients and the study config', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hw-check-clin-'));
    for (const id of ['P1', 'P2', 'P3']) cleanPatient(dir, id);
    write(dir, 'clinical.csv', 'id,residual,age\nP1,0,50\nP2,1,NA\nP99,0,47\n');
    const config = write(dir, '../study-hw-check.yaml', 'sequences: [T2WI, ADC, DWI]\nreference: T2WI\nextraction:\n  params: params-hw-check.yaml\n');
    const params = write(dir, '../params-hw-check.yaml', 'setting:\n  binWidth: 0\n');
    expect(await checkCommand([dir, '--config', config])).toBe(1);
    expect(out.slice(0, -1).sort()).toEqual(
      [
        `${path.join(dir, 'clinical.csv')}: patient P2 has no value for "age"`,
        `${path.join(dir, 'clinical.csv')}: patient P3 has images but no row in the clinical table`,
        `${path.join(dir, 'clinical.csv')}: patient P99 is in the clinical table but has no images`,
        'sequence DWI (named in the study config) is found in no patient folder (sequences found: ADC, T2WI)',
        `${params}: setting.binWidth must be a number > 0, got 0`,
      ].sort(),
    );
  });

  it('reports a malformed study config and a non-binary outcome, and still checks the cohort', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hw-check-cfg-'));
    for (const id of ['P1', 'P2', 'P3']) cleanPatient(dir, id);
    write(dir, 'clinical.csv', 'id,residual\nP1,0\nP2,1\nP3,2\n');
    const config = write(dir, '../study-hw-bad.yaml', 'sequences: [T2WI\nreference: T2WI\n');
    expect(await checkCommand([dir, '--config', config])).toBe(1);
    expect(out[0]).toMatch(/^study-hw-bad\.yaml: malformed YAML: /);
    expect(out[1]).toMatch(/clinical\.csv: the outcome column "residual" must be binary, found 3 values \(0, 1, 2\)$/);
    expect(out).toHaveLength(3);
  });

  it('refuses a volume over the memory budget before reading it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hw-check-budget-'));
    cleanPatient(dir, 'P1');
    write(dir, 'P1/T2WI.nii.gz', niiGz(image([64, 64, 16])));
    expect(await checkCommand([dir, '--budget-mib', '0.1'])).toBe(1);
    expect(out[0]).toMatch(/P1\/T2WI\.nii\.gz: the image is too large for the memory budget: 64×64×16 float32 voxels need 262144 bytes decoded, the budget is 104858 bytes; crop or downsample it first$|P1\/T2WI\.nii\.gz: the image is too large for the memory budget: 64×64×16 float32 voxels need 262144 bytes decoded, the budget is 104857 bytes/);
  });

  it('runs as `habitat check`: exit 1 with the problems on stdout, exit 2 for a missing folder, never a stack trace', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hw-check-cli-'));
    cleanPatient(dir, 'P1');
    write(dir, 'P2/T2WI.nii.gz', new Uint8Array(0));
    write(dir, 'P2/mask.nii.gz', niiGz(boxMask(image())));
    const run = (...args: string[]) => runCliText(['check', ...args]);
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      'patient P2: no ADC image (1 other patient has one)',
      `${path.join(dir, 'P2/T2WI.nii.gz')}: the file is empty`,
      'checked 2 patients, 5 image files, no clinical table: 2 problems',
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = run(path.join(dir, 'nope'));
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe(`habitat: ${path.join(dir, 'nope')}: no such cohort folder`);
  });
});
