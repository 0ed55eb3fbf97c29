/**
 * The paper's feature set (Original + LoG σ 1, 3, 5 mm + 8 coif1 wavelet
 * sub-bands; every 3-D class; binWidth 25; 1 mm B-spline resampling;
 * reference-3.1/paper.yaml) on brain1 (ROI 4137 voxels at 0.78×0.78×6.5 mm =
 * 16.4 cm³, a paper-sized tumour) and breast1, through `extractFeatures`, on
 * one core (this process, no workers). One JSON line per case:
 * ms = the first extraction in a fresh process (includes JIT warm-up),
 * warmMedianMs / warmMedianCpuMs = median of 5 more (wall / CPU time of this
 * process: on a shared, loaded machine the CPU time is the fairer number),
 * peakRssMB = the process's peak RSS; PyRadiomics' time on the same files when
 * `pyradiomics` is on the PATH.
 */
import { readFileSync } from 'node:fs';
import { readVolume } from '../src/core/node.js';
import { extractFeatures } from '../src/core/radiomics/extractor.js';
import { parseParams } from '../src/core/radiomics/params.js';
import { sharedPath } from '../test/shared-data.js';
import { timePyradiomics } from './_pyradiomics.js';

const paramsFile = sharedPath('pyradiomics-data', 'reference-3.1', 'paper.yaml');
const params = parseParams(readFileSync(paramsFile, 'utf8'), 'paper.yaml');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// breast1 first: peakRssMB is the process's peak so far, so each line is that case's peak
for (const c of ['breast1', 'brain1']) {
  const imageFile = sharedPath('pyradiomics-data', `${c}_image.nrrd`);
  const maskFile = sharedPath('pyradiomics-data', `${c}_label.nrrd`);
  const image = await readVolume(imageFile);
  const mask = await readVolume(maskFile);
  let t0 = performance.now();
  let c0 = cpuMs();
  const f = extractFeatures(image, mask, { params });
  const firstMs = performance.now() - t0;
  const firstCpuMs = cpuMs() - c0;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < 5; r++) {
    t0 = performance.now();
    c0 = cpuMs();
    extractFeatures(image, mask, { params });
    wall.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const features = Object.keys(f).filter((k) => !k.startsWith('diagnostics_')).length;
  console.log(
    JSON.stringify({
      name: `radiomics paper feature set, ${c} (1 core)`,
      ms: Math.round(firstMs),
      cpuMs: Math.round(firstCpuMs),
      warmMedianMs: Math.round(wall[2]!),
      warmMedianCpuMs: Math.round(cpu[2]!),
      features,
      roiVoxels1mm: f['diagnostics_Mask-interpolated_VoxelNum'],
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      ...timePyradiomics(imageFile, maskFile, paramsFile),
    }),
  );
}
