/**
 * The feature registry: every PyRadiomics-compatible family and feature, with
 * its IBSI code and formula. The extractor, the CLI and docs/features.md are
 * generated from this list, so names and definitions cannot drift apart.
 */
import type { FeatureDefinition, FeatureFamily } from './family.js';
import { firstOrderFamily } from './firstorder/features.js';
import { glcmFamily } from './glcm/features.js';
import { gldmFamily } from './gldm/features.js';
import { glrlmFamily } from './glrlm/features.js';
import { glszmFamily } from './glszm/features.js';
import { ngtdmFamily } from './ngtdm/features.js';
import { shapeFamily } from './shape/features.js';
import { shape2DFamily } from './shape2D/features.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFamily = FeatureFamily<any>;

/** PyRadiomics' feature classes, in its default order (module names sorted). */
export const FEATURE_FAMILIES: readonly AnyFamily[] = [
  firstOrderFamily,
  glcmFamily,
  gldmFamily,
  glrlmFamily,
  glszmFamily,
  ngtdmFamily,
  shapeFamily,
  shape2DFamily,
];

export type FeatureClassName = 'firstorder' | 'glcm' | 'gldm' | 'glrlm' | 'glszm' | 'ngtdm' | 'shape' | 'shape2D';

export function getFamily(name: string): AnyFamily | undefined {
  return FEATURE_FAMILIES.find((f) => f.name === name);
}

/**
 * The features of a family in PyRadiomics' order: the order in which
 * `inspect.getmembers` lists its `get<Name>FeatureValue` methods (sorted by method name).
 */
export function orderedFeatures<C>(family: FeatureFamily<C>): FeatureDefinition<C>[] {
  const key = (n: string) => `get${n}FeatureValue`;
  return [...family.features].sort((a, b) => (key(a.name) < key(b.name) ? -1 : key(a.name) > key(b.name) ? 1 : 0));
}

/** A flat listing of every feature (for docs and the CLI's `--list`). */
export interface FeatureInfo {
  family: string;
  name: string;
  ibsi?: string;
  formula: string;
  deprecated: boolean;
  removed: boolean;
}

export function listFeatures(): FeatureInfo[] {
  return FEATURE_FAMILIES.flatMap((f) =>
    orderedFeatures(f).map((d) => ({
      family: f.name,
      name: d.name,
      ibsi: d.ibsi,
      formula: d.formula,
      deprecated: !!d.deprecated,
      removed: !!d.removed,
    })),
  );
}
