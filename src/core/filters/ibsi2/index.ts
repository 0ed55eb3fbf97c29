/**
 * IBSI 2 convolutional filters (arXiv:2006.05470): mean, Laplacian of Gaussian, Laws,
 * Gabor, separable wavelets, Simoncelli wavelet and Riesz transforms, each with the
 * zero / nearest / periodic / mirror boundary conditions, 2D (per slice) or 3D.
 *
 * `ibsi2Filters` is the dispatch table the `filter` CLI command uses; its option bags
 * take CLI-style values (strings or numbers; camelCase or kebab-case keys).
 */
import type { Volume } from '../../image/volume.js';
import { baseOptions, booleanOption, numberOption, stringOption } from './common.js';
import { gaborFilter } from './gabor.js';
import { lawsFilter } from './laws.js';
import { logFilter } from './log.js';
import { meanFilter } from './mean.js';
import { rieszLogFilter } from './riesz.js';
import { parsePooling } from './rotations.js';
import { separableWaveletFilter } from './separable-wavelet.js';
import { simoncelliFilter } from './simoncelli.js';

export * from '../../util/boundary.js';
export { meanFilter, type MeanFilterOptions } from './mean.js';
export { logFilter, type LogFilterOptions } from './log.js';
export { lawsFilter, LAWS_KERNELS, type LawsFilterOptions } from './laws.js';
export { gaborFilter, gaborAngles, type GaborFilterOptions } from './gabor.js';
export { separableWaveletFilter, type SeparableWaveletOptions } from './separable-wavelet.js';
export { simoncelliFilter, type SimoncelliOptions } from './simoncelli.js';
export { rieszLogFilter, type RieszLogOptions } from './riesz.js';
export { rightAngleRotations, type Pooling } from './rotations.js';
export { PHASE1_TESTS, compareResponseMaps, type Phase1Test, type PhantomName } from './phase1.js';

export type Ibsi2FilterName = 'mean' | 'log' | 'laws' | 'gabor' | 'simoncelli' | 'riesz' | 'wavelet';

/** Option keys in camelCase ("rotation-invariant" → "rotationInvariant"). */
function normaliseKeys(opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) out[k.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}

/** An angle in radians from a number, "pi/4", "5pi/4", "3.14", or degrees "45deg". */
export function parseAngle(v: unknown, key: string): number {
  if (typeof v === 'number') return v;
  const s = String(v).trim().toLowerCase().replace(/\s+/g, '').replace('π', 'pi');
  let m = /^(-?[\d.]*)\*?pi(?:\/([\d.]+))?$/.exec(s);
  if (m) {
    const a = m[1] === '' ? 1 : m[1] === '-' ? -1 : Number(m[1]);
    const b = m[2] ? Number(m[2]) : 1;
    if (Number.isFinite(a) && Number.isFinite(b) && b !== 0) return (a * Math.PI) / b;
  }
  m = /^(-?[\d.]+)deg$/.exec(s);
  if (m) return (Number(m[1]) * Math.PI) / 180;
  const n = Number(s);
  if (s !== '' && Number.isFinite(n)) return n;
  throw new Error(`filter option "${key}" must be an angle (radians, "pi/4" or "45deg"), got "${String(v)}"`);
}

/** A Riesz order "1,0,0" / [1,0,0]. */
export function parseOrder(v: unknown): number[] {
  const parts = Array.isArray(v) ? v : String(v ?? '').split(/[,\s]+/).filter((p) => p !== '');
  const order = parts.map((p) => Number(p));
  if (order.length < 2 || order.some((o) => !Number.isInteger(o) || o < 0)) {
    throw new Error(`filter option "order" must be 2 or 3 non-negative integers such as "1,0,0", got "${String(v)}"`);
  }
  return order;
}

type FilterFn = (vol: Volume, opts: Record<string, unknown>) => Volume;

export const ibsi2Filters: Record<Ibsi2FilterName, FilterFn> = {
  mean: (vol, raw) => {
    const o = normaliseKeys(raw);
    return meanFilter(vol, { ...baseOptions(o), support: numberOption(o, 'support', 3) });
  },
  log: (vol, raw) => {
    const o = normaliseKeys(raw);
    return logFilter(vol, { ...baseOptions(o), sigma: numberOption(o, 'sigma'), truncate: numberOption(o, 'truncate', 4) });
  },
  laws: (vol, raw) => {
    const o = normaliseKeys(raw);
    const kernel = stringOption(o, 'kernel');
    const b = baseOptions({ ...o, dimensions: o.dimensions ?? String(kernel.length / 2) });
    const delta = o.energyDelta ?? o.delta;
    return lawsFilter(vol, {
      ...b,
      kernel,
      rotationInvariant: booleanOption(o, 'rotationInvariant'),
      pooling: parsePooling(o.pooling ?? 'max'),
      energyDelta: delta === undefined || delta === '' ? null : numberOption({ delta }, 'delta'),
    });
  },
  gabor: (vol, raw) => {
    const o = normaliseKeys(raw);
    const planes = o.planes === undefined ? undefined : String(o.planes);
    if (planes !== undefined && planes !== 'axial' && planes !== 'orthogonal') throw new Error(`filter option "planes" must be axial or orthogonal, got "${planes}"`);
    return gaborFilter(vol, {
      ...baseOptions(o),
      sigma: numberOption(o, 'sigma'),
      lambda: numberOption(o, 'lambda'),
      gamma: numberOption(o, 'gamma', 1),
      theta: o.theta === undefined ? 0 : parseAngle(o.theta, 'theta'),
      rotationInvariant: booleanOption(o, 'rotationInvariant'),
      thetaStep: o.thetaStep === undefined ? Math.PI / 4 : parseAngle(o.thetaStep, 'thetaStep'),
      pooling: parsePooling(o.pooling ?? 'mean'),
      planes,
      truncate: numberOption(o, 'truncate', 5),
    });
  },
  simoncelli: (vol, raw) => {
    const o = normaliseKeys(raw);
    return simoncelliFilter(vol, { ...baseOptions({ boundary: 'periodic', ...o }), level: numberOption(o, 'level', 1) });
  },
  riesz: (vol, raw) => {
    const o = normaliseKeys(raw);
    const base = stringOption(o, 'base', 'log').toLowerCase();
    const order = parseOrder(o.order);
    const b = baseOptions({ boundary: 'zero', ...o, dimensions: o.dimensions ?? String(order.length) });
    if (order.length !== b.dimensions) throw new Error(`Riesz transform: order (${order.join(',')}) does not match dimensions=${b.dimensions}`);
    if (base === 'log') return rieszLogFilter(vol, { ...b, sigma: numberOption(o, 'sigma'), truncate: numberOption(o, 'truncate', 4), order });
    if (base === 'simoncelli') return simoncelliFilter(vol, { ...b, level: numberOption(o, 'level', 1), rieszOrder: order });
    throw new Error(`Riesz transform: base filter must be log or simoncelli, got "${base}"`);
  },
  wavelet: (vol, raw) => {
    const o = normaliseKeys(raw);
    const subband = stringOption(o, 'subband', stringOption(o, 'band', ''));
    if (!subband) throw new Error('filter option "subband" is required (e.g. LHL)');
    const b = baseOptions({ ...o, dimensions: o.dimensions ?? String(subband.length) });
    return separableWaveletFilter(vol, {
      ...b,
      wavelet: stringOption(o, 'wavelet', 'haar'),
      subband,
      level: numberOption(o, 'level', 1),
      rotationInvariant: booleanOption(o, 'rotationInvariant'),
      pooling: parsePooling(o.pooling ?? 'mean'),
    });
  },
};
