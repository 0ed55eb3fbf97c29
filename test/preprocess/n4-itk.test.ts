import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVolume } from '../../src/core/image/volume.js';
import { n4BiasFieldCorrection } from '../../src/core/image/n4/n4.js';

// ITK 5.2.1's own N4BiasFieldCorrectionImageFilter on a 40×36×20 phantom
// (scripts/fixtures/preprocess_n4_itk.py, scripts/fixtures/n4-itk/n4_itk.cxx)
const here = path.dirname(fileURLToPath(import.meta.url));
const fx = JSON.parse(readFileSync(path.join(here, '../fixtures/preprocess/n4-itk.json'), 'utf8')) as {
  itkLog: string;
  size: [number, number, number];
  spacing: [number, number, number];
  image: number[];
  mask: string;
  corrected: number[];
};

describe('N4 against ITK 5.2.1 N4BiasFieldCorrectionImageFilter', () => {
  const image = createVolume(fx.size, { spacing: fx.spacing, data: Float32Array.from(fx.image) });
  const mask = createVolume(fx.size, { spacing: fx.spacing, data: Uint8Array.from(fx.mask, (c) => Number(c)) });
  const r = n4BiasFieldCorrection(image, { mask });

  it('corrected image agrees voxel by voxel (ITK computes in float32)', () => {
    let maxRel = 0;
    let n = 0;
    for (let v = 0; v < image.data.length; v++) {
      if (!mask.data[v]) {
        expect(r.corrected.data[v]).toBe(fx.corrected[v]); // 0 background stays 0
        continue;
      }
      maxRel = Math.max(maxRel, Math.abs(r.corrected.data[v]! / fx.corrected[v]! - 1));
      n++;
    }
    expect(n).toBeGreaterThan(10000);
    expect(maxRel).toBeLessThan(5e-4); // measured 6.7e-5
  });

  it('stops the last level at the same convergence value', () => {
    // ITK prints "last level iterations <k> convergence <c>"; ITK's counter is one past the iterations run
    const m = /iterations (\d+) convergence ([\d.e-]+)/.exec(fx.itkLog);
    expect(m).not.toBeNull();
    const [, itkCount, itkConvergence] = m as RegExpExecArray;
    const last = r.record.iterations.length - 1;
    expect(r.record.iterations[last]).toBe(Number(itkCount) - 1);
    expect(r.record.convergence[last]).toBeCloseTo(Number(itkConvergence), 5);
  });
});
