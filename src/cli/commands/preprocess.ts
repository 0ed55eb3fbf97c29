import { writeFile } from 'node:fs/promises';
import { elastixCachedNode, preprocessVolume, readVolume, writeVolume, type Interpolator, type PreprocessSettings } from '../../core/node.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';
import { HELP } from '../help.js';

function numbers(text: string, key: string, count?: number): number[] {
  const v = text.split(',').map((s) => Number(s.trim()));
  if (v.some((x) => !Number.isFinite(x)) || (count !== undefined && v.length !== count)) {
    throw new UsageError(`option --${key} needs ${count ?? 'a list of'} comma-separated numbers, got "${text}"`);
  }
  return v;
}

export async function preprocessCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['n4', 'affine']);
  const file = args.positional[0];
  const out = stringFlag(args, 'out');
  if (!file || !out) throw new UsageError(`usage: habitat ${HELP.preprocess.split('\n')[0]}`);
  const settings: PreprocessSettings = {};

  if (args.flags.n4) {
    const shrink = stringFlag(args, 'shrink');
    settings.n4 = shrink ? { shrinkFactor: numbers(shrink, 'shrink', 1)[0] } : true;
  } else if (args.flags.shrink) throw new UsageError('option --shrink applies to --n4 only');
  const n4MaskArg = stringFlag(args, 'n4-mask');
  if (n4MaskArg !== undefined && !args.flags.n4) throw new UsageError('option --n4-mask applies to --n4 only');

  const method = stringFlag(args, 'normalize') ?? stringFlag(args, 'normalise');
  const clip = stringFlag(args, 'clip');
  if (method) {
    if (method !== 'minmax' && method !== 'zscore') throw new UsageError(`option --normalize must be minmax or zscore, got "${method}"`);
    const p = clip ? numbers(clip, 'clip', 2) : undefined;
    const [lo = NaN, hi = NaN] = p ?? [];
    if (p && !(lo >= 0 && lo < hi && hi <= 100)) throw new UsageError(`option --clip needs two increasing percentiles in 0–100, got "${clip}"`);
    settings.normalise = { method, clipPercentiles: p ? [lo, hi] : undefined };
  } else if (clip) throw new UsageError('option --clip applies to --normalize only');

  const resample = stringFlag(args, 'resample');
  const interpolator = stringFlag(args, 'interpolator');
  if (interpolator && !['bspline', 'linear', 'nearest'].includes(interpolator)) {
    throw new UsageError(`option --interpolator must be bspline, linear or nearest, got "${interpolator}"`);
  }
  if (resample) {
    const spacing = numbers(resample, 'resample', 3);
    if (spacing.some((s) => s < 0)) throw new UsageError(`option --resample needs non-negative spacings (0 keeps an axis), got "${resample}"`);
    settings.resample = { spacing, interpolator: (interpolator ?? 'bspline') as Interpolator };
  } else if (interpolator) throw new UsageError('option --interpolator applies to --resample only');

  const image = await readVolume(file);
  const maskFile = stringFlag(args, 'mask');
  const mask = maskFile ? await readVolume(maskFile) : undefined;
  if (n4MaskArg === 'otsu' || n4MaskArg === 'none') settings.n4Mask = n4MaskArg;
  else if (n4MaskArg !== undefined) {
    const n4Mask = await readVolume(n4MaskArg);
    if (n4Mask.data.length !== image.data.length) {
      throw new UsageError(`${n4MaskArg}: the N4 mask (${n4Mask.size.join('×')}) is not on the grid of ${file} (${image.size.join('×')})`);
    }
    settings.n4Mask = n4Mask;
  }
  const fixedFile = stringFlag(args, 'register-to');
  if (fixedFile) {
    settings.register = { fixed: await readVolume(fixedFile), elastix: elastixCachedNode, transform: args.flags.affine ? 'affine' : 'rigid' };
  } else if (args.flags.affine) throw new UsageError('option --affine applies to --register-to only');

  if (!settings.n4 && !settings.normalise && !settings.resample && !settings.register) {
    throw new UsageError('nothing to do: give at least one of --n4, --normalize, --resample, --register-to');
  }
  if (mask && mask.data.length !== image.data.length) {
    throw new UsageError(`${maskFile}: the mask (${mask.size.join('×')}) is not on the grid of ${file} (${image.size.join('×')})`);
  }
  const t0 = performance.now();
  const r = await preprocessVolume(image, settings, mask);
  await writeVolume(r.image, out);
  const maskOut = stringFlag(args, 'mask-out');
  if (maskOut) {
    if (!r.mask) throw new UsageError('option --mask-out needs --mask (and no --register-to: after registration the fixed series’ mask applies)');
    await writeVolume(r.mask, maskOut);
  }
  const sidecar = {
    tool: 'habitat preprocess',
    files: { image: file, mask: maskFile ?? null, n4Mask: n4MaskArg && n4MaskArg !== 'otsu' && n4MaskArg !== 'none' ? n4MaskArg : null, registeredTo: fixedFile ?? null, output: out, maskOutput: maskOut ?? null },
    seconds: +((performance.now() - t0) / 1000).toFixed(2),
    record: r.record,
  };
  await writeFile(`${out}.json`, JSON.stringify(sidecar, null, 2) + '\n');
  console.log(`${out}: ${r.image.size.join('×')} voxels, spacing ${r.image.spacing.map((s) => +s.toFixed(4)).join('×')} mm; steps ${r.record.steps.map((s) => s.step).join(' → ')}; settings in ${out}.json`);
  return 0;
}
