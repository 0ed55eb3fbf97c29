/**
 * Right-angle rotations of separable kernels, for the rotation-invariant filters of
 * IBSI 2 (arXiv:2006.05470, section 2.5: "rotation invariance" by pooling the
 * responses to the 24 right-angle rotations of a 3D kernel, or the 4 in-plane
 * right-angle rotations of a 2D kernel).
 *
 * A separable kernel K(p) = g_i(p_i) g_j(p_j) g_k(p_k) rotated by a signed permutation
 * matrix R is K(Rᵀp): every axis again carries one of the 1D kernels, possibly
 * mirrored. The pre-filter of a wavelet (its low-pass, used at the lower levels)
 * is rotated together with the filter.
 */
export interface SeparableSet {
  /** 1D kernels per axis i, j, k (k null in 2D); odd lengths, centred. */
  axes: (Float64Array | null)[];
  /** Optional per-axis pre-filters, rotated with `axes`. */
  pre?: (Float64Array | null)[];
}

function mirrorKernel(w: Float64Array): Float64Array {
  const r = new Float64Array(w.length);
  for (let t = 0; t < w.length; t++) r[t] = w[w.length - 1 - t]!;
  return r;
}

/** Signed permutation matrices of determinant +1 in `d` dimensions (24 for d = 3, 4 for d = 2). */
export function rightAngleRotations(d: 2 | 3): number[][][] {
  const perms: number[][] = d === 3 ? [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] : [[0, 1], [1, 0]];
  const out: number[][][] = [];
  for (const p of perms) {
    for (let signs = 0; signs < 1 << d; signs++) {
      const m = Array.from({ length: d }, () => new Array<number>(d).fill(0));
      for (let r = 0; r < d; r++) m[r]![p[r]!] = signs & (1 << r) ? -1 : 1;
      if (Math.abs(det(m) - 1) < 1e-9) out.push(m);
    }
  }
  return out;
}

function det(m: number[][]): number {
  if (m.length === 2) return m[0]![0]! * m[1]![1]! - m[0]![1]! * m[1]![0]!;
  return (
    m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
    m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
    m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!)
  );
}

function sameArray(a: Float64Array | null, b: Float64Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let t = 0; t < a.length; t++) if (a[t] !== b[t]) return false;
  return true;
}

function sameSet(a: SeparableSet, b: SeparableSet): boolean {
  for (let c = 0; c < a.axes.length; c++) if (!sameArray(a.axes[c]!, b.axes[c]!)) return false;
  if (a.pre && b.pre) for (let c = 0; c < a.pre.length; c++) if (!sameArray(a.pre[c]!, b.pre[c]!)) return false;
  return true;
}

/**
 * All distinct right-angle rotations of a separable kernel set. Rotations that give
 * an identical kernel set are kept once (so mean pooling averages distinct kernels,
 * as the IBSI 2 reference implementation does).
 */
export function rotateSeparableSet(set: SeparableSet, unique = true): SeparableSet[] {
  const d: 2 | 3 = set.axes[2] ? 3 : 2;
  const out: SeparableSet[] = [];
  for (const m of rightAngleRotations(d)) {
    // Output axis r reads source axis a with m[r][a] = ±1: K'(p) = K(Rᵀp), (Rᵀp)_a = Σ_r m[r][a] p_r.
    const axes: (Float64Array | null)[] = [null, null, null];
    const pre: (Float64Array | null)[] = [null, null, null];
    for (let r = 0; r < d; r++) {
      for (let a = 0; a < d; a++) {
        if (m[r]![a] === 0) continue;
        const flip = m[r]![a]! < 0;
        const g = set.axes[a] as Float64Array;
        axes[r] = flip ? mirrorKernel(g) : g;
        if (set.pre) {
          const q = set.pre[a] as Float64Array;
          pre[r] = flip ? mirrorKernel(q) : q;
        }
      }
    }
    const rotated: SeparableSet = set.pre ? { axes, pre } : { axes };
    if (!unique || !out.some((o) => sameSet(o, rotated))) out.push(rotated);
  }
  return out;
}

export type Pooling = 'max' | 'mean' | 'min';

export function parsePooling(s: unknown): Pooling {
  const v = String(s ?? 'max').toLowerCase();
  if (v === 'max') return 'max';
  if (v === 'mean' || v === 'average' || v === 'avg') return 'mean';
  if (v === 'min') return 'min';
  throw new Error(`pooling must be max, mean or min, got "${v}"`);
}

/** Accumulates response maps under a pooling rule (IBSI 2 section 2.5). */
export class PoolAccumulator {
  private acc: Float64Array | null = null;
  private count = 0;
  constructor(private readonly pooling: Pooling) {}
  add(x: Float64Array): void {
    this.count++;
    if (!this.acc) {
      this.acc = Float64Array.from(x);
      return;
    }
    const a = this.acc;
    if (this.pooling === 'max') for (let n = 0; n < a.length; n++) a[n] = x[n]! > a[n]! ? x[n]! : a[n]!;
    else if (this.pooling === 'min') for (let n = 0; n < a.length; n++) a[n] = x[n]! < a[n]! ? x[n]! : a[n]!;
    else for (let n = 0; n < a.length; n++) a[n]! += x[n]!;
  }
  result(): Float64Array {
    if (!this.acc) throw new Error('pooling: no response maps');
    if (this.pooling === 'mean') for (let n = 0; n < this.acc.length; n++) this.acc[n]! /= this.count;
    return this.acc;
  }
}
