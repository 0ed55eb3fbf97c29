/**
 * elastix on a module instantiated once per process (register-node.ts): a
 * second registration reuses the module, and every run gives, bit for bit,
 * what `@itk-wasm/elastix`'s own `elastixNode` (a fresh module per call) gives.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import path from 'node:path';
import { elastixNode } from '@itk-wasm/elastix';
import { readVolume } from '../../src/core/image/io-node.js';
import type { Volume } from '../../src/core/image/volume.js';
import { pipelineStats } from '../../src/core/image/itk-pipeline-node.js';
import { elastixCachedNode, registerVolumesNode } from '../../src/core/image/register-node.js';
import { registerVolumes, type RegisterOptions } from '../../src/core/image/register.js';
import { volumeToImage } from '../../src/core/image/itk-image.js';
import { resampleToSpacing } from '../../src/core/image/resample.js';
import { PYRAD } from '../shared-data.js';

/** `v` shifted by whole voxels (dx, dy) with zeros shifted in: a moving image elastix has to move back. */
function shifted(v: Volume, dx: number, dy: number): Volume {
  const [nx, ny, nz] = v.size;
  const data = new Float32Array(v.data.length);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const si = i - dx;
        const sj = j - dy;
        if (si >= 0 && si < nx && sj >= 0 && sj < ny) data[i + nx * (j + ny * k)] = v.data[si + nx * (sj + ny * k)]!;
      }
  return { ...v, data };
}

describe('elastix on a cached module (Node)', () => {
  let fixed: Volume;
  let moving: Volume;
  let moving2: Volume;
  // the study's settings (config.ts: 2 levels × 128 iterations × 1024 samples)
  const opts: RegisterOptions = { numberOfResolutions: 2, maximumIterations: 128, spatialSamples: 1024 };
  beforeAll(async () => {
    const brain = await readVolume(path.join(PYRAD, 'brain1_image.nrrd'));
    fixed = resampleToSpacing(brain, [3, 3, 0], { interpolator: 'linear', grid: 'ibsi', outputType: 'float32' });
    moving = shifted(fixed, 2, -1);
    moving2 = shifted(fixed, -1, 2);
  });

  it('instantiates elastix once, and gives what a fresh module gives, bit for bit, run after run', async () => {
    const first = await registerVolumesNode(fixed, moving, opts);
    const after1 = pipelineStats.instantiated;
    const second = await registerVolumesNode(fixed, moving2, opts);
    const third = await registerVolumesNode(fixed, moving, opts);
    expect(pipelineStats.instantiated).toBe(after1); // the second and third runs reused the module

    const fresh = (m: Volume) => registerVolumes(fixed, m, (p, o) => elastixNode(p, o), opts);
    const [ref1, ref2] = [await fresh(moving), await fresh(moving2)];
    for (const [got, ref] of [[first, ref1], [second, ref2], [third, ref1]] as const) {
      expect(got.record.transformParameters).toEqual(ref.record.transformParameters);
      expect(got.registered.size).toEqual(ref.registered.size);
      expect(Buffer.from(got.registered.data.buffer).equals(Buffer.from(ref.registered.data.buffer))).toBe(true);
    }
    // the shift was found: elastix maps fixed → moving points, so the translation is (+2, −1) voxels of 3 mm
    // (with the image's direction cosines; brain1's axes are not flipped in x/y)
    expect(Math.abs(Math.abs(first.record.transformParameters[3]!) - 6)).toBeLessThan(1);
    expect(Math.abs(Math.abs(first.record.transformParameters[4]!) - 3)).toBeLessThan(1);
  });

  it('says what elastix said when it fails, and the next run works', async () => {
    const tiny: Volume = { ...fixed, size: [4, 4, 4], data: new Float32Array(64) };
    await expect(elastixCachedNode([{ Transform: ['NoSuchTransform'] }] as never, { fixed: volumeToImage(tiny), moving: volumeToImage(tiny) })).rejects.toThrow();
    const again = await registerVolumesNode(fixed, moving, opts);
    const ref = await registerVolumes(fixed, moving, (p, o) => elastixNode(p, o), opts);
    expect(again.record.transformParameters).toEqual(ref.record.transformParameters);
  });
});
