/** IBSI 1 morphological features (HCUG, §3.1), computed in 3D on the morphological mask. */
import { cropRoi, type IbsiRoi } from './roi.js';
import { convexHull, latticeHullCandidates, maxPairDistance } from '../kernels/convex-hull.js';
import { marchingCubesMesh, meshVolumeArea } from './mesh.js';
import { moranGearyDirect, moranGearyFft, type MoranGeary } from './spatial-autocorrelation.js';

/** Eigenvalues (descending) of a symmetric 3×3 matrix by cyclic Jacobi rotations. */
export function symmetricEigenvalues3(m: number[]): [number, number, number] {
  const a = [...m];
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] satisfies [number, number][]) off += a[3 * p + q]! ** 2;
    if (off < 1e-24) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] satisfies [number, number][]) {
      const apq = a[3 * p + q]!;
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[3 * q + q]! - a[3 * p + p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let r = 0; r < 3; r++) {
        const arp = a[3 * r + p]!, arq = a[3 * r + q]!;
        a[3 * r + p] = c * arp - s * arq;
        a[3 * r + q] = s * arp + c * arq;
      }
      for (let r = 0; r < 3; r++) {
        const apr = a[3 * p + r]!, aqr = a[3 * q + r]!;
        a[3 * p + r] = c * apr - s * aqr;
        a[3 * q + r] = s * apr + c * aqr;
      }
    }
  }
  const ev = [a[0]!, a[4]!, a[8]!].sort((x, y) => y - x);
  return [ev[0]!, ev[1]!, ev[2]!];
}

/**
 * Surface area of an ellipsoid with semi-axes a ≥ b ≥ c by the Legendre-polynomial series of the
 * IBSI 1 manual (area density AEE, §3.1.24; 20 terms).
 */
export function ellipsoidArea(a: number, b: number, c: number): number {
  const alpha = Math.sqrt(1 - (b * b) / (a * a));
  const beta = Math.sqrt(1 - (c * c) / (a * a));
  if (alpha * beta === 0) return 4 * Math.PI * a * b; // sphere-like limit of the series (first term only)
  const x = (alpha * alpha + beta * beta) / (2 * alpha * beta);
  let sum = 0;
  let prev = 0; // P_{ν−1}(x)
  let cur = 1; // P_ν(x), by the three-term recurrence
  for (let nu = 0; nu <= 20; nu++) {
    sum += (Math.pow(alpha * beta, nu) / (1 - 4 * nu * nu)) * cur;
    const nextP = ((2 * nu + 1) * x * cur - nu * prev) / (nu + 1);
    prev = cur;
    cur = nextP;
  }
  return 4 * Math.PI * a * b * sum;
}

/** Moran/Geary by FFT on the intensity mask's bounding box only (the FFT pads each axis to a power of two ≥ 2n − 1). */
function moranGearyOnBoundingBox(roi: IbsiRoi): MoranGeary {
  const box = cropRoi({ ...roi, morphMask: roi.intMask }, 0);
  return moranGearyFft(box.size, box.spacing, box.image, box.intMask);
}

/** ROIs up to this many voxels use the direct O(N²) Moran/Geary sums. */
const DIRECT_AUTOCORRELATION_LIMIT = 2000;

