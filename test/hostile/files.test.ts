/**
 * Broken image files through the Node reader: missing, empty, truncated and
 * non-image files; NIfTI/NRRD headers with zero, negative or absurd sizes;
 * impossible spacing. Each gives an ImageFileError whose one-line message names
 * the file; the memory guard refuses volumes over budget from the header alone.
 */
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bytesPerVoxelOfType, checkGeometry, checkVolumeBudget, decodedVolumeBytes, DEFAULT_VOLUME_BUDGET_BYTES } from '../../src/core/image/guard.js';
import { readImageHeader, readVolume, writeVolume } from '../../src/core/image/io-node.js';
import { checkImageHeader, ImageFileError } from '../../src/core/image/sniff.js';
import { createVolume } from '../../src/core/image/volume.js';
import { image, nii, niiGz, withDims, withPixdim, write } from './files.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hw-files-'));
const nrrd = (header: string, data: Uint8Array | string = '') => {
  const h = new TextEncoder().encode(header + '\n\n');
  const d = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const out = new Uint8Array(h.length + d.length);
  out.set(h);
  out.set(d, h.length);
  return out;
};
const NRRD_HEAD = 'NRRD0004\ntype: float\ndimension: 3\nencoding: raw\nendian: little\nspace: left-posterior-superior';

async function refused(file: string, message: string | RegExp): Promise<void> {
  const run = readVolume(file);
  await expect(run).rejects.toBeInstanceOf(ImageFileError);
  await expect(run).rejects.toThrow(message);
  const e: unknown = await run.catch((x: unknown) => x);
  expect((e as Error).message).not.toContain('\n');
}

