/**
 * Synthetic habitat cohorts for the tests and the benchmark: an ellipsoidal
 * tumour per patient, split into k planted subregions (Voronoi cells of k
 * random seed points inside the tumour) of distinct intensity, under a smooth
 * multiplicative bias field, a patient-specific scanner gain, additive smooth
 * texture and Gaussian noise. The planted region numbers are ordered by
 * intensity (region 1 = darkest), the habitat numbering rule.
 */
import { createVolume, type Vec3, type Volume } from '../../src/core/image/volume.js';
import { createRng, deriveSeed } from '../../src/core/util/random.js';
import type { HabitatCase, HabitatCaseData } from '../../src/core/habitats/habitat-model.js';

export interface SyntheticOptions {
  patients: number;
  /** Intensity level of each planted subregion, ascending. */
  levels: number[];
  noiseSd: number;
  /** Peak relative amplitude of the multiplicative bias field (0.15 = ±15 %). */
  bias: number;
  /** Range of the per-patient gain, e.g. [0.8, 1.25]. */
  gain: [number, number];
  /** Amplitude of the additive smooth texture. */
  texture: number;
  size?: Vec3;
  spacing?: Vec3;
  /** Scale of the tumour's semi-axes (default 1: about 11–16 × 10–15 × 6–9 voxels). */
  tumourScale?: number;
  seed: number;
}

export interface SyntheticPatient extends HabitatCaseData {
  id: string;
  /** Planted subregion (1…k) per voxel, 0 outside the tumour. */
  truth: Uint8Array;
}

export function syntheticCohort(o: SyntheticOptions): SyntheticPatient[] {
  const size = o.size ?? [40, 40, 22];
  const spacing = o.spacing ?? [0.8, 0.8, 1.5];
  const [nx, ny, nz] = size;
  const k = o.levels.length;
  const out: SyntheticPatient[] = [];
  for (let p = 0; p < o.patients; p++) {
    const rng = createRng(deriveSeed(o.seed, 'patient', p));
    const c = [nx / 2 + (rng.next() - 0.5) * 4, ny / 2 + (rng.next() - 0.5) * 4, nz / 2 + (rng.next() - 0.5) * 2];
    const sc = o.tumourScale ?? 1;
    const ax = [sc * (11 + rng.next() * 5), sc * (10 + rng.next() * 5), sc * (6 + rng.next() * 3)];
    const inside = (i: number, j: number, l: number) =>
      ((i - c[0]!) / ax[0]!) ** 2 + ((j - c[1]!) / ax[1]!) ** 2 + ((l - c[2]!) / ax[2]!) ** 2 <= 1;
    // Seed points of the subregions, spread out inside the tumour (best of a few draws).
    const seeds: number[][] = [];
    while (seeds.length < k) {
      let best: number[] | null = null;
      let bestD = -1;
      for (let t = 0; t < 30; t++) {
        const q = [0, 1, 2].map((a) => c[a]! + (rng.next() * 2 - 1) * ax[a]! * 0.7);
        if (!inside(q[0]!, q[1]!, q[2]!)) continue;
        const d = seeds.length ? Math.min(...seeds.map((s) => Math.hypot(s[0]! - q[0]!, s[1]! - q[1]!, 2 * (s[2]! - q[2]!)))) : 1;
        if (d > bestD) {
          bestD = d;
          best = q;
        }
      }
      if (best) seeds.push(best);
    }
    const gain = o.gain[0] + rng.next() * (o.gain[1] - o.gain[0]);
    const bx = (rng.next() * 2 - 1) * o.bias;
    const by = (rng.next() * 2 - 1) * o.bias;
    const bz = (rng.next() * 2 - 1) * o.bias * 0.5;
    const waves = Array.from({ length: 3 }, () => ({
      f: [0.15 + rng.next() * 0.3, 0.15 + rng.next() * 0.3, 0.1 + rng.next() * 0.3],
      ph: rng.next() * 2 * Math.PI,
    }));
    const img = new Float32Array(nx * ny * nz);
    const mask = new Uint8Array(nx * ny * nz);
    const truth = new Uint8Array(nx * ny * nz);
    for (let l = 0; l < nz; l++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const v = i + nx * (j + ny * l);
          let level = 60;
          if (inside(i, j, l)) {
            let r = 0;
            let rd = Infinity;
            seeds.forEach((s, h) => {
              const d = Math.hypot(s[0]! - i, s[1]! - j, 2 * (s[2]! - l));
              if (d < rd) {
                rd = d;
                r = h;
              }
            });
            mask[v] = 1;
            truth[v] = r + 1;
            level = o.levels[r]!;
          }
          // Smooth multiplicative bias over the field of view (N4's model), in [1 − bias, 1 + bias].
          const field = 1 + bx * (2 * i / nx - 1) + by * (2 * j / ny - 1) + bz * (2 * l / nz - 1);
          let tex = 0;
          for (const w of waves) tex += Math.sin(w.f[0]! * i + w.f[1]! * j + w.f[2]! * l + w.ph);
          img[v] = gain * field * (level + (o.texture * tex) / 3) + o.noiseSd * rng.normal();
        }
      }
    }
    const geo = { spacing, origin: [0, 0, 0] as Vec3 };
    out.push({
      id: `P${String(p + 1).padStart(3, '0')}`,
      images: { T2: createVolume(size, { ...geo, data: img }) },
      mask: createVolume(size, { ...geo, data: mask }),
      truth,
    });
  }
  return out;
}

export function asCases(patients: SyntheticPatient[]): HabitatCase[] {
  return patients.map((p) => ({ id: p.id, load: () => ({ images: p.images, mask: p.mask }) }));
}

/** Dice of habitat h vs planted region h, for h = 1…k (NaN when both are empty). */
export function dicePerHabitat(labels: Volume, truth: Uint8Array, k: number): number[] {
  const inter = new Array<number>(k + 1).fill(0);
  const a = new Array<number>(k + 1).fill(0);
  const b = new Array<number>(k + 1).fill(0);
  for (let v = 0; v < truth.length; v++) {
    const x = labels.data[v]!;
    const y = truth[v]!;
    a[x]!++;
    b[y]!++;
    if (x === y) inter[x]!++;
  }
  const out: number[] = [];
  for (let h = 1; h <= k; h++) out.push(a[h]! + b[h]! === 0 ? NaN : (2 * inter[h]!) / (a[h]! + b[h]!));
  return out;
}
