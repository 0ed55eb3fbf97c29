/**
 * force2D / force2Ddimension: swapping the x and z axes of the image and the
 * mask and extracting with force2Ddimension 2 (x) must give what the original
 * gives with force2Ddimension 0 (z) — the same in-plane offsets, matrices
 * summed over the same slices — for every texture class and for shape2D.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVolume, type Volume } from '../../src/core/node.js';
import { extractFeatures } from '../../src/core/radiomics/extractor.js';
import { parseParams } from '../../src/core/radiomics/params.js';
import { PYRAD } from '../shared-data.js';

function swapXZ(v: Volume): Volume {
  const [nx, ny, nz] = v.size;
  const Ctor = v.data.constructor as new (n: number) => typeof v.data;
  const data = new Ctor(v.data.length);
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) data[z + nz * (y + ny * x)] = v.data[x + nx * (y + ny * z)]!;
  return { size: [nz, ny, nx], spacing: [v.spacing[2], v.spacing[1], v.spacing[0]], origin: [...v.origin], direction: Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]), data };
}

const classes = 'featureClass:\n  glcm:\n  glrlm:\n  glszm:\n  gldm:\n  ngtdm:\n';

describe('force2Ddimension', () => {
  it('x–z swapped volume with dimension 2 equals the original with dimension 0 (texture)', async () => {
    const image = await readVolume(path.join(PYRAD, 'breast1_image.nrrd'));
    const mask = await readVolume(path.join(PYRAD, 'breast1_label.nrrd'));
    const a = extractFeatures(image, mask, { params: parseParams(`setting:\n  force2D: true\n  force2Ddimension: 0\n${classes}`) });
    const b = extractFeatures(swapXZ(image), swapXZ(mask), { params: parseParams(`setting:\n  force2D: true\n  force2Ddimension: 2\n${classes}`) });
    const keys = Object.keys(a).filter((k) => k.startsWith('original_'));
    expect(keys.length).toBe(75);
    for (const k of keys) expect(b[k] as number, k).toBeCloseTo(a[k] as number, 8);
    // and 2D differs from 3D
    const c = extractFeatures(image, mask, { params: parseParams(classes) });
    expect(c['original_glcm_Contrast']).not.toBeCloseTo(a['original_glcm_Contrast'] as number, 3);
  });

  it('shape2D on a single slice, along either dimension', async () => {
    const image = await readVolume(path.join(PYRAD, 'breast1_image.nrrd'));
    const mask = await readVolume(path.join(PYRAD, 'breast1_label.nrrd'));
    const [nx, ny] = mask.size;
    const slice = mask.data.map((v, i) => (Math.floor(i / (nx * ny)) === 9 ? v : 0)) as typeof mask.data;
    const m1: Volume = { ...mask, data: slice };
    const shape2D = 'featureClass:\n  shape2D:\n';
    const a = extractFeatures(image, m1, { params: parseParams(`setting:\n  force2D: true\n${shape2D}`) });
    const b = extractFeatures(swapXZ(image), swapXZ(m1), { params: parseParams(`setting:\n  force2D: true\n  force2Ddimension: 2\n${shape2D}`) });
    const keys = Object.keys(a).filter((k) => k.startsWith('original_shape2D_'));
    expect(keys.length).toBe(9);
    let n = 0;
    for (const v of slice) n += v === 1 ? 1 : 0;
    expect(a['original_shape2D_PixelSurface']).toBeCloseTo(n * mask.spacing[0] * mask.spacing[1], 9);
    for (const k of keys) expect(b[k] as number, k).toBeCloseTo(a[k] as number, 8);
  });
});
