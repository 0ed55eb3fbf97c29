/**
 * Where the time of the paper feature set on brain1 goes (the profile behind
 * BENCHMARKS.md): the extractor's stages run one by one — B-spline resampling
 * to 1 mm, LoG σ 1/3/5, the 8 wavelet sub-bands, and per feature class the
 * matrix ("prep") and the features ("feat"), summed over the 12 images — with
 * the CPU time of each, as the median over 5 warm repetitions. `ms` is the
 * warm median of the total CPU time. For a flame graph:
 *   node --cpu-prof --import tsx bench/radiomics-paper.ts
 */
import { readVolume } from '../src/core/node.js';
import { resampleImageAndMask } from '../src/core/image/resample.js';
import { imageTypes } from '../src/core/filters/index.js';
import type { ImageTypeSettings } from '../src/core/filters/image-types.js';
import { cropRoi, derivedRoi, maskBoundingBox } from '../src/core/radiomics/roi.js';
import { discretise, type DiscretisedRoi } from '../src/core/radiomics/discretise.js';
import { DEFAULT_FEATURE_CLASS_SETTINGS, type FamilyInput } from '../src/core/radiomics/family.js';
import { getFamily, orderedFeatures } from '../src/core/radiomics/registry.js';
import { sharedPath } from '../test/shared-data.js';

const image = await readVolume(sharedPath('pyradiomics-data', 'brain1_image.nrrd'));
const mask = await readVolume(sharedPath('pyradiomics-data', 'brain1_label.nrrd'));
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const settings = { ...DEFAULT_FEATURE_CLASS_SETTINGS, binWidth: 25 };
const CLASSES = ['firstorder', 'glcm', 'glrlm', 'glszm', 'gldm', 'ngtdm'];

function once(): Record<string, number> {
  const T: Record<string, number> = {};
  const time = <R>(k: string, f: () => R): R => {
    const c = cpu();
    const r = f();
    T[k] = (T[k] ?? 0) + cpu() - c;
    return r;
  };
  const r = time('resample', () => resampleImageAndMask(image, mask, { spacing: [1, 1, 1], interpolator: 'bspline', padDistance: 5, label: 1 }));
  const inRoi = new Uint8Array(r.mask.data.length);
  for (let i = 0; i < inRoi.length; i++) inRoi[i] = r.mask.data[i] === 1 ? 1 : 0;
  const box = maskBoundingBox(inRoi, r.image.size);
  if (!box) throw new Error('brain1: empty mask after resampling');
  // as the extractor: the filters are told the box in which their images are read (and return that box only)
  const derived = [
    { prefix: 'original', volume: r.image },
    ...time('filter LoG', () => imageTypes.LoG!(r.image, r.mask, { sigma: [1, 3, 5], readBox: box } as ImageTypeSettings)),
    ...time('filter wavelet', () => imageTypes.Wavelet!(r.image, r.mask, { readBox: box } as ImageTypeSettings)),
  ];
  const boxMask = time('crop', () => cropRoi(inRoi, inRoi, r.image.size, r.image.spacing, box, (v) => v !== 0).mask);
  for (const dv of derived) {
    const roi = time('crop', () => derivedRoi(dv, r.image.size, r.image.spacing, box, boxMask));
    let binned: DiscretisedRoi | null = null;
    const input: FamilyInput = { roi, binned: () => (binned ??= time('discretise', () => discretise(roi, settings))), settings };
    for (const cls of [...(dv.prefix === 'original' ? ['shape'] : []), ...CLASSES]) {
      const fam = getFamily(cls);
      if (!fam) throw new Error(`no feature class ${cls}`);
      const ctx = time(`${cls} prep`, () => fam.prepare(input));
      time(`${cls} feat`, () => {
        for (const f of orderedFeatures(fam)) if (!f.deprecated && !f.removed) f.compute(ctx);
      });
    }
  }
  return T;
}

once(); // JIT warm-up
const runs = Array.from({ length: 5 }, once);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const stages = Object.fromEntries(Object.keys(runs[0]!).map((k) => [k, Math.round(median(runs.map((r) => r[k]!)))]));
const total = median(runs.map((r) => Object.values(r).reduce((a, b) => a + b, 0)));
console.log(
  JSON.stringify({
    name: 'radiomics paper feature set brain1, CPU per stage (warm median)',
    ms: Math.round(total!),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...stages,
  }),
);
