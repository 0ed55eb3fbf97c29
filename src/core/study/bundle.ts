/**
 * The study bundle: one zip that is both the human-readable report (report.html,
 * report.json, CSVs, figures/*.svg, model.json, study.yaml, params.yaml at the
 * top level, as `Export report` always wrote them) and everything the app needs
 * to restore the finished study (`Import study`):
 *
 *   bundle/manifest.json   format name and version, the report files in order
 *   bundle/view.json       the study view without its files (study-view.ts)
 *
 * Settings are the bundle's study.yaml and params.yaml (the view's result
 * carries the parsed config). Writing is deterministic — entries in a fixed
 * order, every date the study's finish time — so export → import → export
 * gives the same bytes. view.json keeps what JSON alone would lose (NaN, ±∞,
 * −0, typed arrays) as small tagged objects.
 *
 * Reading checks everything a user (or a damaged download) can get wrong and
 * says it in one line naming the file and the entry: not a zip, no manifest
 * (a zip that is not a study bundle), a newer format version, an entry whose
 * data or checksum is bad, a view without the parts the app shows. No DOM.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { parseParams } from '../radiomics/params.js';
import { parseStudyConfig, studyConfigWithDefaults, type StudyConfig } from './config.js';
import type { StudyView } from './study-view.js';

export const BUNDLE_FORMAT = 'habitat-workbench/study-bundle';
/**
 * Raise when the layout changes; a reader refuses versions newer than its own.
 * 1: the study. 2: view.json may hold external validations (`external`, with their
 * files under external/ and a section in report.html). A bundle is written with the
 * lowest version that holds it: a study without external validations is version 1,
 * byte for byte what a version-1 writer wrote, and readable by every reader.
 */
export const BUNDLE_VERSION = 2;
export const MANIFEST_ENTRY = 'bundle/manifest.json';
export const VIEW_ENTRY = 'bundle/view.json';
/** No real study comes near this; a larger entry is refused before it is inflated (zip bombs). */
const MAX_ENTRY_BYTES = 256 * 1024 * 1024;

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  software: { name: string; version: string };
  finishedAt: string;
  cohortTitle: string;
  view: typeof VIEW_ENTRY;
  settings: { study: 'study.yaml'; params: 'params.yaml' };
  /** The report files (top-level entries), in the view's order. */
  files: string[];
}

export interface ImportedStudy {
  view: StudyView;
  /** The settings the study ran with, for the settings panel (extraction.params null: the parameters are paramsYaml). */
  config: StudyConfig;
  paramsYaml: string;
  paramsFile: string;
}

export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

// ---- JSON that keeps NaN, ±Infinity, -0 and typed arrays ----

const TYPED: Record<string, new (values: number[]) => ArrayLike<number>> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
};

/** The view as JSON text; numbers JSON cannot spell become {"$num": "NaN" | "Infinity" | "-Infinity" | "-0"}. */
export function encodeViewJson(value: unknown): string {
  const tags = new WeakSet<object>();
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    if (key.startsWith('$') && !(this && typeof this === 'object' && tags.has(this))) {
      throw new Error(`view.json: key "${key}" starting with "$" is reserved for the bundle's tags`);
    }
    if (typeof v === 'number') {
      if (Number.isFinite(v) && !Object.is(v, -0)) return v;
      const tag = { $num: Object.is(v, -0) ? '-0' : String(v) };
      tags.add(tag);
      return tag;
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const name = v.constructor.name;
      if (!TYPED[name]) throw new Error(`view.json: ${name} cannot be stored`);
      const tag = { $typed: name, values: Array.from(v as unknown as ArrayLike<number>) };
      tags.add(tag);
      return tag;
    }
    return v;
  });
}

