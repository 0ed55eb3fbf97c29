import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cohortCsvWriter, defaultWorkerCount, extractCohort, resolveShard } from '../../core/node.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';
import { progressLine } from '../progress.js';

const usage = `usage: habitat extract-cohort <cohortDir> --params <file.yaml> --out <file.csv> [options]
  --params <file.yaml>  PyRadiomics parameter file (imageType, featureClass, setting)
  --out <file.csv>      one row per patient × sequence: patient, sequence, image, mask, features
                        (image and mask relative to <cohortDir>; rows sorted by patient, then sequence)
  --jobs <N>            worker threads (default: the cores, ${defaultWorkerCount()} here)
  --label <N>           label value of the VOI (overrides setting.label)
  --shard <i/n>         run shard i of n (1-based): patients at positions i-1, i-1+n, … of the sorted list
  --shards <n>          shard count when the index comes from the environment:
                        SLURM_ARRAY_TASK_ID (count SLURM_ARRAY_TASK_COUNT) or
                        JOB_COMPLETION_INDEX (count HABITAT_SHARD_COUNT)
Merge shard files with: habitat merge <a.csv> <b.csv> … --out all.csv (see docs/scaling.md)`;

export async function extractCohortCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['help']);
  if (args.flags.help) {
    console.log(usage);
    return 0;
  }
  const [cohortDir, ...extra] = args.positional;
  const paramsFile = stringFlag(args, 'params');
  const out = stringFlag(args, 'out');
  if (!cohortDir || extra.length > 0 || !paramsFile || !out) throw new UsageError(usage);
  let paramsText: string;
  try {
    paramsText = readFileSync(paramsFile, 'utf8');
  } catch {
    throw new UsageError(`${paramsFile}: cannot read the parameter file`);
  }
  const jobsText = stringFlag(args, 'jobs');
  let jobs: number | undefined;
  if (jobsText !== undefined) {
    jobs = Number(jobsText);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a positive integer, got "${jobsText}"`);
  }
  const labelText = stringFlag(args, 'label');
  let label: number | undefined;
  if (labelText !== undefined) {
    label = Number(labelText);
    if (!Number.isInteger(label) || label <= 0) throw new UsageError(`--label must be a positive integer, got "${labelText}"`);
  }
  let shard;
  try {
    shard = resolveShard(stringFlag(args, 'shard'), stringFlag(args, 'shards'), process.env);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const workers = jobs ?? defaultWorkerCount();
  const t0 = performance.now();
  // rows are written as they arrive (in their final order) to <out>.partial,
  // renamed to <out> at the end: an interrupted run leaves no truncated CSV
  const partial = `${out}.partial`;
  let fd: number;
  try {
    fd = openSync(partial, 'w');
  } catch (e) {
    throw new Error(`${partial}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  // on a terminal one line with the time left; in a log one line per patient × sequence
  const line = progressLine();
  const report = (text: string) => {
    line.clear();
    console.error(`extract-cohort: ${text}`);
  };
  const writer = cohortCsvWriter((chunk) => writeSync(fd, chunk));
  let result;
  try {
    result = await extractCohort(cohortDir, {
      paramsText,
      paramsName: path.basename(paramsFile),
      label,
      jobs: workers,
      shard: shard.shard,
      onProgress: (done, total, job) =>
        line.active ? line.update('extract-cohort', done, total, `${job.patient} ${job.sequence}`) : process.stderr.write(`extract-cohort: ${done}/${total} ${job.patient} ${job.sequence}\n`),
      onRow: (row) => {
        const p = writer.add(row);
        if (p) report(p);
      },
      onProblem: report,
    });
  } catch (e) {
    line.clear();
    closeSync(fd);
    rmSync(partial, { force: true });
    throw e;
  }
  line.clear();
  closeSync(fd);
  const written = writer.rows;
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const summary = `${written} of ${result.jobs} patient × sequence rows from ${result.patients} patients (${shard.source}), ${Math.min(workers, Math.max(result.jobs, 1))} workers, ${seconds} s on ${os.hostname()}`;
  if (result.jobs === 0) {
    // a shard can be empty when there are more shards than patients: not an error
    rmSync(partial, { force: true });
    writeFileSync(out, '');
    console.log(`extract-cohort: no patients in this shard; wrote an empty ${out} (${summary})`);
    return 0;
  }
  if (written === 0) {
    rmSync(partial, { force: true });
    console.error(`extract-cohort: nothing could be extracted (${summary}); no file written`);
    return 1;
  }
  renameSync(partial, out);
  console.log(`extract-cohort: wrote ${out}: ${summary}`);
  return 0;
}
