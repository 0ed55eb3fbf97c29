import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { elastixCachedNode, parseClinicalCsv, parseModelBundle, predictPatient, readVolume, writeVolume, type StudyModelBundle } from '../../core/node.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';

const IMAGE = /\.(nii\.gz|nii|nrrd|mha)$/i;

export async function predictCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const dir = args.positional[0];
  const modelFile = stringFlag(args, 'model');
  if (!dir || !modelFile) throw new UsageError('usage: habitat predict <patientDir> --model model.json [--clinical clinical.csv] [--out dir]');
  const text = await readFile(modelFile, 'utf8').catch(() => {
    throw new Error(`${modelFile}: cannot read the study model (model.json written by habitat study)`);
  });
  // One-line errors for what is not a study model; a −∞ threshold written as null comes back as −∞.
  const bundle: StudyModelBundle = parseModelBundle(text, modelFile);
  const id = path.basename(path.resolve(dir));
  const entries = await readdir(dir).catch(() => {
    throw new Error(`${dir}: cannot read the patient folder`);
  });
  const find = (stem: string) => {
    const f = entries.find((e) => e.replace(IMAGE, '') === stem && (IMAGE.test(e) || stem === e));
    return f ? path.join(dir, f) : undefined;
  };
  const series: Record<string, Awaited<ReturnType<typeof readVolume>>> = {};
  const files: Record<string, string> = {};
  for (const seq of bundle.config.sequences) {
    const f = find(seq);
    if (!f) throw new Error(`${dir}: no image for sequence ${seq} (expected ${seq}.nii.gz, .nrrd, … or a DICOM folder named ${seq})`);
    series[seq] = await readVolume(f);
    files[seq] = f;
  }
  const maskFile = find('mask');
  if (!maskFile) throw new Error(`${dir}: no mask (expected mask.nii.gz or mask.nrrd)`);
  files.mask = maskFile;
  let row: Record<string, string> = {};
  const clinicalFile = stringFlag(args, 'clinical');
  if (clinicalFile) {
    const t = parseClinicalCsv(clinicalFile, await readFile(clinicalFile, 'utf8'), { idColumn: bundle.config.id, outcomeColumn: bundle.config.outcome, positive: bundle.config.positive });
    const r = t.ids.indexOf(id);
    if (r < 0) throw new Error(`${clinicalFile}: no row for patient ${id}`);
    row = Object.fromEntries(t.variables.map((v) => [v.name, t.values[v.name]?.[r] ?? '']));
  }
  const pred = await predictPatient(bundle, { id, series, mask: await readVolume(maskFile), files }, row, { elastix: elastixCachedNode });
  for (const m of pred.models) console.log(`${m.name.padEnd(32)} risk ${m.probability.toFixed(3)}  (threshold ${m.threshold.toFixed(3)}: ${m.positive ? 'positive' : 'negative'})`);
  for (const [k, v] of Object.entries(pred.radScores)) console.log(`${k.padEnd(32)} ${v.toFixed(4)}`);
  const out = stringFlag(args, 'out');
  if (out) {
    await mkdir(out, { recursive: true });
    for (const [seq, map] of Object.entries(pred.habitats)) await writeVolume(map.labels, path.join(out, `${seq}-habitats.nii.gz`));
    const { habitats, mask: _mask, ...rest } = pred;
    const summary = { ...rest, habitats: Object.fromEntries(Object.entries(habitats).map(([s, m]) => [s, { volumesMm3: m.volumesMm3, fractions: m.fractions, missing: m.missing }])) };
    await writeFile(path.join(out, 'prediction.json'), JSON.stringify(summary, null, 2) + '\n');
    console.log(`wrote ${path.join(out, 'prediction.json')} and the habitat maps`);
  }
  return 0;
}
