/**
 * Convex hulls and largest distances between points: the kernel under both radiomics engines'
 * shape features. The engines need different things from it, each pinned to its reference:
 *
 * - Largest distance (PyRadiomics' Maximum3DDiameter and the plane diameters, IBSI's maximum
 *   diameter): the farthest pair of a point set lies on its convex hull, so candidates are
 *   narrowed first and `maxPairDistance` compares their pairs. PyRadiomics' mesh vertices lie on
 *   a few grid planes, and a vertex of the 3D hull is also a vertex of the 2D hull of the points
 *   sharing its coordinate on each axis (a point inside a planar cross-section's hull is a convex
 *   combination of other points): the 2D hulls (Andrew's monotone chain) of every plane along each
 *   axis leave a small candidate set (`maxDistance3D`). IBSI takes the vertices of the 3D hull it
 *   builds anyway.
 * - Hull volume and area (IBSI 1 §3.1.11, §3.1.25–26; PyRadiomics has no hull features):
 *   `convexHull`, an incremental 3D hull: start from a non-degenerate tetrahedron, add each point
 *   that lies above some face, replacing the faces it sees by a fan over their horizon. Points on
 *   a face's plane (within a tolerance) are not added: they change neither the hull's volume and
 *   area nor its extreme vertices. `latticeHullCandidates` rules out points between two others on
 *   an axis-parallel line of a lattice first.
 */

/** Indices (into `pts`, flat uv pairs) of the strict vertices of their 2D convex hull. */
export function hull2DIndices(pts: Float64Array): number[] {
  const n = pts.length / 2;
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => pts[2 * a]! - pts[2 * b]! || pts[2 * a + 1]! - pts[2 * b + 1]!);
  const cross = (o: number, a: number, b: number) =>
    (pts[2 * a]! - pts[2 * o]!) * (pts[2 * b + 1]! - pts[2 * o + 1]!) - (pts[2 * a + 1]! - pts[2 * o + 1]!) * (pts[2 * b]! - pts[2 * o]!);
  const chain = (order: number[]) => {
    const h: number[] = [];
    for (const p of order) {
      while (h.length >= 2 && cross(h[h.length - 2]!, h[h.length - 1]!, p) <= 0) h.pop();
      h.push(p);
    }
    h.pop();
    return h;
  };
  const hull = [...chain(idx), ...chain([...idx].reverse())];
  // all points coincide or are collinear: keep the extremes
  return hull.length >= 2 ? hull : [idx[0]!, idx[idx.length - 1]!];
}

/** Maximum distance between 2D points (flat uv pairs). */
export function maxDistance2D(points: Float64Array): number {
  const cand = hull2DIndices(points);
  let best = 0;
  for (let a = 0; a < cand.length; a++)
    for (let b = a + 1; b < cand.length; b++) {
      const dx = points[2 * cand[a]!]! - points[2 * cand[b]!]!;
      const dy = points[2 * cand[a]! + 1]! - points[2 * cand[b]! + 1]!;
      const d = dx * dx + dy * dy;
      if (d > best) best = d;
    }
  return Math.sqrt(best);
}

/** Mark the points (flat xyz triples) that are 2D hull vertices within their plane normal to `axis`. */
function planeHullMembers(points: Float64Array, axis: number): Uint8Array {
  const n = points.length / 3;
  const [u, v] = [0, 1, 2].filter((d) => d !== axis);
  if (u === undefined || v === undefined) throw new Error(`planeHullMembers: axis ${axis} leaves fewer than two other axes`);
  const planes = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = points[3 * i + axis]!;
    let g = planes.get(key);
    if (!g) planes.set(key, (g = []));
    g.push(i);
  }
  const member = new Uint8Array(n);
  for (const ids of planes.values()) {
    const uv = new Float64Array(ids.length * 2);
    ids.forEach((p, k) => {
      uv[2 * k] = points[3 * p + u]!;
      uv[2 * k + 1] = points[3 * p + v]!;
    });
    for (const k of hull2DIndices(uv)) member[ids[k]!] = 1;
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
  return maxPairDistance(points, cand);
}

/** Largest distance between two of the points (flat xyz triples) whose indices are listed in `cand`. */
export function maxPairDistance(points: Float64Array, cand: readonly number[]): number {
  let best = 0;
  for (let a = 0; a < cand.length; a++) {
    const i = cand[a]!;
    const xi = points[3 * i]!;
    const yi = points[3 * i + 1]!;
    const zi = points[3 * i + 2]!;
    for (let b = a + 1; b < cand.length; b++) {
      const j = cand[b]!;
      const dx = xi - points[3 * j]!;
      const dy = yi - points[3 * j + 1]!;
      const dz = zi - points[3 * j + 2]!;
      const d = dx * dx + dy * dy + dz * dz;
      if (d > best) best = d;
    }
  }
  return Math.sqrt(best);
}

export interface ConvexHull {
  /** Indices of the hull's vertices into the input points. */
  vertices: number[];
  /** Outward-oriented triangles (index triples into the input points). */
  triangles: [number, number, number][];
  volume: number;
  area: number;
}

type P3 = readonly [number, number, number];

interface HullFace {
  v: [number, number, number];
  n: [number, number, number];
  d: number;
  alive: boolean;
}

