/**
 * Grow-cut (the cellular automaton of Vezhnevets & Konouchine 2005, "GrowCut:
 * interactive multi-label N-D image segmentation by cellular automata")
 * restricted to a box: the rule, strength and number of steps of NiiVue's
 * `drawGrowCut` (its GPU shader, @niivue/niivue 0.69), run on the CPU over the
 * seeds' bounding box instead of the whole volume.
 *
 * NiiVue's rule, reproduced exactly:
 * - a seed (label > 0) starts with strength 10000, every other voxel with 0;
 * - each step is synchronous: voxel v keeps its label and strength unless a
 *   neighbour n has `strength(n) − |I(n) − I(v)| > strength` (the running
 *   best, neighbours in z, y, x order from −1 to +1), when it takes n's label
 *   and that strength; the neighbours are the 8 diagonal corners (the shader
 *   tests `i != 0 && j != 0 && k != 0`), intensities are the image's int16
 *   values, and there is no normalisation;
 * - 256 steps (128 iterations of 2 passes); in the last one, a voxel whose 27
 *   neighbours (itself included) all have labels 0–3 before that step takes
 *   the most frequent of them (the lowest label on a tie);
 * - outside the grid a neighbour has strength 0 and label 0 (a zero
 *   out-of-range texel fetch). WebGL leaves that fetch to the implementation:
 *   on Chromium's software WebGL (SwiftShader) NiiVue's result differs from
 *   this one only in voxels on the grid's faces (e2e/delineation.spec.ts).
 * The box is treated as the whole grid (its outside as outside the grid), so
 * with the box = the whole volume the rule is NiiVue's. Voxels outside the
 * box keep their labels. Since a step is a function of the state alone, once a
 * step changes nothing the later ones change nothing either: they are skipped
 * (same result, fewer steps).
 *
 * One deliberate difference: NiiVue's set-up skips voxel 0 (its loops start
 * at 1), so that voxel starts with the image's intensity as its label; here
 * voxel 0 is a voxel like the others.
 */

export type Dims3 = readonly [number, number, number];

/** A box of voxels: `lo` inclusive, `hi` exclusive, per axis. */
export interface VoxelBox {
  lo: [number, number, number];
  hi: [number, number, number];
}

/** NiiVue's drawGrowCut: 128 iterations of two passes each. */
export const GROW_CUT_STEPS = 256;
/** NiiVue's seed strength (kMAX_STRENGTH). */
export const GROW_CUT_SEED_STRENGTH = 10000;

/** The bounding box of the non-zero labels grown by `margin` voxels on every side (clipped to the grid); null without any. */
export function seedBox(labels: ArrayLike<number>, dims: Dims3, margin: number): VoxelBox | null {
  const [nx, ny, nz] = dims;
  const lo = [nx, ny, nz];
  const hi = [-1, -1, -1];
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (labels[i] === 0) continue;
        if (x < lo[0]!) lo[0] = x;
        if (x > hi[0]!) hi[0] = x;
        if (y < lo[1]!) lo[1] = y;
        if (y > hi[1]!) hi[1] = y;
        if (z < lo[2]!) lo[2] = z;
        if (z > hi[2]!) hi[2] = z;
      }
  if (hi[0]! < 0) return null;
  const m = Math.max(0, Math.floor(margin));
  return {
    lo: [0, 1, 2].map((a) => Math.max(0, lo[a]! - m)) as [number, number, number],
    hi: [0, 1, 2].map((a) => Math.min(dims[a]!, hi[a]! + 1 + m)) as [number, number, number],
  };
}

/** The whole grid as a box. */
export function wholeBox(dims: Dims3): VoxelBox {
  return { lo: [0, 0, 0], hi: [dims[0], dims[1], dims[2]] };
}

export interface GrowCutResult {
  /** Voxels whose label changed. */
  changed: number;
  /** Steps that changed something (at most GROW_CUT_STEPS − 1; the last step is always run). */
  steps: number;
  box: VoxelBox;
}

/**
 * Grow-cut of `labels` (seeds > 0, x fastest, in place) over `intensity` (the
 * image on the same grid, int16 values) within `box` (default: the whole
 * grid). Throws a one-line error on sizes that do not match.
 */
