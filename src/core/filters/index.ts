/**
 * Image filters: PyRadiomics 3.1's image types (LoG, wavelet, square, squareroot,
 * logarithm, exponential, gradient, LBP 2D, LBP 3D) and the general undecimated wavelet
 * engine. `imageTypes` is the registry the feature extractor uses.
 */
export * from './image-types.js';
export * from './log.js';
export * from './recursive-gaussian.js';
export * from './wavelet.js';
export * from './intensity.js';
export * from './gradient.js';
export * from './lbp2d.js';
export * from './lbp3d.js';