function sub(a: P3, b: P3): [number, number, number] {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
function cross(a: P3, b: P3): [number, number, number] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function dot(a: P3, b: P3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/**
 * Points that can be hull vertices on a lattice: a point between two others on an axis-parallel
 * line is not extreme, so only the first and last point of every x-, y- and z-line are kept.
 * `key` maps a point to integer lattice coordinates.
 */
export function latticeHullCandidates(points: P3[], key: (p: P3) => [number, number, number]): number[] {
  const ints = points.map(key);
  const ext: Map<string, [number, number]>[] = [new Map(), new Map(), new Map()];
  ints.forEach((q, n) => {
    for (let ax = 0; ax < 3; ax++) {
      const k = `${q[(ax + 1) % 3]},${q[(ax + 2) % 3]}`;
      const e = ext[ax]!.get(k);
      if (!e) ext[ax]!.set(k, [n, n]);
      else {
        if (q[ax]! < ints[e[0]]![ax]!) e[0] = n;
        if (q[ax]! > ints[e[1]]![ax]!) e[1] = n;
      }
    }
  });
  const count = new Uint8Array(points.length);
  for (let ax = 0; ax < 3; ax++)
    for (const [lo, hi] of ext[ax]!.values()) {
      count[lo]! |= 1 << ax;
      count[hi]! |= 1 << ax;
    }
  const out: number[] = [];
  for (let n = 0; n < points.length; n++) if (count[n] === 7) out.push(n);
  return out;
}

/** Convex hull of `points[candidates]` (all points when `candidates` is omitted). */
export function convexHull(points: P3[], candidates?: number[]): ConvexHull {
  const idx = candidates ?? points.map((_, n) => n);
  if (idx.length < 4) throw new Error('convex hull: fewer than 4 points');
  let scale = 0;
  for (const n of idx) for (let c = 0; c < 3; c++) scale = Math.max(scale, Math.abs(points[n]![c]! - points[idx[0]!]![c]!));
  const eps = 1e-9 * Math.max(scale, 1e-300);
  // Initial tetrahedron: two farthest-apart extremes, the farthest from their line, the farthest from that plane.
  let a = idx[0]!, b = idx[0]!;
  for (const n of idx) {
    if (points[n]![0] < points[a]![0]) a = n;
    if (points[n]![0] > points[b]![0]) b = n;
  }
  if (a === b) for (const n of idx) if (dot(sub(points[n]!, points[a]!), sub(points[n]!, points[a]!)) > dot(sub(points[b]!, points[a]!), sub(points[b]!, points[a]!))) b = n;
  const ab = sub(points[b]!, points[a]!);
  let c = a;
  let best = -1;
  for (const n of idx) {
    const x = cross(ab, sub(points[n]!, points[a]!));
    const d = dot(x, x);
    if (d > best) {
      best = d;
      c = n;
    }
  }
  const nrm = cross(ab, sub(points[c]!, points[a]!));
  let d4 = a;
  best = -1;
  for (const n of idx) {
    const d = Math.abs(dot(nrm, sub(points[n]!, points[a]!)));
    if (d > best) {
      best = d;
      d4 = n;
    }
  }
  if (best <= eps * Math.sqrt(dot(nrm, nrm))) throw new Error('convex hull: points are coplanar');

  const faces: HullFace[] = [];
  const edgeFace = new Map<string, number>();
  const makeFace = (u: number, v: number, w: number): void => {
    const n = cross(sub(points[v]!, points[u]!), sub(points[w]!, points[u]!));
    const len = Math.hypot(n[0], n[1], n[2]);
    const unit: [number, number, number] = [n[0] / len, n[1] / len, n[2] / len];
    const f = faces.length;
    faces.push({ v: [u, v, w], n: unit, d: dot(unit, points[u]!), alive: true });
    edgeFace.set(`${u},${v}`, f);
    edgeFace.set(`${v},${w}`, f);
    edgeFace.set(`${w},${u}`, f);
  };
  // Orient the tetrahedron outward: d4 must lie below face (a, b, c).
  if (dot(nrm, sub(points[d4]!, points[a]!)) > 0) {
    makeFace(a, c, b);
    makeFace(a, b, d4);
    makeFace(b, c, d4);
    makeFace(c, a, d4);
  } else {
    makeFace(a, b, c);
    makeFace(a, d4, b);
    makeFace(b, d4, c);
    makeFace(c, d4, a);
  }
  const used = new Set([a, b, c, d4]);
  for (const p of idx) {
    if (used.has(p)) continue;
    const pt = points[p]!;
    const visible: number[] = [];
    for (let f = 0; f < faces.length; f++) if (faces[f]!.alive && dot(faces[f]!.n, pt) - faces[f]!.d > eps) visible.push(f);
    if (visible.length === 0) continue;
    const isVisible = new Set(visible);
    const horizon: [number, number][] = [];
    for (const f of visible) {
      const [u, v, w] = faces[f]!.v;
      for (const [s, t] of [[u, v], [v, w], [w, u]] as const) {
        const other = edgeFace.get(`${t},${s}`);
        if (other === undefined || !isVisible.has(other)) horizon.push([s, t]);
      }
    }
    for (const f of visible) {
      faces[f]!.alive = false;
      const [u, v, w] = faces[f]!.v;
      for (const [s, t] of [[u, v], [v, w], [w, u]] as const) if (edgeFace.get(`${s},${t}`) === f) edgeFace.delete(`${s},${t}`);
    }
    for (const [s, t] of horizon) makeFace(s, t, p);
    used.add(p);
  }
  const triangles: [number, number, number][] = [];
  const verts = new Set<number>();
  let volume = 0;
  let area = 0;
  const o = points[a]!;
  for (const f of faces) {
    if (!f.alive) continue;
    triangles.push(f.v);
    const [u, v, w] = f.v;
    verts.add(u).add(v).add(w);
    const n = cross(sub(points[v]!, points[u]!), sub(points[w]!, points[u]!));
    area += Math.hypot(n[0], n[1], n[2]) / 2;
    volume += dot(n, sub(points[u]!, o)) / 6;
  }
  return { vertices: [...verts], triangles, volume, area };
}
