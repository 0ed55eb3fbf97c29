/**
 * 3D shape features (PyRadiomics `shape`), from the marching-cubes mesh
 * (V = mesh volume, A = surface area) and the PCA eigenvalues λ_major ≥ λ_minor ≥ λ_least.
 */
import type { FeatureFamily } from '../family.js';
import { shapeCoefficients, type ShapeCoefficients } from './matrix.js';

const axis = (l: number) => (l < 0 ? NaN : 4 * Math.sqrt(l));

export const shapeFamily: FeatureFamily<ShapeCoefficients> = {
  name: 'shape',
  title: 'Shape (3D)',
  description: 'Size and form of the ROI, independent of grey levels, from a marching-cubes mesh of the mask and the principal axes of its voxels.',
  prepare: ({ roi }) => shapeCoefficients(roi.mask, roi.size, roi.spacing),
  features: [
    { name: 'MeshVolume', ibsi: 'RNU0', formula: 'V = Σ_f sign · (O_a · (O_b × O_c)) / 6 over mesh triangles', compute: (c) => c.meshVolume },
    { name: 'VoxelVolume', ibsi: 'YEKZ', formula: 'N_v · V_voxel', compute: (c) => c.voxelVolume },
    { name: 'SurfaceArea', ibsi: 'C0JK', formula: 'A = Σ_f ½ |(a − c) × (b − c)|', compute: (c) => c.surfaceArea },
    { name: 'SurfaceVolumeRatio', ibsi: '2PR5', formula: 'A / V', compute: (c) => c.surfaceArea / c.meshVolume },
    { name: 'Sphericity', ibsi: 'QCFX', formula: '(36π V²)^{1/3} / A', compute: (c) => Math.cbrt(36 * Math.PI * c.meshVolume ** 2) / c.surfaceArea },
    {
      name: 'Compactness1',
      ibsi: 'SKGS',
      formula: 'V / (√π A^{3/2})',
      deprecated: true,
      compute: (c) => c.meshVolume / (c.surfaceArea ** 1.5 * Math.sqrt(Math.PI)),
    },
    {
      name: 'Compactness2',
      ibsi: 'BQWJ',
      formula: '36π V² / A³',
      deprecated: true,
      compute: (c) => (36 * Math.PI * c.meshVolume ** 2) / c.surfaceArea ** 3,
    },
    {
      name: 'SphericalDisproportion',
      ibsi: 'KRCK',
      formula: 'A / (36π V²)^{1/3}',
      deprecated: true,
      compute: (c) => c.surfaceArea / Math.cbrt(36 * Math.PI * c.meshVolume ** 2),
    },
    { name: 'Maximum3DDiameter', ibsi: 'L0JK', formula: 'largest distance between mesh vertices', compute: (c) => c.diameter3D },
    { name: 'Maximum2DDiameterSlice', formula: 'largest distance between mesh vertices in an axial (row–column) plane', compute: (c) => c.diameterSlice },
    { name: 'Maximum2DDiameterColumn', formula: 'largest distance between mesh vertices in a row–slice (coronal) plane', compute: (c) => c.diameterColumn },
    { name: 'Maximum2DDiameterRow', formula: 'largest distance between mesh vertices in a column–slice (sagittal) plane', compute: (c) => c.diameterRow },
    { name: 'MajorAxisLength', ibsi: 'TDIC', formula: '4 √λ_major', compute: (c) => axis(c.eigenvalues[2]!) },
    { name: 'MinorAxisLength', ibsi: 'P9VJ', formula: '4 √λ_minor', compute: (c) => axis(c.eigenvalues[1]!) },
    { name: 'LeastAxisLength', ibsi: '7J51', formula: '4 √λ_least', compute: (c) => axis(c.eigenvalues[0]!) },
    {
      name: 'Elongation',
      ibsi: 'Q3CK',
      formula: '√(λ_minor / λ_major)',
      compute: (c) => (c.eigenvalues[1]! < 0 || c.eigenvalues[2]! < 0 ? NaN : Math.sqrt(c.eigenvalues[1]! / c.eigenvalues[2]!)),
    },
    {
      name: 'Flatness',
      ibsi: 'N17B',
      formula: '√(λ_least / λ_major)',
      compute: (c) => (c.eigenvalues[0]! < 0 || c.eigenvalues[2]! < 0 ? NaN : Math.sqrt(c.eigenvalues[0]! / c.eigenvalues[2]!)),
    },
  ],
};
