/** Habitats: voxel descriptors, GMM/BIC, K-means, cohort-level habitat label maps (../shared/SPEC.md §3 (Habitats)). */
export * from './points.js';
export * from './kmeans.js';
export * from './gmm-bic.js';
export * from './voxel-descriptors.js';
export * from './habitat-model.js';
