/**
 * LASSO logistic regression with 10-fold CV on a radiomics-sized problem
 * (125 patients × 1130 features, target < 2 s). Synthetic, seeded data: a few
 * informative features, blocks of correlated features, the rest noise.
 */
import { measure } from './_measure.js';
import { lassoLogisticCV } from '../src/core/learn/lasso.js';
import { createRng } from '../src/core/util/random.js';

const n = 125;
const p = 1130;
const rng = createRng(7);
const X: number[][] = [];
const y: number[] = [];
for (let i = 0; i < n; i++) {
  const latent = Array.from({ length: 20 }, () => rng.normal());
  const row = new Array<number>(p);
  for (let j = 0; j < p; j++) row[j] = 0.8 * latent[j % 20]! + 0.6 * rng.normal();
  const eta = 1.2 * latent[0]! - 0.9 * latent[1]! + 0.6 * latent[2]! - 0.3;
  y.push(rng.next() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
  X.push(row);
}
// CPU time is reported too: on a shared, loaded machine wall time overstates the cost.
const cpu0 = process.cpuUsage();
let cpuMs = 0;
const cv = await measure('lassoLogisticCV 125x1130 10-fold', () => {
  const r = lassoLogisticCV(X, y, { folds: 10, seed: 1 });
  cpuMs = process.cpuUsage(cpu0).user / 1000;
  return r;
}, { n, p, get cpuMs() { return cpuMs; } });
console.error(`lambdas=${cv.lambdas.length} lambdaMin=${cv.lambdaMin.toPrecision(4)} nonzero@min=${cv.path.nonzero[cv.indexMin]}`);
