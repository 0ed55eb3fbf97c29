/**
 * Cohort feature extraction that can be split over many machines: which
 * patients a shard takes, where the shard index comes from (command line,
 * Slurm job arrays, Kubernetes Indexed Jobs), the CSV a shard writes, and the
 * merge of shard CSVs into exactly the file one unsharded run writes.
 *
 * Conventions (docs/scaling.md):
 * - `--shard i/n` numbers shards 1…n; environment indices are converted (Slurm
 *   `SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN`, divided by the step;
 *   Kubernetes `JOB_COMPLETION_INDEX` is 0-based already).
 * - Shard s (0-based) of n takes the patients at positions p ≡ s (mod n) of the
 *   cohort's patient list, which is sorted by id (numbers compare numerically),
 *   so shards differ in size by at most one patient and every machine that sees
 *   the same cohort folder makes the same partition.
 * - Rows are ordered by patient id, then sequence name, with that same
 *   comparison; the CSV is the header line then one line per row, each ending
 *   in "\n". Merging re-sorts the rows of all shards with that order, so the
 *   merged file equals a single run's byte for byte.
 *
 * Plain data in and out; no Node APIs (the Node runner is cohort-extract-node.ts).
 */
import type { FeatureVector } from './extractor.js';

/** A shard: 0-based index and count (index < count). */
export interface Shard {
  index: number;
  count: number;
}

export const NO_SHARD: Shard = { index: 0, count: 1 };

/** Patient ids and sequence names compare as the cohort layout sorts them (numbers numerically). */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function nonNegativeInt(text: string, what: string): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new Error(`${what} must be a non-negative integer, got "${text}"`);
  return Number(text);
}

function positiveInt(text: string, what: string): number {
  const n = nonNegativeInt(text, what);
  if (n < 1) throw new Error(`${what} must be at least 1, got "${text}"`);
  return n;
}

/** `--shard i/n` with i in 1…n (1-based, as "shard 2 of 4" reads) → a 0-based shard. */
export function parseShardSpec(spec: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  if (!m) throw new Error(`--shard must look like i/n (e.g. 2/4), got "${spec}"`);
  const i = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1) throw new Error(`--shard ${spec}: the shard count must be at least 1`);
  if (i < 1 || i > n) throw new Error(`--shard ${spec}: shards are numbered 1 to ${n}`);
  return { index: i - 1, count: n };
}

export type ShardEnv = Readonly<Record<string, string | undefined>>;

export interface ShardSource {
  shard: Shard;
  /** Where the shard came from, for the log ("--shard 2/4", "SLURM_ARRAY_TASK_ID=3", …). */
  source: string;
}

/**
 * The shard of this process: `--shard i/n` when given; else a Slurm job array
 * task (`SLURM_ARRAY_TASK_ID`, count `SLURM_ARRAY_TASK_COUNT`, minimum
 * `SLURM_ARRAY_TASK_MIN`, step `SLURM_ARRAY_TASK_STEP`); else a Kubernetes
 * Indexed Job (`JOB_COMPLETION_INDEX`, 0-based) whose count is `--shards n` or
 * `HABITAT_SHARD_COUNT` (Kubernetes does not put `completions` in the
 * environment); else the whole cohort. `shardsFlag` (`--shards n`) overrides
 * the count from the environment in both schedulers.
 */
