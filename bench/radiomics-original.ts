/**
 * Radiomics benchmark: every original (unfiltered) PyRadiomics feature of
 * brain1 (256×256×25, 4137 ROI voxels, default settings: binWidth 25, all
 * classes but shape2D). Prints one JSON line: the first extraction in a fresh
 * process (includes JIT warm-up), the median of 5 more (wall and CPU time),
 * and the peak RSS.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readVolume } from '../src/core/node.js';
import { extractFeatures } from '../src/core/radiomics/extractor.js';
import { timePyradiomics } from './_pyradiomics.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = process.env.HABITAT_SHARED ?? path.resolve(here, '..', '..', 'shared');
const data = path.join(shared, 'pyradiomics-data');

const image = await readVolume(path.join(data, 'brain1_image.nrrd'));
const mask = await readVolume(path.join(data, 'brain1_label.nrrd'));
// wall time and CPU time (the CPU time is what a loaded, shared machine distorts least)
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let t0 = performance.now();
let c0 = cpuMs();
const features = extractFeatures(image, mask);
const firstMs = performance.now() - t0;
const firstCpuMs = cpuMs() - c0;
const runs: number[] = [];
const cpuRuns: number[] = [];
for (let r = 0; r < 5; r++) {
  t0 = performance.now();
  c0 = cpuMs();
  extractFeatures(image, mask);
  runs.push(performance.now() - t0);
  cpuRuns.push(cpuMs() - c0);
}
runs.sort((a, b) => a - b);
cpuRuns.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    name: 'radiomics original features, brain1',
    ms: Math.round(firstMs),
    cpuMs: Math.round(firstCpuMs),
    warmMedianMs: Math.round(runs[2]!),
    warmMedianCpuMs: Math.round(cpuRuns[2]!),
    features: Object.keys(features).filter((k) => k.startsWith('original_')).length,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...timePyradiomics(path.join(data, 'brain1_image.nrrd'), path.join(data, 'brain1_label.nrrd')),
  }),
);
