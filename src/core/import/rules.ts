/**
 * Series → sequence mapping rules: a small YAML file (docs/import.md) that
 * suggests, for each series of a patient, which study sequence it is or why it
 * is not used. Patterns are case-insensitive regular expressions matched
 * against "SeriesDescription ProtocolName". A patient whose sequence has no
 * candidate, or several, is reported with the reason, never guessed.
 */
import YAML from 'yaml';
import type { SeriesSummary } from './series.js';

export interface ExcludeRule {
  /** The reason shown for a series left out by this rule. */
  why: string;
  /** Pattern on description + protocol. */
  text?: string;
  /** ImageType value that marks the series (e.g. LOCALIZER). */
  imageType?: string;
  /** Any diffusion b-value in the header. */
  bValue?: boolean;
}

export interface SequenceRule {
  name: string;
  weighting: string;
  contrast?: boolean;
  fatSat?: boolean;
}

export interface WeightingRule {
  /** Pattern on description + protocol naming this weighting. */
  text?: string;
  /** Echo and repetition time ranges (ms) when the name says nothing. */
  te?: [number, number];
  tr?: [number, number];
}

export interface ImportRules {
  sequences: string[];
  /** Only series in this orientation are used; the others are left out as non-axial repeats. */
  orientation: 'axial' | 'coronal' | 'sagittal' | 'any';
  exclude: ExcludeRule[];
  sequence: SequenceRule[];
  weighting: Record<string, WeightingRule>;
  contrast: { text?: string };
  fatSat: { text?: string };
  /** Per-patient choices: PatientID → sequence → SeriesNumber (resolves ambiguity, overrides the rules). */
  patients: Record<string, Record<string, number | null>>;
}

export const DEFAULT_RULES_YAML = `# habitat import rules (docs/import.md). Patterns: case-insensitive regular
# expressions on "SeriesDescription ProtocolName".
sequences: [T2WI, CE-T1WI, FSCE-T1WI]
orientation: axial          # series of a sequence in another orientation are left out
exclude:                    # first match wins
  - { why: localizer, imageType: LOCALIZER }
  - { why: localizer, text: 'locali[sz]er|scout|survey|3-?pl(ane)?[ _]?loc|\\btri-?pilot' }
  - { why: diffusion, bValue: true }
  - { why: diffusion, text: 'diff|dwi|(^|[^a-z])adc([^a-z]|$)|trace|ep2d|(^|[^a-z])b ?\\d{3,4}([^0-9]|$)' }
  - { why: derived map, imageType: DERIVED }
sequence:                   # first match wins
  - { name: FSCE-T1WI, weighting: T1, contrast: true, fatSat: true }
  - { name: CE-T1WI, weighting: T1, contrast: true, fatSat: false }
  - { name: T2WI, weighting: T2, contrast: false }
weighting:
  T1: { text: 't1', te: [0, 30], tr: [0, 1200] }
  T2: { text: 't2', te: [60, 400], tr: [1500, 20000] }
contrast:                   # besides a ContrastBolusAgent in the header
  text: '\\+ ?c([^a-z]|$)|post|(^|[^a-z])gd([^a-z]|$)|gad|contrast|(^|[^a-z])ce([^a-z]|$)'
fatSat:                     # besides ScanOptions FS / SPIR / SPAIR / FAT_SAT / CHESS
  text: '(^|[^a-z])fs([^a-z]|$)|fat ?sat|spir|spair|stir|dixon'
patients: {}                # e.g. { NPC1148: { T2WI: 4 } } to pick series number 4
`;

function fail(file: string, msg: string): never {
  throw new Error(`${file}: ${msg}`);
}

function regexOf(file: string, where: string, p: unknown): string | undefined {
  if (p === undefined || p === null) return undefined;
  if (typeof p !== 'string') fail(file, `${where} must be a text pattern`);
  try {
    new RegExp(p, 'i');
  } catch (e) {
    fail(file, `${where}: not a valid pattern (${(e as Error).message})`);
  }
  return p;
}

function range(file: string, where: string, v: unknown): [number, number] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v) && v.length === 2) {
    const [low, high] = v;
    if (typeof low === 'number' && typeof high === 'number') return [low, high];
  }
  fail(file, `${where} must be [low, high] in ms`);
}

