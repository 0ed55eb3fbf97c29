/** Small dense linear algebra for the model fits (p ≲ a few hundred). Row-major number[][] matrices. */

/**
 * Cholesky factor L (lower, A = L·Lᵀ) of a symmetric positive-definite matrix.
 * Returns the index of the first non-positive pivot instead when A is singular
 * (relative to its diagonal), so callers can name the offending variable.
 */
export function cholesky(a: number[][]): { l: number[][] } | { singularAt: number } {
  const p = a.length;
  const l = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    let d = a[j]![j]!;
    for (let k = 0; k < j; k++) d -= l[j]![k]! * l[j]![k]!;
    if (!(d > 1e-12 * Math.max(1e-300, Math.abs(a[j]![j]!)))) return { singularAt: j };
    const ljj = Math.sqrt(d);
    l[j]![j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = s / ljj;
    }
  }
  return { l };
}

/** Solve L·Lᵀ·x = b. */
export function choleskySolve(l: number[][], b: number[]): number[] {
  const p = l.length;
  const z = new Array<number>(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * z[k]!;
    z[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

/** Inverse of A = L·Lᵀ from its Cholesky factor. */
export function choleskyInverse(l: number[][]): number[][] {
  const p = l.length;
  const inv = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    const e = new Array<number>(p).fill(0);
    e[j] = 1;
    const col = choleskySolve(l, e);
    for (let i = 0; i < p; i++) inv[i]![j] = col[i]!;
  }
  return inv;
}

/** Rows (samples × features) → validated number[][] with a consistent width. */
export function toMatrix(x: ArrayLike<ArrayLike<number>>, name: string): number[][] {
  assertMatrix(x, name);
  return Array.from(x, (row) => (Array.isArray(row) ? (row as number[]).slice() : Array.from(row)));
}

/** Throws, naming `name`, unless x is a non-empty matrix of finite numbers with one width (the checks of `toMatrix`, without the copy). */
export function assertMatrix(x: ArrayLike<ArrayLike<number>>, name: string): void {
  const n = x.length;
  if (n === 0) throw new Error(`${name}: no rows`);
  const p = x[0]!.length;
  for (let i = 0; i < n; i++) {
    const row = x[i]!;
    if (row.length !== p) throw new Error(`${name}: row ${i} has ${row.length} values, expected ${p}`);
    for (let j = 0; j < p; j++) {
      const v = row[j];
      if (!Number.isFinite(v)) throw new Error(`${name}: value at row ${i}, column ${j} is not a finite number (${v})`);
    }
  }
}

/** Column-major copy: one Float64Array per feature, for coordinate descent. */
export function toColumns(rows: number[][]): Float64Array[] {
  const n = rows.length;
  const p = rows[0]!.length;
  const cols = Array.from({ length: p }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    for (let j = 0; j < p; j++) cols[j]![i] = r[j]!;
  }
  return cols;
}

/** Labels validated as 0/1 numbers. */
export function toBinary(y: ArrayLike<number>, name: string, n: number): number[] {
  if (y.length !== n) throw new Error(`${name}: ${y.length} labels for ${n} rows`);
  const out = Array.from(y);
  out.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new Error(`${name}: label at index ${i} is ${v}, expected 0 or 1`);
  });
  const nPos = out.reduce((s, v) => s + v, 0);
  if (nPos === 0 || nPos === n) throw new Error(`${name}: needs both classes (got ${nPos} positive of ${n})`);
  return out;
}

export function sigmoid(eta: number): number {
  return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
}
