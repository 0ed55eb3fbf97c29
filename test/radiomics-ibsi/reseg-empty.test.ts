import { describe, it, expect } from 'vitest';
import { createVolume } from '../../src/core/image/volume.js';
import { extractIbsi } from '../../src/core/radiomics/ibsi/index.js';
import { IBSI_CONFIG_A, IBSI_CONFIG_C } from '../../src/core/radiomics/ibsi/config.js';

describe('IBSI mode: an ROI emptied by re-segmentation', () => {
  // MR-like intensities (1000–1100) are all outside the CT range [−500, 400] of configuration A.
  const size: [number, number, number] = [8, 8, 4];
  const image = createVolume(size, { spacing: [1, 1, 3], data: Float32Array.from({ length: 256 }, (_, i) => 1000 + (i % 97)) });
  const mask = createVolume(size, { spacing: [1, 1, 3], data: Uint8Array.from({ length: 256 }, (_, i) => (i % 64 > 9 && i % 64 < 50 ? 1 : 0)) });

  it('is a one-line error naming the range, not a crash', () => {
    expect(() => extractIbsi(image, mask, IBSI_CONFIG_A)).toThrow(/no voxel of the ROI is left after re-segmentation \(range \[-500, 400\]\)/);
  });

  it('still works when the range keeps voxels', () => {
    const ct = { ...image, data: image.data.map((v) => v - 1000) };
    const f = extractIbsi(ct, mask, IBSI_CONFIG_C);
    expect(Number.isFinite(f.stat_mean)).toBe(true);
  });
});
