import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readVolume } from '../../src/core/image/io-node.js';
import { createVolume, indexToPhysical, type Volume } from '../../src/core/image/volume.js';
import {
  resampleImageAndMask,
  resampleToGrid,
  resampleToSpacing,
  gridForSpacing,
  gridOf,
  bsplineCoefficients,
  bsplineCoefficientsInBox,
} from '../../src/core/image/resample.js';
import { PYRAD, IBSI } from '../shared-data.js';

describe('PyRadiomics 3.1 resampleImage parity (brain1, 1 mm B-spline, padDistance 5)', () => {
  let image: Volume;
  let mask: Volume;
  let refImage: Volume;
  let refMask: Volume;
  beforeAll(async () => {
    image = await readVolume(path.join(PYRAD, 'brain1_image.nrrd'));
    mask = await readVolume(path.join(PYRAD, 'brain1_label.nrrd'));
    refImage = await readVolume(path.join(PYRAD, 'reference-3.1/brain1-images/resampled_image.nii.gz'));
    refMask = await readVolume(path.join(PYRAD, 'reference-3.1/brain1-images/resampled_mask.nii.gz'));
  });

  it('gives the same grid, voxel values and mask as SimpleITK', () => {
    const r = resampleImageAndMask(image, mask, { spacing: [1, 1, 1], interpolator: 'bspline', padDistance: 5, label: 1 });
    expect(r.image.size).toEqual([48, 66, 57]);
    expect(r.image.size).toEqual(refImage.size);
    for (let c = 0; c < 3; c++) {
      expect(r.image.origin[c]).toBeCloseTo(refImage.origin[c]!, 4);
      expect(r.image.spacing[c]).toBeCloseTo(1, 10);
      expect(r.mask.origin[c]).toBeCloseTo(refMask.origin[c]!, 4);
    }
    expect(Array.from(r.image.direction)).toEqual(Array.from(refImage.direction));
    // SimpleITK casts back to the input type (int16): so do we
    expect(r.image.data).toBeInstanceOf(Int16Array);
    let maxAbs = 0;
    let maskDiff = 0;
    for (let n = 0; n < refImage.data.length; n++) {
      maxAbs = Math.max(maxAbs, Math.abs(r.image.data[n]! - refImage.data[n]!));
      if (r.mask.data[n] !== refMask.data[n]) maskDiff++;
    }
    expect(maxAbs).toBe(0);
    expect(maskDiff).toBe(0);
  });

  it('before the int16 cast, the B-spline values are within one grey level of the reference (truncation)', () => {
    const r = resampleImageAndMask(image, mask, { spacing: [1, 1, 1], padDistance: 5 });
    const f = resampleToGrid(image, gridOf(r.image), { interpolator: 'bspline', outputType: 'float64' });
    let nonInteger = 0;
    let maxAbs = 0;
    let truncMismatch = 0;
    for (let n = 0; n < f.data.length; n++) {
      maxAbs = Math.max(maxAbs, Math.abs(f.data[n]! - refImage.data[n]!));
      if (Math.trunc(f.data[n]!) !== refImage.data[n]) truncMismatch++;
      if (f.data[n] !== Math.round(f.data[n]!)) nonInteger++;
    }
    expect(maxAbs).toBeLessThan(1);
    expect(truncMismatch).toBe(0);
    expect(nonInteger).toBeGreaterThan(f.data.length / 2); // the interpolation really happened
  });

  it('treats spacing 0 as "keep" and skips axes where the label spans one slice', () => {
    const r = resampleImageAndMask(image, mask, { spacing: [1, 1, 0] });
    expect(r.applied.spacing[2]).toBeCloseTo(mask.spacing[2], 10);
    expect(r.image.spacing[2]).toBeCloseTo(6.5, 10);
    // one-slice label: z is kept even though 1 mm was asked
    const one = createVolume([6, 6, 3], { spacing: [2, 2, 3] });
    for (const [i, j] of [[2, 2], [3, 2], [2, 3], [3, 3]]) one.data[i! + 6 * j! + 36] = 1;
    const img = createVolume([6, 6, 3], { spacing: [2, 2, 3] });
    const q = resampleImageAndMask(img, one, { spacing: [1, 1, 1], padDistance: 0 });
    expect(q.applied.spacing).toEqual([1, 1, 3]);
  });

  it('with the image spacing asked for, only crops (no interpolation)', () => {
    const r = resampleImageAndMask(image, mask, { spacing: image.spacing, padDistance: 2 });
    expect(r.applied.resampled).toBe(false);
    // label box x 162–208, y 84–153, z 11–17, padded by 2
    expect(r.image.size).toEqual([47 + 4, 70 + 4, 7 + 4]);
    const p = indexToPhysical(image, 160, 82, 9);
    for (let c = 0; c < 3; c++) expect(r.image.origin[c]).toBeCloseTo(p[c]!, 8);
  });

  it('rejects a mask without the label', () => {
    expect(() => resampleImageAndMask(image, mask, { spacing: [1, 1, 1], label: 7 })).toThrow(/label 7 is not present/);
  });
});

