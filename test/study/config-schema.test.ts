/**
 * The study config's schema table: every key refuses an out-of-range value with
 * one line naming the file and the key (property test over the whole table),
 * the defaults, validator and docs table are the table's, and every key the
 * settings panel shows has a control.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { DEFAULT_STUDY_CONFIG, STUDY_CONFIG_SCHEMA, parseStudyConfig, studyConfigMarkdown } from '../../src/core/study/config.js';
import { defaultsOf, keysOf, type KindDesc } from '../../src/core/study/config-schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Values a key of this kind must refuse. */
function invalid(d: KindDesc): fc.Arbitrary<unknown> {
  const notANumber = fc.constantFrom<unknown>('x', true, [], { a: 1 });
  switch (d.t) {
    case 'number': {
      const out = [notANumber, fc.double({ max: d.min, noNaN: true }).filter((v) => v < d.min), fc.double({ min: d.max, noNaN: true }).filter((v) => v > d.max), fc.constant(NaN)];
      if (d.integer) out.push(fc.double({ min: d.min, max: d.max, noNaN: true }).filter((v) => !Number.isInteger(v)));
      return fc.oneof(...out);
    }
    case 'boolean':
      return fc.oneof(fc.string(), fc.integer(), fc.constant([]));
    case 'string':
      return fc.oneof(fc.constant(''), fc.constant('  '), fc.integer(), fc.boolean(), fc.constant([]), fc.constant(null));
    case 'label':
      return fc.constantFrom<unknown>([], { a: 1 }, ['yes']);
    case 'enum':
      return fc.oneof(
        fc.string().filter((s) => !d.options.includes(s)),
        fc.integer(),
        fc.constant(null),
      );
    case 'enum-list':
      return fc.oneof(fc.array(fc.string().filter((s) => !d.options.includes(s)), { minLength: 1, maxLength: 3 }), fc.string({ minLength: 1 }));
    case 'string-list':
      return fc.oneof(fc.array(fc.integer(), { minLength: 1, maxLength: 3 }), fc.string(), ...(d.minLength > 0 ? [fc.constant([])] : []));
    case 'tuple': {
      const ok = fc.double({ min: d.min, max: d.max, noNaN: true });
      const bad = fc.oneof(fc.double({ min: d.max, noNaN: true }).filter((v) => v > d.max), fc.constant('x'));
      const out = [
        fc.array(ok, { minLength: d.length + 1, maxLength: d.length + 2 }),
        fc.array(ok, { maxLength: d.length - 1 }),
        fc.tuple(bad, fc.array(ok, { minLength: d.length - 1, maxLength: d.length - 1 })).map(([b, rest]) => [b, ...rest]),
        fc.constant('1, 2'),
      ];
      if (d.ascending) out.push(fc.constant([d.max, d.min]));
      return fc.oneof(...out);
    }
    case 'habitat-k':
      return fc.oneof(
        fc.integer({ min: d.max + 1 }),
        fc.integer({ max: d.min - 1 }),
        fc.constant('many'),
        fc.constant({ NoSuchSequence: 2 }),
        fc.constant({ T2WI: d.max + 1 }),
        fc.constant([2, 3]),
      );
    case 'params':
      return fc.oneof(fc.integer(), fc.boolean(), fc.constant([1]));
    case 'nullable':
      return invalid(d.inner).filter((v) => v !== null);
    case 'word-or':
      return invalid(d.inner).filter((v) => v !== d.word);
  }
}

/** A study.yaml setting one dotted key. */
function yamlSetting(dotted: string, value: unknown): string {
  const parts = dotted.split('.');
  let o: unknown = value;
  for (const p of parts.reverse()) o = { [p]: o };
  return stringify(o);
}

describe('study config schema table', () => {
  const keys = keysOf(STUDY_CONFIG_SCHEMA);

  it('covers the config: its defaults are DEFAULT_STUDY_CONFIG and an empty file', () => {
    expect(defaultsOf(STUDY_CONFIG_SCHEMA)).toEqual(DEFAULT_STUDY_CONFIG);
    expect(parseStudyConfig('')).toEqual(DEFAULT_STUDY_CONFIG);
    expect(keys.length).toBeGreaterThan(35);
  });

  it.each(keys.map((k) => [k.path, k] as const))('%s refuses out-of-range values in one line naming the key (property)', (name, { key }) => {
    fc.assert(
      // an optional key's null means "absent", a valid value
      fc.property(invalid(key.kind.desc).filter((v) => !(key.optional && v === null)), (v) => {
        let message = '';
        try {
          parseStudyConfig(yamlSetting(name, v), 's.yaml');
        } catch (e) {
          message = (e as Error).message;
        }
        expect(message, `${name}: ${JSON.stringify(v)} was accepted`).not.toBe('');
        expect(message.startsWith('s.yaml: ')).toBe(true);
        expect(message).not.toContain('\n');
        expect(message).toContain(`"${name}`);
      }),
      { numRuns: 60, seed: 19 },
    );
  });

  it('accepts each key’s default written out, and reads it back unchanged', () => {
    for (const { path: name, key } of keys) {
      if (key.optional) continue;
      const c = parseStudyConfig(yamlSetting(name, key.default), 's.yaml');
      expect(c).toEqual(DEFAULT_STUDY_CONFIG);
    }
  });

  it('rules between keys: reference among the sequences (default: the first), kMin ≤ kMax, optional null = absent', () => {
    expect(parseStudyConfig('sequences: [ADC, T2WI]').reference).toBe('ADC');
    expect(() => parseStudyConfig('habitats: {kMin: 5, kMax: 3}', 's.yaml')).toThrow(/^s\.yaml: "habitats\.kMin" must not exceed "habitats\.kMax"$/);
    expect(parseStudyConfig('positive: null').positive).toBeUndefined();
    expect(parseStudyConfig('positive: yes').positive).toBe('yes');
    expect(parseStudyConfig('positive: 2').positive).toBe('2');
    expect(() => parseStudyConfig('habitats: {mode: patient}', 's.yaml')).toThrow(/^s\.yaml: "habitats\.mode: patient" is not supported/);
  });

  it('every key the settings panel shows has a control; the panel offers k up to the schema’s limit', () => {
    for (const { path: name, key } of keys) if (key.ui) expect(key.kind.control, name).not.toBeNull();
    const k = STUDY_CONFIG_SCHEMA.habitats.k.kind.desc;
    const kMax = STUDY_CONFIG_SCHEMA.habitats.kMax.kind.desc;
    expect(k.t === 'habitat-k' && kMax.t === 'number' && k.max === kMax.max).toBe(true);
  });

  it('docs/study.md holds the generated table of keys', () => {
    const doc = readFileSync(path.join(root, 'docs', 'study.md'), 'utf8');
    const m = /<!-- config-table: generated by studyConfigMarkdown\(\) -->\n([\s\S]*?)<!-- \/config-table -->/.exec(doc);
    expect(m, 'docs/study.md lacks the config-table markers').not.toBeNull();
    expect(m![1]).toBe(studyConfigMarkdown());
  });
});
