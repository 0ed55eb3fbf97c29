/**
 * The shape of a feature family: one `prepare` step that computes the family's
 * matrix / coefficients once, and pure feature functions of that result. The
 * registry (`registry.ts`) lists every family; the CLI and docs/features.md are
 * generated from it.
 */
import type { DiscretisedRoi } from './discretise.js';
import type { RoiImage } from './roi.js';

export type WeightingNorm = 'manhattan' | 'euclidean' | 'infinity' | 'no_weighting' | null;

/** Settings the feature classes read (PyRadiomics names and defaults). */
export interface FeatureClassSettings {
  binWidth: number;
  binCount: number | null;
  distances: number[];
  force2D: boolean;
  force2Ddimension: number;
  symmetricalGLCM: boolean;
  weightingNorm: WeightingNorm;
  gldm_a: number;
  voxelArrayShift: number;
}

export const DEFAULT_FEATURE_CLASS_SETTINGS: FeatureClassSettings = {
  binWidth: 25,
  binCount: null,
  distances: [1],
  force2D: false,
  force2Ddimension: 0,
  symmetricalGLCM: true,
  weightingNorm: null,
  gldm_a: 0,
  voxelArrayShift: 0,
};

/** What a family's `prepare` receives: the cropped ROI and, for grey-level families, its discretisation. */
export interface FamilyInput {
  roi: RoiImage;
  /** Discretised ROI (computed once per image and mask and shared by all families). */
  binned: () => DiscretisedRoi;
  settings: FeatureClassSettings;
}

export interface FeatureDefinition<C> {
  /** PyRadiomics feature name (e.g. `JointEntropy`). */
  name: string;
  /** IBSI 1 identifier (four-letter code) where the feature has one. */
  ibsi?: string;
  /** Definition in plain text (Unicode maths). */
  formula: string;
  /** Deprecated in PyRadiomics: computed only when named explicitly. */
  deprecated?: boolean;
  /** Removed from PyRadiomics (raises DeprecationWarning): listed, never output. */
  removed?: boolean;
  compute: (ctx: C) => number;
}

export interface FeatureFamily<C> {
  /** PyRadiomics feature class name (`firstorder`, `glcm`, …). */
  name: string;
  title: string;
  description: string;
  prepare: (input: FamilyInput) => C;
  features: FeatureDefinition<C>[];
}

/** numpy.nanmean over a small array (NaN entries ignored; all NaN → NaN). */
export function nanMean(xs: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  return n ? s / n : NaN;
}

/** numpy.spacing(1): the epsilon PyRadiomics adds inside logarithms. */
export const EPS = 2.220446049250313e-16;
