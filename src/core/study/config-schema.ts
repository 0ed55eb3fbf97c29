/**
 * The machinery of a settings schema table (scikit-learn's parameter
 * constraints, MIRP's settings definitions): each key is one `Key` — its kind
 * (type and range or options), default, one-line doc and the settings panel's
 * control — and the config type, the defaults, the validator, the panel and
 * the docs table are all derived from the table (`config.ts` holds the study's).
 */

/** A value refused: the message names the key; the caller prefixes the file. */
export class KeyError extends Error {}

const show = (v: unknown) => JSON.stringify(v);
const refuse = (msg: string): never => {
  throw new KeyError(msg);
};

/** What a kind is, as data: the docs, the property test and the panel read it. */
export type KindDesc =
  | { t: 'number'; min: number; max: number; integer: boolean }
  | { t: 'boolean' }
  | { t: 'string' }
  | { t: 'label' }
  | { t: 'enum'; options: readonly string[] }
  | { t: 'enum-list'; options: readonly string[] }
  | { t: 'string-list'; minLength: number }
  | { t: 'tuple'; length: number; min: number; max: number; ascending: boolean }
  | { t: 'habitat-k'; min: number; max: number }
  | { t: 'params' }
  | { t: 'nullable'; inner: KindDesc }
  | { t: 'word-or'; word: string; inner: KindDesc };

/** The control a key gets in the settings panel (derived from its kind). */
export type Control = 'number' | 'checkbox' | 'select' | 'numbers-text' | 'habitat-k' | 'clinical-column' | 'clinical-columns' | null;

export interface Kind<T> {
  desc: KindDesc;
  /** The value read from a file, checked; throws a KeyError naming `key`. `config` holds the keys read before it. */
  parse(v: unknown, key: string, config: unknown): T;
  /** Type and range for the docs table, e.g. "integer in [2, 100]". */
  type: string;
  control: Control;
}

function numberKind(min: number, max: number, integer: boolean): Kind<number> {
  return {
    desc: { t: 'number', min, max, integer },
    parse(v, key) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
        refuse(`"${key}" must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${show(v)}`);
      }
      return v as number;
    },
    type: `${integer ? 'integer' : 'number'} in [${min}, ${max}]`,
    control: 'number',
  };
}

function oneOfKind<T extends string>(options: readonly T[]): Kind<T> {
  return {
    desc: { t: 'enum', options },
    parse(v, key) {
      if (typeof v !== 'string' || !options.includes(v as T)) refuse(`"${key}" must be one of ${options.join(', ')}, got ${show(v)}`);
      return v as T;
    },
    type: options.join(' \\| '),
    control: 'select',
  };
}

function stringListOf(v: unknown, key: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) refuse(`"${key}" must be a list of strings`);
  return v as string[];
}

const isMapping = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const stringKind: Kind<string> = {
  desc: { t: 'string' },
  parse(v, key) {
    if (typeof v !== 'string' || v.trim() === '') refuse(`"${key}" must be a non-empty string, got ${show(v)}`);
    return v as string;
  },
  type: 'string',
  control: null,
};

/** A list of strings, at least `minLength` long. */
function stringsKind(minLength = 0, tooShort = ''): Kind<string[]> {
  return {
    desc: { t: 'string-list', minLength },
    parse(v, key) {
      const list = stringListOf(v, key);
      if (list.length < minLength) refuse(tooShort || `"${key}" must hold at least ${minLength} value${minLength === 1 ? '' : 's'}`);
      return list;
    },
    type: minLength > 0 ? `list of strings (≥ ${minLength})` : 'list of strings',
    control: null,
  };
}