export function decodeViewJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if ('$num' in o) {
        const n = o.$num === '-0' ? -0 : o.$num === 'NaN' ? NaN : o.$num === 'Infinity' ? Infinity : o.$num === '-Infinity' ? -Infinity : undefined;
        if (n === undefined) throw new Error(`unknown number tag ${JSON.stringify(o.$num)}`);
        return n;
      }
      if ('$typed' in o) {
        const Ctor = TYPED[String(o.$typed)];
        if (!Ctor || !Array.isArray(o.values)) throw new Error(`unknown array tag ${JSON.stringify(o.$typed)}`);
        return new Ctor(o.values as number[]);
      }
    }
    return v;
  });
}

// ---- writing ----

/** The study bundle (zip bytes) of a finished study; same view → same bytes. */
export function writeStudyBundle(view: StudyView, software: { name: string; version: string }): Uint8Array {
  const { files, ...rest } = view;
  const names = Object.keys(files);
  for (const n of names) if (n.startsWith('bundle/')) throw new Error(`study bundle: report file ${n} would clash with the bundle's own entries`);
  for (const n of ['study.yaml', 'params.yaml']) if (!(n in files)) throw new Error(`study bundle: the study has no ${n}`);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: view.external?.length ? 2 : 1,
    software,
    finishedAt: view.finishedAt,
    cohortTitle: view.cohortTitle,
    view: VIEW_ENTRY,
    settings: { study: 'study.yaml', params: 'params.yaml' },
    files: names,
  };
  const entries: Record<string, Uint8Array> = {};
  for (const n of names) entries[n] = strToU8(files[n]!);
  entries[MANIFEST_ENTRY] = strToU8(JSON.stringify(manifest, null, 2) + '\n');
  entries[VIEW_ENTRY] = strToU8(encodeViewJson(rest) + '\n');
  // Zip times are local wall-clock times: write the finish time's UTC fields, so the bytes do not depend on the time zone.
  const t = new Date(view.finishedAt);
  const ok = !Number.isNaN(t.getTime()) && t.getUTCFullYear() >= 1980;
  const mtime = ok ? new Date(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()) : new Date(1980, 0, 1);
  return zipSync(entries, { level: 6, mtime });
}

// ---- reading ----

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (the zip format's checksum) of some bytes. */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface CentralEntry {
  name: string;
  crc: number;
  size: number;
}

