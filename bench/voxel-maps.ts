/**
 * Voxel-based feature maps over a 30 cm³ VOI. The workbench's voxel-based API
 * is the habitat descriptors' local windows (src/core/habitats/voxel-descriptors.ts):
 * PyRadiomics voxel-based first-order features (mean, variance, skewness,
 * kurtosis, RMS, entropy, uniformity) of a (2r+1)³ kernel masked by the VOI, at
 * every VOI voxel; texture-class maps (GLCM … per voxel) are not implemented.
 * Measured here: all 7 first-order maps at kernel radius 1 and 2 on a
 * synthetic 1 mm image (textured noise) with a 30 cm³ ellipsoidal VOI.
 */
import { createVolume, type Vec3 } from '../src/core/image/volume.js';
import { voxelDescriptors, LOCAL_FEATURES } from '../src/core/habitats/voxel-descriptors.js';
import { createRng } from '../src/core/util/random.js';
import { measure } from './_measure.js';

const size: Vec3 = [72, 72, 64];
const n = size[0] * size[1] * size[2];
const rng = createRng(7);
const img = new Float32Array(n);
const mask = new Uint8Array(n);
// ellipsoid with semi-axes a, b, c (mm) and volume 4/3·π·abc = 30 000 mm³
const [a, b] = [22, 18];
const c = 30_000 / ((4 / 3) * Math.PI * a * b);
let voi = 0;
for (let z = 0; z < size[2]; z++)
  for (let y = 0; y < size[1]; y++)
    for (let x = 0; x < size[0]; x++) {
      const i = x + size[0] * (y + size[1] * z);
      const dx = (x - 35.5) / a;
      const dy = (y - 35.5) / b;
      const dz = (z - 31.5) / c;
      const inside = dx * dx + dy * dy + dz * dz <= 1;
      mask[i] = inside ? 1 : 0;
      voi += mask[i];
      img[i] = 300 + 80 * Math.sin(x / 4) * Math.cos(y / 5) + 40 * rng.normal() + (inside ? 150 : 0);
    }
const image = createVolume(size, { data: img });
const maskVol = createVolume(size, { data: mask });

for (const radius of [1, 2]) {
  const cpu0 = process.cpuUsage();
  let cpuMs = 0;
  let maps = 0;
  await measure(
    `voxel-based first-order maps (7 features), kernel radius ${radius}, 30 cm³ VOI`,
    () => {
      const d = voxelDescriptors({ T: image }, maskVol, 'T', { normalisation: 'none', local: { radius, features: [...LOCAL_FEATURES] } });
      const c = process.cpuUsage(cpu0);
      cpuMs = (c.user + c.system) / 1000;
      maps = d.dim - 1;
    },
    { voiVoxels: voi, voiCm3: voi / 1000, get maps() { return maps; }, get cpuMs() { return Math.round(cpuMs); } },
  );
}