export function morphologyFeatures(roi: IbsiRoi): Record<string, number> {
  const [nx, ny] = roi.size;
  const [sx, sy, sz] = roi.spacing;
  const mesh = marchingCubesMesh(roi.size, roi.spacing, roi.morphMask);
  const { volume: V, area: A } = meshVolumeArea(mesh);
  const out: Record<string, number> = {};
  let nMorph = 0;
  const com = [0, 0, 0];
  const cov = new Array<number>(9).fill(0);
  const pts: [number, number, number][] = [];
  for (let v = 0; v < roi.morphMask.length; v++) {
    if (!roi.morphMask[v]) continue;
    const i = v % nx;
    const j = ((v - i) / nx) % ny;
    const k = (v - i - nx * j) / (nx * ny);
    const p: [number, number, number] = [i * sx, j * sy, k * sz];
    pts.push(p);
    nMorph++;
    for (let c = 0; c < 3; c++) com[c]! += p[c]!;
  }
  for (let c = 0; c < 3; c++) com[c]! /= nMorph;
  for (const p of pts)
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) cov[3 * r + c]! += (p[r]! - com[r]!) * (p[c]! - com[c]!);
  // Sample covariance (N − 1), as the reference implementation's numpy.cov.
  for (let t = 0; t < 9; t++) cov[t]! /= nMorph - 1;
  // Intensity-weighted centre of mass over the intensity mask (KLMA).
  const comG = [0, 0, 0];
  let sumI = 0;
  let nInt = 0;
  for (let v = 0; v < roi.intMask.length; v++) {
    if (!roi.intMask[v]) continue;
    const i = v % nx;
    const j = ((v - i) / nx) % ny;
    const k = (v - i - nx * j) / (nx * ny);
    const x = roi.image[v]!;
    comG[0]! += x * i * sx;
    comG[1]! += x * j * sy;
    comG[2]! += x * k * sz;
    sumI += x;
    nInt++;
  }
  for (let c = 0; c < 3; c++) comG[c]! /= sumI;

  out.morph_volume = V;
  out.morph_vol_approx = nMorph * sx * sy * sz;
  out.morph_area_mesh = A;
  out.morph_av = A / V;
  out.morph_comp_1 = V / (Math.sqrt(Math.PI) * Math.pow(A, 1.5));
  out.morph_comp_2 = (36 * Math.PI * V * V) / (A * A * A);
  out.morph_sph_dispr = A / Math.cbrt(36 * Math.PI * V * V);
  out.morph_sphericity = Math.cbrt(36 * Math.PI * V * V) / A;
  out.morph_asphericity = Math.cbrt((A * A * A) / (36 * Math.PI * V * V)) - 1;
  out.morph_com = Math.hypot(com[0]! - comG[0]!, com[1]! - comG[1]!, com[2]! - comG[2]!);

  // Convex hull of the mesh vertices: maximum diameter and hull densities.
  const verts = mesh.vertices;
  const points: [number, number, number][] = [];
  for (let t = 0; t < verts.length; t += 3) points.push([verts[t]!, verts[t + 1]!, verts[t + 2]!]);
  // Mesh vertices lie on the half-voxel lattice, which lets most of them be ruled out as hull vertices.
  const hull = convexHull(
    points,
    latticeHullCandidates(points, (p) => [Math.round((2 * p[0]) / sx), Math.round((2 * p[1]) / sy), Math.round((2 * p[2]) / sz)]),
  );
  out.morph_diam = maxPairDistance(verts, hull.vertices);
  const hullV = hull.volume;
  const hullA = hull.area;

  // Principal component analysis of the voxel centres (§3.1.12–16).
  const [l1, l2, l3] = symmetricEigenvalues3(cov);
  out.morph_pca_maj_axis = 4 * Math.sqrt(l1);
  out.morph_pca_min_axis = 4 * Math.sqrt(l2);
  out.morph_pca_least_axis = 4 * Math.sqrt(l3);
  out.morph_pca_elongation = Math.sqrt(l2 / l1);
  out.morph_pca_flatness = Math.sqrt(l3 / l1);

  // Axis-aligned bounding box of the mesh (§3.1.17–18).
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let t = 0; t < verts.length; t += 3)
    for (let c = 0; c < 3; c++) {
      lo[c] = Math.min(lo[c]!, verts[t + c]!);
      hi[c] = Math.max(hi[c]!, verts[t + c]!);
    }
  const e = [hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!];
  out.morph_vol_dens_aabb = V / (e[0]! * e[1]! * e[2]!);
  out.morph_area_dens_aabb = A / (2 * (e[0]! * e[1]! + e[0]! * e[2]! + e[1]! * e[2]!));

  // Approximate enclosing ellipsoid with semi-axes 2·√λ (§3.1.21–22).
  const sa = 2 * Math.sqrt(l1), sb = 2 * Math.sqrt(l2), sc = 2 * Math.sqrt(l3);
  out.morph_vol_dens_aee = (3 * V) / (4 * Math.PI * sa * sb * sc);
  out.morph_area_dens_aee = A / ellipsoidArea(sa, sb, sc);

  out.morph_vol_dens_conv_hull = V / hullV;
  out.morph_area_dens_conv_hull = A / hullA;
  out.morph_integ_int = (V * sumI) / nInt;
  const mg =
    nInt <= DIRECT_AUTOCORRELATION_LIMIT
      ? moranGearyDirect(roi.size, roi.spacing, roi.image, roi.intMask)
      : moranGearyOnBoundingBox(roi);
  out.morph_moran_i = mg.moranI;
  out.morph_geary_c = mg.gearyC;
  return out;
}