/** The zip's central directory (names, checksums, sizes), or null when there is none. */
function centralDirectory(b: Uint8Array): CentralEntry[] | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  // The end-of-central-directory record sits in the last 22 + 65535 bytes.
  let eocd = -1;
  for (let p = b.length - 22; p >= Math.max(0, b.length - 22 - 65535); p--) {
    if (dv.getUint32(p, true) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = dv.getUint16(eocd + 10, true);
  let p = dv.getUint32(eocd + 16, true);
  const out: CentralEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > b.length || dv.getUint32(p, true) !== 0x02014b50) return null;
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    if (p + 46 + nameLen > b.length) return null;
    out.push({ name: strFromU8(b.subarray(p + 46, p + 46 + nameLen)), crc: dv.getUint32(p + 16, true), size: dv.getUint32(p + 24, true) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

function isObject(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

const arrays = (o: unknown, keys: string[]) => isObject(o) && keys.every((k) => Array.isArray(o[k]));

/** The parts of an external validation the app shows (External tab). */
function checkExternalRun(run: unknown): string | null {
  if (!isObject(run) || typeof run.cohortTitle !== 'string' || typeof run.harmonise !== 'boolean') return 'is not an external validation';
  const r = run.result;
  if (!isObject(r) || typeof r.n !== 'number' || typeof r.harmonisation !== 'string' || !Array.isArray(r.predictions) || !Array.isArray(r.notes)) return 'has no result';
  if (!Array.isArray(r.models) || r.models.length === 0) return 'has no models';
  for (const m of r.models) {
    if (!isObject(m) || typeof m.name !== 'string' || typeof m.auc !== 'number' || !Array.isArray(m.ci95) || !arrays(m.roc, ['fpr', 'tpr']) || !arrays(m.calibration, ['meanPredicted', 'fractionPositive'])) return 'holds an incomplete model';
  }
  if (!arrays(r.decisionCurve, ['thresholds', 'treatAll']) || !isObject((r.decisionCurve as Record<string, unknown>).models)) return 'has no decision curve';
  return null;
}

/** The parts of a view the app reads when it shows a study; a bundle without them is refused, not rendered half. */
function checkView(v: unknown): string | null {
  if (!isObject(v)) return 'not an object';
  if (typeof v.cohortTitle !== 'string') return 'cohortTitle is missing';
  if (typeof v.finishedAt !== 'string' || Number.isNaN(Date.parse(v.finishedAt))) return 'finishedAt is not a date';
  if (typeof v.seconds !== 'number') return 'seconds is missing';
  if (!isObject(v.report)) return 'report is missing';
  if (!isObject(v.habitatModels)) return 'habitatModels is missing';
  if (!isObject(v.preparedKeys)) return 'preparedKeys is missing';
  if (v.external !== undefined) {
    if (!Array.isArray(v.external)) return 'external is not a list';
    for (const [k, run] of v.external.entries()) {
      const problem = checkExternalRun(run);
      if (problem) return `external[${k}] ${problem}`;
    }
  }
  const r = v.result;
  if (!isObject(r)) return 'result is missing';
  if (!isObject(r.config)) return 'result.config is missing';
  if (!Array.isArray(r.excluded)) return 'result.excluded is missing';
  if (!isObject(r.habitats)) return 'result.habitats is missing';
  for (const [seq, h] of Object.entries(r.habitats)) {
    if (!isObject(h) || typeof h.k !== 'number' || !isObject(h.bic) || !Array.isArray(h.bic.ks) || !isObject(h.perPatient)) return `result.habitats.${seq} is incomplete`;
  }
  const a = r.analysis;
  if (!isObject(a)) return 'result.analysis is missing';
  if (!Array.isArray(a.ids) || !a.ids.every((x) => typeof x === 'string')) return 'result.analysis.ids is missing';
  if (!isObject(a.split) || !Array.isArray(a.split.training) || !Array.isArray(a.split.validation)) return 'result.analysis.split is missing';
  if (!Array.isArray(a.regions) || !isObject(a.bestHabitat)) return 'result.analysis.regions is missing';
  for (const g of a.regions) {
    if (!isObject(g) || typeof g.sequence !== 'string' || typeof g.region !== 'string' || !isObject(g.funnel)) return 'result.analysis.regions holds an incomplete region';
  }
  if (!Array.isArray(a.models)) return 'result.analysis.models is missing';
  for (const m of a.models) {
    if (!isObject(m) || typeof m.name !== 'string') return 'result.analysis.models holds a model without a name';
    for (const c of ['training', 'validation']) {
      const e = m[c];
      if (!isObject(e) || typeof e.auc !== 'number' || !arrays(e.roc, ['fpr', 'tpr']) || !arrays(e.calibration, ['meanPredicted', 'fractionPositive'])) {
        return `result.analysis.models (${m.name}).${c} is incomplete`;
      }
    }
  }
  const d = a.decisionCurve;
  if (!isObject(d) || !Array.isArray(d.thresholds) || !isObject(d.training) || !isObject(d.validation) || !isObject(d.treatAll) || !Array.isArray(d.treatAll.training) || !Array.isArray(d.treatAll.validation)) {
    return 'result.analysis.decisionCurve is missing';
  }
  return null;
}

/**
 * Read a study bundle written by `writeStudyBundle` (this or an older format
 * version). `file` names the zip in messages. Throws a BundleError with one line.
 */
export function readStudyBundle(file: string, bytes: Uint8Array): ImportedStudy {
  const fail = (msg: string): never => {
    throw new BundleError(`${file}: ${msg}`);
  };
  const sig = bytes.length >= 4 ? (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0 : 0;
  if (sig !== 0x04034b50 && sig !== 0x06054b50) fail('not a zip file (export a study with Export report and import that zip)');
  const dir = centralDirectory(bytes) ?? fail('not a readable zip file (its table of contents is missing or cut off)');
  const byName = new Map(dir.map((e) => [e.name, e]));

  const entry = (name: string): Uint8Array => {
    const e = byName.get(name) ?? fail(`entry ${name} is missing`);
    if (e.size > MAX_ENTRY_BYTES) fail(`entry ${name} is too large (${e.size} bytes)`);
    let data: Uint8Array | undefined;
    try {
      data = unzipSync(bytes, { filter: (f) => f.name === name })[name];
    } catch (err) {
      fail(`entry ${name} is corrupt (${firstLine(err)})`);
    }
    if (!data) return fail(`entry ${name} is corrupt (no data)`);
    if (data.length !== e.size || crc32(data) !== e.crc) fail(`entry ${name} is corrupt (checksum mismatch)`);
    return data;
  };
  const text = (name: string): string => {
    const data = entry(name);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      return fail(`entry ${name} is corrupt (not UTF-8 text)`);
    }
  };

  if (!byName.has(MANIFEST_ENTRY)) fail(`not a study bundle (no ${MANIFEST_ENTRY}; a report zip from before version 1 cannot be imported)`);
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(text(MANIFEST_ENTRY)) as BundleManifest;
  } catch (err) {
    if (err instanceof BundleError) throw err;
    return fail(`entry ${MANIFEST_ENTRY} is corrupt (${firstLine(err)})`);
  }
  if (!isObject(manifest) || manifest.format !== BUNDLE_FORMAT) fail(`entry ${MANIFEST_ENTRY}: not a study bundle manifest (format should be ${BUNDLE_FORMAT})`);
  if (!Number.isInteger(manifest.version) || manifest.version < 1) fail(`entry ${MANIFEST_ENTRY} is corrupt (version ${JSON.stringify(manifest.version)})`);
  if (manifest.version > BUNDLE_VERSION) fail(`bundle format version ${manifest.version} is newer than this workbench reads (${BUNDLE_VERSION}); update the workbench`);
  if (!Array.isArray(manifest.files) || !manifest.files.every((n) => typeof n === 'string' && !n.startsWith('bundle/'))) fail(`entry ${MANIFEST_ENTRY} is corrupt (files is not a list of report files)`);

  let raw: unknown;
  try {
    raw = decodeViewJson(text(VIEW_ENTRY));
  } catch (err) {
    if (err instanceof BundleError) throw err;
    return fail(`entry ${VIEW_ENTRY} is corrupt (${firstLine(err)})`);
  }
  const problem = checkView(raw);
  if (problem) fail(`entry ${VIEW_ENTRY} is corrupt (${problem})`);

  const files: Record<string, string> = {};
  for (const n of manifest.files) files[n] = text(n);
  for (const n of ['study.yaml', 'params.yaml']) if (!(n in files)) fail(`entry ${n} is missing`);

  const view = { ...(raw as Omit<StudyView, 'files'>), files } as StudyView;
  // The settings must be ones the settings panel and a new run accept.
  try {
    parseStudyConfig(files['study.yaml']!, `${file}: study.yaml`);
  } catch (err) {
    fail(`entry study.yaml: ${firstLine(err).replace(`${file}: study.yaml: `, '')}`);
  }
  let config: StudyConfig;
  try {
    // The parameters travel as params.yaml (as in the app's settings), not inside the config.
    config = { ...studyConfigWithDefaults(view.result.config, 'config'), extraction: { params: null } };
  } catch (err) {
    return fail(`entry ${VIEW_ENTRY} is corrupt (result.${firstLine(err)})`);
  }
  try {
    parseParams(files['params.yaml']!, 'params.yaml');
  } catch (err) {
    fail(`entry ${firstLine(err)}`);
  }
  return { view, config, paramsYaml: files['params.yaml']!, paramsFile: 'params.yaml' };
}