/** Diagnostics rows (tag → [reference, tolerance]) of an IBSI 1 CT configuration table. */
function ibsiDiagnostics(config: string): Map<string, [number, number]> {
  const text = readFileSync(path.join(IBSI, `ibsi1/reference_values/ibsi_1_reference_values_config_${config}.csv`), 'utf8');
  const rows = new Map<string, [number, number]>();
  for (const line of text.split(/\r?\n/)) {
    const cols = line.split(',');
    if (cols.length < 10 || !cols[1]!.startsWith('Diagnostics')) continue;
    rows.set(cols[cols.length - 1]!, [Number(cols[4]), Number(cols[5])]);
  }
  return rows;
}

/** IBSI 1 §2.4 ROI: the 0/1 mask interpolated linearly (edges extrapolated) and kept where the fraction is ≥ 0.5. */
function partialVolumeMask(mask: Volume, grid: ReturnType<typeof gridForSpacing>): Volume {
  const indicator = { ...mask, data: Float32Array.from(mask.data, (v) => (v !== 0 ? 1 : 0)) };
  const frac = resampleToGrid(indicator, grid, { interpolator: 'linear', boundary: 'extrapolate', outputType: 'float32' });
  // round the fraction to 1e-6 first so exact halves are not lost to float error
  return { ...frac, data: Uint8Array.from(frac.data, (f) => (Math.round(f * 1e6) / 1e6 >= 0.5 ? 1 : 0)) };
}

describe('IBSI 1 CT phantom interpolation diagnostics (configs B, C, E): the IBSI grid of resampleToSpacing', () => {
  let image: Volume;
  let mask: Volume;
  beforeAll(async () => {
    image = await readVolume(path.join(IBSI, 'ibsi1/ct_phantom/nifti/image/phantom.nii.gz'));
    mask = await readVolume(path.join(IBSI, 'ibsi1/ct_phantom/nifti/mask/mask.nii.gz'));
    // the manual asks to round the (float) CT image to integers first
    for (let n = 0; n < image.data.length; n++) image.data[n] = Math.round(image.data[n]!);
  });

  const cases = [
    { config: 'B', spacing: [2, 2, 0], interpolator: 'linear' as const },
    { config: 'C', spacing: [2, 2, 2], interpolator: 'linear' as const },
    { config: 'E', spacing: [2, 2, 2], interpolator: 'bspline' as const },
  ];
  for (const cs of cases) {
    it(`config ${cs.config}: dimensions, intensities and ROI voxel count within tolerance`, () => {
      const ref = ibsiDiagnostics(cs.config);
      const r = { image: resampleToSpacing(image, cs.spacing, { interpolator: cs.interpolator, grid: 'ibsi', roundIntensities: true }), mask: partialVolumeMask(mask, gridForSpacing(image, cs.spacing, 'ibsi')) };
      let sum = 0;
      let lo = Infinity;
      let hi = -Infinity;
      let count = 0;
      let roiSum = 0;
      let roiLo = Infinity;
      let roiHi = -Infinity;
      for (let n = 0; n < r.image.data.length; n++) {
        const v = r.image.data[n]!;
        sum += v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (r.mask.data[n]) {
          count++;
          roiSum += v;
          if (v < roiLo) roiLo = v;
          if (v > roiHi) roiHi = v;
        }
      }
      const got: Record<string, number> = {
        img_dim_x_interp_img: r.image.size[0],
        img_dim_y_interp_img: r.image.size[1],
        img_dim_z_interp_img: r.image.size[2],
        vox_dim_x_interp_img: r.image.spacing[0],
        vox_dim_z_interp_img: r.image.spacing[2],
        mean_int_interp_img: sum / r.image.data.length,
        min_int_interp_img: lo,
        max_int_interp_img: hi,
        int_mask_vox_count_interp_roi: count,
        int_mask_mean_int_interp_roi: roiSum / count,
        int_mask_min_int_interp_roi: roiLo,
        int_mask_max_int_interp_roi: roiHi,
      };
      for (const [tag, value] of Object.entries(got)) {
        const row = ref.get(tag);
        expect(row, tag).toBeDefined();
        const [refValue, tol] = row as [number, number];
        // IBSI convention: round to 3 significant digits, then compare within tolerance
        const rounded = Number(value.toPrecision(3));
        expect(Math.abs(rounded - refValue), `${tag}: ${value} vs ${refValue} ± ${tol}`).toBeLessThanOrEqual(tol + 1e-9);
      }
    });
  }
});

