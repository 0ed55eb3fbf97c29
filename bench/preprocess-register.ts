/**
 * One rigid elastix registration (WebAssembly, Node) of brain1 resampled to
 * 2 × 2 × 6.5 mm (100×100×25) onto a copy of itself rotated by 5° about z and
 * shifted by (4, −3, 2) mm. Includes loading the elastix pipeline.
 */
import path from 'node:path';
import { readVolume } from '../src/core/image/io-node.js';
import { indexToPhysical, type Vec3, type Volume } from '../src/core/image/volume.js';
import { registerVolumesNode } from '../src/core/image/register-node.js';
import { normalisedCrossCorrelation } from '../src/core/image/register.js';
import { resampleToGrid, resampleToSpacing } from '../src/core/image/resample.js';
import { PYRAD } from '../test/shared-data.js';
import { measure } from './_measure.js';

const brain = await readVolume(path.join(PYRAD, 'brain1_image.nrrd'));
const fixed = resampleToSpacing(brain, [2, 2, 0], { interpolator: 'linear', outputType: 'float32' });
// moving(x) = fixed(Rz(5°)(x − c) + c + t), stored on the fixed grid
const a = (5 * Math.PI) / 180;
const R = [Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1];
const t: Vec3 = [4, -3, 2];
const c = indexToPhysical(fixed, (fixed.size[0] - 1) / 2, (fixed.size[1] - 1) / 2, (fixed.size[2] - 1) / 2);
const D = fixed.direction;
const direction = Array.from({ length: 9 }, (_, n) => R[3 * Math.floor(n / 3)]! * D[n % 3]! + R[3 * Math.floor(n / 3) + 1]! * D[3 + (n % 3)]! + R[3 * Math.floor(n / 3) + 2]! * D[6 + (n % 3)]!);
const o = [0, 1, 2].map((r) => fixed.origin[r]! - c[r]!);
const origin = [0, 1, 2].map((r) => R[3 * r]! * o[0]! + R[3 * r + 1]! * o[1]! + R[3 * r + 2]! * o[2]! + c[r]! + t[r]!) as Vec3;
const moved = resampleToGrid(fixed, { size: fixed.size, spacing: fixed.spacing, origin, direction }, { interpolator: 'bspline', outputType: 'float32' });
const moving: Volume = { ...fixed, data: moved.data };

let ncc = 0;
await measure(
  'preprocess: rigid elastix registration 100×100×25',
  async () => {
    const r = await registerVolumesNode(fixed, moving);
    ncc = normalisedCrossCorrelation(fixed.data, r.registered.data);
  },
  {
    get ncc() {
      return ncc;
    },
  },
);
