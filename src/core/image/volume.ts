/**
 * The one image type of the workbench: plain data, no methods, so it crosses
 * worker boundaries as a transferable and serialises trivially (modelled on
 * itk-wasm's `Image`).
 *
 * Conventions (the same as ITK / SimpleITK, and therefore PyRadiomics):
 * - voxel (i, j, k) is stored at `data[i + size[0] * (j + size[1] * k)]`
 *   (the first index varies fastest);
 * - `origin` is the physical position (mm, LPS patient frame) of voxel (0, 0, 0)'s centre;
 * - `direction` is the 3×3 direction cosine matrix in row-major order:
 *   `direction[3 * r + c]` is component r (x, y, z in LPS) of the unit vector of
 *   voxel axis c, so physical = origin + D · diag(spacing) · index.
 */
export type VoxelArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

export type Vec3 = [number, number, number];

export interface Volume {
  size: Vec3;
  spacing: Vec3;
  origin: Vec3;
  /** Row-major 3×3 direction cosines; see the module comment. */
  direction: Float64Array;
  data: VoxelArray;
  /** Free-form provenance (file name, reader, original header fields). */
  metadata?: Record<string, string>;
}

export const IDENTITY_DIRECTION: readonly number[] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function voxelCount(size: readonly number[]): number {
  return size[0]! * size[1]! * size[2]!;
}

/** Make a volume; `data` defaults to a zero-filled Float32Array. */
export function createVolume(
  size: Vec3,
  opts: { spacing?: Vec3; origin?: Vec3; direction?: ArrayLike<number>; data?: VoxelArray } = {},
): Volume {
  const n = voxelCount(size);
  const data = opts.data ?? new Float32Array(n);
  if (data.length !== n) {
    throw new Error(`volume data has ${data.length} voxels, size ${size.join('×')} needs ${n}`);
  }
  return {
    size: [...size] as Vec3,
    spacing: [...(opts.spacing ?? [1, 1, 1])] as Vec3,
    origin: [...(opts.origin ?? [0, 0, 0])] as Vec3,
    direction: Float64Array.from(opts.direction ?? IDENTITY_DIRECTION),
    data,
  };
}

/** A volume with the same geometry as `like` and new voxel data. */
export function withData(like: Volume, data: VoxelArray): Volume {
  if (data.length !== like.data.length) {
    throw new Error(`withData: ${data.length} voxels given, geometry needs ${like.data.length}`);
  }
  return {
    size: [...like.size] as Vec3,
    spacing: [...like.spacing] as Vec3,
    origin: [...like.origin] as Vec3,
    direction: Float64Array.from(like.direction),
    data,
    metadata: like.metadata ? { ...like.metadata } : undefined,
  };
}

/** Physical (LPS, mm) position of the centre of voxel (i, j, k). */
export function indexToPhysical(v: Volume, i: number, j: number, k: number): Vec3 {
  const d = v.direction;
  const a = i * v.spacing[0];
  const b = j * v.spacing[1];
  const c = k * v.spacing[2];
  return [
    v.origin[0] + d[0]! * a + d[1]! * b + d[2]! * c,
    v.origin[1] + d[3]! * a + d[4]! * b + d[5]! * c,
    v.origin[2] + d[6]! * a + d[7]! * b + d[8]! * c,
  ];
}

/** Continuous voxel index of a physical point (inverse of indexToPhysical; D is orthonormal). */
export function physicalToIndex(v: Volume, p: readonly number[]): Vec3 {
  const d = v.direction;
  const x = p[0]! - v.origin[0];
  const y = p[1]! - v.origin[1];
  const z = p[2]! - v.origin[2];
  return [
    (d[0]! * x + d[3]! * y + d[6]! * z) / v.spacing[0],
    (d[1]! * x + d[4]! * y + d[7]! * z) / v.spacing[1],
    (d[2]! * x + d[5]! * y + d[8]! * z) / v.spacing[2],
  ];
}

/**
 * Whether two volumes share a voxel grid (size exactly; spacing, origin and
 * direction within `tol`, as SimpleITK's default 1e-6 geometry tolerance).
 */
export function sameGeometry(a: Volume, b: Volume, tol = 1e-5): boolean {
  for (let c = 0; c < 3; c++) {
    if (a.size[c] !== b.size[c]) return false;
    if (Math.abs(a.spacing[c]! - b.spacing[c]!) > tol * Math.max(1, Math.abs(a.spacing[c]!))) return false;
    if (Math.abs(a.origin[c]! - b.origin[c]!) > tol * Math.max(1, Math.abs(a.origin[c]!))) return false;
  }
  for (let c = 0; c < 9; c++) if (Math.abs(a.direction[c]! - b.direction[c]!) > tol) return false;
  return true;
}

/** One-line description of a geometry mismatch, or null when the grids agree. */
export function describeGeometryMismatch(a: Volume, b: Volume, tol = 1e-5): string | null {
  if (sameGeometry(a, b, tol)) return null;
  const f = (x: readonly number[]) => x.map((n) => +n.toFixed(4)).join('×');
  if (a.size.some((s, c) => s !== b.size[c])) return `size ${f(a.size)} vs ${f(b.size)}`;
  if (a.spacing.some((s, c) => Math.abs(s - b.spacing[c]!) > tol * Math.max(1, Math.abs(s))))
    return `spacing ${f(a.spacing)} vs ${f(b.spacing)}`;
  if (a.origin.some((s, c) => Math.abs(s - b.origin[c]!) > tol * Math.max(1, Math.abs(s))))
    return `origin ${f(a.origin)} vs ${f(b.origin)}`;
  return `direction ${f(Array.from(a.direction))} vs ${f(Array.from(b.direction))}`;
}

/** Minimum and maximum over all voxels, ignoring NaN. */
export function intensityRange(data: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let n = 0; n < data.length; n++) {
    const x = data[n]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}