/** Parse a rules file; missing sections take the defaults. */
export function parseImportRules(text: string, file = 'rules.yaml'): ImportRules {
  let raw: Record<string, unknown>;
  try {
    raw = (YAML.parse(text) ?? {}) as Record<string, unknown>;
  } catch (e) {
    fail(file, `not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(file, 'must be a YAML mapping');
  const known = ['sequences', 'orientation', 'exclude', 'sequence', 'weighting', 'contrast', 'fatSat', 'patients'];
  for (const k of Object.keys(raw)) if (!known.includes(k)) fail(file, `unknown key "${k}" (known: ${known.join(', ')})`);
  const def = file === '(default rules)' ? null : parseImportRules(DEFAULT_RULES_YAML, '(default rules)');
  const pick = <K extends keyof ImportRules>(k: K): unknown => (raw[k] !== undefined ? raw[k] : def?.[k]);
  const sequences = pick('sequences');
  if (!Array.isArray(sequences) || sequences.length === 0 || !sequences.every((s) => typeof s === 'string' && /^[A-Za-z0-9_.+-]+$/.test(s))) fail(file, '"sequences" must be a list of names (letters, digits, _ . + -)');
  const orientation = pick('orientation');
  if (!['axial', 'coronal', 'sagittal', 'any'].includes(orientation as string)) fail(file, '"orientation" must be axial, coronal, sagittal or any');
  const exclude = (pick('exclude') ?? []) as unknown[];
  if (!Array.isArray(exclude)) fail(file, '"exclude" must be a list');
  const ex: ExcludeRule[] = exclude.map((e, n) => {
    const r = e as Record<string, unknown>;
    if (typeof r?.why !== 'string') fail(file, `exclude[${n}] needs a "why"`);
    return { why: r.why, text: regexOf(file, `exclude[${n}].text`, r.text), imageType: typeof r.imageType === 'string' ? r.imageType.toUpperCase() : undefined, bValue: r.bValue === true };
  });
  const seqRules = pick('sequence') as unknown[];
  if (!Array.isArray(seqRules)) fail(file, '"sequence" must be a list');
  const weighting = (pick('weighting') ?? {}) as Record<string, Record<string, unknown>>;
  const w: Record<string, WeightingRule> = {};
  for (const [name, r] of Object.entries(weighting)) w[name] = { text: regexOf(file, `weighting.${name}.text`, r?.text), te: range(file, `weighting.${name}.te`, r?.te), tr: range(file, `weighting.${name}.tr`, r?.tr) };
  const seq: SequenceRule[] = seqRules.map((e, n) => {
    const r = e as Record<string, unknown>;
    if (typeof r?.name !== 'string' || !(sequences as string[]).includes(r.name)) fail(file, `sequence[${n}].name must be one of the sequences (${(sequences as string[]).join(', ')})`);
    if (typeof r.weighting !== 'string' || !w[r.weighting]) fail(file, `sequence[${n}].weighting must be one of ${Object.keys(w).join(', ')}`);
    return { name: r.name, weighting: r.weighting, contrast: typeof r.contrast === 'boolean' ? r.contrast : undefined, fatSat: typeof r.fatSat === 'boolean' ? r.fatSat : undefined };
  });
  const contrast = (pick('contrast') ?? {}) as Record<string, unknown>;
  const fatSat = (pick('fatSat') ?? {}) as Record<string, unknown>;
  const patients = (pick('patients') ?? {}) as Record<string, Record<string, unknown>>;
  if (typeof patients !== 'object' || Array.isArray(patients)) fail(file, '"patients" must map PatientID to { sequence: series number }');
  const pp: ImportRules['patients'] = {};
  for (const [id, m] of Object.entries(patients)) {
    pp[id] = {};
    for (const [sq, n] of Object.entries(m ?? {})) {
      if (!(sequences as string[]).includes(sq)) fail(file, `patients.${id}: "${sq}" is not one of the sequences`);
      if (n !== null && (typeof n !== 'number' || !Number.isInteger(n))) fail(file, `patients.${id}.${sq} must be a series number (or null for none)`);
      pp[id][sq] = n as number | null;
    }
  }
  return {
    sequences: sequences as string[],
    orientation: orientation as ImportRules['orientation'],
    exclude: ex,
    sequence: seq,
    weighting: w,
    contrast: { text: regexOf(file, 'contrast.text', contrast.text) },
    fatSat: { text: regexOf(file, 'fatSat.text', fatSat.text) },
    patients: pp,
  };
}

export const defaultImportRules = (): ImportRules => parseImportRules(DEFAULT_RULES_YAML, '(default rules)');

/** Rules back to YAML (to save the review table's choices for the next export). */
export function importRulesToYaml(r: ImportRules): string {
  return YAML.stringify(r, { defaultStringType: 'QUOTE_SINGLE', defaultKeyType: 'PLAIN' });
}

/** What the rules say about one series, before the patient-level choice. */
export interface SeriesVerdict {
  /** The sequence it looks like (undefined when excluded or unrecognised). */
  sequence?: string;
  /** Why it is not used: localizer, diffusion, unrecognised, not a volume, … */
  why?: string;
  weighting?: string;
  contrast: boolean;
  fatSat: boolean;
}

const test = (p: string | undefined, s: string) => p !== undefined && new RegExp(p, 'i').test(s);
const within = (x: number | undefined, r: [number, number] | undefined) => x !== undefined && r !== undefined && x >= r[0] && x <= r[1];

export function classifySeries(s: SeriesSummary, rules: ImportRules): SeriesVerdict {
  const text = `${s.description} ${s.protocol}`;
  const contrast = s.contrast || test(rules.contrast.text, text);
  const fatSat = s.fatSat || test(rules.fatSat.text, text);
  const base = { contrast, fatSat };
  for (const e of rules.exclude) {
    const hit = (e.imageType !== undefined && s.imageType.includes(e.imageType)) || (e.bValue === true && s.bValues.length > 0) || test(e.text, text);
    if (hit) return { ...base, why: e.why };
  }
  if (s.notAVolume) return { ...base, why: `not a volume: ${s.notAVolume}` };
  const byName = Object.entries(rules.weighting).filter(([, w]) => test(w.text, text)).map(([n]) => n);
  let weighting: string | undefined;
  if (byName.length === 1) weighting = byName[0];
  else {
    const byTimes = Object.entries(rules.weighting).filter(([, w]) => within(s.echoTime, w.te) && within(s.repetitionTime, w.tr)).map(([n]) => n);
    if (byTimes.length === 1) weighting = byTimes[0];
  }
  if (!weighting) return { ...base, why: byName.length > 1 ? `weighting unclear (name says ${byName.join(' and ')})` : 'weighting not recognised (name, TE/TR)' };
  for (const r of rules.sequence) {
    if (r.weighting !== weighting) continue;
    if (r.contrast !== undefined && r.contrast !== contrast) continue;
    if (r.fatSat !== undefined && r.fatSat !== fatSat) continue;
    return { ...base, weighting, sequence: r.name };
  }
  return { ...base, weighting, why: `${weighting}${contrast ? ' with contrast' : ''}${fatSat ? ', fat-saturated' : ''}: no sequence of the study` };
}

export interface SeriesChoice {
  key: string;
  /** The sequence this series becomes, or undefined when left out. */
  sequence?: string;
  /** The sequence it resembles (also for left-out repeats). */
  looksLike?: string;
  why?: string;
}

export interface PatientMapping {
  patientId: string;
  /** Sequence → series key. */
  chosen: Record<string, string>;
  series: SeriesChoice[];
  /** One line per sequence that is missing or ambiguous; empty when the patient is complete. */
  problems: string[];
}

const seriesLabel = (s: SeriesSummary) => `series ${s.seriesNumber ?? '?'} "${s.description || s.protocol || 'no description'}"`;

/** Suggest each patient's sequences from the rules; ambiguity and gaps are reported, not resolved. */
export function mapSeries(series: readonly SeriesSummary[], rules: ImportRules): PatientMapping[] {
  const byPatient = new Map<string, SeriesSummary[]>();
  for (const s of series) {
    let l = byPatient.get(s.patientId);
    if (!l) byPatient.set(s.patientId, (l = []));
    l.push(s);
  }
  const out: PatientMapping[] = [];
  for (const [patientId, list] of byPatient) {
    const choices = new Map<string, SeriesChoice>();
    const candidates = new Map<string, SeriesSummary[]>();
    for (const s of list) {
      const v = classifySeries(s, rules);
      const c: SeriesChoice = { key: s.key, looksLike: v.sequence, why: v.why };
      choices.set(s.key, c);
      if (!v.sequence) continue;
      if (rules.orientation !== 'any' && s.orientation !== rules.orientation) {
        c.why = `${s.orientation} repeat of ${v.sequence} (only ${rules.orientation} series are used)`;
        continue;
      }
      let l = candidates.get(v.sequence);
      if (!l) candidates.set(v.sequence, (l = []));
      l.push(s);
    }
    const chosen: Record<string, string> = {};
    const problems: string[] = [];
    const overrides = rules.patients[patientId] ?? {};
    for (const seq of rules.sequences) {
      if (seq in overrides) {
        const n = overrides[seq];
        if (n === null) {
          problems.push(`${seq}: set to none in the rules file`);
          continue;
        }
        const s = list.find((x) => x.seriesNumber === n);
        if (!s) problems.push(`${seq}: the rules file picks series ${n}, which this patient does not have`);
        else if (s.notAVolume) problems.push(`${seq}: the rules file picks ${seriesLabel(s)}, which is ${s.notAVolume}`);
        else chosen[seq] = s.key;
        continue;
      }
      const c = candidates.get(seq) ?? [];
      const [only] = c;
      if (only && c.length === 1) chosen[seq] = only.key;
      else if (c.length === 0) problems.push(`${seq} missing (no ${rules.orientation === 'any' ? '' : rules.orientation + ' '}series looks like it)`);
      else problems.push(`${seq} ambiguous: ${c.map(seriesLabel).join(', ')} (pick one in the review table or under "patients:" in the rules file)`);
    }
    const used = new Map(Object.entries(chosen).map(([q, k]) => [k, q]));
    for (const c of choices.values()) {
      const seq = used.get(c.key);
      if (seq) {
        c.sequence = seq;
        c.why = undefined;
      } else if (!c.why && c.looksLike) c.why = candidates.get(c.looksLike)!.length > 1 ? `one of several ${c.looksLike} candidates` : `another series was chosen for ${c.looksLike}`;
    }
    const dup = Object.values(chosen).filter((k, n, a) => a.indexOf(k) !== n);
    for (const k of new Set(dup)) problems.push(`${seriesLabel(list.find((s) => s.key === k)!)} is chosen for more than one sequence`);
    out.push({ patientId, chosen, series: [...choices.values()], problems });
  }
  return out;
}

/**
 * A patient's mapping from the user's choices in the review table (series key
 * → sequence, '' for not used): a sequence chosen for no series is missing,
 * one chosen for several is ambiguous; both are problems, nothing is guessed.
 * Series left unused keep the rules' reason.
 */
export function mappingFromChoices(base: PatientMapping, choices: Record<string, string>, sequences: readonly string[]): PatientMapping {
  const chosen: Record<string, string> = {};
  const problems: string[] = [];
  for (const seq of sequences) {
    const keys = Object.keys(choices).filter((k) => choices[k] === seq);
    const [only] = keys;
    if (only !== undefined && keys.length === 1) chosen[seq] = only;
    else if (keys.length === 0) problems.push(`${seq} missing (no series chosen)`);
    else problems.push(`${seq} ambiguous: ${keys.length} series chosen`);
  }
  const series = base.series.map((c) => {
    const seq = choices[c.key] || undefined;
    return { ...c, sequence: seq, why: seq ? undefined : c.why ?? (c.sequence ? 'not used (changed in the review)' : undefined) };
  });
  return { patientId: base.patientId, chosen, series, problems };
}

/**
 * The rules with the review table's choices (the app's "Save choices as
 * rules"): under `patients:`, each patient whose chosen series differ from what
 * the rules suggest gets its choice by series number, a sequence chosen for no
 * series `null` (none). `habitat import --map` with the result makes the same
 * choices. A patient whose series cannot be named by number (no SeriesNumber,
 * or the same number twice) is left to the rules, with a note.
 */
export function rulesWithChoices(
  rules: ImportRules,
  suggested: readonly PatientMapping[],
  chosen: readonly PatientMapping[],
  series: readonly Pick<SeriesSummary, 'key' | 'patientId' | 'seriesNumber'>[],
): { rules: ImportRules; notes: string[] } {
  const patients: ImportRules['patients'] = { ...rules.patients };
  const notes: string[] = [];
  const base = new Map(suggested.map((m) => [m.patientId, m]));
  for (const m of chosen) {
    const before = base.get(m.patientId);
    const same = before && rules.sequences.every((q) => before.chosen[q] === m.chosen[q]) && before.problems.length === m.problems.length;
    if (same) continue;
    const own = series.filter((s) => s.patientId === m.patientId);
    const numberOf = (key: string) => {
      const s = own.find((x) => x.key === key);
      return s?.seriesNumber !== undefined && own.filter((x) => x.seriesNumber === s.seriesNumber).length === 1 ? s.seriesNumber : undefined;
    };
    const pick: Record<string, number | null> = {};
    let named = true;
    for (const q of rules.sequences) {
      const key = m.chosen[q];
      if (key === undefined) {
        // chosen for several series (ambiguous) stays to the rules; chosen for none is "none"
        if (!m.problems.some((p) => p.startsWith(`${q} ambiguous`))) pick[q] = null;
        continue;
      }
      const n = numberOf(key);
      if (n === undefined) named = false;
      else pick[q] = n;
    }
    if (!named) notes.push(`${m.patientId}: its series cannot be told apart by SeriesNumber; left to the rules`);
    else patients[m.patientId] = pick;
  }
  return { rules: { ...rules, patients }, notes };
}
