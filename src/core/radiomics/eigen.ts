/**
 * Eigenvalues of a real symmetric matrix: Householder reduction to tridiagonal
 * form, then the implicit QL algorithm with Wilkinson shifts (Golub & Van Loan
 * §8.3; the classic tred2/tql1 pair without eigenvectors). Used for the shape
 * covariance (3×3, 2×2) and the GLCM's MCC matrix (N_g × N_g).
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  // Householder tridiagonalisation (lower triangle), rows n−1 … 1
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    let h = 0;
    let scale = 0;
    if (l > 0) {
      for (let k = 0; k <= l; k++) scale += Math.abs(m[i * n + k]!);
      if (scale === 0) e[i] = m[i * n + l]!;
      else {
        for (let k = 0; k <= l; k++) {
          m[i * n + k]! /= scale;
          h += m[i * n + k]! * m[i * n + k]!;
        }
        let f = m[i * n + l]!;
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        m[i * n + l] = f - g;
        f = 0;
        for (let j = 0; j <= l; j++) {
          let gg = 0;
          for (let k = 0; k <= j; k++) gg += m[j * n + k]! * m[i * n + k]!;
          for (let k = j + 1; k <= l; k++) gg += m[k * n + j]! * m[i * n + k]!;
          e[j] = gg / h;
          f += e[j]! * m[i * n + j]!;
        }
        const hh = f / (h + h);
        for (let j = 0; j <= l; j++) {
          const fj = m[i * n + j]!;
          const gj = (e[j]! -= hh * fj);
          for (let k = 0; k <= j; k++) m[j * n + k]! -= fj * e[k]! + gj * m[i * n + k]!;
        }
      }
    } else e[i] = m[i * n + l]!;
    d[i] = h;
  }
  for (let i = 0; i < n; i++) d[i] = m[i * n + i]!;
  // implicit QL on the tridiagonal (d, e)
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  if (n > 0) e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let mm = l;
      for (; mm < n - 1; mm++) {
        const dd = Math.abs(d[mm]!) + Math.abs(d[mm + 1]!);
        if (Math.abs(e[mm]!) <= Number.EPSILON * dd) break;
      }
      if (mm === l) break;
      if (++iter > 60) throw new Error('symmetricEigenvalues: no convergence');
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[mm]! - d[l]! + e[l]! / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = mm - 1;
      for (; i >= l; i--) {
        let f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1]! -= p;
          e[mm] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        f = 0;
      }
      if (r === 0 && i >= l) continue;
      d[l]! -= p;
      e[l] = g;
      e[mm] = 0;
    }
  }
  return d.sort();
}
