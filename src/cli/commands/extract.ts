import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  defaultParams,
  extractFeatures,
  featuresMarkdown,
  listFeatures,
  parseParams,
  readVolume,
  withData,
  withSettings,
  type ExtractionParams,
  type FeatureVector,
  type IbsiConfig,
  type Volume,
} from '../../core/node.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';

const usage = `usage: habitat extract <image> <mask> [options]
  --params <file.yaml>        PyRadiomics parameter file (imageType, featureClass, setting)
  --label <N>                 label value of the ROI (overrides setting.label; default 1)
  --standard pyradiomics|ibsi feature definitions (default pyradiomics); ibsi runs the IBSI 1 mode
  --ibsi-config <name>        with --standard ibsi: a preset (digital_phantom, config_A … config_E) instead of --params
  --format csv|json           csv lines up with \`pyradiomics --format csv\` (default json)
  --out <file>                write to a file instead of standard output
  habitat extract --list      every feature with its IBSI code
  habitat extract --docs      the feature reference (docs/features.md) as Markdown`;

/** A CSV field, quoted when it holds a comma, quote or newline. */
function csvField(v: unknown): string {
  // non-finite numbers as Python's csv module writes them
  const s = typeof v === 'number' ? (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v)) : String(v ?? '');
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `pyradiomics --format csv`: header Image, Mask, then every key; one row of values. */
export function featuresToCsv(image: string, mask: string, features: FeatureVector): string {
  const keys = Object.keys(features);
  return [['Image', 'Mask', ...keys].map(csvField).join(','), [image, mask, ...keys.map((k) => features[k])].map(csvField).join(',')].join('\n') + '\n';
}

/** JSON with NaN / ±Infinity written as strings ("NaN"), which JSON cannot hold as numbers. */
export function featuresToJson(features: Record<string, unknown>): string {
  const safe: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(features)) safe[k] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
  return JSON.stringify(safe, null, 2) + '\n';
}

/** IBSI 1 processing settings from a PyRadiomics parameter set (as far as the two correspond). */
export function ibsiConfigFromParams(p: ExtractionParams): IbsiConfig {
  const s = p.setting;
  const interp = s.interpolator === 'sitkLinear' ? 'linear' : 'cubic';
  let resegRange: [number, number] | null = null;
  let resegOutlierSigma: number | null = null;
  if (s.resegmentRange) {
    const r = [...s.resegmentRange].sort((a, b) => a - b);
    const [lo, hi] = r;
    if (s.resegmentMode === 'absolute' && lo !== undefined) resegRange = [lo, hi ?? Infinity];
    else if (s.resegmentMode === 'sigma' && r.length === 2 && hi !== undefined && lo === -hi) resegOutlierSigma = hi;
    else throw new UsageError(`--standard ibsi: resegmentMode '${s.resegmentMode}' with range [${r.join(', ')}] has no IBSI 1 equivalent`);
  }
  const discretisation = s.binCount != null ? { method: 'fbn' as const, bins: s.binCount } : { method: 'fbs' as const, binSize: s.binWidth };
  return {
    name: 'from PyRadiomics parameters',
    texture: s.force2D ? '2D' : '3D',
    roundIntensities: false,
    resampling: s.resampledPixelSpacing
      ? {
          spacing: s.resampledPixelSpacing.map((v) => (v === 0 ? null : v)) as [number | null, number | null, number | null],
          image: interp,
          maskThreshold: 0.5,
        }
      : null,
    resegRange,
    resegOutlierSigma,
    discretisation,
    ivh: discretisation,
  };
}

function binaryMask(mask: Volume, label: number): Volume {
  const d = new Uint8Array(mask.data.length);
  mask.data.forEach((v, i) => (d[i] = Math.trunc(v) === label ? 1 : 0));
  return withData(mask, d);
}

export async function extractCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['list', 'docs', 'help']);
  if (args.flags.help) {
    console.log(usage);
    return 0;
  }
  if (args.flags.docs) {
    process.stdout.write(featuresMarkdown());
    return 0;
  }
  if (args.flags.list) {
    for (const f of listFeatures())
      if (!f.removed) console.log(`${f.family}_${f.name}\t${f.ibsi ?? ''}${f.deprecated ? '\tdeprecated' : ''}`);
    return 0;
  }
  const [imageFile, maskFile] = args.positional;
  if (!imageFile || !maskFile || args.positional.length > 2) throw new UsageError(usage);
  const standard = stringFlag(args, 'standard') ?? 'pyradiomics';
  if (standard !== 'pyradiomics' && standard !== 'ibsi') throw new UsageError(`--standard must be pyradiomics or ibsi, got "${standard}"`);
  const format = stringFlag(args, 'format') ?? 'json';
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, got "${format}"`);
  const paramsFile = stringFlag(args, 'params');
  let params = paramsFile ? parseParams(readText(paramsFile), path.basename(paramsFile)) : defaultParams();
  const labelText = stringFlag(args, 'label');
  if (labelText !== undefined) {
    const label = Number(labelText);
    if (!Number.isInteger(label) || label <= 0) throw new UsageError(`--label must be a positive integer, got "${labelText}"`);
    params = withSettings(params, { label }, '--label');
  }

  const image = await readVolume(imageFile);
  const mask = await readVolume(maskFile);
  let features: Record<string, number | string>;
  if (standard === 'ibsi') {
    // the IBSI 1 mode is loaded only when asked for
    const { IBSI_CONFIGS, extractIbsi } = await import('./extract-ibsi.js');
    const configName = stringFlag(args, 'ibsi-config');
    let config: IbsiConfig;
    if (configName) {
      const c = IBSI_CONFIGS[configName];
      if (!c) throw new UsageError(`--ibsi-config must be one of ${Object.keys(IBSI_CONFIGS).join(', ')}, got "${configName}"`);
      config = c;
    } else config = ibsiConfigFromParams(params);
    features = extractIbsi(image, binaryMask(mask, params.setting.label), config);
  } else {
    features = extractFeatures(image, mask, { params, imageName: imageFile, maskName: maskFile });
  }
  const text = format === 'csv' ? featuresToCsv(imageFile, maskFile, features) : featuresToJson(features);
  const out = stringFlag(args, 'out');
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  return 0;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: cannot read the parameter file`);
  }
}
