import path from 'node:path';
import { imageTypes, readVolume, writeVolume, type DerivedImage, type ImageTypeSettings, type LbpMethod, type Volume } from '../../core/node.js';
import { parseArgs, stringFlag, type ParsedArgs } from '../args.js';
import { UsageError } from '../errors.js';

const usage = `usage: habitat filter <image> --type <type> [options] --out <file.nii.gz>
PyRadiomics 3.1 image types (same values as PyRadiomics; apply to the image PyRadiomics would filter):
  --type log          --sigma 1,3,5            σ in mm; several σ write <out>_log-sigma-…nii.gz
  --type wavelet      [--wavelet coif1] [--level 1] [--start-level 0] [--band LLH]
                      without --band every sub-band is written as <out>_wavelet-XYZ.nii.gz
  --type square | squareroot | logarithm | exponential
  --type gradient     [--no-spacing]
  --type lbp2d        [--radius 1] [--samples 8] [--method uniform] [--dimension 0]
  --type lbp3d        --mask m.nii.gz [--label 1] [--levels 2] [--sphere-radius 1] [--subdivision 1]
                      writes <out>_lbp-3D-m1 … and <out>_lbp-3D-k (masked voxels only)
IBSI 2 filters: --type mean | laws | gabor | simoncelli | riesz | ibsi2-log | ibsi2-wavelet with their options`;

/** --type → PyRadiomics image type (a Map: a type such as "constructor" must not match Object.prototype). */
const PYRADIOMICS_TYPES = new Map<string, string>([
  ['log', 'LoG'],
  ['wavelet', 'Wavelet'],
  ['square', 'Square'],
  ['squareroot', 'SquareRoot'],
  ['logarithm', 'Logarithm'],
  ['exponential', 'Exponential'],
  ['gradient', 'Gradient'],
  ['lbp2d', 'LBP2D'],
  ['lbp3d', 'LBP3D'],
  ['original', 'Original'],
]);

function numberFlag(args: ParsedArgs, key: string): number | undefined {
  const v = stringFlag(args, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`option --${key} must be a number, got "${v}"`);
  return n;
}

function settingsFrom(args: ParsedArgs): ImageTypeSettings {
  const sigma = stringFlag(args, 'sigma');
  return {
    sigma: sigma === undefined ? undefined : sigma.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number),
    wavelet: stringFlag(args, 'wavelet'),
    level: numberFlag(args, 'level'),
    start_level: numberFlag(args, 'start-level'),
    gradientUseSpacing: !args.flags['no-spacing'],
    lbp2DRadius: numberFlag(args, 'radius'),
    lbp2DSamples: numberFlag(args, 'samples'),
    lbp2DMethod: stringFlag(args, 'method') as LbpMethod | undefined,
    force2Ddimension: numberFlag(args, 'dimension'),
    lbp3DLevels: numberFlag(args, 'levels'),
    lbp3DIcosphereRadius: numberFlag(args, 'sphere-radius'),
    lbp3DIcosphereSubdivision: numberFlag(args, 'subdivision'),
    label: numberFlag(args, 'label'),
  };
}

/** `<out>` with `_<prefix>` before its extension (.nii.gz, .nrrd, …). */
function withSuffix(out: string, prefix: string): string {
  const m = /(\.nii\.gz|\.[a-z]+)$/i.exec(out);
  const ext = m?.[1] ?? '';
  return `${out.slice(0, out.length - ext.length)}_${prefix}${ext}`;
}

type Ibsi2Table = Record<string, (vol: Volume, opts: Record<string, unknown>) => Volume>;

/** The IBSI 2 filter table, if that module is present in this build. */
async function ibsi2Table(): Promise<Ibsi2Table | null> {
  const spec = '../../core/filters/ibsi2/index.js';
  try {
    const mod = (await import(/* @vite-ignore */ spec)) as { ibsi2Filters?: Ibsi2Table };
    return mod.ibsi2Filters ?? null;
  } catch {
    return null;
  }
}

export async function filterCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['no-spacing', 'rotation-invariant']);
  const file = args.positional[0];
  const type = stringFlag(args, 'type')?.toLowerCase();
  const out = stringFlag(args, 'out');
  if (!file || !type || !out) throw new UsageError(usage);
  if (/[\\/]$/.test(out)) throw new UsageError(`--out must be a file name, got "${out}"`);

  const pyName = PYRADIOMICS_TYPES.get(type);
  if (pyName) {
    const makeImages = imageTypes[pyName];
    if (!makeImages) throw new Error(`filter: image type ${pyName} is not in this build's registry`);
    const settings = settingsFrom(args);
    if (type === 'log' && !settings.sigma?.length) throw new UsageError('filter --type log needs --sigma (mm), e.g. --sigma 3');
    const maskFile = stringFlag(args, 'mask');
    if (type === 'lbp3d' && !maskFile) throw new UsageError('filter --type lbp3d needs --mask <label image>');
    const volume = await readVolume(file);
    const mask = maskFile ? await readVolume(maskFile) : null;
    if (mask && mask.data.length !== volume.data.length) throw new Error(`${maskFile}: mask size ${mask.size.join('×')} differs from image size ${volume.size.join('×')}`);
    let images: DerivedImage[] = makeImages(volume, mask, settings);
    if (images.length === 0) throw new Error(`${file}: image too small for ${pyName} with these settings (size ${volume.size.join('×')})`);
    const band = stringFlag(args, 'band');
    if (type === 'wavelet' && band) {
      images = images.filter((im) => im.prefix.endsWith(`-${band.toUpperCase()}`));
      if (images.length === 0) throw new UsageError(`--band ${band} is not a sub-band (e.g. LLH, HHH, LLL)`);
    }
    const single = images.length === 1 ? images[0] : undefined;
    if (single) {
      await writeVolume(single.volume, out);
      console.log(`${single.prefix} → ${out}`);
    } else {
      for (const im of images) {
        const target = withSuffix(out, im.prefix);
        await writeVolume(im.volume, target);
        console.log(`${im.prefix} → ${target}`);
      }
    }
    return 0;
  }

  const table = await ibsi2Table();
  const ibsiName = type.startsWith('ibsi2-') ? type.slice('ibsi2-'.length) : type;
  const fn = table && Object.hasOwn(table, ibsiName) ? table[ibsiName] : undefined;
  if (!fn) {
    const known = [...PYRADIOMICS_TYPES.keys(), ...(table ? Object.keys(table).map((k) => (PYRADIOMICS_TYPES.has(k) ? `ibsi2-${k}` : k)) : [])];
    throw new UsageError(`filter type "${type}" is not available (available: ${known.join(', ')})`);
  }
  const opts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args.flags)) if (k !== 'type' && k !== 'out') opts[k] = v;
  const volume = await readVolume(file);
  const result = fn(volume, opts);
  await writeVolume(result, out);
  console.log(`${type} → ${path.normalize(out)}`);
  return 0;
}
