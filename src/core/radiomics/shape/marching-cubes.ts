/**
 * Marching-cubes triangulation of a binary mask, used as PyRadiomics' C
 * extension `cshape.c` does for MeshVolume and SurfaceArea (Lorensen & Cline
 * 1987): vertices at the midpoints of cube edges whose corners differ; cubes are
 * indexed by 8 corner bits and, when the last corner is inside, the complement is
 * triangulated with its orientation reversed (so only 128 configurations exist).
 *
 * The triangle table is generated here rather than typed in: for each
 * configuration the crossings on the six cube faces are joined into segments
 * (an ambiguous face, with diagonal inside corners, separates the inside
 * corners), segments are chained into closed polygons, each polygon is oriented
 * so its normal points from the inside corners to the outside ones, and is split
 * into a triangle fan.
 *
 * Corner k has offsets (dz, dy, dx) CORNERS[k]; edge e joins EDGES[e].
 */

/** Corner offsets (dz, dy, dx), in PyRadiomics' corner numbering. */
export const CORNERS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [0, 0, 1],
  [0, 1, 1],
  [0, 1, 0],
  [1, 0, 0],
  [1, 0, 1],
  [1, 1, 1],
  [1, 1, 0],
];

/** The 12 cube edges as corner pairs, in the classic edge numbering. */
export const EDGES: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 2],
  [3, 2],
  [0, 3],
  [4, 5],
  [5, 6],
  [7, 6],
  [4, 7],
  [0, 4],
  [1, 5],
  [2, 6],
  [3, 7],
];

/** Midpoint (dz, dy, dx) of edge e. */
export function edgeMidpoint(e: number): [number, number, number] {
  const [a, b] = EDGES[e]!;
  return [0, 1, 2].map((d) => (CORNERS[a]![d]! + CORNERS[b]![d]!) / 2) as [number, number, number];
}

/** The six faces as corner cycles (any winding; only adjacency is used). */
const FACES: readonly (readonly number[])[] = [
  [0, 1, 2, 3],
  [4, 5, 6, 7],
  [0, 1, 5, 4],
  [3, 2, 6, 7],
  [0, 3, 7, 4],
  [1, 2, 6, 5],
];

function edgeOf(a: number, b: number): number {
  return EDGES.findIndex(([p, q]) => (p === a && q === b) || (p === b && q === a));
}

const sub = (a: number[], b: number[]) => [a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!];
const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

/** Triangles (edge-index triples) of one configuration (bit k set = corner k inside). */
export function configurationTriangles(config: number): number[][] {
  const inside = (k: number) => ((config >> k) & 1) === 1;
  // 1. segments on the faces
  const links = new Map<number, number[]>();
  const link = (e1: number, e2: number) => {
    if (!links.has(e1)) links.set(e1, []);
    if (!links.has(e2)) links.set(e2, []);
    links.get(e1)!.push(e2);
    links.get(e2)!.push(e1);
  };
  const ambiguousFaces: (readonly number[])[] = [];
  for (const f of FACES) {
    const crossings: number[] = [];
    for (let t = 0; t < 4; t++) {
      const a = f[t]!;
      const b = f[(t + 1) % 4]!;
      if (inside(a) !== inside(b)) crossings.push(t);
    }
    if (crossings.length === 2) {
      const [t1, t2] = crossings;
      link(edgeOf(f[t1!]!, f[(t1! + 1) % 4]!), edgeOf(f[t2!]!, f[(t2! + 1) % 4]!));
    } else if (crossings.length === 4) {
      ambiguousFaces.push(f);
      // ambiguous face: cut off each inside corner separately
      for (let t = 0; t < 4; t++) {
        if (!inside(f[t]!)) continue;
        const prev = f[(t + 3) % 4]!;
        const next = f[(t + 1) % 4]!;
        link(edgeOf(prev, f[t]!), edgeOf(f[t]!, next));
      }
    }
  }
  // 2. chain into polygons
  const seen = new Set<number>();
  const triangles: number[][] = [];
  for (const start of [...links.keys()].sort((a, b) => a - b)) {
    if (seen.has(start)) continue;
    const poly = [start];
    seen.add(start);
    let cur = start;
    for (;;) {
      const next = links.get(cur)!.find((e) => !seen.has(e));
      if (next === undefined) break;
      poly.push(next);
      seen.add(next);
      cur = next;
    }
    // 3. orientation: normal from the inside corners towards the outside ones
    const pts = poly.map(edgeMidpoint);
    const normal = [0, 0, 0];
    for (let k = 0; k < pts.length; k++) {
      const p = pts[k]!;
      const q = pts[(k + 1) % pts.length]!;
      normal[0]! += (p[1] - q[1]) * (p[2] + q[2]);
      normal[1]! += (p[2] - q[2]) * (p[0] + q[0]);
      normal[2]! += (p[0] - q[0]) * (p[1] + q[1]);
    }
    const outward = [0, 0, 0];
    for (const e of poly) {
      const [a, b] = EDGES[e]!;
      const [inC, outC] = inside(a) ? [a, b] : [b, a];
      const d = sub([...CORNERS[outC]!], [...CORNERS[inC]!]);
      outward[0]! += d[0]!;
      outward[1]! += d[1]!;
      outward[2]! += d[2]!;
    }
    if (dot(normal, outward) < 0) poly.reverse();
    // 4. split the (generally non-planar) polygon into triangles
    triangles.push(...(poly.length === 7 ? heptagonFan(poly, inside, ambiguousFaces) : largestTriangulation(poly)));
  }
  return triangles;
}

