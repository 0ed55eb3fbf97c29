/**
 * The plain-data region of interest that every IBSI 1 feature family reads: a voxel grid with
 * intensities, the morphological mask and the intensity mask (IBSI 1 manual, section 2.1:
 * the two masks differ after re-segmentation), and — for texture and the intensity histogram —
 * the discretised grey levels.
 */
import { boxSize, cropToBox, growBox, maskBoundingBox, type Size3 } from '../kernels/grid.js';

export type { Size3 };

export interface IbsiRoi {
  /** Grid size (i, j, k); voxel (i, j, k) at i + nx·(j + ny·k). */
  size: Size3;
  /** Voxel spacing in mm. */
  spacing: Size3;
  /** Intensities of the whole grid (the local intensity features need voxels outside the ROI too). */
  image: Float64Array;
  /** Morphological mask (1 = inside): shape features. */
  morphMask: Uint8Array;
  /** Intensity mask (1 = inside): intensity and texture features. */
  intMask: Uint8Array;
}

/** Discretised grey levels 1…ng inside the intensity mask, 0 outside. */
export interface DiscreteGrid {
  size: Size3;
  levels: Int32Array;
  /** Number of grey levels N_g of the discretisation. */
  ng: number;
}

/**
 * Crop an ROI to the bounding box of its morphological mask plus `margin` voxels per axis (clipped to the
 * grid), so that texture and shape loops do not walk over empty background.
 */
export function cropRoi(roi: IbsiRoi, margin: number | Size3): IbsiRoi {
  const bb = maskBoundingBox(roi.morphMask, roi.size);
  if (!bb) throw new Error('IBSI: the region of interest is empty');
  const box = growBox(bb, margin, roi.size);
  return {
    size: boxSize(box),
    spacing: [...roi.spacing] as Size3,
    image: cropToBox(roi.image, roi.size, box, Float64Array),
    morphMask: cropToBox(roi.morphMask, roi.size, box, Uint8Array),
    intMask: cropToBox(roi.intMask, roi.size, box, Uint8Array),
  };
}
