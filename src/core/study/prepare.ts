/**
 * Stage 1 of the study, per patient (../shared/SPEC.md §2 (Preprocessing)): every series is bias-corrected
 * (N4) and normalised to 0–255 on its own grid; the other series are
 * registered rigidly onto the reference series (the one the VOI was drawn on);
 * then every series and the VOI(s) are resampled to the study spacing
 * (1 mm, B-spline; masks nearest neighbour) on one grid cropped to the VOI's
 * bounding box plus a margin. The result is what habitats and features are
 * computed from; each step's settings are recorded.
 */
import { describeGeometryMismatch, type Volume } from '../image/volume.js';
import { preprocessVolume, type PreprocessRecord } from '../image/preprocess.js';
import { registerVolumes, type ElastixFunction } from '../image/register.js';
import { entryOf } from './stages/common.js';
import { gridOf, resampleImageAndMask, resampleToGrid } from '../image/resample.js';
import { checkFiniteVoxels } from '../image/guard.js';
import type { StudyConfig } from './config.js';

export interface PatientImages {
  id: string;
  /** Series by sequence name. */
  series: Record<string, Volume>;
  /** VOI on the reference series' grid. */
  mask: Volume;
  /** Second observer's VOI, same grid. */
  mask2?: Volume;
  /** File names for messages (sequence name → file), optional. */
  files?: Record<string, string>;
}

export interface PreparedPatient {
  id: string;
  /** Every sequence on one grid (study spacing, cropped around the VOI), float32. */
  images: Record<string, Volume>;
  /** VOI (uint8 0/1) on that grid. */
  mask: Volume;
  mask2?: Volume;
  records: Record<string, PreprocessRecord | { step: 'reference'; note: string }>;
  registration: Record<string, number[]>;
}

export interface PrepareDeps {
  /** elastix implementation (elastixCachedNode in Node, the browser build in workers); needed when registration is on. */
  elastix?: ElastixFunction;
}

/** Margin (voxels of the study grid) kept around the VOI: room for local windows and filter support. */
export const PREPARE_MARGIN = 10;

function toBinary(mask: Volume, label = 1): Volume {
  const data = new Uint8Array(mask.data.length);
  for (let n = 0; n < data.length; n++) data[n] = mask.data[n] === label ? 1 : 0;
  return { ...mask, data };
}

function countLabel(mask: Volume): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) n++;
  return n;
}

/**
 * N4 fitting levels for a volume: ITK's default lattice (one B-spline span per
 * axis) doubles at each level, up to ITK's 4 levels, while the span stays at
 * least `splineDistance` mm on the shortest axis of the field of view. On a small
 * field of view, finer lattices would fit tissue contrast (a tumour's subregions)
 * as bias. null: always 4 levels.
 */
export function n4Levels(v: Volume, splineDistance: number | null): number {
  if (splineDistance === null) return 4;
  if (!(splineDistance >= 0)) throw new Error(`preprocessing.n4SplineDistance must be a distance in mm (≥ 0) or null, got ${splineDistance}`);
  const extent = Math.min(...v.size.map((n, a) => Math.max(n - 1, 1) * v.spacing[a]!));
  let levels = 1;
  while (levels < 4 && extent / 2 ** levels >= splineDistance) levels++;
  return levels;
}

