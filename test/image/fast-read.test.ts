/**
 * The TypeScript NRRD reader (src/core/image/nrrd-read.ts, used by readVolume
 * in Node) against itk-wasm's NRRD pipeline (readVolume with `itk: true`): for
 * every NRRD file of the reference data (PyRadiomics' test cases, IBSI) and the
 * variants of scripts/fixtures/nrrd_variants.py (every voxel type, both byte
 * orders, raw and gzip, LPS/RAS/LAS, oblique non-unit space directions), the
 * voxels are equal bit for bit and the geometry to 1e-9; the files the reader
 * declines go to itk-wasm; broken files give one line naming the file.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readImageHeader, readVolume, readerStats } from '../../src/core/image/io-node.js';
import { parseNrrdHeader } from '../../src/core/image/nrrd-read.js';
import type { Volume } from '../../src/core/image/volume.js';
import { IBSI, PYRAD } from '../shared-data.js';

const VARIANTS = path.resolve(__dirname, '..', 'fixtures', 'image', 'nrrd-variants');
const NIFTI_VARIANTS = path.resolve(__dirname, '..', 'fixtures', 'image', 'nifti-variants');

function imageFiles(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return imageFiles(p, pattern);
    return pattern.test(n) ? [p] : [];
  });
}
const NRRD = /\.(nrrd|nhdr)$/;
const NIFTI = /\.nii(\.gz)?$/;
const nrrdFiles = (dir: string) => imageFiles(dir, NRRD);

function bytesOf(v: Volume): Buffer {
  return Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength);
}

function expectSameVolume(fast: Pick<Volume, 'data' | 'size' | 'spacing' | 'origin' | 'direction' | 'metadata'>, itk: typeof fast): void {
  expect(fast.data.constructor.name).toBe(itk.data.constructor.name);
  expect(fast.data.length).toBe(itk.data.length);
  expect(bytesOf(fast).equals(bytesOf(itk))).toBe(true);
  expect(fast.size).toEqual(itk.size);
  for (const k of ['spacing', 'origin', 'direction'] as const) {
    const a = Array.from(fast[k]);
    const b = Array.from(itk[k]);
    expect(a.length).toBe(b.length);
    a.forEach((x, i) => expect(Math.abs(x - b[i]!), `${k}[${i}]: ${x} vs ${b[i]}`).toBeLessThanOrEqual(1e-9));
  }
  expect(fast.metadata).toEqual(itk.metadata);
}

/** readImageHeader both ways: the same fields, the geometry to 1e-9. */
async function expectSameHeader(file: string): Promise<void> {
  const fast = await readImageHeader(file);
  const itk = await readImageHeader(file, undefined, { itk: true });
  const geometry = ['spacing', 'origin', 'direction'] as const;
  const rest = (h: typeof fast) => Object.fromEntries(Object.entries(h).filter(([k]) => !(geometry as readonly string[]).includes(k)));
  expect(rest(fast)).toEqual(rest(itk));
  expectSameVolume({ ...fast, data: new Uint8Array(0) }, { ...itk, data: new Uint8Array(0) });
}

/** readVolume both ways; how many files each reader read for the default one. */
async function both(file: string) {
  const before = { ...readerStats };
  const fast = await readVolume(file);
  const used = { typescript: readerStats.typescript - before.typescript, itkWasm: readerStats.itkWasm - before.itkWasm };
  const itk = await readVolume(file, { itk: true });
  // the voxels own their buffer, exactly (volumes are transferred to workers by their buffer)
  expect([fast.data.byteOffset, fast.data.buffer.byteLength]).toEqual([0, fast.data.byteLength]);
  return { fast, itk, used };
}

const shared = [...nrrdFiles(PYRAD), ...nrrdFiles(IBSI)];
const variants = nrrdFiles(VARIANTS).filter((f) => !path.basename(f).startsWith('declined-'));
const declined = nrrdFiles(VARIANTS).filter((f) => path.basename(f).startsWith('declined-'));