/** The kinds of value a key can hold. */
export const kinds = {
  number: (min: number, max: number) => numberKind(min, max, false),
  integer: (min: number, max: number) => numberKind(min, max, true),
  boolean: {
    desc: { t: 'boolean' },
    parse(v, key) {
      if (typeof v !== 'boolean') refuse(`"${key}" must be true or false, got ${show(v)}`);
      return v as boolean;
    },
    type: 'true \\| false',
    control: 'checkbox',
  } as Kind<boolean>,
  /** A non-empty string. */
  string: stringKind,
  /** A column of the clinical table (a non-empty string): the panel offers the table's columns. */
  column: { ...stringKind, type: 'clinical column', control: 'clinical-column' } as Kind<string>,
  /** A value as written in a table cell (string, number or true/false), kept as text. */
  label: {
    desc: { t: 'label' },
    parse(v, key) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') refuse(`"${key}" must be a value (text or number), got ${show(v)}`);
      return String(v);
    },
    type: 'text or number',
    control: null,
  } as Kind<string>,
  oneOf: oneOfKind,
  /** A list of strings, at least `minLength` long. */
  strings: stringsKind,
  /** Columns of the clinical table (a list of strings): the panel offers the table's columns. */
  columns: (): Kind<string[]> => ({ ...stringsKind(), type: 'list of clinical columns', control: 'clinical-columns' }),
  /** A list of options. */
  listOf: <T extends string>(options: readonly T[]): Kind<T[]> => {
    const one = oneOfKind(options);
    return {
      desc: { t: 'enum-list', options },
      parse: (v, key, c) => stringListOf(v, key).map((x) => one.parse(x, key, c)),
      type: `list of ${options.join(' \\| ')}`,
      control: null,
    };
  },
  /** `length` numbers in [min, max] (ascending: strictly increasing), e.g. percentiles or a spacing. */
  numbers: <N extends number>(length: N, min: number, max: number, what: string, ascending = false): Kind<N extends 2 ? [number, number] : N extends 3 ? [number, number, number] : number[]> => {
    const each = numberKind(min, max, false);
    return {
      desc: { t: 'tuple', length, min, max, ascending },
      parse(v, key, c) {
        if (!Array.isArray(v) || v.length !== length) refuse(`"${key}" must be ${what}`);
        const xs = (v as unknown[]).map((x, n) => each.parse(x, `${key}[${n}]`, c));
        if (ascending && xs.some((x, n) => n > 0 && x <= xs[n - 1]!)) refuse(`"${key}" must have low < high`);
        return xs as never;
      },
      type: `${length} numbers in [${min}, ${max}]${ascending ? ', increasing' : ''}`,
      control: 'numbers-text',
    };
  },
  /** null or the inner kind. */
  nullable: <T>(inner: Kind<T>): Kind<T | null> => ({
    desc: { t: 'nullable', inner: inner.desc },
    parse: (v, key, c) => (v === null ? null : inner.parse(v, key, c)),
    type: `${inner.type} or null`,
    control: inner.control,
  }),
  /** A word (e.g. 'scale', 'auto') or the inner kind. */
  wordOr: <W extends string, T>(word: W, inner: Kind<T>): Kind<W | T> => ({
    desc: { t: 'word-or', word, inner: inner.desc },
    parse: (v, key, c) => (v === word ? word : inner.parse(v, key, c)),
    type: `${word} or ${inner.type}`,
    control: null,
  }),
  /** 'auto', a number of habitats for every sequence, or a mapping from sequence (of `config.sequences`) to either. */
  habitatK: (min: number, max: number): Kind<'auto' | number | Record<string, number | 'auto'>> => {
    const k = numberKind(min, max, true);
    return {
      desc: { t: 'habitat-k', min, max },
      parse(v, key, c) {
        if (v === 'auto') return 'auto';
        if (typeof v === 'number') return k.parse(v, key, c);
        if (!isMapping(v)) return refuse(`"${key}" must be auto, a number, or a mapping from sequence to number`);
        const sequences = (c as { sequences: string[] }).sequences;
        const per: Record<string, number | 'auto'> = {};
        for (const [s, x] of Object.entries(v)) {
          if (!sequences.includes(s)) refuse(`"${key}.${s}": no such sequence (${sequences.join(', ')})`);
          per[s] = x === 'auto' ? 'auto' : k.parse(x, `${key}.${s}`, c);
        }
        return per;
      },
      type: `auto, integer in [${min}, ${max}], or {sequence: auto \\| integer}`,
      control: 'habitat-k',
    };
  },
  /** A PyRadiomics parameter file path or an inline parameter mapping, or null. */
  params: {
    desc: { t: 'params' },
    parse(v, key) {
      if (v === null || typeof v === 'string' || isMapping(v)) return v as string | Record<string, unknown> | null;
      return refuse(`"${key}" must be a parameter file path or a PyRadiomics parameter mapping`);
    },
    type: 'file path, mapping or null',
    control: null,
  } as Kind<string | Record<string, unknown> | null>,
};