export async function preparePatient(p: PatientImages, config: StudyConfig, deps: PrepareDeps = {}): Promise<PreparedPatient> {
  const ref = config.reference;
  const file = (seq: string) => p.files?.[seq] ?? `${p.id}/${seq}`;
  const maskFile = p.files?.mask ?? `${p.id}/mask`;
  const series = (seq: string): Volume => {
    const v = p.series[seq];
    if (!v) throw new Error(`patient ${p.id}: sequence ${seq} is missing`);
    return v;
  };
  for (const seq of config.sequences) series(seq);
  const mismatch = describeGeometryMismatch(series(ref), p.mask);
  if (mismatch) throw new Error(`${maskFile}: the VOI is not on the grid of ${file(ref)} (${mismatch})`);
  const mask = toBinary(p.mask);
  const nVoi = countLabel(mask);
  if (nVoi === 0) throw new Error(`${maskFile}: the VOI is empty (no voxel has label 1)`);
  if (nVoi === 1) throw new Error(`${maskFile}: the VOI is a single voxel; habitats and texture features need a region`);
  // N4, normalisation, registration and resampling would spread NaN/Inf over the whole image.
  for (const seq of config.sequences) checkFiniteVoxels(file(seq), series(seq), describeGeometryMismatch(series(seq), mask) ? [] : mask.data, 1, true);
  let mask2: Volume | undefined;
  if (p.mask2) {
    const m2 = describeGeometryMismatch(series(ref), p.mask2);
    if (m2) throw new Error(`${p.files?.mask2 ?? `${p.id}/mask2`}: the second observer's VOI is not on the grid of ${file(ref)} (${m2})`);
    mask2 = toBinary(p.mask2);
    if (countLabel(mask2) === 0) mask2 = undefined;
  }

  const pp = config.preprocessing;
  const normalise = pp.normalize === 'none' ? undefined : { method: pp.normalize, clipPercentiles: pp.clip ?? undefined };
  const base = (v: Volume) => ({
    // A config without a key (model.json of a study run before it existed) was run with
    // ITK's 4 levels and without a mask: predicting with it must prepare images the same way.
    n4: pp.n4 ? { shrinkFactor: 2, maximumIterations: new Array<number>(n4Levels(v, pp.n4SplineDistance ?? null)).fill(50) } : undefined,
    n4Mask: pp.n4Mask ?? 'none',
    normalise,
  });
  const records: PreparedPatient['records'] = {};
  const registration: Record<string, number[]> = {};
  const onRef: Record<string, Volume> = {};
  const fixed = await preprocessVolume(series(ref), base(series(ref)));
  onRef[ref] = fixed.image;
  records[ref] = fixed.record;
  for (const seq of config.sequences) {
    if (seq === ref) continue;
    const own = await preprocessVolume(series(seq), base(series(seq)));
    let img = own.image;
    if (pp.register !== 'none') {
      if (!deps.elastix) throw new Error('registration needs an elastix implementation');
      try {
        const r = await registerVolumes(fixed.image, img, deps.elastix, {
          transform: pp.register,
          numberOfResolutions: pp.registration.resolutions,
          maximumIterations: pp.registration.iterations,
          spatialSamples: pp.registration.samples,
        });
        img = r.registered;
        own.record.steps.push(r.record);
        registration[seq] = r.record.transformParameters;
      } catch (e) {
        throw new Error(`${file(seq)}: registration onto ${ref} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
    } else {
      const m = describeGeometryMismatch(fixed.image, img);
      if (m) img = resampleToGrid(img, gridOf(fixed.image), { interpolator: 'linear', outputType: 'float32' });
    }
    onRef[seq] = img;
    records[seq] = own.record;
  }

  // One study grid for every series: the union of the VOIs' bounding boxes, resampled as PyRadiomics does.
  const union = mask2 ? { ...mask, data: mask.data.map((v, n) => (v || mask2!.data[n] ? 1 : 0)) } : mask;
  const images: Record<string, Volume> = {};
  let grid = null as ReturnType<typeof gridOf> | null;
  for (const seq of config.sequences) {
    const on = entryOf(onRef, seq, 'series on the reference grid');
    const src = on.data instanceof Float32Array ? on : { ...on, data: Float32Array.from(on.data) };
    if (pp.resample) {
      const r = resampleImageAndMask(src, union, { spacing: pp.resample, interpolator: pp.interpolator, padDistance: PREPARE_MARGIN, label: 1 });
      images[seq] = r.image;
      grid ??= gridOf(r.image);
    } else {
      const r = resampleImageAndMask(src, union, { spacing: src.spacing, interpolator: 'nearest', padDistance: PREPARE_MARGIN, label: 1 });
      images[seq] = r.image;
      grid ??= gridOf(r.image);
    }
  }
  const onGrid = (m: Volume) => resampleToGrid(m, grid!, { interpolator: 'nearest' });
  const out: PreparedPatient = { id: p.id, images, mask: onGrid(mask), records, registration };
  if (countLabel(out.mask) === 0) throw new Error(`${maskFile}: the VOI vanished after resampling (too small for the study spacing)`);
  if (mask2) out.mask2 = onGrid(mask2);
  return out;
}
