import { intensityRange, readVolume } from '../../core/node.js';
import { parseArgs } from '../args.js';
import { UsageError } from '../errors.js';

/** Orientation code (e.g. "LPS", "RAS") of a row-major direction matrix: the letter each voxel axis points towards. */
export function orientationCode(direction: ArrayLike<number>): string {
  const pos = 'LPS';
  const neg = 'RAI';
  let code = '';
  const at = (r: number, c: number) => direction[3 * r + c] ?? NaN;
  for (let c = 0; c < 3; c++) {
    let best = 0;
    for (let r = 1; r < 3; r++) if (Math.abs(at(r, c)) > Math.abs(at(best, c))) best = r;
    code += (at(best, c) >= 0 ? pos : neg).charAt(best);
  }
  return code;
}

export async function infoCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['json']);
  const file = args.positional[0];
  if (!file) throw new UsageError('usage: habitat info <image> [--json]');
  const v = await readVolume(file);
  const [lo, hi] = intensityRange(v.data);
  const info = {
    file,
    format: v.metadata?.format ?? 'unknown',
    size: v.size,
    spacing: v.spacing,
    origin: v.origin,
    direction: Array.from(v.direction),
    orientation: orientationCode(v.direction),
    voxelType: v.data.constructor.name.replace('Array', '').toLowerCase(),
    min: lo,
    max: hi,
  };
  if (args.flags.json) {
    console.log(JSON.stringify(info, null, 2));
    return 0;
  }
  const f = (x: number[]) => x.map((n) => +n.toPrecision(8)).join(' × ');
  console.log(`file         ${info.file} (${info.format})`);
  console.log(`size         ${info.size.join(' × ')} voxels`);
  console.log(`spacing      ${f(info.spacing)} mm`);
  console.log(`origin       ${info.origin.map((n) => +n.toPrecision(8)).join(', ')} mm (LPS)`);
  console.log(`orientation  ${info.orientation} (direction ${info.direction.map((n) => +n.toPrecision(6)).join(' ')})`);
  console.log(`voxel type   ${info.voxelType}`);
  console.log(`intensity    ${lo} … ${hi}`);
  return 0;
}
