/** PyRadiomics-compatible radiomics feature engine (the IBSI 1 mode is `./ibsi/`). */
export * from './roi.js';
export * from './discretise.js';
export * from './family.js';
export * from './registry.js';
export * from './params.js';
export * from './extractor.js';
export * from './features-doc.js';
export { glcmMatrix, type GlcmMatrix, type GlcmOptions } from './glcm/matrix.js';
export { glrlmMatrix, type GlrlmMatrix, type GlrlmOptions } from './glrlm/matrix.js';
export { glszmMatrix, type ZoneCountMatrix, type GlszmOptions } from './glszm/matrix.js';
export { gldmMatrix, type GldmOptions } from './gldm/matrix.js';
export { ngtdmMatrix, type NgtdmMatrix, type NgtdmOptions } from './ngtdm/matrix.js';
export { shapeCoefficients, type ShapeCoefficients } from './shape/matrix.js';
export { shape2DCoefficients, type Shape2DCoefficients } from './shape2D/matrix.js';
