/**
 * Largest distance between points, through convex hulls: the farthest pair of
 * a point set lies on its convex hull, and a vertex of the 3D hull is also a
 * vertex of the 2D hull of the points sharing its coordinate on each axis (a
 * point inside a planar cross-section's hull is a convex combination of other
 * points). Mesh vertices lie on a few grid planes, so the 2D hulls (Andrew's
 * monotone chain) of every plane along each axis leave a small candidate set
 * whose pairs are then compared.
 */

/** Indices (into `pts`, flat uv pairs) of the strict vertices of their 2D convex hull. */
export function hull2DIndices(pts: Float64Array): number[] {
  const n = pts.length / 2;
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => pts[2 * a] - pts[2 * b] || pts[2 * a + 1] - pts[2 * b + 1]);
  const cross = (o: number, a: number, b: number) =>
    (pts[2 * a] - pts[2 * o]) * (pts[2 * b + 1] - pts[2 * o + 1]) - (pts[2 * a + 1] - pts[2 * o + 1]) * (pts[2 * b] - pts[2 * o]);
  const chain = (order: number[]) => {
    const h: number[] = [];
    for (const p of order) {
      while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], p) <= 0) h.pop();
      h.push(p);
    }
    h.pop();
    return h;
  };
  const hull = [...chain(idx), ...chain([...idx].reverse())];
  // all points coincide or are collinear: keep the extremes
  return hull.length >= 2 ? hull : [idx[0], idx[idx.length - 1]];
}

/** Maximum distance between 2D points (flat uv pairs). */
export function maxDistance2D(points: Float64Array): number {
  const cand = hull2DIndices(points);
  let best = 0;
  for (let a = 0; a < cand.length; a++)
    for (let b = a + 1; b < cand.length; b++) {
      const dx = points[2 * cand[a]] - points[2 * cand[b]];
      const dy = points[2 * cand[a] + 1] - points[2 * cand[b] + 1];
      const d = dx * dx + dy * dy;
      if (d > best) best = d;
    }
  return Math.sqrt(best);
}

/** Mark the points (flat xyz triples) that are 2D hull vertices within their plane normal to `axis`. */
function planeHullMembers(points: Float64Array, axis: number): Uint8Array {
  const n = points.length / 3;
  const [u, v] = [0, 1, 2].filter((d) => d !== axis);
  const planes = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = points[3 * i + axis];
    let g = planes.get(key);
    if (!g) planes.set(key, (g = []));
    g.push(i);
  }
  const member = new Uint8Array(n);
  for (const ids of planes.values()) {
    const uv = new Float64Array(ids.length * 2);
    ids.forEach((p, k) => {
      uv[2 * k] = points[3 * p + u];
      uv[2 * k + 1] = points[3 * p + v];
    });
    for (const k of hull2DIndices(uv)) member[ids[k]] = 1;
  }
  return member;
}

/** Maximum Euclidean distance between any two of the points (flat xyz triples). */
export function maxDistance3D(points: Float64Array): number {
  const n = points.length / 3;
  if (n < 2) return 0;
  const mx = planeHullMembers(points, 0);
  const my = planeHullMembers(points, 1);
  const mz = planeHullMembers(points, 2);
  const cand: number[] = [];
  for (let i = 0; i < n; i++) if (mx[i] && my[i] && mz[i]) cand.push(i);
  let best = 0;
  for (let a = 0; a < cand.length; a++) {
    const i = cand[a];
    const xi = points[3 * i];
    const yi = points[3 * i + 1];
    const zi = points[3 * i + 2];
    for (let b = a + 1; b < cand.length; b++) {
      const j = cand[b];
      const dx = xi - points[3 * j];
      const dy = yi - points[3 * j + 1];
      const dz = zi - points[3 * j + 2];
      const d = dx * dx + dy * dy + dz * dz;
      if (d > best) best = d;
    }
  }
  return Math.sqrt(best);
}
