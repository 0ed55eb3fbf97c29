import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseStudyConfig, DEFAULT_STUDY_CONFIG, habitatK } from '../../src/core/study/config.js';

describe('study config', () => {
  it('an empty file gives the paper’s method', () => {
    const c = parseStudyConfig('', 'study.yaml');
    expect(c).toEqual(DEFAULT_STUDY_CONFIG);
    expect(c.preprocessing.resample).toEqual([1, 1, 1]);
    expect(c.selection.correlation).toBe(0.85);
    expect(c.split.validation).toBe(0.3);
  });

  it('reads per-sequence k and overrides', () => {
    const c = parseStudyConfig(
      ['outcome: relapse', 'sequences: [T2, CE]', 'habitats:', '  k: {T2: 2, CE: auto}', 'split: {validation: 0.25, seed: 7, stratify: false}'].join('\n'),
    );
    expect(c.reference).toBe('T2');
    expect(habitatK(c, 'T2')).toBe(2);
    expect(habitatK(c, 'CE')).toBe('auto');
    expect(c.split).toEqual({ validation: 0.25, seed: 7, stratify: false });
  });

  it.each([
    ['colour: red', /study\.yaml: unknown key "colour"/],
    ['habitats:\n  kk: 3', /unknown key "habitats\.kk"/],
    ['split: {validation: 2}', /"split\.validation" must be a number in \[0\.05, 0\.95\]/],
    ['preprocessing: {normalize: maybe}', /"preprocessing\.normalize" must be one of minmax, zscore, none/],
    ['sequences: [A, B]\nreference: C', /"reference" \(C\) must be one of the sequences/],
    ['habitats: {k: {X: 2}}', /"habitats\.k\.X": no such sequence/],
    ['a: [1, 2', /study\.yaml: malformed YAML/],
    ['- 1\n- 2', /must be a mapping/],
  ])('rejects %j', (text, re) => {
    expect(() => parseStudyConfig(text, 'study.yaml')).toThrow(re);
  });

  it('never throws anything but a one-line Error naming the file on arbitrary YAML (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        try {
          parseStudyConfig(text, 's.yaml');
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message.startsWith('s.yaml: ')).toBe(true);
          expect((e as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 400, seed: 3 },
    );
  });
});