/** The settings panel's sections, in order. */
export const SECTIONS = ['Preprocessing', 'Habitats', 'Selection', 'Models and split', 'Harmonisation'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Ui {
  section: Section;
  label: string;
  /** Number inputs: the spinner step. */
  step?: number;
  /** Accessible name when it differs from the label. */
  aria?: string;
}

/** One key of the table. */
export interface Key<T, Optional extends boolean = boolean> {
  readonly key: true;
  readonly kind: Kind<T>;
  readonly default: Optional extends true ? T | undefined : T;
  readonly optional: Optional;
  /** One line for the docs table. */
  readonly doc: string;
  /** The default as the docs show it, when it is not the value itself (e.g. "the first sequence"). */
  readonly defaultText?: string;
  /** A default depending on keys read before it, when the file does not set this key. */
  readonly defaultFrom?: (config: never) => T;
  /** Its control in the settings panel; none = set in study.yaml only. */
  readonly ui?: Ui;
}

export function key<T>(kind: Kind<T>, o: { default: NoInfer<T>; doc: string; ui?: Ui; defaultText?: string; defaultFrom?: (config: never) => NoInfer<T> }): Key<T, false> {
  return { key: true, kind, optional: false, ...o };
}

/** A key that may be absent (no default; null in a file = absent). */
export function optionalKey<T>(kind: Kind<T>, o: { doc: string; ui?: Ui; defaultText?: string }): Key<T, true> {
  return { key: true, kind, optional: true, default: undefined, ...o };
}

/** A table: keys and nested sections of keys. */
export interface Schema {
  readonly [name: string]: Key<unknown> | Schema;
}

export const isKey = (x: Key<unknown> | Schema): x is Key<unknown> => (x as { key?: unknown }).key === true;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** The config object a table describes. */
export type ConfigOf<S> = Simplify<
  { -readonly [K in keyof S as S[K] extends Key<unknown, true> ? never : K]: S[K] extends Key<infer T, false> ? T : ConfigOf<S[K]> } & {
    -readonly [K in keyof S as S[K] extends Key<unknown, true> ? K : never]?: S[K] extends Key<infer T, true> ? T : never;
  }
>;

/** Every key of a table, depth first in table order, with its dotted path. */
export function keysOf(schema: Schema, prefix = ''): { path: string; key: Key<unknown> }[] {
  return Object.entries(schema).flatMap(([name, v]) => (isKey(v) ? [{ path: prefix + name, key: v }] : keysOf(v, `${prefix}${name}.`)));
}

/** The defaults of a table (optional keys absent). */
export function defaultsOf<S extends Schema>(schema: S): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(schema)) {
    if (!isKey(v)) out[name] = defaultsOf(v);
    else if (!v.optional) out[name] = structuredClone(v.default);
  }
  return out as ConfigOf<S>;
}

/**
 * A parsed mapping checked against a table, over the defaults: unknown keys,
 * values of the wrong kind or out of range throw a KeyError naming the key.
 * Keys are read in table order (a key's check may use those read before it).
 */
export function parseWith<S extends Schema>(schema: S, raw: Record<string, unknown>, topLevelExtra: readonly string[] = []): ConfigOf<S> {
  const out = defaultsOf(schema) as Record<string, unknown>;
  const walk = (s: Schema, r: Record<string, unknown>, into: Record<string, unknown>, prefix: string, extra: readonly string[]) => {
    const allowed = [...Object.keys(s), ...extra];
    for (const k of Object.keys(r)) if (!allowed.includes(k)) refuse(`unknown key "${prefix}${k}" (allowed: ${allowed.join(', ')})`);
    for (const [name, v] of Object.entries(s)) {
      const given = r[name];
      if (isKey(v)) {
        if (v.optional && given === null) delete into[name];
        else if (given !== undefined) into[name] = v.kind.parse(given, prefix + name, out);
        else if (v.defaultFrom) into[name] = (v.defaultFrom as (c: unknown) => unknown)(out);
      } else if (given !== undefined && given !== null) {
        if (!isMapping(given)) refuse(`"${prefix}${name}" must be a mapping (keys: ${Object.keys(v).join(', ')})`);
        walk(v, given as Record<string, unknown>, into[name] as Record<string, unknown>, `${prefix}${name}.`, []);
      }
    }
  };
  walk(schema, raw, out, '', topLevelExtra);
  return out as ConfigOf<S>;
}

/** A value at a dotted path of a config. */
export function getPath(config: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], config);
}

/** Set the value at a dotted path of a config (in place). */
export function setPath(config: unknown, path: string, value: unknown): void {
  const parts = path.split('.');
  const last = parts.pop()!;
  const parent = parts.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, config as Record<string, unknown>);
  // undefined = an optional key left unset
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}

const docValue = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? `\`${v}\`` : `\`${JSON.stringify(v).replace(/"/g, '').replace(/,/g, ', ').replace(/:/g, ': ')}\``);

/** The docs table of a table: key, type, default, panel control, description. */
export function schemaMarkdown(schema: Schema): string {
  const rows = keysOf(schema).map(({ path, key: k }) => {
    const cell = (t: string) => t.replace(/(?<!\\)\|/g, '\\|');
    const control = k.ui ? `${k.ui.section}: “${cell(k.ui.label)}”` : 'study.yaml only';
    return `| \`${path}\` | ${k.kind.type} | ${k.defaultText ?? docValue(k.default)} | ${control} | ${cell(k.doc)} |`;
  });
  return ['| key | type | default | settings panel | meaning |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}
