/**
 * Seeded pseudo-random numbers for everything that must be reproducible
 * (splits, folds, subsampling, synthetic cohorts). mulberry32: 32-bit state,
 * fast, good enough statistical quality for simulation and shuffling.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller, one value per call). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal() {
      let u = next();
      while (u <= 1e-300) u = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    int(n: number) {
      return Math.floor(next() * n);
    },
  };
}

/** Derive an independent seed from a seed and a list of integers/strings (FNV-1a mix). */
export function deriveSeed(seed: number, ...parts: (number | string)[]): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (const p of parts) {
    const s = String(p);
    for (let n = 0; n < s.length; n++) {
      h ^= s.charCodeAt(n);
      h = Math.imul(h, 16777619) >>> 0;
    }
    h ^= 0xff;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}