function triangleArea(t: readonly number[]): number {
  const [a, b, c] = t.map(edgeMidpoint);
  const u = sub(a!, c!);
  const v = sub(b!, c!);
  const x = u[1]! * v[2]! - u[2]! * v[1]!;
  const y = u[2]! * v[0]! - u[0]! * v[2]!;
  const z = u[0]! * v[1]! - u[1]! * v[0]!;
  return 0.5 * Math.sqrt(x * x + y * y + z * z);
}

/**
 * The fan triangulation (all triangles sharing one polygon vertex) of largest
 * area, the first one on ties. This reproduces, area for area and volume for
 * volume, the classic marching-cubes table PyRadiomics uses.
 */
function largestTriangulation(poly: number[]): number[][] {
  let best: number[][] = [];
  let bestArea = -Infinity;
  for (let s = 0; s < poly.length; s++) {
    const fan: number[][] = [];
    for (let k = 1; k + 1 < poly.length; k++)
      fan.push([poly[s]!, poly[(s + k) % poly.length]!, poly[(s + k + 1) % poly.length]!]);
    const area = fan.reduce((sum, tri) => sum + triangleArea(tri), 0);
    if (area > bestArea + 1e-12) {
      best = fan;
      bestArea = area;
    }
  }
  return best;
}

/**
 * A heptagon arises when an isolated corner is joined, across an ambiguous
 * face, to a pair of corners of its own state. The classic table fans it from
 * the crossing on the isolated corner's edge that leaves the ambiguous face.
 */
function heptagonFan(poly: number[], inside: (k: number) => boolean, ambiguous: (readonly number[])[]): number[][] {
  const onAmbiguousFace = (e: number) => ambiguous.some((f) => f.includes(EDGES[e]![0]) && f.includes(EDGES[e]![1]));
  const isolated = (c: number) => EDGES.every(([a, b]) => (a !== c && b !== c) || inside(a) !== inside(b));
  let s = poly.findIndex((e) => EDGES[e]!.some((c) => !inside(c) && isolated(c)) && !onAmbiguousFace(e));
  if (s < 0) s = 0;
  const fan: number[][] = [];
  for (let k = 1; k + 1 < poly.length; k++) fan.push([poly[s]!, poly[(s + k) % poly.length]!, poly[(s + k + 1) % poly.length]!]);
  return fan;
}

let table: number[][][] | null = null;
/** Triangle table for configurations 0 … 127 (corner 7 outside). */
export function triangleTable(): number[][][] {
  if (!table) table = Array.from({ length: 128 }, (_, c) => configurationTriangles(c));
  return table;
}
