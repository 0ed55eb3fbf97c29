/**
 * The per-series preprocessing chain of ../shared/SPEC.md §2 (Preprocessing), in its order:
 * N4 bias-field correction → intensity normalisation → resampling →
 * registration onto a fixed series. Every step is optional and records its
 * settings (and the statistics it used) in a `PreprocessRecord`, so a study
 * can be reproduced exactly.
 */
import type { Vec3, Volume } from './volume.js';
import { n4BiasFieldCorrection, type N4Options, type N4Record } from './n4/n4.js';
import { otsuForegroundMask } from './otsu.js';
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

/** Which voxels N4 fitted the bias field on. */
export type N4MaskRecord =
  | { method: 'otsu'; bins: number; threshold: number; voxels: number }
  | { method: 'mask'; source: string | null; voxels: number }
  | { method: 'none' };

export type N4StepRecord = N4Record & { n4Mask: N4MaskRecord };

export type PreprocessStepRecord = N4StepRecord | NormaliseRecord | ResampleRecord | RegisterRecord;

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
  /**
   * The voxels N4 fits the bias field on: 'otsu' (default) the foreground above
   * Otsu's threshold of the whole image (200 bins), as SimpleITK's N4 example,
   * ANTsR and c3d do when no mask is given; 'none' every voxel, air included;
   * or a mask volume on the image grid. Unset with a `mask` argument: that mask.
   */
  n4Mask?: 'otsu' | 'none' | Volume;
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
    /** elastix implementation (elastixCachedNode in Node, elastix in the browser). */
    elastix: ElastixFunction;
  };
}

function countIncluded(mask: Volume, label: number | undefined): number {
  let n = 0;
  for (let v = 0; v < mask.data.length; v++) if (label === undefined ? mask.data[v] !== 0 : mask.data[v] === label) n++;
  return n;
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
    const choice = opts.mask ? opts.mask : (settings.n4Mask ?? msk ?? 'otsu');
    let n4Mask: N4MaskRecord;
    if (choice === 'otsu') {
      const fg = otsuForegroundMask(img, 200, image.metadata?.source ?? 'image');
      opts.mask = fg.mask;
      n4Mask = { method: 'otsu', bins: fg.bins, threshold: fg.threshold, voxels: fg.voxels };
    } else if (choice === 'none') {
      delete opts.mask;
      n4Mask = { method: 'none' };
    } else {
      if (choice.data.length !== img.data.length) throw new Error(`preprocess: the N4 mask (${choice.size.join('×')}) is not on the image grid (${img.size.join('×')})`);
      opts.mask = choice;
      n4Mask = { method: 'mask', source: choice.metadata?.source ?? null, voxels: countIncluded(choice, opts.maskLabel) };
    }
    const r = n4BiasFieldCorrection(img, opts);
    img = r.corrected;
    steps.push({ ...r.record, n4Mask });
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
