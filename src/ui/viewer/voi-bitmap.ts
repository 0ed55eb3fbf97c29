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

/** A grid size (voxels along the file's axes 0, 1, 2). */
export type Size3 = readonly [number, number, number];

/** RAS axis r (0 = R, 1 = A, 2 = S) is file axis `axis`, reversed when `flip`. */
export interface RasAxis {
  axis: 0 | 1 | 2;
  flip: boolean;
}

/** NiiVue's `permRAS` as three RAS axes; throws when it is not a signed permutation of the axes 1, 2, 3. */
export function rasAxes(permRAS: readonly number[]): readonly [RasAxis, RasAxis, RasAxis] {
  const seen = new Set<number>();
  const at = (r: 0 | 1 | 2): RasAxis => {
    const p = permRAS[r];
    const axis = p === undefined ? -1 : Math.abs(p) - 1;
    if (p === undefined || !(axis === 0 || axis === 1 || axis === 2) || seen.has(axis)) {
      throw new Error(`permRAS ${JSON.stringify(Array.from(permRAS))} is not a signed permutation of the axes 1, 2, 3`);
    }
    seen.add(axis);
    return { axis, flip: p < 0 };
  };
  return [at(0), at(1), at(2)];
}

/** The size (dims[1..3]) of a NIfTI header's `dims`, or null when it has fewer than three spatial axes. */
export function niftiSize(dims: readonly number[]): Size3 | null {
  const [, x, y, z] = dims;
  return x === undefined || y === undefined || z === undefined ? null : [x, y, z];
}

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
  const axes = rasAxes(permRAS);
  const fileStride: Size3 = [1, fileSize[0], fileSize[0] * fileSize[1]];
  const layout: RasLayout = { dimsRAS: [0, 0, 0], start: 0, step: [0, 0, 0] };
  for (const r of [0, 1, 2] as const) {
    const { axis, flip } = axes[r];
    layout.dimsRAS[r] = fileSize[axis];
    layout.step[r] = flip ? -fileStride[axis] : fileStride[axis];
    if (flip) layout.start += fileStride[axis] * (fileSize[axis] - 1);
  }
  return layout;
}

/** The error for a voxel index outside the data: cannot happen once checkLength passed and the layout is a permutation. */
function outside(what: string, index: number, length: number): Error {
  return new Error(`${what}: voxel ${index} outside 0..${length - 1}`);
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
    if (!(v !== undefined && Number.isInteger(v) && v >= 0 && v <= 255)) {
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
  const { dimsRAS: [nx, ny, nz], start, step: [sx, sy, sz] } = rasLayout(fileSize, permRAS);
  let o = 0;
  for (let z = 0, iz = start; z < nz; z++, iz += sz) {
    for (let y = 0, iy = iz; y < ny; y++, iy += sy) {
      for (let x = 0, ix = iy; x < nx; x++, ix += sx) {
        // Never undefined (the layout permutes 0..length − 1); the test costs nothing measurable on a typed array.
        const v = data[ix];
        if (v === undefined) throw outside('the image', ix, data.length);
        out[o++] = v;
      }
    }
  }
  return out;
}

/** NiiVue drawing bitmap (RAS order) → file-ordered mask labels on the grid of `fileSize`. */
export function drawBitmapToMask(bitmap: ArrayLike<number>, fileSize: Size3, permRAS: readonly number[]): Uint8Array {
  checkLength('the drawing', bitmap.length, fileSize);
  const { dimsRAS: [nx, ny, nz], start, step: [sx, sy, sz] } = rasLayout(fileSize, permRAS);
  const out = new Uint8Array(bitmap.length);
  let o = 0;
  for (let z = 0, iz = start; z < nz; z++, iz += sz) {
    for (let y = 0, iy = iz; y < ny; y++, iy += sy) {
      for (let x = 0, ix = iy; x < nx; x++, ix += sx) {
        const v = bitmap[o];
        if (v === undefined) throw outside('the drawing', o, bitmap.length);
        out[ix] = v;
        o++;
      }
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
