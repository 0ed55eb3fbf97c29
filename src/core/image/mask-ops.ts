/**
 * Binary-mask operations for VOI delineation that NiiVue's drawing tools do
 * not provide: agreement between two observers' VOIs (Dice, volumes), 3-D hole
 * filling, and which slices of a drawing carry a label. Masks are flat voxel
 * arrays on one grid, x fastest; a voxel is "in" when its value is non-zero
 * (or equals `label` where one is given).
 */

export type Dims3 = readonly [number, number, number] | readonly number[];

function checkSize(what: string, length: number, dims: Dims3): void {
  const n = dims[0] * dims[1] * dims[2];
  if (length !== n) throw new Error(`${what} has ${length} voxels, the grid ${Array.from(dims).join('×')} has ${n}`);
}

export interface MaskAgreement {
  /** 2|A∩B| / (|A| + |B|); 1 when both are empty. */
  dice: number;
  voxelsA: number;
  voxelsB: number;
  intersection: number;
  /** Volumes in mL (voxel count × voxel volume). */
  volumeA: number;
  volumeB: number;
  /** (B − A) / A in %, null when A is empty. */
  volumeDifferencePct: number | null;
}

/** Dice overlap and volumes of two masks on the same grid (non-zero = inside); `voxelMl` is one voxel's volume in mL. */
export function maskAgreement(a: ArrayLike<number>, b: ArrayLike<number>, voxelMl: number): MaskAgreement {
  if (a.length !== b.length) throw new Error(`the masks have ${a.length} and ${b.length} voxels: not the same grid`);
  let na = 0;
  let nb = 0;
  let both = 0;
  for (let i = 0; i < a.length; i++) {
    const ia = a[i] !== 0;
    const ib = b[i] !== 0;
    if (ia) na++;
    if (ib) nb++;
    if (ia && ib) both++;
  }
  return {
    dice: na + nb === 0 ? 1 : (2 * both) / (na + nb),
    voxelsA: na,
    voxelsB: nb,
    intersection: both,
    volumeA: na * voxelMl,
    volumeB: nb * voxelMl,
    volumeDifferencePct: na === 0 ? null : ((nb - na) / na) * 100,
  };
}

/**
 * Fill the holes of a mask in 3-D: every voxel of value 0 that cannot reach the
 * grid's border through 6-connected zero voxels gets `label`. In place; returns
 * the number of voxels filled.
 */
export function fillHoles3d(mask: Uint8Array, dims: Dims3, label: number): number {
  return fillHoles(mask, dims, label, false);
}

/**
 * The same in each slice of the third axis separately (2-D, 4-connected): an
 * outline closed within a slice is filled even when the slices above and below
 * are open.
 */
export function fillHolesPerSlice(mask: Uint8Array, dims: Dims3, label: number): number {
  return fillHoles(mask, dims, label, true);
}

function fillHoles(mask: Uint8Array, dims: Dims3, label: number, planar: boolean): number {
  checkSize('the mask', mask.length, dims);
  const [nx, ny, nz] = [dims[0], dims[1], dims[2]];
  const nxy = nx * ny;
  // 1 = background reached from the border.
  const outside = new Uint8Array(mask.length);
  const queue = new Int32Array(mask.length);
  let head = 0;
  let tail = 0;
  const push = (v: number) => {
    if (mask[v] === 0 && outside[v] === 0) {
      outside[v] = 1;
      queue[tail++] = v;
    }
  };
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        if (x === 0 || y === 0 || x === nx - 1 || y === ny - 1 || (!planar && (z === 0 || z === nz - 1))) push(x + nx * y + nxy * z);
      }
  while (head < tail) {
    const v = queue[head++]!;
    const x = v % nx;
    const y = Math.floor(v / nx) % ny;
    const z = Math.floor(v / nxy);
    if (x > 0) push(v - 1);
    if (x < nx - 1) push(v + 1);
    if (y > 0) push(v - nx);
    if (y < ny - 1) push(v + nx);
    if (!planar && z > 0) push(v - nxy);
    if (!planar && z < nz - 1) push(v + nxy);
  }
  let filled = 0;
  for (let v = 0; v < mask.length; v++) {
    if (mask[v] === 0 && outside[v] === 0) {
      mask[v] = label;
      filled++;
    }
  }
  return filled;
}

/** Indices along the third axis of the slices holding at least one voxel equal to `label`, ascending. */
export function slicesWithLabel(mask: ArrayLike<number>, dims: Dims3, label: number): number[] {
  checkSize('the mask', mask.length, dims);
  const nxy = dims[0] * dims[1];
  const out: number[] = [];
  for (let z = 0; z < dims[2]; z++) {
    for (let v = z * nxy; v < (z + 1) * nxy; v++) {
      if (mask[v] === label) {
        out.push(z);
        break;
      }
    }
  }
  return out;
}

/** Set every voxel equal to `from` to `to`, in place; returns how many changed. */
export function relabel(mask: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let v = 0; v < mask.length; v++)
    if (mask[v] === from) {
      mask[v] = to;
      n++;
    }
  return n;
}
