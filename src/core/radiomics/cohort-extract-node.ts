/**
 * Node runner of cohort extraction: read the cohort layout, take this shard's
 * patients, extract every patient × sequence (whole VOI) in a pool of
 * worker_threads, and return the rows plus one problem line per patient or
 * file that could not be used. The CSV and the merge are in cohort-extract.ts.
 */
import path from 'node:path';
import { readVolume } from '../image/io-node.js';
import { createNodePool, defaultWorkerCount } from '../parallel/pool-node.js';
import { readCohortLayout } from '../cohort/cohort-node.js';
import { extractFeatures, type FeatureVector } from './extractor.js';
import { parseParams, withSettings, type ExtractionParams } from './params.js';
import { compareRows, shardItems, type CohortRow, type Shard, NO_SHARD } from './cohort-extract.js';

/** One patient × sequence job (plain data, so it crosses to a worker). */
export interface CohortJob {
  patient: string;
  sequence: string;
  imagePath: string;
  maskPath: string;
  /** The parameter file's text and name (parsed once per worker). */
  paramsText: string;
  paramsName: string;
  label?: number;
}

export type CohortJobResult = { ok: true; features: FeatureVector } | { ok: false; error: string };

let cachedParams: { key: string; params: ExtractionParams } | null = null;

function paramsOf(job: CohortJob): ExtractionParams {
  const key = `${job.paramsName}\u0000${job.label ?? ''}\u0000${job.paramsText}`;
  if (cachedParams?.key !== key) {
    let params = parseParams(job.paramsText, job.paramsName);
    if (job.label !== undefined) params = withSettings(params, { label: job.label }, '--label');
    cachedParams = { key, params };
  }
  return cachedParams.params;
}

/** Extract one job; failures come back as a message (the pool goes on with the next job). */
export async function extractCohortJob(job: CohortJob): Promise<CohortJobResult> {
  try {
    const params = paramsOf(job);
    const image = await readVolume(job.imagePath);
    const mask = await readVolume(job.maskPath);
    const features = extractFeatures(image, mask, { params, imageName: job.imagePath, maskName: job.maskPath });
    return { ok: true, features };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export interface ExtractCohortOptions {
  paramsText: string;
  paramsName: string;
  label?: number;
  /** Worker count (default: the machine's cores). */
  jobs?: number;
  shard?: Shard;
  /** Called after each job (progress), in completion order. */
  onProgress?: (done: number, total: number, job: CohortJob) => void;
  /**
   * Called with each extracted row in the CSV's order (patient, then sequence)
   * as soon as every earlier job has finished; when given, rows are not kept,
   * so memory does not grow with the cohort.
   */
  onRow?: (row: CohortRow) => void;
  /** Called with each problem line as it is found (they are also returned). */
  onProblem?: (line: string) => void;
  signal?: AbortSignal;
}

export interface ExtractCohortResult {
  /** The rows in CSV order (empty when `onRow` took them). */
  rows: CohortRow[];
  /** Rows extracted. */
  extracted: number;
  /** One line per unusable patient, file or job, naming it. */
  problems: string[];
  /** Patients in this shard / jobs run. */
  patients: number;
  jobs: number;
}

const WORKER = new URL('./cohort-extract-worker-node.ts', import.meta.url);

/** Extract every patient × sequence of this shard of `cohortDir`. */
export async function extractCohort(cohortDir: string, opts: ExtractCohortOptions): Promise<ExtractCohortResult> {
  // fail early, in this process, on a bad parameter file or label
  paramsOf({ patient: '', sequence: '', imagePath: '', maskPath: '', paramsText: opts.paramsText, paramsName: opts.paramsName, label: opts.label });
  const layout = await readCohortLayout(cohortDir);
  const problems: string[] = [];
  const problem = (line: string) => {
    problems.push(line);
    opts.onProblem?.(line);
  };
  layout.problems.forEach(problem);
  const patients = shardItems(layout.patients, opts.shard ?? NO_SHARD);
  const rel = (p: string) => path.relative(cohortDir, p).split(path.sep).join('/');
  const jobs: CohortJob[] = [];
  for (const p of patients)
    for (const [sequence, imagePath] of Object.entries(p.sequences))
      jobs.push({ patient: p.id, sequence, imagePath, maskPath: p.mask, paramsText: opts.paramsText, paramsName: opts.paramsName, label: opts.label });
  jobs.sort(compareRows);
  const rows: CohortRow[] = [];
  let extracted = 0;
  if (jobs.length > 0) {
    const size = Math.max(1, Math.min(opts.jobs ?? defaultWorkerCount(), jobs.length));
    const pool = createNodePool<{ extract(job: CohortJob): Promise<CohortJobResult> }>(WORKER, size, opts.signal);
    // results are released in job order: a finished job waits here only for earlier, slower ones
    const finished = new Map<number, CohortJobResult>();
    let next = 0;
    let done = 0;
    const release = () => {
      for (let r = finished.get(next); r !== undefined; r = finished.get(next)) {
        finished.delete(next);
        const j = jobs[next++]!;
        if (!r.ok) {
          problem(`patient ${j.patient} ${j.sequence}: ${r.error}`);
          continue;
        }
        const row = { patient: j.patient, sequence: j.sequence, image: rel(j.imagePath), mask: rel(j.maskPath), features: r.features };
        extracted++;
        if (opts.onRow) opts.onRow(row);
        else rows.push(row);
      }
    };
    try {
      await Promise.all(
        jobs.map((job, i) =>
          pool.run((api) => api.extract(job) as Promise<CohortJobResult>).then((r) => {
            finished.set(i, r);
            opts.onProgress?.(++done, jobs.length, job);
            release();
          }),
        ),
      );
    } finally {
      pool.close();
    }
  }
  return { rows, extracted, problems, patients: patients.length, jobs: jobs.length };
}