describe('broken image files, one line naming the file', () => {
  const img = image();
  const gz = niiGz(image([40, 40, 20]));

  it.each([
    ['missing file', () => path.join(dir, 'missing.nii.gz'), /missing\.nii\.gz: no such file or folder$/],
    ['zero-byte file', () => write(dir, 'empty.nii.gz', new Uint8Array(0)), /empty\.nii\.gz: the file is empty$/],
    ['text named .nrrd', () => write(dir, 'text.nrrd', 'patient notes\n'), /text\.nrrd: not a NRRD file \(missing the NRRD000x magic line\)$/],
    ['text named .nii', () => write(dir, 'text.nii', 'x'.repeat(400)), /text\.nii: not a NIfTI file/],
    ['text named .nii.gz', () => write(dir, 'text.nii.gz', 'x'.repeat(400)), /text\.nii\.gz: not a NIfTI file/],
    ['unknown extension', () => write(dir, 'scan.bin', 'x'.repeat(10)), /scan\.bin: not a recognised image file/],
    ['.nii.gz cut in its header', () => write(dir, 'cut-head.nii.gz', gz.subarray(0, 60)), /cut-head\.nii\.gz: the gzip stream is truncated or corrupt \(no NIfTI header could be decompressed\)$/],
    ['.nii.gz cut in its voxels', () => write(dir, 'cut-data.nii.gz', gz.subarray(0, gz.length >> 1)), /cut-data\.nii\.gz: truncated: the header describes 40×40×20 float32 voxels \(128352 bytes\) but the gzip stream breaks off after \d+$/],
    ['.nii cut in its voxels', () => write(dir, 'cut.nii', nii(img).subarray(0, 1000)), /cut\.nii: truncated: the header describes 12×10×6 float32 voxels \(3232 bytes\) but the file holds 1000$/],
    ['.nrrd cut in its voxels', () => write(dir, 'cut.nrrd', nrrd(NRRD_HEAD + '\nsizes: 4 4 4', new Uint8Array(100))), /cut\.nrrd: truncated: the header describes 4×4×4 float voxels \(256 bytes\) but the file holds 100$/],
    ['NIfTI with a zero size', () => write(dir, 'zero.nii', withDims(nii(img), [12, 0, 6])), /zero\.nii: the header gives an invalid image size 12×0×6/],
    ['NIfTI with a negative size', () => write(dir, 'neg.nii', withDims(nii(img), [12, -10, 6])), /neg\.nii: the header gives an invalid image size 12×-10×6/],
    ['NIfTI with an absurd size', () => write(dir, 'absurd.nii', withDims(nii(img), [30000, 30000, 30000])), /absurd\.nii: the header gives an absurd image size 30000×30000×30000 \(2\.70e\+13 voxels\)$/],
    ['NIfTI with 0 dimensions', () => write(dir, 'nodim.nii', withDims(nii(img), [])), /nodim\.nii: the NIfTI header gives 0 dimensions \(1–7 allowed\)$/],
    ['NRRD with a zero size', () => write(dir, 'zero.nrrd', nrrd(NRRD_HEAD + '\nsizes: 4 0 4')), /zero\.nrrd: the header gives an invalid image size 4×0×4/],
    ['NRRD with a negative size', () => write(dir, 'neg.nrrd', nrrd(NRRD_HEAD + '\nsizes: 4 -4 4')), /neg\.nrrd: the header gives an invalid image size 4×-4×4/],
    ['NRRD with an absurd size', () => write(dir, 'absurd.nrrd', nrrd(NRRD_HEAD + '\nsizes: 100000 100000 1000')), /absurd\.nrrd: the header gives an absurd image size 100000×100000×1000/],
    ['NRRD with a text size', () => write(dir, 'nan.nrrd', nrrd(NRRD_HEAD + '\nsizes: 4 four 4')), /nan\.nrrd: the header gives an invalid image size 4×NaN×4/],
    ['NIfTI with a negative spacing', () => write(dir, 'negspacing.nii', withPixdim(nii(img), 0, -1)), /negspacing\.nii: invalid voxel spacing -1×1×2 mm \(every spacing must be a positive finite number\)$/],
    ['NRRD with a zero spacing', () => write(dir, 'zerospacing.nrrd', nrrd(NRRD_HEAD + '\nsizes: 2 2 2\nspace directions: (0,0,0) (0,1,0) (0,0,1)\nspace origin: (0,0,0)', new Uint8Array(32))), /zerospacing\.nrrd: (invalid voxel spacing|degenerate direction matrix|could not be read)/],
    ['.nhdr whose data file is missing', () => write(dir, 'detached.nhdr', NRRD_HEAD + '\nsizes: 2 2 2\ndata file: detached.raw\n'), /detached\.nhdr: the data file "detached\.raw" named by the header does not exist$/],
    ['.mhd whose data file is missing', () => write(dir, 'detached.mhd', 'ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nElementType = MET_FLOAT\nElementDataFile = detached.raw\n'), /detached\.mhd: the data file "detached\.raw" named by the header does not exist$/],
    ['.mha cut inside its voxels', () => write(dir, 'cut.mha', new TextEncoder().encode('ObjectType = Image\nNDims = 3\nBinaryData = True\nDimSize = 4 4 4\nElementType = MET_SHORT\nElementDataFile = LOCAL\n' + 'x'.repeat(100))), /cut\.mha: truncated: the header describes 4×4×4 MET_SHORT voxels \(128 bytes\) but the file holds 100$/],
    ['folder without DICOM files', () => (mkdirSync(path.join(dir, 'nodicom'), { recursive: true }), write(dir, 'nodicom/readme.txt', 'x'), path.join(dir, 'nodicom')), /nodicom: the folder holds no DICOM files$/],
  ])('%s', async (_, make, message) => {
    await refused(make(), message);
  });

  it('a compressed .mha cut anywhere is refused; whole, it reads back', async () => {
    const whole = path.join(dir, 'whole.mha');
    await writeVolume(img, whole);
    expect(Array.from((await readVolume(whole)).data)).toEqual(Array.from(img.data));
    const b = new Uint8Array(readFileSync(whole));
    for (const cut of [b.length >> 1, b.length - 1]) await refused(write(dir, `cut-${cut}.mha`, b.subarray(0, cut)), /truncated: the header describes 12×10×6 MET_FLOAT voxels \(\d+ compressed bytes\) but the file holds \d+$/);
  });

  it('the header-only read refuses the same files and gives the geometry of good ones without decoding', async () => {
    await expect(readImageHeader(path.join(dir, 'missing.nii.gz'))).rejects.toThrow(/no such file or folder$/);
    await expect(readImageHeader(write(dir, 'cut2.nii.gz', gz.subarray(0, gz.length >> 1)))).rejects.toThrow(/truncated/);
    const h = await readImageHeader(write(dir, 'good.nii.gz', niiGz(img)));
    expect([h.format, h.type, h.size, h.spacing, h.origin]).toEqual(['nifti', 'float32', [12, 10, 6], [1, 1, 2], [-5, 3, 10]]);
  });

  it('a .nii.gz cut anywhere is refused, or (cut only in the gzip trailer) reads back every voxel exactly (property)', async () => {
    const good = niiGz(img);
    const cuts = fc.sample(fc.integer({ min: 1, max: good.length - 1 }), { numRuns: 25, seed: 51 });
    for (const cut of [...cuts, good.length - 1, good.length - 4, good.length - 8]) {
      const f = write(dir, `cut-${cut}.nii.gz`, good.subarray(0, cut));
      try {
        const v = await readVolume(f);
        expect(Array.from(v.data)).toEqual(Array.from(img.data));
      } catch (e) {
        expect(e).toBeInstanceOf(ImageFileError);
        expect((e as Error).message).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
      }
    }
  });
});

