/**
 * 2D shape features (PyRadiomics `shape2D`, force2D with a single-slice ROI):
 * A = mesh surface, P = perimeter, λ_major ≥ λ_minor PCA eigenvalues.
 */
import type { FeatureFamily } from '../family.js';
import { shape2DCoefficients, type Shape2DCoefficients } from './matrix.js';

export const shape2DFamily: FeatureFamily<Shape2DCoefficients> = {
  name: 'shape2D',
  title: 'Shape (2D)',
  description: 'Size and form of a single-slice ROI (force2D), from a marching-squares contour of the mask.',
  prepare: ({ roi, settings }) => {
    const dim = settings.force2Ddimension; // numpy order: 0 = z, 1 = y, 2 = x
    const itkAxis = 2 - dim;
    if (roi.size[itkAxis] !== 1)
      throw new Error(`shape2D: the ROI spans ${roi.size[itkAxis]} voxels in force2Ddimension ${dim}; it must be a single slice`);
    // the two remaining axes in numpy order (slowest first): rows, columns
    const axes = [2, 1, 0].filter((a) => a !== itkAxis);
    const [ra, ca] = axes;
    if (ra === undefined || ca === undefined) throw new Error(`shape2D: force2Ddimension ${dim} leaves fewer than two axes`);
    const rows = roi.size[ra]!;
    const cols = roi.size[ca]!;
    const mask = new Uint8Array(rows * cols);
    const stride = [1, roi.size[0], roi.size[0] * roi.size[1]];
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mask[r * cols + c] = roi.mask[r * stride[ra]! + c * stride[ca]!]!;
    return shape2DCoefficients(mask, rows, cols, [roi.spacing[ra]!, roi.spacing[ca]!]);
  },
  features: [
    { name: 'MeshSurface', formula: 'A = ½ Σ (a_r b_c − b_r a_c) over the oriented contour segments', compute: (c) => c.surface },
    { name: 'PixelSurface', formula: 'N_p · A_pixel', compute: (c) => c.pixelSurface },
    { name: 'Perimeter', formula: 'P = Σ |a − b| over contour segments', compute: (c) => c.perimeter },
    { name: 'PerimeterSurfaceRatio', formula: 'P / A', compute: (c) => c.perimeter / c.surface },
    { name: 'Sphericity', formula: '2√(πA) / P', compute: (c) => (2 * Math.sqrt(Math.PI * c.surface)) / c.perimeter },
    {
      name: 'SphericalDisproportion',
     
      formula: 'P / (2√(πA))',
      deprecated: true,
      compute: (c) => c.perimeter / (2 * Math.sqrt(Math.PI * c.surface)),
    },
    { name: 'MaximumDiameter', formula: 'largest distance between contour vertices', compute: (c) => c.diameter },
    { name: 'MajorAxisLength', formula: '4 √λ_major', compute: (c) => (c.eigenvalues[1]! < 0 ? NaN : 4 * Math.sqrt(c.eigenvalues[1]!)) },
    { name: 'MinorAxisLength', formula: '4 √λ_minor', compute: (c) => (c.eigenvalues[0]! < 0 ? NaN : 4 * Math.sqrt(c.eigenvalues[0]!)) },
    {
      name: 'Elongation',
     
      formula: '√(λ_minor / λ_major)',
      compute: (c) => (c.eigenvalues[0]! < 0 || c.eigenvalues[1]! < 0 ? NaN : Math.sqrt(c.eigenvalues[0]! / c.eigenvalues[1]!)),
    },
  ],
};
