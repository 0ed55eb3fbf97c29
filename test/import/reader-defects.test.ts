/** The reader defects of issue 17: truncated DICOM pixel data, NIfTI-2, ITK's console text, NaN in NIfTI. */
import { describe, it, expect, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readImageHeader, readVolume, withData } from '../../src/core/node.js';
import { extractFeatures } from '../../src/core/radiomics/extractor.js';
import { listFilesRecursive } from '../../src/core/cohort/cohort-node.js';
import { scanDicomFile } from '../../src/core/image/dicom-scan.js';
import { EXPORT, FIXTURE } from './export-fixture.js';

const READERS = path.join(FIXTURE, 'readers');
const tmp = mkdtempSync(path.join(tmpdir(), 'hw-readers-'));

/** Run `fn` and return everything written to the console or stdout/stderr meanwhile. */
async function captured(fn: () => Promise<unknown>): Promise<{ text: string; error?: Error }> {
  const chunks: string[] = [];
  const grab = (...a: unknown[]) => void chunks.push(a.map(String).join(' '));
  const spies = [vi.spyOn(console, 'log').mockImplementation(grab), vi.spyOn(console, 'error').mockImplementation(grab), vi.spyOn(console, 'warn').mockImplementation(grab)];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: unknown) => (chunks.push(String(c)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: unknown) => (chunks.push(String(c)), true));
  let error: Error | undefined;
  try {
    await fn();
  } catch (e) {
    error = e as Error;
  } finally {
    for (const s of [...spies, out, err]) s.mockRestore();
  }
  return { text: chunks.join(''), error };
}

async function exportFileOf(kind: (f: ReturnType<typeof scanDicomFile>) => boolean): Promise<string> {
  for (const f of await listFilesRecursive(EXPORT)) if (kind(scanDicomFile(f, new Uint8Array(readFileSync(f))))) return f;
  throw new Error('no such file in the export');
}

describe('DICOM', () => {
  it('a slice whose pixel data is cut short is refused in one line naming the file', async () => {
    const slice = await exportFileOf((f) => !('problem' in f) && f.kind === 'image' && f.seriesDescription === 't2_tse_tra');
    const bytes = readFileSync(slice);
    const cut = path.join(tmp, 'IM_CUT');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 300));
    await expect(readVolume(cut)).rejects.toThrow(`${cut}: truncated pixel data: 28×32 16-bit pixels need 1792 bytes, the file holds 1492`);
  });

  it('an RT plan gives one line and nothing else on the console (no ITK pipeline text)', async () => {
    const plan = await exportFileOf((f) => !('problem' in f) && f.modality === 'RTPLAN');
    const { text, error } = await captured(() => readVolume(plan));
    expect(error?.message).toBe(`${plan}: RT plan (not an image)`);
    expect(text).toBe('');
  });
});

describe('NIfTI-2 and Analyze', () => {
  it('a NIfTI-2 file (nibabel) reads as its NIfTI-1 twin does', async () => {
    const two = await readVolume(path.join(READERS, 'nifti2.nii.gz'));
    const one = await readVolume(path.join(READERS, 'nifti1.nii.gz'));
    expect(two.size).toEqual(one.size);
    expect(Array.from(two.data)).toEqual(Array.from(one.data));
    for (let c = 0; c < 3; c++) {
      expect(two.spacing[c]).toBeCloseTo(one.spacing[c]!, 6);
      expect(two.origin[c]).toBeCloseTo(one.origin[c]!, 5);
    }
    for (let c = 0; c < 9; c++) expect(two.direction[c]).toBeCloseTo(one.direction[c]!, 6);
    expect(Math.abs(two.direction[1]!)).toBeGreaterThan(0.2); // the oblique affine came through
    const h = await readImageHeader(path.join(READERS, 'nifti2.nii.gz'));
    expect(h.size).toEqual([9, 7, 5]);
  });

  it('an Analyze .hdr reads without ITK warning text on the console', async () => {
    const { text, error } = await captured(() => readVolume(path.join(READERS, 'analyze.hdr')));
    expect(error).toBeUndefined();
    expect(text).toBe('');
  });
});

describe('NaN voxels in a NIfTI', () => {
  it('are kept where the file has them (ITK reads them as 0) and refused inside the VOI', async () => {
    const v = await readVolume(path.join(READERS, 'nan.nii.gz'));
    const { nonFiniteIndices } = JSON.parse(readFileSync(path.join(READERS, 'nan.json'), 'utf8')) as { nonFiniteIndices: number[] };
    const found = [...v.data.keys()].filter((i) => !Number.isFinite(v.data[i]));
    expect(found).toEqual(nonFiniteIndices);
    expect(Number.isNaN(v.data[nonFiniteIndices[0]!])).toBe(true);
    expect(v.data[nonFiniteIndices[1]!]).toBe(-Infinity);
    const mask = withData(v, new Uint8Array(v.data.length).fill(1));
    expect(() => extractFeatures(v, mask, { imageName: 'nan.nii.gz' })).toThrow('nan.nii.gz: 2 voxels are NaN or infinite inside the ROI (label 1)');
  });
});
