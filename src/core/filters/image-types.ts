/**
 * PyRadiomics' image types (the `imageType:` section of a parameter file) as a
 * registry: `imageTypes[name](volume, mask, settings)` returns the derived images
 * with the prefixes PyRadiomics puts in front of feature names
 * (`original`, `log-sigma-3-0-mm-3D`, `wavelet-LHL`, `square`, `squareroot`,
 * `logarithm`, `exponential`, `gradient`, `lbp-2D`, `lbp-3D-m1`, `lbp-3D-k`).
 *
 * `volume` is the image PyRadiomics passes to its filters: after resampling (which
 * crops to the mask's bounding box plus `padDistance`) or `preCrop`, else the whole
 * image, as PyRadiomics' extractor does. The filters use the whole extent given: LoG
 * (recursive borders), wavelet (periodic wrap) and the intensity types (image
 * maximum) depend on it. `cropToMask: true` restricts the wavelet to the mask's
 * neighbourhood with identical values inside the mask (see ImageTypeSettings).
 *
 * `settings` are PyRadiomics' names, merged as PyRadiomics merges them (global
 * `setting:` overridden by the image type's own customisation).
 */
import type { IndexBox } from '../image/crop.js';
import type { Volume } from '../image/volume.js';
import { logImages, type DerivedImage } from './log.js';
import { pyradiomicsWaveletImages, pyradiomicsWaveletImagesInMask } from './wavelet.js';
import { exponentialImage, logarithmImage, squareImage, squareRootImage } from './intensity.js';
import { gradientMagnitudeImage } from './gradient.js';
import { lbp2DImage, type LbpMethod } from './lbp2d.js';
import { lbp3DImages } from './lbp3d.js';

export type { DerivedImage };

/** The PyRadiomics settings the image types read (others are ignored). */
export interface ImageTypeSettings {
  /** LoG σ values (mm); strings keep the YAML spelling for the name ("3" → log-sigma-3-mm-3D). */
  sigma?: ReadonlyArray<number | string>;
  wavelet?: string;
  start_level?: number;
  level?: number;
  force2D?: boolean;
  force2Ddimension?: number;
  gradientUseSpacing?: boolean;
  lbp2DRadius?: number;
  lbp2DSamples?: number;
  lbp2DMethod?: LbpMethod;
  lbp3DLevels?: number;
  lbp3DIcosphereRadius?: number;
  lbp3DIcosphereSubdivision?: number;
  label?: number;
  /**
   * Not a PyRadiomics setting: compute the wavelet sub-bands only on the mask's
   * bounding box plus the filter reach (needs the mask); voxels inside the mask are
   * bit-identical, voxels further out are NaN. For large images (no resampling, no
   * preCrop), where it saves most of the work. LoG and LBP 3D use recursive filters
   * over the whole image, so they are never cropped.
   */
  cropToMask?: boolean;
  /**
   * Not a PyRadiomics setting: the box (inclusive voxel indices) in which the caller
   * reads the derived images (the extractor: the ROI's bounding box). LoG then filters
   * only the lines that box needs, the wavelet only the voxels the box reads, and both
   * return images of that box only (`DerivedImage.box`), with the whole-image values.
   * Image types that ignore it return whole images (no `box`).
   */
  readBox?: IndexBox;
  [key: string]: unknown;
}

export type ImageTypeFunction = (volume: Volume, mask: Volume | null, settings: ImageTypeSettings) => DerivedImage[];

/** PyRadiomics' image type names (keys of `imageType:`), in PyRadiomics' spelling. */
export const imageTypes: Readonly<Record<string, ImageTypeFunction>> = {
  Original: (volume) => [{ prefix: 'original', volume }],
  LoG: (volume, _mask, s) => logImages(volume, { sigma: s.sigma ?? [], box: s.readBox }).images,
  Wavelet: (volume, mask, s) => {
    const options = {
      wavelet: s.wavelet,
      startLevel: s.start_level,
      level: s.level,
      force2D: s.force2D,
      force2Ddimension: s.force2Ddimension,
      box: s.readBox,
    };
    return s.cropToMask && mask
      ? pyradiomicsWaveletImagesInMask(volume, mask, s.label ?? 1, options)
      : pyradiomicsWaveletImages(volume, options);
  },
  Square: (volume) => [{ prefix: 'square', volume: squareImage(volume) }],
  SquareRoot: (volume) => [{ prefix: 'squareroot', volume: squareRootImage(volume) }],
  Logarithm: (volume) => [{ prefix: 'logarithm', volume: logarithmImage(volume) }],
  Exponential: (volume) => [{ prefix: 'exponential', volume: exponentialImage(volume) }],
  Gradient: (volume, _mask, s) => [{ prefix: 'gradient', volume: gradientMagnitudeImage(volume, s.gradientUseSpacing ?? true) }],
  LBP2D: (volume, _mask, s) => [
    {
      prefix: 'lbp-2D',
      volume: lbp2DImage(volume, {
        radius: s.lbp2DRadius,
        samples: s.lbp2DSamples,
        method: s.lbp2DMethod,
        force2Ddimension: s.force2Ddimension,
      }),
    },
  ],
  LBP3D: (volume, mask, s) => {
    if (!mask) throw new Error('LBP3D: a mask is required (PyRadiomics computes LBP 3D for the masked voxels only)');
    return lbp3DImages(volume, mask, {
      levels: s.lbp3DLevels,
      icosphereRadius: s.lbp3DIcosphereRadius,
      icosphereSubdivision: s.lbp3DIcosphereSubdivision,
      label: s.label,
    });
  },
};

/** The image type names known here. */
export function imageTypeNames(): string[] {
  return Object.keys(imageTypes);
}

/** Look an image type up by its PyRadiomics name (exact spelling, as in a parameter file). */
export function imageTypeByName(name: string): ImageTypeFunction {
  const f = Object.hasOwn(imageTypes, name) ? imageTypes[name] : undefined;
  if (!f) throw new Error(`image type "${name}" is not known (known: ${imageTypeNames().join(', ')})`);
  return f;
}
