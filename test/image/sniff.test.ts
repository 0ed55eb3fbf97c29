import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { checkImageHeader, ImageFileError } from '../../src/core/image/sniff.js';

/** A minimal NIfTI-1 single-file image (header + extension flag + data). */
function nifti(dims: number[], datatype = 16, bitpix = 32, dataBytes?: number): Uint8Array {
  const n = dims.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(352 + (dataBytes ?? Math.max(0, n) * (bitpix / 8)));
  const dv = new DataView(bytes.buffer);
  dv.setInt32(0, 348, true);
  dv.setInt16(40, dims.length, true);
  dims.forEach((d, i) => dv.setInt16(42 + 2 * i, d, true));
  dv.setInt16(70, datatype, true);
  dv.setInt16(72, bitpix, true);
  dv.setFloat32(108, 352, true);
  bytes.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  return bytes;
}

function nrrd(header: string, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(header + '\n\n');
  const out = new Uint8Array(h.length + data.length);
  out.set(h);
  out.set(data, h.length);
  return out;
}

describe('image header checks', () => {
  it('accepts a well-formed NIfTI, raw and gzipped, and reports its size and type', () => {
    const b = nifti([4, 3, 2]);
    expect(checkImageHeader('a.nii', b)).toEqual({ format: 'nifti', size: [4, 3, 2], type: 'float32' });
    expect(checkImageHeader('a.nii.gz', gzipSync(b))).toEqual({ format: 'nifti', size: [4, 3, 2], type: 'float32' });
  });

  it.each([
    [[0, 3, 2], /invalid image size 0×3×2/],
    [[-4, 3, 2], /invalid image size -4×3×2/],
    [[32767, 32767, 32767], /absurd image size/],
  ])('refuses NIfTI dims %j', (dims, re) => {
    expect(() => checkImageHeader('bad.nii', nifti(dims, 16, 32, 0))).toThrow(re);
  });

  it('refuses an unknown NIfTI datatype and a truncated data block', () => {
    expect(() => checkImageHeader('x.nii', nifti([2, 2, 2], 9999))).toThrow(/x\.nii: unsupported NIfTI datatype code 9999/);
    expect(() => checkImageHeader('x.nii', nifti([10, 10, 10], 16, 32, 100))).toThrow(/x\.nii: truncated/);
  });

  it('checks NRRD headers: sizes, dimension, type, raw length, gzip integrity', () => {
    const ok = nrrd('NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nencoding: raw\nendian: little', new Uint8Array(16));
    expect(checkImageHeader('a.nrrd', ok)).toEqual({ format: 'nrrd', size: [2, 2, 2], type: 'short' });
    expect(() => checkImageHeader('a.nrrd', nrrd('NRRD0004\ntype: short\ndimension: 3\nsizes: 2 0 2\nencoding: raw', new Uint8Array(16)))).toThrow(/invalid image size 2×0×2/);
    expect(() => checkImageHeader('a.nrrd', nrrd('NRRD0004\ntype: short\ndimension: 2\nsizes: 2 2 2\nencoding: raw', new Uint8Array(16)))).toThrow(/dimension \(2\) does not match its sizes/);
    expect(() => checkImageHeader('a.nrrd', nrrd('NRRD0004\ntype: quaternion\ndimension: 1\nsizes: 2\nencoding: raw', new Uint8Array(16)))).toThrow(/unsupported NRRD type "quaternion"/);
    expect(() => checkImageHeader('a.nrrd', nrrd('NRRD0004\ntype: constructor\ndimension: 1\nsizes: 2\nencoding: raw', new Uint8Array(16)))).toThrow(/unsupported NRRD type "constructor"/);
    expect(() => checkImageHeader('a.nrrd', nrrd('NRRD0004\ntype: float\ndimension: 3\nsizes: 4 4 4\nencoding: raw', new Uint8Array(16)))).toThrow(/truncated: the header describes 4×4×4 float voxels \(256 bytes\) but the file holds 16/);
    const gz = gzipSync(new Uint8Array(16));
    expect(() => checkImageHeader('a.nrrd', nrrd('NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nencoding: gzip', gz.subarray(0, gz.length - 6)))).toThrow(/truncated or corrupt/);
  });

  it('never fails with anything but a one-line ImageFileError on random bytes (fuzz)', () => {
    const names = fc.constantFrom('f.nii', 'f.nii.gz', 'f.nrrd', 'f.mha', 'f.dcm', 'f.bin');
    fc.assert(
      fc.property(names, fc.uint8Array({ maxLength: 600 }), (name, bytes) => {
        try {
          checkImageHeader(name, bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(ImageFileError);
          expect((e as Error).message.startsWith(name + ': ')).toBe(true);
          expect((e as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('never crashes on NIfTI headers with random dims and datatypes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -40000, max: 40000 }), { minLength: 1, maxLength: 7 }), fc.integer({ min: -5, max: 2000 }), (dims, dt) => {
        const b = nifti(dims.map((d) => Math.max(-32768, Math.min(32767, d))), dt, 32, 64);
        try {
          const h = checkImageHeader('p.nii', b);
          // accepted only when every dimension is positive and the data fits
          expect(h.size.every((s) => s > 0)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(ImageFileError);
        }
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  it('fuzzes NRRD header fields (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('short', 'float', 'double', 'uchar', 'int', 'bogus'),
        fc.array(fc.integer({ min: -3, max: 100000 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('raw', 'gzip', 'ascii'),
        (type, sizes, enc) => {
          const b = nrrd(`NRRD0004\ntype: ${type}\ndimension: ${sizes.length}\nsizes: ${sizes.join(' ')}\nencoding: ${enc}`, new Uint8Array(32));
          try {
            checkImageHeader('q.nrrd', b);
          } catch (e) {
            expect(e).toBeInstanceOf(ImageFileError);
            expect((e as Error).message).not.toContain('\n');
          }
        },
      ),
      { numRuns: 1000, seed: 9 },
    );
  });
});
