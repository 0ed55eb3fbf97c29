import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readVolume, writeVolume, createVolume, sameGeometry } from '../../src/core/node.js';
import { indexToPhysical, physicalToIndex } from '../../src/core/image/volume.js';
import { PYRAD, IBSI } from '../shared-data.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'hw-io-'));

describe('NRRD cases of the PyRadiomics test data', () => {
  it('reads brain1 with the geometry its README documents', async () => {
    const v = await readVolume(path.join(PYRAD, 'brain1_image.nrrd'));
    expect(v.size).toEqual([256, 256, 25]);
    expect(v.spacing[0]).toBeCloseTo(0.78125, 10);
    expect(v.spacing[2]).toBeCloseTo(6.5, 10);
    expect(Array.from(v.direction)).toEqual([1, 0, 0, 0, -1, 0, 0, 0, 1]);
    expect(v.origin[0]).toBeCloseTo(-99.609, 3);
    expect(v.origin[1]).toBeCloseTo(99.609, 3);
    expect(v.origin[2]).toBeCloseTo(-78.0, 6);
    expect(v.data).toBeInstanceOf(Int16Array);
    let sum = 0;
    let max = -Infinity;
    for (const x of v.data) {
      sum += x;
      if (x > max) max = x;
    }
    expect(sum / v.data.length).toBeCloseTo(385.6564080810547, 8);
    expect(max).toBe(3057);
  });

  it('reads the brain1 label with 4137 voxels of label 1 and its bounding box', async () => {
    const m = await readVolume(path.join(PYRAD, 'brain1_label.nrrd'));
    let n = 0;
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let k = 0; k < m.size[2]; k++)
      for (let j = 0; j < m.size[1]; j++)
        for (let i = 0; i < m.size[0]; i++) {
          if (m.data[i + m.size[0] * (j + m.size[1] * k)] !== 1) continue;
          n++;
          [i, j, k].forEach((x, c) => {
            lo[c] = Math.min(lo[c]!, x);
            hi[c] = Math.max(hi[c]!, x);
          });
        }
    expect(n).toBe(4137);
    expect(lo).toEqual([162, 84, 11]);
    expect(hi).toEqual([208, 153, 17]);
  });

  it('reads the prostate phantom with negative direction cosines and several labels', async () => {
    const m = await readVolume(path.join(PYRAD, 'prostate_phantom_subvolume-label.nrrd'));
    expect(Array.from(m.direction)).toEqual([-1, 0, 0, 0, -1, 0, 0, 0, 1]);
    const counts = new Map<number, number>();
    for (const x of m.data) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ 0: 58999, 1: 168, 7: 170, 8: 2997, 9: 9088 });
  });
});