export function growCut(labels: Uint8Array, intensity: ArrayLike<number>, dims: Dims3, box: VoxelBox = wholeBox(dims)): GrowCutResult {
  const [nx, ny, nz] = dims;
  const n = nx * ny * nz;
  if (labels.length !== n || intensity.length !== n) throw new Error(`grow-cut: the drawing has ${labels.length} voxels and the image ${intensity.length}; the grid ${nx}×${ny}×${nz} has ${n}`);
  for (let a = 0; a < 3; a++) {
    if (!(Number.isInteger(box.lo[a]) && Number.isInteger(box.hi[a]) && box.lo[a]! >= 0 && box.hi[a]! <= dims[a]! && box.lo[a]! < box.hi[a]!)) {
      throw new Error(`grow-cut: the box ${JSON.stringify(box)} is not inside the grid ${nx}×${ny}×${nz}`);
    }
  }
  // The box with a border of one voxel (label 0, strength 0: outside the grid).
  const bx = box.hi[0] - box.lo[0];
  const by = box.hi[1] - box.lo[1];
  const bz = box.hi[2] - box.lo[2];
  const px = bx + 2;
  const py = by + 2;
  const sy = px;
  const sz = px * py;
  const np = px * py * (bz + 2);
  let lab = new Int32Array(np);
  let str = new Int32Array(np);
  let lab2 = new Int32Array(np);
  let str2 = new Int32Array(np);
  const img = new Int32Array(np);
  for (let z = 0; z < bz; z++)
    for (let y = 0; y < by; y++) {
      const src = box.lo[0] + nx * (box.lo[1] + y + ny * (box.lo[2] + z));
      const dst = 1 + sy * (y + 1) + sz * (z + 1);
      for (let x = 0; x < bx; x++) {
        const l = labels[src + x]!;
        lab[dst + x] = l;
        str[dst + x] = l > 0 ? GROW_CUT_SEED_STRENGTH : 0;
        // NiiVue's int16 texture of the image
        img[dst + x] = (intensity[src + x]! << 16) >> 16;
      }
    }
  lab2.set(lab);
  str2.set(str);
  // the 8 diagonal neighbours, in the shader's order (k, then j, then i, each −1 → +1)
  const corners: number[] = [];
  for (let k = -1; k <= 1; k += 2) for (let j = -1; j <= 1; j += 2) for (let i = -1; i <= 1; i += 2) corners.push(i + j * sy + k * sz);
  const [c0, c1, c2, c3, c4, c5, c6, c7] = corners as [number, number, number, number, number, number, number, number];
  const all27: number[] = [];
  for (let k = -1; k <= 1; k++) for (let j = -1; j <= 1; j++) for (let i = -1; i <= 1; i++) all27.push(i + j * sy + k * sz);

  let steps = 0;
  let stable = false;
  for (let step = 0; step < GROW_CUT_STEPS; step++) {
    const last = step === GROW_CUT_STEPS - 1;
    if (stable && !last) continue;
    let changes = 0;
    for (let z = 1; z <= bz; z++)
      for (let y = 1; y <= by; y++) {
        const row = sy * y + sz * z;
        for (let v = row + 1, end = row + bx; v <= end; v++) {
          const bg = img[v]!;
          let label = lab[v]!;
          let strength = str[v]!;
          let t: number;
          t = str[v + c0]! - Math.abs(img[v + c0]! - bg);
          if (t > strength) (strength = t), (label = lab[v + c0]!);
          t = str[v + c1]! - Math.abs(img[v + c1]! - bg);
          if (t > strength) (strength = t), (label = lab[v + c1]!);
          t = str[v + c2]! - Math.abs(img[v + c2]! - bg);
          if (t > strength) (strength = t), (label = lab[v + c2]!);
          t = str[v + c3]! - Math.abs(img[v + c3]! - bg);
          if (t > strength) (strength = t), (label = lab[v + c3]!);
          t = str[v + c4]! - Math.abs(img[v + c4]! - bg);
          if (t > strength) (strength = t), (label = lab[v + c4]!);
          t = str[v + c5]! - Math.abs(img[v + c5]! - bg);
          if (t > strength) (strength = t), (label = lab[v + c5]!);
          t = str[v + c6]! - Math.abs(img[v + c6]! - bg);
          if (t > strength) (strength = t), (label = lab[v + c6]!);
          t = str[v + c7]! - Math.abs(img[v + c7]! - bg);
          if (t > strength) (strength = t), (label = lab[v + c7]!);
          if (last) label = majority(lab, v, all27, label);
          if (strength !== str[v] || label !== lab[v]) changes++;
          lab2[v] = label;
          str2[v] = strength;
        }
      }
    [lab, lab2] = [lab2, lab];
    [str, str2] = [str2, str];
    if (changes > 0 && !last) steps++;
    if (changes === 0) stable = true;
  }
  let changed = 0;
  for (let z = 0; z < bz; z++)
    for (let y = 0; y < by; y++) {
      const dst = box.lo[0] + nx * (box.lo[1] + y + ny * (box.lo[2] + z));
      const src = 1 + sy * (y + 1) + sz * (z + 1);
      for (let x = 0; x < bx; x++) {
        const l = lab[src + x]! & 0xff;
        if (labels[dst + x] !== l) changed++;
        labels[dst + x] = l;
      }
    }
  return { changed, steps, box };
}

/** The last step's smoothing: the most frequent label 0–3 among the 27 voxels around `v` (before the step), or `label` when one is outside 0–3. */
function majority(lab: Int32Array, v: number, offsets: readonly number[], label: number): number {
  const count = [0, 0, 0, 0];
  for (const o of offsets) {
    const l = lab[v + o]!;
    if (l < 0 || l > 3) return label;
    count[l]!++;
  }
  let best = 0;
  for (let i = 1; i < 4; i++) if (count[i]! > count[best]!) best = i;
  return best;
}