describe('resampling preserves physical extent and mean intensity', () => {
  // a smooth test volume: anisotropic voxels, non-identity direction
  const vol = createVolume([40, 36, 12], {
    spacing: [0.8, 0.8, 3],
    origin: [-10, 20, 5],
    direction: [1, 0, 0, 0, -1, 0, 0, 0, 1],
  });
  for (let k = 0; k < 12; k++)
    for (let j = 0; j < 36; j++)
      for (let i = 0; i < 40; i++) vol.data[i + 40 * (j + 36 * k)] = 100 + 30 * Math.sin(i / 6) * Math.cos(j / 7) + 2 * k;
  const mean = (d: ArrayLike<number>) => {
    let s = 0;
    for (let n = 0; n < d.length; n++) s += d[n]!;
    return s / d.length;
  };

  for (const interpolator of ['linear', 'bspline', 'nearest'] as const) {
    it(`IBSI grid, ${interpolator}: extent within one new voxel, same centre, mean within 1 %`, () => {
      const r = resampleToSpacing(vol, [1, 1, 1], { interpolator, grid: 'ibsi' });
      for (let c = 0; c < 3; c++) {
        const before = vol.size[c]! * vol.spacing[c]!;
        const after = r.size[c]! * r.spacing[c]!;
        expect(after).toBeGreaterThanOrEqual(before - 1e-9);
        expect(after - before).toBeLessThan(r.spacing[c]!);
      }
      const c0 = indexToPhysical(vol, 19.5, 17.5, 5.5);
      const c1 = indexToPhysical(r, (r.size[0] - 1) / 2, (r.size[1] - 1) / 2, (r.size[2] - 1) / 2);
      for (let c = 0; c < 3; c++) expect(c1[c]).toBeCloseTo(c0[c]!, 9);
      expect(Math.abs(mean(r.data) / mean(vol.data) - 1)).toBeLessThan(0.01);
    });
  }

  it('PyRadiomics grid: first voxel corner stays at the original corner', () => {
    const g = gridForSpacing(vol, [1, 1, 1], 'pyradiomics');
    const corner0 = indexToPhysical(vol, -0.5, -0.5, -0.5);
    const r = createVolume(g.size, { spacing: g.spacing, origin: g.origin, direction: g.direction });
    const corner1 = indexToPhysical(r, -0.5, -0.5, -0.5);
    for (let c = 0; c < 3; c++) expect(corner1[c]).toBeCloseTo(corner0[c]!, 9);
    expect(g.size).toEqual([32, 29, 36]);
  });
});

