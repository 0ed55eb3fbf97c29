import { describe, it, expect } from 'vitest';
import { createVolume } from '../../src/core/image/volume.js';
import { generateDemoPatient } from '../../src/demo/demo.js';
import { preparePatient } from '../../src/core/study/prepare.js';
import { parseStudyConfig } from '../../src/core/study/config.js';

const config = parseStudyConfig('preprocessing: {n4: false, register: none}');

describe('patient preparation', () => {
  const p = generateDemoPatient(0, { motion: false, biasField: false });
  const images = { id: p.id, series: p.series, mask: p.mask, mask2: p.mask2 };

  it('puts every sequence and the VOI on one 1 mm grid around the VOI, intensities normalised to 0–255', async () => {
    const r = await preparePatient(images, config);
    for (const seq of ['T2WI', 'CE-T1WI', 'FSCE-T1WI']) {
      expect(r.images[seq]!.spacing).toEqual([1, 1, 1]);
      expect(r.images[seq]!.size).toEqual(r.mask.size);
      expect(r.images[seq]!.origin).toEqual(r.mask.origin);
    }
    let inVoi = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < r.mask.data.length; i++) {
      if (r.mask.data[i]) inVoi++;
      lo = Math.min(lo, r.images.T2WI!.data[i]!);
      hi = Math.max(hi, r.images.T2WI!.data[i]!);
    }
    // physical VOI volume is kept by the resampling (0.6 × 0.6 × 5 mm voxels → 1 mm³ voxels), within 15 %
    let orig = 0;
    for (const v of p.mask.data) orig += v;
    expect(inVoi / (orig * 0.6 * 0.6 * 5)).toBeGreaterThan(0.85);
    expect(inVoi / (orig * 0.6 * 0.6 * 5)).toBeLessThan(1.15);
    expect(lo).toBeGreaterThanOrEqual(-40); // B-spline overshoots at air/tissue edges
    expect(hi).toBeLessThanOrEqual(300);
    expect(hi - lo).toBeGreaterThan(200);
    expect(r.records.T2WI).toBeDefined();
  });

  it('refuses an empty VOI, a one-voxel VOI, a VOI on another grid and NaN voxels, naming the file', async () => {
    const empty = { ...p.mask, data: new Uint8Array(p.mask.data.length) };
    await expect(preparePatient({ ...images, mask: empty }, config)).rejects.toThrow(/P001\/mask: the VOI is empty/);
    const one = new Uint8Array(p.mask.data.length);
    one[p.mask.data.indexOf(1)] = 1;
    await expect(preparePatient({ ...images, mask: { ...p.mask, data: one } }, config)).rejects.toThrow(/single voxel/);
    const other = createVolume([10, 10, 10], { data: new Uint8Array(1000).fill(1) });
    await expect(preparePatient({ ...images, mask: other, files: { mask: 'P001/mask.nii.gz', T2WI: 'P001/T2WI.nii.gz' } }, config)).rejects.toThrow(
      /P001\/mask\.nii\.gz: the VOI is not on the grid of P001\/T2WI\.nii\.gz \(size/,
    );
    const nan = Float32Array.from(p.series['CE-T1WI'].data);
    nan[5] = NaN;
    await expect(preparePatient({ ...images, series: { ...p.series, 'CE-T1WI': { ...p.series['CE-T1WI'], data: nan } } }, config)).rejects.toThrow(
      /P001\/CE-T1WI: 1 voxel is NaN or infinite/,
    );
  });

  it('names a missing sequence', async () => {
    const { T2WI, 'CE-T1WI': ce } = p.series;
    await expect(preparePatient({ ...images, series: { T2WI, 'CE-T1WI': ce } }, config)).rejects.toThrow(/patient P001: sequence FSCE-T1WI is missing/);
  });
});
