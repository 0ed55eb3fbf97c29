import { describe, it, expect, beforeAll } from 'vitest';
import path from 'node:path';
import { readVolume } from '../../src/core/image/io-node.js';
import { indexToPhysical, type Volume, type Vec3 } from '../../src/core/image/volume.js';
import { registerVolumesNode } from '../../src/core/image/register-node.js';
import { normalisedCrossCorrelation, registrationParameterMap } from '../../src/core/image/register.js';
import { resampleToGrid, resampleToSpacing } from '../../src/core/image/resample.js';
import { PYRAD } from '../shared-data.js';

/** Rotation matrix (row-major) for angles (radians) about x, then y, then z. */
function rotation(ax: number, ay: number, az: number): number[] {
  const [cx, sx, cy, sy, cz, sz] = [Math.cos(ax), Math.sin(ax), Math.cos(ay), Math.sin(ay), Math.cos(az), Math.sin(az)];
  const Rx = [1, 0, 0, 0, cx, -sx, 0, sx, cx];
  const Ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const Rz = [cz, -sz, 0, sz, cz, 0, 0, 0, 1];
  const mul = (a: number[], b: number[]) =>
    Array.from({ length: 9 }, (_, n) => a[3 * Math.floor(n / 3)]! * b[n % 3]! + a[3 * Math.floor(n / 3) + 1]! * b[3 + (n % 3)]! + a[3 * Math.floor(n / 3) + 2]! * b[6 + (n % 3)]!);
  return mul(Rz, mul(Ry, Rx));
}

/**
 * moving(x) = fixed(R·(x − c) + c + t): the fixed image seen through a rigid
 * motion, stored on the fixed grid (sampled by resampling onto the rotated grid).
 */
function moveRigidly(fixed: Volume, R: number[], t: Vec3): Volume {
  const c = indexToPhysical(fixed, (fixed.size[0] - 1) / 2, (fixed.size[1] - 1) / 2, (fixed.size[2] - 1) / 2);
  const D = fixed.direction;
  const dir = Array.from({ length: 9 }, (_, n) => {
    const r = Math.floor(n / 3);
    const col = n % 3;
    return R[3 * r]! * D[col]! + R[3 * r + 1]! * D[3 + col]! + R[3 * r + 2]! * D[6 + col]!;
  });
  const o = [0, 1, 2].map((r) => fixed.origin[r]! - c[r]!);
  const origin = [0, 1, 2].map((r) => R[3 * r]! * o[0]! + R[3 * r + 1]! * o[1]! + R[3 * r + 2]! * o[2]! + c[r]! + t[r]!) as Vec3;
  const sampled = resampleToGrid(fixed, { size: fixed.size, spacing: fixed.spacing, origin, direction: dir }, { interpolator: 'bspline', outputType: 'float32', boundary: 'itk' });
  return { ...fixed, direction: Float64Array.from(fixed.direction), data: sampled.data };
}

describe('rigid registration with elastix (WebAssembly, Node)', () => {
  let fixed: Volume;
  beforeAll(async () => {
    const brain = await readVolume(path.join(PYRAD, 'brain1_image.nrrd'));
    fixed = resampleToSpacing(brain, [2, 2, 0], { interpolator: 'linear', grid: 'ibsi', outputType: 'float32' }); // 100×100×25
  });

  it('brings a copy rotated by 5° / 2° and shifted by (4, −3, 2) mm back to NCC ≥ 0.97', async () => {
    const moving = moveRigidly(fixed, rotation((2 * Math.PI) / 180, 0, (5 * Math.PI) / 180), [4, -3, 2]);
    // evaluate inside the head, away from the slab ends where the motion moved data out of the field of view
    const where = new Uint8Array(fixed.data.length);
    const [nx, ny, nz] = fixed.size;
    for (let k = 3; k < nz - 3; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
      const v = i + nx * (j + ny * k);
      if (fixed.data[v]! > 100) where[v] = 1;
    }
    const before = normalisedCrossCorrelation(fixed.data, moving.data, where);
    const { registered, record } = await registerVolumesNode(fixed, moving);
    const after = normalisedCrossCorrelation(fixed.data, registered.data, where);
    console.log(`NCC before ${before.toFixed(4)}, after ${after.toFixed(4)}; parameters ${record.transformParameters.map((x) => +x.toFixed(4)).join(' ')}`);
    expect(before).toBeLessThan(0.9);
    expect(after).toBeGreaterThanOrEqual(0.97);
    expect(registered.size).toEqual(fixed.size);
    expect(record.transformParameters).toHaveLength(6);
    // elastix maps fixed → moving points: the recovered rotation about z is the applied 5°
    expect(Math.abs(Math.abs(record.transformParameters[2]!) - (5 * Math.PI) / 180)).toBeLessThan((1 * Math.PI) / 180);
  });

  it('builds affine parameter maps and lets callers override entries', () => {
    const m = registrationParameterMap({ transform: 'affine', numberOfResolutions: 2, parameters: { NumberOfSpatialSamples: ['4096'] } });
    expect(m.Transform).toEqual(['AffineTransform']);
    expect(m.NumberOfResolutions).toEqual(['2']);
    expect(m.NumberOfSpatialSamples).toEqual(['4096']);
    expect(m.Metric).toEqual(['AdvancedMattesMutualInformation']);
  });
});
