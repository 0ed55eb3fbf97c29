/**
 * Gradient magnitude as PyRadiomics' `Gradient` image type computes it: SimpleITK
 * `GradientMagnitudeImageFilter` (ITK), i.e. central differences
 * (x[i+1] − x[i−1]) / 2 along each voxel axis, divided by the spacing when
 * `useSpacing` (PyRadiomics' `gradientUseSpacing`, default true), with ITK's
 * zero-flux Neumann boundary (the edge voxel repeated), magnitude = √(Σ dᵢ²),
 * computed in double and stored as float32 (SimpleITK's output pixel type "float").
 */
import { withData, type Volume } from '../image/volume.js';

export function gradientMagnitudeImage(volume: Volume, useSpacing = true): Volume {
  const [nx, ny, nz] = volume.size;
  const x = volume.data;
  const out = new Float32Array(x.length);
  // ITK scales the operator coefficients (±0.5) by 1/spacing before the inner product.
  const cx = useSpacing ? 0.5 * (1 / volume.spacing[0]) : 0.5;
  const cy = useSpacing ? 0.5 * (1 / volume.spacing[1]) : 0.5;
  const cz = useSpacing ? 0.5 * (1 / volume.spacing[2]) : 0.5;
  const sy = nx;
  const sz = nx * ny;
  for (let k = 0; k < nz; k++) {
    const km = k > 0 ? -sz : 0;
    const kp = k < nz - 1 ? sz : 0;
    for (let j = 0; j < ny; j++) {
      const jm = j > 0 ? -sy : 0;
      const jp = j < ny - 1 ? sy : 0;
      for (let i = 0; i < nx; i++) {
        const p = i + nx * (j + ny * k);
        const im = i > 0 ? -1 : 0;
        const ip = i < nx - 1 ? 1 : 0;
        const dx = cx * x[p + ip]! - cx * x[p + im]!;
        const dy = cy * x[p + jp]! - cy * x[p + jm]!;
        const dz = cz * x[p + kp]! - cz * x[p + km]!;
        out[p] = Math.sqrt(dx * dx + dy * dy + dz * dz);
      }
    }
  }
  return withData(volume, out);
}
