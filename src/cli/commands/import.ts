import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_RULES_YAML, defaultImportRules, importExport, NoDicomSeriesError, parseImportRules, readCohortLayout, type ImportOptions } from '../../core/node.js';
import { parseArgs, stringFlag, type ParsedArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { progressLine } from '../progress.js';

export const importHelp = 'import <exportDir> --out <cohortDir> [--map rules.yaml] [--voi NAME] [--voi2 NAME]   PACS/RT export → cohort layout';

const usage = `usage: habitat import <exportDir> --out <cohortDir> [options]
  Sorts a DICOM export (any folder tree, any file names) by its headers and
  writes the cohort layout that \`habitat study\` reads, plus import.json.
  --map <rules.yaml>      series → sequence rules (default: --print-rules)
  --voi <NAME>            VOI for mask.nii.gz: an RT Structure Set ROI or DICOM SEG segment
                          (name, glob * ?, or /regex/), or a SEG segment / label number
  --voi2 <NAME>           second observer's VOI for mask2.nii.gz
  --labels <DIR>          label maps (ITK-SNAP / 3D Slicer): <DIR>/<PatientID>.nii.gz, .nrrd or .seg.nrrd,
                          on the reference series' grid; --voi picks the label by number (or Slicer name)
  --reference <SEQ>       sequence whose grid the VOI is rasterised onto (default: the first)
  --clinical <c.csv>      clinical table to copy (id first, imported patients only), plus the
                          scanner_ batch columns (site, manufacturer, model, field strength)
  --id-column <NAME>      its column holding the PatientID (default: the first column)
  --pseudonymise          ids P001… instead of PatientIDs
  --key-out <FILE>        where the pseudonym key (id,PatientID) is written (required with --pseudonymise)
  --print-rules           print the default rules and exit
Patients with a sequence missing or ambiguous, or without the VOI, are listed
and left out; exit code 1 when any patient was left out.`;

export async function importCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['help', 'pseudonymise', 'print-rules']);
  if (args.flags.help) {
    console.log(usage);
    return 0;
  }
  if (args.flags['print-rules']) {
    process.stdout.write(DEFAULT_RULES_YAML);
    return 0;
  }
  const out = stringFlag(args, 'out');
  const [input] = args.positional;
  if (args.positional.length !== 1 || !input || !out) throw new UsageError(usage);
  // on a terminal one line with the time left (files scanned, then patients built); nothing in a log
  const line = progressLine();
  let res: Awaited<ReturnType<typeof importExport>>;
  try {
    res = await importExport(input, out, { ...(await importOptionsOf(args)), onProgress: (p) => line.update(p.stage, p.done, p.total, p.what) });
  } finally {
    line.clear();
  }
  for (const o of res.json.otherFiles) console.log(`not an image series: ${o.file ?? '(file)'} (${o.id}): ${o.what}`);
  for (const u of res.json.unreadableFiles) console.log(`unreadable: ${u.file ?? '(file)'}: ${u.problem}`);
  for (const p of res.problems) console.log(`left out: ${p}`);
  console.log(`import: ${res.imported.length} of ${res.json.patients.length} patients written to ${out} (see ${out}/import.json)`);
  return res.imported.length === res.json.patients.length ? 0 : 1;
}

/** The import options given on the command line (shared by import, study and check). */
async function importOptionsOf(args: ParsedArgs): Promise<ImportOptions> {
  const map = stringFlag(args, 'map');
  let rules = defaultImportRules();
  if (map) {
    let text: string;
    try {
      text = await readFile(map, 'utf8');
    } catch (e) {
      throw new Error(`${map}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    rules = parseImportRules(text, map);
  }
  return {
    rules,
    voi: stringFlag(args, 'voi'),
    voi2: stringFlag(args, 'voi2'),
    labels: stringFlag(args, 'labels'),
    reference: stringFlag(args, 'reference'),
    clinical: stringFlag(args, 'clinical'),
    idColumn: stringFlag(args, 'id-column'),
    pseudonymise: args.flags.pseudonymise === true,
    keyOut: stringFlag(args, 'key-out'),
  };
}

/**
 * `study` and `check` on an export folder: when `dir` holds no cohort layout
 * (no patient with a mask) it is imported into `into` with the import options
 * of `args` (--map, --voi, --voi2, --labels, --reference, --clinical, --id-column,
 * --pseudonymise, --key-out), and the cohort folder to use is returned with
 * the patients left out, one line each.
 */
export async function cohortOrImportedExport(dir: string, args: ParsedArgs, into: string): Promise<{ cohortDir: string; leftOut: string[] }> {
  const layout = await readCohortLayout(dir);
  if (layout.patients.length > 0) return { cohortDir: dir, leftOut: [] };
  let res;
  const line = progressLine();
  try {
    res = await importExport(dir, into, { ...(await importOptionsOf(args)), onProgress: (p) => line.update(p.stage, p.done, p.total, p.what) });
  } catch (e) {
    if (e instanceof NoDicomSeriesError) return { cohortDir: dir, leftOut: [] }; // not an export: the cohort checks report the folder
    throw e;
  } finally {
    line.clear();
  }
  console.error(`habitat: ${dir} is a DICOM export: ${res.imported.length} of ${res.json.patients.length} patients imported into ${into} (${path.join(into, 'import.json')})`);
  return { cohortDir: into, leftOut: res.problems.map((p) => `left out: ${p}`) };
}
