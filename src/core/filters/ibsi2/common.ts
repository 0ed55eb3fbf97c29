import type { Volume } from '../../image/volume.js';
import { withData } from '../../image/volume.js';
import { parseBoundaryMode, type BoundaryMode } from '../../util/boundary.js';
import type { Dims } from './separable.js';

/** Options shared by every IBSI 2 filter. */
export interface FilterBaseOptions {
  /** Boundary condition (padding); default mirror. */
  boundary?: BoundaryMode;
  /** 2D: filter each slice k in its i–j plane; 3D (default): filter the volume. */
  dimensions?: 2 | 3;
}

export function dimsOf(v: Volume): Dims {
  return [v.size[0], v.size[1], v.size[2]];
}

/** A Float32 response map on the grid of `like`. */
export function responseVolume(like: Volume, data: Float64Array): Volume {
  const out = withData(like, Float32Array.from(data));
  out.metadata = { ...(like.metadata ?? {}) };
  return out;
}

/** Read a numeric option from a loosely typed option bag (CLI / dispatch table). */
export function numberOption(opts: Record<string, unknown>, key: string, fallback?: number): number {
  const v = opts[key];
  if (v === undefined || v === null || v === '') {
    if (fallback === undefined) throw new Error(`filter option "${key}" is required`);
    return fallback;
  }
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new Error(`filter option "${key}" must be a number, got "${String(v)}"`);
  return n;
}

export function booleanOption(opts: Record<string, unknown>, key: string, fallback = false): boolean {
  const v = opts[key];
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  throw new Error(`filter option "${key}" must be true or false, got "${String(v)}"`);
}

export function stringOption(opts: Record<string, unknown>, key: string, fallback?: string): string {
  const v = opts[key];
  if (v === undefined || v === null || v === '') {
    if (fallback === undefined) throw new Error(`filter option "${key}" is required`);
    return fallback;
  }
  return String(v);
}

/** The options every filter accepts: `boundary` and `dimensions` (2 or 3, also "2D"/"3D"). */
export function baseOptions(opts: Record<string, unknown>): Required<FilterBaseOptions> {
  const boundary = parseBoundaryMode(opts.boundary ?? 'mirror');
  const d = String(opts.dimensions ?? opts.dims ?? '3').toLowerCase().replace('d', '');
  if (d !== '2' && d !== '3') throw new Error(`filter option "dimensions" must be 2 or 3, got "${String(opts.dimensions)}"`);
  return { boundary, dimensions: d === '2' ? 2 : 3 };
}