describe('memory guard', () => {
  it('knows the voxel widths of the header type names', () => {
    expect(['uint8', 'int16', 'short', 'unsigned short', 'float', 'float32', 'int', 'double', 'float64', 'MET_SHORT', 'MET_FLOAT', 'MET_DOUBLE', 'long long'].map(bytesPerVoxelOfType)).toEqual([1, 2, 2, 2, 4, 4, 4, 8, 8, 2, 4, 8, 8]);
    expect(bytesPerVoxelOfType('dicom')).toBeNull();
    // decoded as float32 at least; 64-bit types keep 8 bytes
    expect(decodedVolumeBytes({ size: [10, 10, 10], type: 'uint8' })).toBe(4000);
    expect(decodedVolumeBytes({ size: [10, 10, 10], type: 'double' })).toBe(8000);
  });

  it('refuses from the header alone, before any voxel is read; exactly at the budget passes', () => {
    // the browser hands over only the first bytes of the File: enough for the header
    const start = gzipSync(withDims(nii(image()), [1024, 1024, 300])).subarray(0, 1 << 16);
    expect(() => checkImageHeader('huge.nii.gz', start)).toThrow(/^huge\.nii\.gz: truncated: the header describes 1024×1024×300 float32 voxels/);
    const header = checkImageHeader('huge.nii.gz', start, { headerOnly: true });
    expect(header).toEqual({ format: 'nifti', size: [1024, 1024, 300], type: 'float32' });
    expect(() => checkVolumeBudget(header, DEFAULT_VOLUME_BUDGET_BYTES, 'huge.nii.gz')).toThrow(
      'huge.nii.gz: the image is too large for the memory budget: 1024×1024×300 float32 voxels need 1.17 GiB decoded, the budget is 1 GiB; crop or downsample it first',
    );
    expect(() => checkVolumeBudget({ size: [512, 512, 1024], type: 'int16' })).not.toThrow(); // 2^28 voxels × 4 bytes = 1 GiB exactly
    expect(() => checkVolumeBudget({ size: [512, 512, 1025], type: 'int16', file: 'a.nrrd' })).toThrow(/^a\.nrrd: the image is too large/);
    expect(() => checkVolumeBudget({ size: [], type: 'dicom' }, 1)).not.toThrow();
  });

  it('refuses any header over a random budget and accepts any under it (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: 3, maxLength: 3 }), fc.constantFrom('uint8', 'short', 'float', 'double'), fc.integer({ min: 1, max: 2 ** 33 }), (size, type, budget) => {
        const need = size[0]! * size[1]! * size[2]! * (type === 'double' ? 8 : 4);
        if (need > budget) expect(() => checkVolumeBudget({ size, type }, budget, 'f.nii')).toThrow(/^f\.nii: the image is too large for the memory budget/);
        else expect(() => checkVolumeBudget({ size, type }, budget, 'f.nii')).not.toThrow();
      }),
      { numRuns: 500, seed: 52 },
    );
  });

  it('refuses impossible geometry', () => {
    const v = createVolume([2, 2, 2]);
    expect(() => checkGeometry('g.nii', { ...v, spacing: [1, NaN, 1] })).toThrow('g.nii: invalid voxel spacing 1×NaN×1 mm');
    expect(() => checkGeometry('g.nii', { ...v, origin: [0, Infinity, 0] })).toThrow('g.nii: invalid origin 0×Infinity×0 (not finite)');
    expect(() => checkGeometry('g.nii', { ...v, direction: Float64Array.from([1, 0, 0, 1, 0, 0, 0, 0, 1]) })).toThrow('g.nii: degenerate direction matrix');
    // a 2×2 direction: its missing entries made the determinant NaN, and NaN passed the degeneracy test
    expect(() => checkGeometry('g.nii', { ...v, direction: Float64Array.from([1, 0, 0, 1]) })).toThrow('g.nii: direction matrix 1×0×0×1 has 4 entries, not 9');
    expect(() => checkGeometry('g.nii', v)).not.toThrow();
  });
});