export function resolveShard(shardFlag: string | undefined, shardsFlag: string | undefined, env: ShardEnv): ShardSource {
  if (shardFlag !== undefined) {
    if (shardsFlag !== undefined) throw new Error('give either --shard i/n or --shards n, not both');
    return { shard: parseShardSpec(shardFlag), source: `--shard ${shardFlag}` };
  }
  const countOverride = shardsFlag !== undefined ? positiveInt(shardsFlag, '--shards') : undefined;
  const slurmId = env.SLURM_ARRAY_TASK_ID;
  if (slurmId !== undefined && slurmId !== '') {
    const id = nonNegativeInt(slurmId, 'SLURM_ARRAY_TASK_ID');
    const min = env.SLURM_ARRAY_TASK_MIN ? nonNegativeInt(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN') : 0;
    const step = env.SLURM_ARRAY_TASK_STEP ? positiveInt(env.SLURM_ARRAY_TASK_STEP, 'SLURM_ARRAY_TASK_STEP') : 1;
    let count = countOverride;
    if (count === undefined) {
      if (!env.SLURM_ARRAY_TASK_COUNT) throw new Error('SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; pass --shards n');
      count = positiveInt(env.SLURM_ARRAY_TASK_COUNT, 'SLURM_ARRAY_TASK_COUNT');
    }
    if (id < min || (id - min) % step !== 0) throw new Error(`SLURM_ARRAY_TASK_ID=${id} is not in the array ${min}, ${min + step}, …`);
    const index = (id - min) / step;
    if (index >= count)
      throw new Error(`SLURM_ARRAY_TASK_ID=${id} is task ${index + 1} of an array of ${count} (minimum ${min}, step ${step}); check --array and --shards`);
    return { shard: { index, count }, source: `SLURM_ARRAY_TASK_ID=${id} of ${count}` };
  }
  const k8s = env.JOB_COMPLETION_INDEX;
  if (k8s !== undefined && k8s !== '') {
    const index = nonNegativeInt(k8s, 'JOB_COMPLETION_INDEX');
    let count = countOverride;
    if (count === undefined) {
      if (!env.HABITAT_SHARD_COUNT) throw new Error('JOB_COMPLETION_INDEX is set but the shard count is not; pass --shards n or set HABITAT_SHARD_COUNT');
      count = positiveInt(env.HABITAT_SHARD_COUNT, 'HABITAT_SHARD_COUNT');
    }
    if (index >= count) throw new Error(`JOB_COMPLETION_INDEX=${index} is not below the shard count ${count}`);
    return { shard: { index, count }, source: `JOB_COMPLETION_INDEX=${index} of ${count}` };
  }
  if (countOverride !== undefined) throw new Error('--shards n needs a shard index from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX (or use --shard i/n)');
  return { shard: NO_SHARD, source: 'whole cohort' };
}

/** The items of one shard: positions p ≡ index (mod count) of the list sorted with `compareIds`. */
export function shardItems<T extends { id: string }>(items: readonly T[], shard: Shard): T[] {
  const sorted = [...items].sort((a, b) => compareIds(a.id, b.id));
  return sorted.filter((_, p) => p % shard.count === shard.index);
}

/** One extracted row: a patient × sequence and its features. */
export interface CohortRow {
  patient: string;
  sequence: string;
  /** Image and mask paths as written in the CSV (relative to the cohort folder). */
  image: string;
  mask: string;
  features: FeatureVector;
}

export const ROW_KEY_COLUMNS = ['patient', 'sequence', 'image', 'mask'] as const;

/** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function compareRows(a: { patient: string; sequence: string }, b: { patient: string; sequence: string }): number {
  return compareIds(a.patient, b.patient) || compareIds(a.sequence, b.sequence);
}

/**
 * Writes the cohort CSV a row at a time, for rows that arrive already sorted
 * with `compareRows` (the Node runner emits them in that order as jobs finish,
 * so the cohort is never held in memory). The header is the first row's
 * feature names; a row whose names differ (another parameter set, a skipped
 * class) cannot share it and is left out: `add` returns the problem line.
 */
export function cohortCsvWriter(write: (chunk: string) => void): { add(row: CohortRow): string | null; readonly rows: number } {
  let names: string[] | null = null;
  let first = '';
  let rows = 0;
  return {
    add(r) {
      const keys = Object.keys(r.features);
      if (!names) {
        names = keys;
        first = `${r.patient} ${r.sequence}`;
        write([...ROW_KEY_COLUMNS, ...names].map(csvField).join(',') + '\n');
      } else if (keys.length !== names.length || keys.some((k, n) => k !== names![n])) {
        const missing = names.filter((k) => !(k in r.features));
        const extra = keys.filter((k) => !names!.includes(k));
        return (
          `patient ${r.patient} ${r.sequence}: feature names differ from patient ${first}'s` +
          ` (missing ${missing.length}${missing.length ? ` e.g. ${missing[0]}` : ''}, extra ${extra.length}${extra.length ? ` e.g. ${extra[0]}` : ''}); row left out`
        );
      }
      write([r.patient, r.sequence, r.image, r.mask, ...names.map((k) => r.features[k]!)].map(csvField).join(',') + '\n');
      rows++;
      return null;
    },
    get rows() {
      return rows;
    },
  };
}

/** The cohort CSV of a set of rows (any order): header, then rows sorted with `compareRows`. */
export function cohortCsv(rows: readonly CohortRow[]): { csv: string; problems: string[] } {
  const chunks: string[] = [];
  const w = cohortCsvWriter((c) => chunks.push(c));
  const problems: string[] = [];
  for (const r of [...rows].sort(compareRows)) {
    const p = w.add(r);
    if (p) problems.push(p);
  }
  return { csv: chunks.join(''), problems };
}

/** A CSV record: its parsed fields and its exact text (without the line break). */
export interface CsvRecord {
  fields: string[];
  text: string;
}

/** Split CSV text into records (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
export function csvRecords(text: string, source = 'CSV'): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = i;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new Error(`${source}: unterminated quoted field in record ${out.length + 1}`);
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
            } else {
              i++;
              break;
            }
          } else {
            field += c;
            i++;
          }
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    const end = i;
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    else if (i < n) throw new Error(`${source}: unexpected character after a quoted field in record ${out.length + 1}`);
    out.push({ fields, text: text.slice(start, end) });
  }
  return out;
}

export interface ShardCsv {
  /** File name, for messages. */
  name: string;
  text: string;
}