describe('interpolator properties', () => {
  const vol = createVolume([7, 5, 4], { spacing: [1.5, 2, 2.5] });
  for (let n = 0; n < vol.data.length; n++) vol.data[n] = Math.sin(n * 1.7) * 50 + n;

  it('cubic B-spline interpolates: at the original voxel centres it returns the data', () => {
    const r = resampleToGrid(vol, gridOf(vol), { interpolator: 'bspline', outputType: 'float64' });
    for (let n = 0; n < vol.data.length; n++) expect(r.data[n]).toBeCloseTo(vol.data[n]!, 6);
  });

  it('B-spline coefficients reproduce the samples through the cubic B-spline kernel (1/6, 4/6, 1/6)', () => {
    const line = createVolume([9, 1, 1]);
    for (let i = 0; i < 9; i++) line.data[i] = i * i - 3 * i;
    const c = bsplineCoefficients(line);
    const m = (i: number) => (i < 0 ? -i : i > 8 ? 16 - i : i); // mirror boundary
    for (let i = 0; i < 9; i++) expect((c[m(i - 1)]! + 4 * c[i]! + c[m(i + 1)]!) / 6).toBeCloseTo(line.data[i]!, 8);
  });

  it('B-spline coefficients of a box are bit for bit those of the whole volume (short and long lines, edges, single-voxel axes)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    // lines shorter and longer than the prefilter's 18-sample initialisation horizon
    for (const size of [[40, 23, 9], [5, 30, 1], [1, 1, 25], [19, 18, 17]] as [number, number, number][]) {
      const v = createVolume(size, { data: new Int16Array(size[0] * size[1] * size[2]) });
      for (let n = 0; n < v.data.length; n++) v.data[n] = Math.round(rand() * 2000 - 500);
      const whole = bsplineCoefficients(v);
      for (let t = 0; t < 6; t++) {
        const lower = size.map((n) => Math.floor(rand() * n)) as [number, number, number];
        const upper = size.map((n, c) => lower[c]! + Math.floor(rand() * (n - lower[c]!))) as [number, number, number];
        if (t === 0) lower.fill(0); // touching the low edges
        if (t === 1) upper.forEach((_, c) => (upper[c] = size[c]! - 1)); // and the high ones
        const part = bsplineCoefficientsInBox(v, { lower, upper });
        let m = 0;
        let same = 0;
        for (let k = lower[2]; k <= upper[2]; k++)
          for (let j = lower[1]; j <= upper[1]; j++)
            for (let i = lower[0]; i <= upper[0]; i++, m++) if (Object.is(part[m], whole[i + size[0] * (j + size[1] * k)])) same++;
        expect(m).toBe(part.length);
        expect(same, `${size.join('×')} box ${lower.join(',')}…${upper.join(',')}`).toBe(m);
      }
    }
    expect(() => bsplineCoefficientsInBox(vol, { lower: [0, 0, 0], upper: [7, 4, 3] })).toThrow(/outside the volume/);
  });

  it('linear interpolation halfway between two voxels is their mean; outside is 0 in ITK mode', () => {
    const g = gridOf(vol);
    g.origin = [0.75, 0, 0];
    const r = resampleToGrid(vol, g, { interpolator: 'linear', outputType: 'float64' });
    expect(r.data[0]).toBeCloseTo((vol.data[0]! + vol.data[1]!) / 2, 10);
    expect(r.data[6]).toBe(0); // x index 6.5 is past the last voxel's edge
  });

  it('nearest neighbour rounds half up, as ITK', () => {
    const g = gridOf(vol);
    g.origin = [0.75, 0, 0]; // continuous index 0.5 → voxel 1
    const r = resampleToGrid(vol, g, { interpolator: 'nearest', outputType: 'float64' });
    expect(r.data[0]).toBe(vol.data[1]);
  });

  it('casts to integer types like ITK: clamp, then truncate towards zero', () => {
    const v = createVolume([2, 1, 1], { data: new Int16Array([-7, 32000]) });
    const g = { ...gridOf(v), size: [3, 1, 1] as [number, number, number], spacing: [0.5, 1, 1] as [number, number, number] };
    const r = resampleToGrid(v, g, { interpolator: 'linear' });
    expect(r.data).toBeInstanceOf(Int16Array);
    expect(Array.from(r.data)).toEqual([-7, Math.trunc((-7 + 32000) / 2), 32000]);
  });
});
