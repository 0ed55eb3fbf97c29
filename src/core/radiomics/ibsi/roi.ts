/**
 * The plain-data region of interest that every IBSI 1 feature family reads: a voxel grid with
 * intensities, the morphological mask and the intensity mask (IBSI 1 manual, section 2.1:
 * the two masks differ after re-segmentation), and — for texture and the intensity histogram —
 * the discretised grey levels.
 */
export type Size3 = [number, number, number];

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

/** Values of `image` where `mask` is set, in grid order. */
export function maskedValues(image: ArrayLike<number>, mask: Uint8Array): Float64Array {
  let n = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v]) n++;
  const out = new Float64Array(n);
  n = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v]) out[n++] = image[v];
  return out;
}

export function countMask(mask: Uint8Array): number {
  let n = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v]) n++;
  return n;
}

/**
 * Crop an ROI to the bounding box of its morphological mask plus `margin` voxels per axis (clipped to the
 * grid), so that texture and shape loops do not walk over empty background.
 */
export function cropRoi(roi: IbsiRoi, margin: number | Size3): IbsiRoi {
  const m3 = typeof margin === 'number' ? [margin, margin, margin] : margin;
  const [nx, ny, nz] = roi.size;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        if (!roi.morphMask[i + nx * (j + ny * k)]) continue;
        const p = [i, j, k];
        for (let c = 0; c < 3; c++) {
          if (p[c] < lo[c]) lo[c] = p[c];
          if (p[c] > hi[c]) hi[c] = p[c];
        }
      }
  if (lo[0] === Infinity) throw new Error('IBSI: the region of interest is empty');
  for (let c = 0; c < 3; c++) {
    lo[c] = Math.max(0, lo[c] - m3[c]);
    hi[c] = Math.min(roi.size[c] - 1, hi[c] + m3[c]);
  }
  const size: Size3 = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
  const n = size[0] * size[1] * size[2];
  const image = new Float64Array(n);
  const morphMask = new Uint8Array(n);
  const intMask = new Uint8Array(n);
  let t = 0;
  for (let k = lo[2]; k <= hi[2]; k++)
    for (let j = lo[1]; j <= hi[1]; j++)
      for (let i = lo[0]; i <= hi[0]; i++, t++) {
        const s = i + nx * (j + ny * k);
        image[t] = roi.image[s];
        morphMask[t] = roi.morphMask[s];
        intMask[t] = roi.intMask[s];
      }
  return { size, spacing: [...roi.spacing] as Size3, image, morphMask, intMask };
}
