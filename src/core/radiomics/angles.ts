/** PyRadiomics' neighbour offsets: the kernel is `kernels/neighbours.ts` (this file keeps the texture matrices' import lines). */
export { buildAngles } from './kernels/neighbours.js';