/**
 * Merge shard CSVs into the CSV one unsharded run writes: the headers must be
 * equal, a patient × sequence may appear once only, rows are sorted as
 * `cohortCsv` sorts them and copied unchanged. Empty files (a shard without
 * patients) are skipped.
 */
export function mergeCohortCsvs(shards: readonly ShardCsv[]): string {
  let header: CsvRecord | null = null;
  let headerFrom = '';
  const rows: { patient: string; sequence: string; text: string; from: string }[] = [];
  const seen = new Map<string, string>();
  for (const s of shards) {
    if (s.text.trim() === '') continue;
    const recs = csvRecords(s.text, s.name);
    const h = recs[0];
    if (h === undefined) throw new Error(`${s.name}: no header record`);
    if (h.fields[0] !== ROW_KEY_COLUMNS[0] || h.fields[1] !== ROW_KEY_COLUMNS[1])
      throw new Error(`${s.name}: not an extract-cohort CSV (the header starts "${h.fields.slice(0, 2).join(',')}", expected "patient,sequence")`);
    if (!header) {
      header = h;
      headerFrom = s.name;
    } else if (h.text !== header.text) {
      const k = h.fields.findIndex((f, n) => f !== header!.fields[n]);
      const where = k < 0 ? `${h.fields.length} columns instead of ${header.fields.length}` : `column ${k + 1} is "${h.fields[k]}", not "${header.fields[k]}"`;
      throw new Error(`${s.name}: header differs from ${headerFrom} (${where}); were the shards run with the same parameters?`);
    }
    for (let r = 1; r < recs.length; r++) {
      const { fields, text } = recs[r]!;
      if (fields.length !== header.fields.length)
        throw new Error(`${s.name}: record ${r + 1} has ${fields.length} fields, the header ${header.fields.length}`);
      const key = `${fields[0]}\u0000${fields[1]}`;
      const prev = seen.get(key);
      if (prev !== undefined) throw new Error(`${s.name}: patient ${fields[0]} ${fields[1]} is also in ${prev}; shards overlap`);
      seen.set(key, s.name);
      rows.push({ patient: fields[0]!, sequence: fields[1]!, text, from: s.name });
    }
  }
  if (!header) return '';
  rows.sort(compareRows);
  return [header.text, ...rows.map((r) => r.text)].join('\n') + '\n';
}
