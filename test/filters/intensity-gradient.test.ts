/**
 * PyRadiomics 3.1's square, squareroot, logarithm, exponential and gradient image
 * types against values computed by hand from their definitions
 * (radiomics/imageoperations.py; SimpleITK GradientMagnitudeImageFilter).
 */
import { describe, expect, it } from 'vitest';
import { createVolume } from '../../src/core/image/volume.js';
import { exponentialImage, logarithmImage, squareImage, squareRootImage } from '../../src/core/filters/intensity.js';
import { gradientMagnitudeImage } from '../../src/core/filters/gradient.js';

// Five voxels in a row; max |x| = 16.
const row = createVolume([5, 1, 1], { data: Int16Array.from([-16, -4, 0, 1, 9]) });

describe('intensity image types on [-16, -4, 0, 1, 9] (M = 16)', () => {
  it('square: (x/√16)² = x²/16', () => {
    expect(Array.from(squareImage(row).data)).toEqual([16, 1, 0, 1 / 16, 81 / 16]);
  });
  it('squareroot: ±√(16·|x|)', () => {
    expect(Array.from(squareRootImage(row).data)).toEqual([-16, -8, 0, 4, 12]);
  });
  it('logarithm: ±log(|x|+1) rescaled so max |f| = 16', () => {
    const got = Array.from(logarithmImage(row).data);
    const c = 16 / Math.log(17);
    const want = [-Math.log(17) * c, -Math.log(5) * c, 0, Math.log(2) * c, Math.log(10) * c];
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 12));
    expect(got[0]).toBeCloseTo(-16, 12);
  });
  it('exponential: exp(x·log(16)/16) = 16^(x/16)', () => {
    const got = Array.from(exponentialImage(row).data);
    [-16, -4, 0, 1, 9].forEach((x, i) => expect(got[i]).toBeCloseTo(16 ** (x / 16), 12));
  });
  it('keep the geometry and return float64', () => {
    const v = createVolume([5, 1, 1], { data: Float32Array.from([1, 2, 3, 4, 5]), spacing: [2, 3, 4], origin: [1, 2, 3] });
    for (const f of [squareImage, squareRootImage, logarithmImage, exponentialImage]) {
      const out = f(v);
      expect(out.data).toBeInstanceOf(Float64Array);
      expect(out.spacing).toEqual([2, 3, 4]);
      expect(out.origin).toEqual([1, 2, 3]);
    }
  });
});

describe('gradient (SimpleITK GradientMagnitude: central differences, zero-flux Neumann border, float32 output)', () => {
  // f(i, j, k) = 2i + 3j² on a 4×3×2 grid, spacing (0.5, 2, 1).
  const size: [number, number, number] = [4, 3, 2];
  const data = new Float32Array(24);
  for (let k = 0; k < 2; k++) for (let j = 0; j < 3; j++) for (let i = 0; i < 4; i++) data[i + 4 * (j + 3 * k)] = 2 * i + 3 * j * j;
  const vol = createVolume(size, { data, spacing: [0.5, 2, 1] });

  it('interior and border voxels with spacing', () => {
    const g = gradientMagnitudeImage(vol, true).data;
    // Interior (1, 1, k): dx = (f(2)−f(0))/2/0.5 = 4; dy = (12−0)/2/2 = 3; dz = 0 (edge repeated) → 5.
    expect(g).toBeInstanceOf(Float32Array);
    expect(g[1 + 4 * 1]).toBe(5);
    // Corner (0, 0, 0): dx = (2−0)/2/0.5 = 2; dy = (3−0)/2/2 = 0.75 → √(4.5625).
    expect(g[0]).toBe(Math.fround(Math.sqrt(4 + 0.5625)));
    // (3, 2, 1): dx = (6−4)/2/0.5 = 2; dy = (12−3)/2/2 = 2.25.
    expect(g[3 + 4 * (2 + 3)]).toBe(Math.fround(Math.sqrt(4 + 2.25 ** 2)));
  });
  it('without spacing (gradientUseSpacing false)', () => {
    const g = gradientMagnitudeImage(vol, false).data;
    expect(g[1 + 4 * 1]).toBe(Math.fround(Math.sqrt(2 * 2 + 6 * 6)));
  });
});
