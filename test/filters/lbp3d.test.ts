/**
 * LBP 3D against PyRadiomics 3.1's getLBP3DImage algorithm run on scipy 1.10
 * (map_coordinates order 3, sph_harm, kurtosis; fixture scripts/fixtures/lbp3d.py →
 * test/fixtures/filters/lbp3d.json): int16, float32 and float64 images with a flat patch,
 * a corner voxel (samples outside the image), 1–3 degrees, icosphere subdivisions 0–2.
 */
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/filters/lbp3d.json';
import { createVolume } from '../../src/core/image/volume.js';
import { icosphereVertices, lbp3DImages, sphericalHarmonic } from '../../src/core/filters/lbp3d.js';

describe('icosphere (trimesh icosphere)', () => {
  it.each([[0, 12], [1, 42], [2, 162]])('subdivision %i has %i vertices on the sphere', (s, n) => {
    const v = icosphereVertices(s, 1.5);
    expect(v).toHaveLength(n);
    for (const p of v) expect(Math.hypot(...p)).toBeCloseTo(1.5, 12);
  });
});

describe('sphericalHarmonic (scipy sph_harm convention: azimuth, polar)', () => {
  it('matches the closed forms of degree 0 and 1', () => {
    const [az, pol] = [0.7, 1.1];
    expect(sphericalHarmonic(0, 0, az, pol)[0]).toBeCloseTo(0.5 / Math.sqrt(Math.PI), 14);
    expect(sphericalHarmonic(0, 1, az, pol)[0]).toBeCloseTo(Math.sqrt(3 / (4 * Math.PI)) * Math.cos(pol), 14);
    const k = Math.sqrt(3 / (8 * Math.PI)) * Math.sin(pol);
    const y1 = sphericalHarmonic(1, 1, az, pol);
    expect(y1[0]).toBeCloseTo(-k * Math.cos(az), 14);
    expect(y1[1]).toBeCloseTo(-k * Math.sin(az), 14);
    const ym1 = sphericalHarmonic(-1, 1, az, pol);
    expect(ym1[0]).toBeCloseTo(k * Math.cos(az), 14);
    expect(ym1[1]).toBeCloseTo(-k * Math.sin(az), 14);
  });
});

describe('lbp3DImages against the scipy evaluation of PyRadiomics getLBP3DImage', () => {
  const size = fixture.size as [number, number, number];
  const mask = createVolume(size, { data: Int16Array.from(fixture.mask) });
  const inputs = {
    int16: createVolume(size, { data: Int16Array.from(fixture.int16) }),
    float64: createVolume(size, { data: Float64Array.from(fixture.float64) }),
    float32: createVolume(size, { data: Float32Array.from(fixture.float32) }),
  };
  it.each(fixture.cases.map((c) => [c.input, c.levels, c.radius, c.subdivision, c.label, c] as const))(
    '%s, %i levels, radius %d, subdivision %i, label %i',
    (input, levels, radius, subdivision, label, c) => {
      const images = lbp3DImages(inputs[input as 'int16' | 'float64' | 'float32'], mask, { levels, icosphereRadius: radius, icosphereSubdivision: subdivision, label });
      const prefixes = [...Array.from({ length: levels }, (_, l) => `lbp-3D-m${l + 1}`), 'lbp-3D-k'];
      expect(images.map((x) => x.prefix)).toEqual(prefixes);
      images.forEach((im, n) => {
        const ref = c.images[n]!;
        let worst = 0;
        let nanMismatch = 0;
        ref.forEach((r, i) => {
          const g = im.volume.data[i]!;
          if (r === null) nanMismatch += Number.isNaN(g) ? 0 : 1;
          else worst = Math.max(worst, Math.abs(g - r) / Math.max(1, Math.abs(r)));
        });
        expect(nanMismatch, im.prefix).toBe(0);
        // float32 images: scipy computes the kurtosis in float32, summing the vertices in
        // trimesh's vertex order (not reproduced), so it agrees to float32 precision only.
        const tol = input === 'float32' && im.prefix === 'lbp-3D-k' ? 1e-5 : 1e-9;
        expect(worst, im.prefix).toBeLessThan(tol);
      });
    },
  );
});
