/**
 * LBP 2D against scikit-image 0.19's local_binary_pattern run through PyRadiomics'
 * getLBP2DImage recipe (fixture: scripts/fixtures/lbp2d.py → test/fixtures/filters/lbp2d.json):
 * all methods, the three slice orientations, integer and float input. Exact agreement.
 */
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/filters/lbp2d.json';
import { createVolume } from '../../src/core/image/volume.js';
import { lbp2DImage, type LbpMethod } from '../../src/core/filters/lbp2d.js';

describe('lbp2DImage (PyRadiomics LBP2D = scikit-image local_binary_pattern per slice)', () => {
  const size = fixture.size as [number, number, number];
  const inputs = {
    int16: createVolume(size, { data: Int16Array.from(fixture.int16) }),
    float64: createVolume(size, { data: Float64Array.from(fixture.float64) }),
  };
  it.each(fixture.cases.map((c) => [c.input, c.method, c.P, c.R, c.axis, c] as const))(
    '%s input, %s, P %i, R %d, force2Ddimension %i',
    (input, method, P, R, axis, c) => {
      const vol = inputs[input as 'int16' | 'float64'];
      const got = lbp2DImage(vol, { samples: P, radius: R, method: method as LbpMethod, force2Ddimension: axis });
      expect(got.data.constructor).toBe(vol.data.constructor);
      let mismatches = 0;
      c.out.forEach((ref, i) => {
        const g = got.data[i]!;
        if (ref === null ? !Number.isNaN(g) : Math.abs(g - ref) > 1e-9 * Math.max(1, Math.abs(ref))) mismatches++;
      });
      expect(mismatches).toBe(0);
    },
  );
});
