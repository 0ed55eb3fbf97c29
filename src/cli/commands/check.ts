import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  checkCohort,
  checkImageHeader,
  checkVolumeBudget,
  DEFAULT_VOLUME_BUDGET_BYTES,
  parseParams,
  parseStudyConfig,
  readCohortLayout,
  readImageHeader,
  readVolume,
  validateParams,
  type CohortCheckReaders,
  type CohortProblem,
  type StudyConfig,
  type Volume,
} from '../../core/node.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';
import { cohortOrImportedExport } from './import.js';

const usage = `usage: habitat check <cohortDir> [options]
  --config <study.yaml>   study configuration (sequences, reference, clinical columns)
  --deep                  read every image in full (NaN/Inf voxels inside the ROI), not only its header
  --label <N>             mask label of the ROI (default 1)
  --budget-mib <N>        memory budget per decoded volume in MiB (default ${DEFAULT_VOLUME_BUDGET_BYTES / 2 ** 20}, the app's)
  --json                  the report as JSON
A DICOM export (PACS, radiotherapy) is imported first, with habitat import's
options (--map, --voi, --voi2, --labels, --clinical, --id-column, …; docs/import.md).
Prints one line per problem and a summary; exit code 0 when clean, 1 when problems were found.`;

/** Node readers for `checkCohort`: header-only reads for images, full reads (after the budget check) for volumes. */
export function nodeCohortReaders(budgetBytes: number): CohortCheckReaders {
  return {
    header: async (file) => ((await stat(file)).isDirectory() ? readVolume(file) : readImageHeader(file, budgetBytes)),
    volume: async (file): Promise<Volume> => {
      const st = await stat(file).catch(() => null);
      if (!st?.isFile()) return readVolume(file);
      const bytes = new Uint8Array(await readFile(file));
      const header = checkImageHeader(file, bytes);
      checkVolumeBudget(header, budgetBytes, file);
      // readVolume puts back the NaN/Inf that ITK's NIfTI reader turns into 0, so the ROI check sees them
      return readVolume(file);
    },
    text: async (file) => readFile(file, 'utf8'),
  };
}

export async function checkCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['deep', 'json', 'help', 'pseudonymise']);
  if (args.flags.help) {
    console.log(usage);
    return 0;
  }
  const dir = args.positional[0];
  if (!dir || args.positional.length > 1) throw new UsageError(usage);
  const dirStat = await stat(dir).catch(() => null);
  if (!dirStat?.isDirectory()) throw new UsageError(`${dir}: no such cohort folder`);
  const labelText = stringFlag(args, 'label') ?? '1';
  const label = Number(labelText);
  if (!Number.isInteger(label) || label <= 0) throw new UsageError(`--label must be a positive integer, got "${labelText}"`);
  const budgetText = stringFlag(args, 'budget-mib');
  const budgetMiB = budgetText === undefined ? DEFAULT_VOLUME_BUDGET_BYTES / 2 ** 20 : Number(budgetText);
  if (!(budgetMiB > 0)) throw new UsageError(`--budget-mib must be a positive number, got "${budgetText}"`);

  const problems: CohortProblem[] = [];
  let config: StudyConfig | undefined;
  const configFile = stringFlag(args, 'config');
  if (configFile) {
    try {
      config = parseStudyConfig(await readFile(configFile, 'utf8'), path.basename(configFile));
    } catch (e) {
      // A broken config is one problem; the cohort is still checked with the defaults.
      const msg = e instanceof Error ? e.message : String(e);
      problems.push({ file: configFile, message: msg.startsWith(path.basename(configFile)) ? msg : `${configFile}: cannot read the study config (${msg})` });
    }
  }
  // extraction parameters named by the config: a file (relative to the config, as `habitat study` reads it) or inline
  const params = config?.extraction.params;
  if (configFile && typeof params === 'string') {
    const file = path.resolve(path.dirname(configFile), params);
    try {
      parseParams(await readFile(file, 'utf8'), file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({ file, message: code ? `${configFile}: extraction.params: cannot read ${file} (${code})` : firstLine(e) });
    }
  } else if (configFile && params) {
    try {
      validateParams(params, `${configFile}: extraction.params`);
    } catch (e) {
      problems.push({ file: configFile, message: firstLine(e) });
    }
  }
  // a DICOM export is imported first (into a temporary folder), with the import's options
  const imported = await cohortOrImportedExport(dir, args, await mkdtemp(path.join(tmpdir(), 'habitat-check-import-')));
  for (const line of imported.leftOut) problems.push({ message: line });
  const layout = await readCohortLayout(imported.cohortDir);
  const report = await checkCohort(layout, nodeCohortReaders(budgetMiB * 2 ** 20), { config, configGiven: configFile !== undefined, deep: args.flags.deep === true, label });
  problems.push(...report.problems);
  if (args.flags.json) {
    console.log(JSON.stringify({ ...report, problems }, null, 2));
  } else {
    for (const p of problems) console.log(p.message.split('\n')[0]);
    const clinical = layout.clinical ? `, clinical table ${report.clinicalRows} rows` : ', no clinical table';
    console.log(
      `checked ${report.patients} patient${report.patients === 1 ? '' : 's'}, ${report.files} image files${clinical}: ${problems.length === 0 ? 'no problems' : `${problems.length} problem${problems.length === 1 ? '' : 's'}`}`,
    );
  }
  return problems.length === 0 ? 0 : 1;
}

/** The first line of an error's message. */
function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
