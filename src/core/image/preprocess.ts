/**
 * The per-series preprocessing chain of ../shared/SPEC.md §2 (Preprocessing), in its order:
 * N4 bias-field correction → intensity normalisation → resampling →
 * registration onto a fixed series. Every step is optional and records its
 * settings (and the statistics it used) in a `PreprocessRecord`, so a study
 * can be reproduced exactly.
 */
import type { Vec3, Volume } from './volume.js';
import { n4BiasFieldCorrection, type N4Options, type N4Record } from './n4/n4.js';
import { normaliseIntensity, type NormaliseRecord, type NormaliseSettings } from './normalise.js';
import { gridForSpacing, resampleToGrid, type GridConvention, type Interpolator } from './resample.js';
import { registerVolumes, type ElastixFunction, type RegisterOptions, type RegisterRecord } from './register.js';

export interface ResampleRecord {
  step: 'resample';
  /** Requested spacing (0 = keep that axis). */
  requestedSpacing: number[];
  spacing: number[];
  size: number[];
  origin: number[];
  interpolator: Interpolator;
  maskInterpolator: 'nearest';
  grid: GridConvention;
}

export type PreprocessStepRecord = N4Record | NormaliseRecord | ResampleRecord | RegisterRecord;

export interface PreprocessRecord {
  /** Format version of this record. */
  version: 1;
  input: { source: string | null; size: number[]; spacing: number[]; origin: number[]; direction: number[] };
  mask: { source: string | null } | null;
  steps: PreprocessStepRecord[];
  output: { size: number[]; spacing: number[]; origin: number[]; direction: number[] };
}

export interface PreprocessSettings {
  /** N4 settings; omit (or false) to skip. `true` = ITK defaults. */
  n4?: N4Options | boolean;
  normalise?: NormaliseSettings;
  resample?: {
    spacing: number[];
    /** Default 'bspline' (PyRadiomics' default). */
    interpolator?: Interpolator;
    /** Default 'pyradiomics' (corner-aligned grid over the whole volume, as SimpleITK). */
    grid?: GridConvention;
  };
  register?: RegisterOptions & {
    fixed: Volume;
    /** elastix implementation (elastixNode in Node, elastix in the browser). */
    elastix: ElastixFunction;
  };
}

function geometry(v: Volume) {
  return { size: [...v.size], spacing: [...v.spacing], origin: [...v.origin], direction: Array.from(v.direction) };
}

/**
 * Run the chain on one series. `mask` (optional, on the image grid) restricts
 * N4 and the normalisation statistics, and is carried through resampling
 * (nearest neighbour). After registration the image is on the fixed grid; the
 * mask is then dropped (the fixed series' mask applies, ../shared/SPEC.md §2.4 (Preprocessing)).
 */
export async function preprocessVolume(
  image: Volume,
  settings: PreprocessSettings,
  mask?: Volume,
): Promise<{ image: Volume; mask?: Volume; record: PreprocessRecord }> {
  if (mask && mask.data.length !== image.data.length) {
    throw new Error(`preprocess: the mask (${mask.size.join('×')}) is not on the image grid (${image.size.join('×')})`);
  }
  const steps: PreprocessStepRecord[] = [];
  let img = image;
  let msk = mask;
  if (settings.n4) {
    const opts: N4Options = settings.n4 === true ? {} : { ...settings.n4 };
    if (msk && !opts.mask) opts.mask = msk;
    const r = n4BiasFieldCorrection(img, opts);
    img = r.corrected;
    steps.push(r.record);
  }
  if (settings.normalise) {
    const r = normaliseIntensity(img, settings.normalise, msk);
    img = r.volume;
    steps.push(r.record);
  }
  if (settings.resample) {
    const grid = settings.resample.grid ?? 'pyradiomics';
    const interpolator = settings.resample.interpolator ?? 'bspline';
    const g = gridForSpacing(img, settings.resample.spacing, grid);
    const boundary = grid === 'ibsi' ? 'extrapolate' : 'itk';
    // float output: normalised intensities are not integers
    img = resampleToGrid(img, g, { interpolator, boundary, outputType: 'float32' });
    if (msk) msk = resampleToGrid(msk, g, { interpolator: 'nearest', boundary });
    steps.push({
      step: 'resample',
      requestedSpacing: [...settings.resample.spacing],
      spacing: [...g.spacing],
      size: [...g.size],
      origin: [...g.origin] as Vec3,
      interpolator,
      maskInterpolator: 'nearest',
      grid,
    });
  }
  if (settings.register) {
    const { fixed, elastix, ...opts } = settings.register;
    const r = await registerVolumes(fixed, img, elastix, opts);
    img = r.registered;
    msk = undefined;
    steps.push(r.record);
  }
  return {
    image: img,
    mask: msk,
    record: {
      version: 1,
      input: { source: image.metadata?.source ?? null, ...geometry(image) },
      mask: mask ? { source: mask.metadata?.source ?? null } : null,
      steps,
      output: geometry(img),
    },
  };
}