describe('NIfTI round trip', () => {
  it('keeps size, spacing, origin, an oblique direction and the voxels exactly', async () => {
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    // float32-representable geometry: NIfTI stores the affine in float32.
    const f = Math.fround;
    const v = createVolume([7, 5, 3], {
      spacing: [f(0.7), f(1.3), f(4.5)],
      origin: [f(-12.25), f(30.5), f(7.75)],
      direction: [f(c), f(-s), 0, f(s), f(c), 0, 0, 0, 1],
      data: Float32Array.from({ length: 105 }, (_, n) => n * 1.5 - 20),
    });
    const file = path.join(tmp, 'oblique.nii.gz');
    await writeVolume(v, file);
    const back = await readVolume(file);
    expect(back.size).toEqual(v.size);
    for (let n = 0; n < 3; n++) {
      expect(back.spacing[n]).toBeCloseTo(v.spacing[n]!, 5);
      expect(back.origin[n]).toBeCloseTo(v.origin[n]!, 4);
    }
    for (let n = 0; n < 9; n++) expect(back.direction[n]).toBeCloseTo(v.direction[n]!, 6);
    expect(Array.from(back.data)).toEqual(Array.from(v.data));
    // a second round trip from the file's own (float32) geometry is exact
    const file2 = path.join(tmp, 'oblique2.nii.gz');
    await writeVolume(back, file2);
    const back2 = await readVolume(file2);
    expect(back2.spacing).toEqual(back.spacing);
    expect(back2.origin).toEqual(back.origin);
    expect(Array.from(back2.direction)).toEqual(Array.from(back.direction));
    expect(sameGeometry(back, back2, 0)).toBe(true);
  });

  it('writes exactly the name given, also where ITK would derive another (a.nii.nii.gz, a.hdr.nii.gz, a.nrrd.nrrd)', async () => {
    const v = createVolume([4, 3, 2], { data: Float32Array.from({ length: 24 }, (_, n) => n - 5) });
    for (const name of ['a.nii.nii.gz', 'b.hdr.nii.gz', 'c.nii.gz.nii', 'd.nrrd.nrrd', 'e.nia.nii.gz']) {
      const dir = mkdtempSync(path.join(tmp, 'name-'));
      await writeVolume(v, path.join(dir, name));
      expect(readdirSync(dir)).toEqual([name]);
      expect(Array.from((await readVolume(path.join(dir, name))).data)).toEqual(Array.from(v.data));
    }
  });

  it('reads the IBSI 1 digital phantom as documented (74 ROI voxels, grey levels 1, 3, 4, 6)', async () => {
    const img = await readVolume(path.join(IBSI, 'ibsi1/digital_phantom/nifti/image/phantom.nii.gz'));
    const mask = await readVolume(path.join(IBSI, 'ibsi1/digital_phantom/nifti/mask/mask.nii.gz'));
    expect(img.size).toEqual([5, 4, 4]);
    const hist = new Map<number, number>();
    for (let n = 0; n < mask.data.length; n++) if (mask.data[n] === 1) hist.set(img.data[n]!, (hist.get(img.data[n]!) ?? 0) + 1);
    expect(Object.fromEntries(hist)).toEqual({ 1: 50, 3: 1, 4: 16, 6: 7 });
    // README: k=2 slice, row j=2, column i=2 is the excluded voxel holding 9
    expect(img.data[2 + 5 * (2 + 4 * 2)]).toBe(9);
    expect(mask.data[2 + 5 * (2 + 4 * 2)]).toBe(0);
  });

  it('reads the CT phantom DICOM series with the same grid as its NIfTI copy', async () => {
    const nii = await readVolume(path.join(IBSI, 'ibsi1/ct_phantom/nifti/image/phantom.nii.gz'));
    const dcm = await readVolume(path.join(IBSI, 'ibsi1/ct_phantom/dicom/image'));
    expect(dcm.size).toEqual(nii.size);
    for (let n = 0; n < 3; n++) expect(dcm.spacing[n]).toBeCloseTo(nii.spacing[n]!, 3);
  });
});

describe('geometry', () => {
  it('maps index to physical and back through an oblique direction', () => {
    const c = Math.cos(0.5);
    const s = Math.sin(0.5);
    const v = createVolume([4, 4, 4], { spacing: [0.5, 2, 3], origin: [10, -5, 2], direction: [c, 0, s, 0, 1, 0, -s, 0, c] });
    const p = indexToPhysical(v, 1, 2, 3);
    const idx = physicalToIndex(v, p);
    expect(idx[0]).toBeCloseTo(1, 12);
    expect(idx[1]).toBeCloseTo(2, 12);
    expect(idx[2]).toBeCloseTo(3, 12);
    expect(p[1]).toBeCloseTo(-5 + 2 * 2, 12);
  });
});

describe('bad files', () => {
  it.each([
    ['empty.nii', new Uint8Array(0), /empty\.nii: the file is empty/],
    ['text.nii', new TextEncoder().encode('this is not an image\n'.repeat(30)), /text\.nii: not a NIfTI file/],
    ['notgz.nii.gz', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]), /notgz\.nii\.gz: .*(corrupt|truncated)/],
    ['cut.nrrd', readFileSync(path.join(PYRAD, 'breast1_label.nrrd')).subarray(0, 300), /cut\.nrrd: .*(truncated|corrupt)/],
    ['readme.txt', new TextEncoder().encode('hello'), /readme\.txt: not a recognised image file/],
  ])('%s gives a one-line message naming the file', async (name, bytes, re) => {
    const file = path.join(tmp, name);
    writeFileSync(file, bytes);
    const err = await readVolume(file).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).not.toBeNull();
    expect(err!.message).toMatch(re);
    expect(err!.message).not.toContain('\n');
  });

  it('a missing file names the file', async () => {
    await expect(readVolume(path.join(tmp, 'nope.nii.gz'))).rejects.toThrow(/nope\.nii\.gz: no such file/);
  });

  it('a truncated raw NIfTI is refused before the reader runs', async () => {
    const v = createVolume([10, 10, 10], { data: new Float32Array(1000) });
    const file = path.join(tmp, 'full.nii');
    await writeVolume(v, file);
    const full = readFileSync(file);
    const cut = path.join(tmp, 'cut.nii');
    writeFileSync(cut, full.subarray(0, full.length - 100));
    await expect(readVolume(cut)).rejects.toThrow(/cut\.nii: truncated: the header describes 10×10×10 float32 voxels/);
  });
});
