/**
 * The paper's filter set on brain1 as PyRadiomics computes it: LoG σ 1, 3, 5 mm and
 * the 8 coif1 wavelet sub-bands of the resampled, cropped image (48×66×57 voxels,
 * reference-3.1/brain1-images/resampled_image.nii.gz). Prints one JSON line:
 * ms = median of 5 warm runs, coldMs = the first run (includes JIT warm-up),
 * cpuMs = CPU time of the last run (less sensitive to other load on the machine).
 * PyRadiomics 3.1 on this kind of machine: LoG 0.76 s + Wavelet 1.22 s inside execute()
 * (those include the feature calculation on each image, not only the filtering).
 */
import { readVolume } from '../src/core/node.js';
import { imageTypes } from '../src/core/filters/index.js';
import { sharedPath } from '../test/shared-data.js';

const image = await readVolume(sharedPath('pyradiomics-data', 'reference-3.1', 'brain1-images', 'resampled_image.nii.gz'));

let peak = process.memoryUsage().rss;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
let cpuMs = 0;
function run(): number {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const log = imageTypes.LoG!(image, null, { sigma: [1, 3, 5] });
  const wav = imageTypes.Wavelet!(image, null, {});
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  cpuMs = (c.user + c.system) / 1000;
  if (log.length + wav.length !== 11) throw new Error('expected 11 images');
  peak = Math.max(peak, process.memoryUsage().rss);
  return ms;
}
const coldMs = run();
const warm = Array.from({ length: 5 }, run).sort((a, b) => a - b);
clearInterval(timer);
console.log(
  JSON.stringify({
    name: 'filters-paper brain1 (3 LoG + 8 wavelet)',
    ms: warm[2],
    coldMs,
    cpuMs,
    peakRssMB: peak / 2 ** 20,
    voxels: image.data.length,
  }),
);
