/**
 * VOI mask voxels ↔ NiiVue's drawing bitmap.
 *
 * NiiVue draws into a Uint8Array laid out on its RAS-reoriented copy of the
 * background volume: it permutes and flips the file's voxel axes (no
 * resampling) so that bitmap axis 0 runs towards Right, 1 towards Anterior,
 * 2 towards Superior. `permRAS` (from the NVImage) says, for RAS axis r, which
 * file axis it is (1-based) and whether it is flipped (negative); this is the
 * mapping NiiVue's own img2RAS and drawing export use. The functions here are
 * exact index permutations, so mask → bitmap → mask returns the same voxels.
 */

export type Size3 = readonly [number, number, number] | readonly number[];

/** Where bitmap voxel (0, 0, 0) is in the file's data and how far one step along each RAS axis moves there. */
export interface RasLayout {
  /** Bitmap size along R, A, S. */
  dimsRAS: [number, number, number];
  /** Index in the file-ordered data of bitmap voxel (0, 0, 0). */
  start: number;
  /** Change of the file-ordered index for one step along R, A, S. */
  step: [number, number, number];
}

export function rasLayout(fileSize: Size3, permRAS: readonly number[]): RasLayout {
  const axes = [0, 1, 2].map((r) => Math.abs(permRAS[r]) - 1);
  if (permRAS.length < 3 || axes.some((a) => !Number.isInteger(a) || a < 0 || a > 2) || new Set(axes).size !== 3) {
    throw new Error(`permRAS ${JSON.stringify(Array.from(permRAS))} is not a signed permutation of the axes 1, 2, 3`);
  }
  const fileStride = [1, fileSize[0], fileSize[0] * fileSize[1]];
  const dimsRAS = axes.map((a) => fileSize[a]) as [number, number, number];
  const step = [0, 0, 0] as [number, number, number];
  let start = 0;
  for (let r = 0; r < 3; r++) {
    const a = axes[r];
    if (permRAS[r] < 0) {
      step[r] = -fileStride[a];
      start += fileStride[a] * (fileSize[a] - 1);
    } else {
      step[r] = fileStride[a];
    }
  }
  return { dimsRAS, start, step };
}

function checkLength(what: string, length: number, size: Size3): void {
  const n = size[0] * size[1] * size[2];
  if (length !== n) throw new Error(`${what} has ${length} voxels, the grid ${Array.from(size).join('×')} has ${n}`);
}

/**
 * The first voxel whose value cannot be a drawing label (an integer 0–255),
 * as a one-line reason, or null when every value fits.
 */
export function labelProblem(data: ArrayLike<number>, fileSize: Size3): string | null {
  for (let n = 0; n < data.length; n++) {
    const v = data[n];
    if (!(Number.isInteger(v) && v >= 0 && v <= 255)) {
      const i = n % fileSize[0];
      const j = Math.floor(n / fileSize[0]) % fileSize[1];
      const k = Math.floor(n / (fileSize[0] * fileSize[1]));
      return `voxel (${i}, ${j}, ${k}) holds ${v}; a VOI can be edited only when its labels are integers 0–255`;
    }
  }
  return null;
}

/** File-ordered mask labels (integers 0–255) → NiiVue drawing bitmap (RAS order). */
export function maskToDrawBitmap(data: ArrayLike<number>, fileSize: Size3, permRAS: readonly number[]): Uint8Array {
  checkLength('the mask', data.length, fileSize);
  const problem = labelProblem(data, fileSize);
  if (problem) throw new Error(problem);
  return rasOrdered(data, fileSize, permRAS, new Uint8Array(data.length));
}

/** File-ordered voxels → RAS order (the drawing's), written into `out` (its type converts: an Int16Array gives NiiVue's int16 copy of the image). */
export function rasOrdered<T extends { [i: number]: number; length: number }>(data: ArrayLike<number>, fileSize: Size3, permRAS: readonly number[], out: T): T {
  checkLength('the image', data.length, fileSize);
  const { dimsRAS, start, step } = rasLayout(fileSize, permRAS);
  let o = 0;
  for (let z = 0, iz = start; z < dimsRAS[2]; z++, iz += step[2]) {
    for (let y = 0, iy = iz; y < dimsRAS[1]; y++, iy += step[1]) {
      for (let x = 0, ix = iy; x < dimsRAS[0]; x++, ix += step[0]) out[o++] = data[ix];
    }
  }
  return out;
}

/** NiiVue drawing bitmap (RAS order) → file-ordered mask labels on the grid of `fileSize`. */
export function drawBitmapToMask(bitmap: ArrayLike<number>, fileSize: Size3, permRAS: readonly number[]): Uint8Array {
  checkLength('the drawing', bitmap.length, fileSize);
  const { dimsRAS, start, step } = rasLayout(fileSize, permRAS);
  const out = new Uint8Array(bitmap.length);
  let o = 0;
  for (let z = 0, iz = start; z < dimsRAS[2]; z++, iz += step[2]) {
    for (let y = 0, iy = iz; y < dimsRAS[1]; y++, iy += step[1]) {
      for (let x = 0, ix = iy; x < dimsRAS[0]; x++, ix += step[0]) out[ix] = bitmap[o++];
    }
  }
  return out;
}

/** Voxels with a non-zero label. */
export function countNonzero(data: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) n++;
  return n;
}