describe('the TypeScript NRRD reader equals itk-wasm', () => {
  it('finds the files to compare', () => {
    expect(shared.length).toBeGreaterThanOrEqual(10);
    expect(variants.length).toBe(32);
    expect(declined.length).toBe(4);
  });

  it.each(shared.map((f) => [path.relative(path.dirname(PYRAD), f), f]))('%s (reference data)', async (_name, file) => {
    const { fast, itk, used } = await both(file);
    expect(used).toEqual({ typescript: 1, itkWasm: 0 });
    expectSameVolume(fast, itk);
    await expectSameHeader(file);
  });

  it.each(variants.map((f) => [path.basename(f), f]))('%s (nrrd_variants.py)', async (_name, file) => {
    const { fast, itk, used } = await both(file);
    expect(used).toEqual({ typescript: 1, itkWasm: 0 });
    expectSameVolume(fast, itk);
    await expectSameHeader(file);
  });

  it.each(declined.map((f) => [path.basename(f), f]))('%s is left to itk-wasm', async (_name, file) => {
    expect(parseNrrdHeader(new Uint8Array(readFileSync(file)))).toBeNull();
    const { fast, itk, used } = await both(file);
    expect(used).toEqual({ typescript: 0, itkWasm: 1 });
    expectSameVolume(fast, itk);
  });
});

describe('NRRD space field', () => {
  const header = (space: string) =>
    new TextEncoder().encode(`NRRD0004\ntype: float\ndimension: 3\nspace: ${space}\nsizes: 2 2 2\nspace directions: (1,0,0) (0,1,0) (0,0,1)\nendian: little\nencoding: raw\n\n${'\0'.repeat(32)}`);
  it('a space the reader knows is read, one named like an Object.prototype key is left to itk-wasm', () => {
    expect(parseNrrdHeader(header('left-posterior-superior'))?.size).toEqual([2, 2, 2]);
    // the old plain-object lookup matched Object.prototype.constructor and read a zero direction matrix
    expect(parseNrrdHeader(header('constructor'))).toBeNull();
  });
});

const sharedNifti = [...imageFiles(PYRAD, NIFTI), ...imageFiles(IBSI, NIFTI)];
const niftiVariants = imageFiles(NIFTI_VARIANTS, NIFTI);

describe('the TypeScript NIfTI reader equals itk-wasm', () => {
  it('finds the files to compare', () => {
    expect(sharedNifti.length).toBeGreaterThanOrEqual(60);
    expect(niftiVariants.length).toBe(27);
  });

  it.each([...sharedNifti, ...niftiVariants].map((f) => [path.relative(path.resolve(PYRAD, '..'), f).replace(/^.*fixtures\//, ''), f]))('%s', async (name, file) => {
    const itkError = await readVolume(file, { itk: true }).then(
      () => null,
      (e: Error) => e.message,
    );
    if (itkError) {
      // itk-wasm refuses it (a 4-D image, a skewed sform): so must the default read, with the same line
      expect(path.basename(name)).toMatch(/^declined-/);
      await expect(readVolume(file)).rejects.toThrow(itkError.replace(/ \(itk-wasm code \d+\)$/, '')); // the code is a pointer
      return;
    }
    const { fast, itk, used } = await both(file);
    // the reference data is all of the kinds the reader takes; the variants named declined-* are not
    expect(used).toEqual(path.basename(name).startsWith('declined-') ? { typescript: 0, itkWasm: 1 } : { typescript: 1, itkWasm: 0 });
    expectSameVolume(fast, itk);
  });
});

describe('broken NRRD and NIfTI files give one line naming the file', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'hw-nrrd-'));
  const cases: [string, string, (b: Buffer) => Buffer][] = [
    ['short-little-raw.nrrd', 'raw data cut short', (b) => b.subarray(0, b.length - 7)],
    ['../nifti-variants/int16-little-sform1-qform.nii', 'raw NIfTI cut short', (b) => b.subarray(0, b.length - 5)],
    ['../nifti-variants/float32-nonfinite.nii.gz', 'gzip NIfTI cut short', (b) => b.subarray(0, b.length - 40)],
    ['short-little-gzip.nrrd', 'gzip stream cut short', (b) => b.subarray(0, b.length - 9)],
    [
      'float-big-gzip.nrrd',
      'gzip stream with flipped bytes',
      (b) => {
        const c = Buffer.from(b);
        for (let i = c.length - 60; i < c.length - 30; i++) c[i]! ^= 0x5a;
        return c;
      },
    ],
  ];
  it.each(cases)('%s: %s', async (name, _what, damage) => {
    const file = path.join(tmp, `broken-${path.basename(name)}`);
    writeFileSync(file, damage(readFileSync(path.join(VARIANTS, name))));
    const err = await readVolume(file).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message.startsWith(`${file}: `)).toBe(true);
    expect(err!.message).not.toContain('\n');
    expect(err!.message).toMatch(/truncated|corrupt/);
  });
});
