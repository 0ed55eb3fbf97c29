/** N4 bias-field correction of brain1 (256×256×25, int16) with ITK's default settings, no mask, no shrinking. */
import path from 'node:path';
import { readVolume } from '../src/core/image/io-node.js';
import { n4BiasFieldCorrection } from '../src/core/image/n4/n4.js';
import { PYRAD } from '../test/shared-data.js';
import { measure } from './_measure.js';

const image = await readVolume(path.join(PYRAD, 'brain1_image.nrrd'));
let iterations: number[] = [];
let cpuMs = 0;
await measure(
  'preprocess: N4 brain1 256×256×25 (defaults)',
  () => {
    const c0 = process.cpuUsage();
    iterations = n4BiasFieldCorrection(image).record.iterations;
    const c = process.cpuUsage(c0);
    cpuMs = (c.user + c.system) / 1000; // wall time is misleading on a shared machine
  },
  {
    get iterations() {
      return iterations;
    },
    get cpuMs() {
      return cpuMs;
    },
  },
);
