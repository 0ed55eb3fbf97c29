import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVolume, type Vec3 } from '../../src/core/image/volume.js';
import { resampleToGrid } from '../../src/core/image/resample.js';

// ITK 5.2.1 ResampleImageFilter<short, float> outputs (scripts/fixtures/preprocess_resample_itk.py)
const here = path.dirname(fileURLToPath(import.meta.url));
interface GridJson {
  size: Vec3;
  spacing: Vec3;
  origin: Vec3;
  direction: number[];
}
const fx = JSON.parse(readFileSync(path.join(here, '../fixtures/preprocess/resample-itk.json'), 'utf8')) as {
  input: GridJson & { data: number[] };
  grid: GridJson;
  nearest: number[];
  linear: number[];
  bspline: number[];
};

describe('resampleToGrid against ITK 5.2.1 ResampleImageFilter (rotated input and output grids)', () => {
  const input = createVolume(fx.input.size, {
    spacing: fx.input.spacing,
    origin: fx.input.origin,
    direction: fx.input.direction,
    data: Int16Array.from(fx.input.data),
  });
  for (const interpolator of ['nearest', 'linear', 'bspline'] as const) {
    it(`${interpolator}: same voxels, 0 outside the input`, () => {
      const out = resampleToGrid(input, fx.grid, { interpolator, outputType: 'float64' });
      const ref = fx[interpolator];
      let maxAbs = 0;
      let outside = 0;
      let mismatched = 0;
      for (let n = 0; n < ref.length; n++) {
        if (ref[n] === 0) outside++;
        const d = Math.abs(out.data[n]! - ref[n]!);
        if (d > 1e-3) mismatched++;
        maxAbs = Math.max(maxAbs, d);
      }
      expect(outside).toBeGreaterThan(100); // the output grid reaches outside the input
      expect(outside).toBeLessThan(ref.length / 2);
      expect(mismatched).toBe(0);
      expect(maxAbs).toBeLessThan(1e-3); // ITK writes float32: ≤ 3e-5 relative
    });
  }
});
