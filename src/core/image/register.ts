/**
 * Rigid (or affine) registration of a moving series onto a fixed one with
 * elastix (Klein et al. 2010, IEEE TMI 29(1)) compiled to WebAssembly
 * (`@itk-wasm/elastix`). ../shared/SPEC.md §2.4 (Preprocessing): CE-T1 and FS-CE-T1 are registered onto T2WI,
 * so the T2WI VOI applies to all three.
 *
 * This module has no Node or DOM imports: the elastix function is injected.
 * - Node: `registerVolumesNode` in `register-node.ts` passes `elastixCachedNode`,
 *   which loads its pipeline from node_modules (no network) once per process.
 * - Browser / worker: pass a wrapper around the package's `elastix` export,
 *   after `setPipelinesBaseUrl` has pointed it at the app's own copy of the
 *   pipelines, e.g.
 *   `(p, o) => elastix(p, { ...o, webWorker: false })` inside a worker
 *   (itk-wasm then keeps the module for the worker's later calls).
 */
import type { Image, JsonCompatible } from 'itk-wasm';
import type { Volume } from './volume.js';
import { imageToVolume, volumeToImage } from './itk-image.js';

/** elastix parameter map: every value is a list of strings, as in elastix parameter files. */
export type ElastixParameterMap = Record<string, string[]>;

/** The part of `elastix` / `elastixNode` this module uses. */
export type ElastixFunction = (
  parameterObject: JsonCompatible,
  options: { fixed: Image; moving: Image },
) => Promise<{ result: Image; transformParameterObject: JsonCompatible }>;

export interface RegisterOptions {
  /** 'rigid' (Euler: 3 rotations + 3 translations, default) or 'affine' (12 parameters). */
  transform?: 'rigid' | 'affine';
  /** Multi-resolution levels (Gaussian smoothing pyramid); default 3. */
  numberOfResolutions?: number;
  /** Optimiser iterations per resolution; default 256 (elastix's default map). */
  maximumIterations?: number;
  /** Random samples per iteration for the metric; default 2048. */
  spatialSamples?: number;
  /** Extra or overriding elastix parameters (strings), applied last. */
  parameters?: ElastixParameterMap;
}

export interface RegisterRecord {
  step: 'register';
  transform: 'rigid' | 'affine';
  /** The complete elastix parameter map used. */
  parameterMap: ElastixParameterMap;
  /** elastix's TransformParameters of the result (rigid: rotations in radians about x, y, z, then translations in mm). */
  transformParameters: number[];
  /** Centre of rotation (mm, LPS) elastix used. */
  centerOfRotation: number[];
  fixedGrid: { size: number[]; spacing: number[]; origin: number[] };
}

export interface RegisterResult {
  /** The moving image resampled onto the fixed grid (float32, cubic B-spline, 0 outside). */
  registered: Volume;
  /** elastix's transform parameter object (transformix input) for resampling other images or masks. */
  transformParameterObject: JsonCompatible;
  record: RegisterRecord;
}

/**
 * elastix parameter map for rigid/affine registration of MR series: Mattes
 * mutual information (so different contrasts can be aligned), adaptive
 * stochastic gradient descent, a 3-level smoothing pyramid, centre-of-geometry
 * initialisation, cubic B-spline resampling of the result. Based on elastix's
 * default rigid map (defaultParameterMap('rigid')).
 */
export function registrationParameterMap(opts: RegisterOptions = {}): ElastixParameterMap {
  const transform = opts.transform ?? 'rigid';
  const map: ElastixParameterMap = {
    Registration: ['MultiResolutionRegistration'],
    FixedImagePyramid: ['FixedSmoothingImagePyramid'],
    MovingImagePyramid: ['MovingSmoothingImagePyramid'],
    NumberOfResolutions: [String(opts.numberOfResolutions ?? 3)],
    Metric: ['AdvancedMattesMutualInformation'],
    NumberOfHistogramBins: ['32'],
    Optimizer: ['AdaptiveStochasticGradientDescent'],
    AutomaticParameterEstimation: ['true'],
    MaximumNumberOfIterations: [String(opts.maximumIterations ?? 256)],
    Transform: [transform === 'rigid' ? 'EulerTransform' : 'AffineTransform'],
    AutomaticScalesEstimation: ['true'],
    AutomaticTransformInitialization: ['true'],
    AutomaticTransformInitializationMethod: ['GeometricalCenter'],
    HowToCombineTransforms: ['Compose'],
    ImageSampler: ['RandomCoordinate'],
    NumberOfSpatialSamples: [String(opts.spatialSamples ?? 2048)],
    NewSamplesEveryIteration: ['true'],
    CheckNumberOfSamples: ['true'],
    MaximumNumberOfSamplingAttempts: ['8'],
    // A fixed sampler seed: the same registration in Node and in the browser (elastix otherwise seeds from its own default per build).
    RandomSeed: ['121212'],
    Interpolator: ['LinearInterpolator'],
    ResampleInterpolator: ['FinalBSplineInterpolator'],
    FinalBSplineInterpolationOrder: ['3'],
    Resampler: ['DefaultResampler'],
    DefaultPixelValue: ['0'],
    FixedInternalImagePixelType: ['float'],
    MovingInternalImagePixelType: ['float'],
    ResultImagePixelType: ['float'],
    WriteResultImage: ['true'],
    WriteIterationInfo: ['false'],
  };
  return { ...map, ...(opts.parameters ?? {}) };
}

function asFloat32Image(v: Volume): Image {
  return volumeToImage({ ...v, data: Float32Array.from(v.data), metadata: undefined });
}

/** Register `moving` onto `fixed`; returns the moving image on the fixed grid, the transform and the record. */
export async function registerVolumes(fixed: Volume, moving: Volume, elastixFn: ElastixFunction, opts: RegisterOptions = {}): Promise<RegisterResult> {
  for (const [name, v] of [['fixed', fixed], ['moving', moving]] as const) {
    if (v.size.some((n) => n < 4)) throw new Error(`register: the ${name} image (${v.size.join('×')}) is too small to register`);
  }
  const parameterMap = registrationParameterMap(opts);
  const out = await elastixFn([parameterMap] as unknown as JsonCompatible, { fixed: asFloat32Image(fixed), moving: asFloat32Image(moving) });
  const registered = imageToVolume(out.result, 'registered');
  registered.metadata = { ...(moving.metadata ?? {}), registeredTo: fixed.metadata?.source ?? 'fixed' };
  const tp = (out.transformParameterObject as unknown as Record<string, string[]>[])[0] ?? {};
  const nums = (k: string) => (tp[k] ?? []).map(Number);
  return {
    registered,
    transformParameterObject: out.transformParameterObject,
    record: {
      step: 'register',
      transform: opts.transform ?? 'rigid',
      parameterMap,
      transformParameters: nums('TransformParameters'),
      centerOfRotation: nums('CenterOfRotationPoint'),
      fixedGrid: { size: [...fixed.size], spacing: [...fixed.spacing], origin: [...fixed.origin] },
    },
  };
}

/** Normalised cross-correlation of two volumes on the same grid (optionally only where `where` is non-zero). */
export function normalisedCrossCorrelation(a: ArrayLike<number>, b: ArrayLike<number>, where?: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`ncc: ${a.length} vs ${b.length} voxels`);
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let v = 0; v < a.length; v++) {
    if (where && !where[v]) continue;
    sa += a[v]!;
    sb += b[v]!;
    n++;
  }
  const ma = sa / n;
  const mb = sb / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let v = 0; v < a.length; v++) {
    if (where && !where[v]) continue;
    const x = a[v]! - ma;
    const y = b[v]! - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}
