/**
 * Malformed and unknown-key YAML: PyRadiomics parameter files and the study
 * config. Every problem is an Error whose message is one line starting with the
 * file name; random text and random key/value trees never crash the parsers
 * with anything else (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseParams } from '../../src/core/radiomics/params.js';
import { parseStudyConfig } from '../../src/core/study/config.js';

/** Run `parse`; pass when it succeeds or fails with a one-line Error naming `file`. */
function oneLineOrOk(parse: (text: string, file: string) => unknown, file: string, text: string): void {
  try {
    parse(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    const m = (e as Error).message;
    expect(m.startsWith(`${file}: `), m).toBe(true);
    expect(m).not.toContain('\n');
  }
}

describe('PyRadiomics parameter files', () => {
  it.each([
    ['setting: {binWidth: 25', /^p\.yaml: not valid YAML \(/],
    ['imageType:\n  Original: {}\n\tfeatureClass:', /^p\.yaml: not valid YAML \(/],
    ['*undefinedAnchor', /^p\.yaml: not valid YAML \(Unresolved alias/],
    ['settings:\n  binWidth: 25', /^p\.yaml: unknown top-level key "settings" \(expected imageType, featureClass, setting, voxelSetting\)$/],
    ['setting:\n  binwidth: 25', /^p\.yaml: unknown setting setting\.binwidth$/],
    ['setting:\n  binWidth: -5', /^p\.yaml: setting\.binWidth must be a number > 0, got -5$/],
    ['setting:\n  label: one', /^p\.yaml: setting\.label must be an integer > 0, got 'one'$/],
    ['imageType:\n  LoG: {sigma: [1, 0]}', /^p\.yaml: imageType\.LoG\.sigma must be a list of numbers > 0, got \[1,0\]$/],
    ['imageType:\n  Laplacian: {}', /^p\.yaml: unknown image type imageType\.Laplacian \(known: /],
    ['featureClass:\n  glcm: [Contrast, Contrastt]', /^p\.yaml: unknown feature featureClass\.glcm: Contrastt$/],
    ['featureClass:\n  texture: ~', /^p\.yaml: unknown feature class featureClass\.texture \(known: /],
    ['- a list\n- not a mapping', /^p\.yaml: the parameter file must be a mapping/],
    ['setting: 5', /^p\.yaml: setting must be a mapping of settings$/],
  ])('%j', (text, re) => {
    expect(() => parseParams(text, 'p.yaml')).toThrow(re);
  });

  it('random text never crashes the parser with anything but a one-line Error naming the file (fuzz)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => oneLineOrOk(parseParams, 'params.yaml', text)), { numRuns: 1500, seed: 11 });
  });

  const scalar = fc.oneof(fc.integer({ min: -5, max: 100 }), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }), fc.constantFrom('sitkBSpline', 'coif1', 'nan', 'euclidean', 'Contrast'));
  const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.dictionary(fc.constantFrom('sigma', 'binWidth', 'wavelet', 'x'), scalar, { maxKeys: 3 }));
  const section = fc.dictionary(
    fc.constantFrom('binWidth', 'binCount', 'label', 'sigma', 'resampledPixelSpacing', 'interpolator', 'Original', 'LoG', 'Wavelet', 'glcm', 'firstorder', 'shape', 'kernelRadius', 'initValue', 'unknownKey', 'resegmentRange', 'distances'),
    value,
    { maxKeys: 5 },
  );
  const paramsTree = fc.dictionary(fc.constantFrom('imageType', 'featureClass', 'setting', 'voxelSetting', 'typo'), fc.oneof(section, scalar), { maxKeys: 4 });

  it('random key/value trees give a valid parameter set or a one-line Error naming the file (property)', () => {
    fc.assert(fc.property(paramsTree, (tree) => oneLineOrOk(parseParams, 'params.yaml', stringify(tree))), { numRuns: 1500, seed: 12 });
  });

  it('random lines of YAML syntax (anchors, aliases, tags, merge keys, tabs) never crash the parser (fuzz)', () => {
    const line = fc.constantFrom('setting:', 'imageType:', 'featureClass:', '  binWidth: 25', '  LoG: {sigma: [1, x]}', '  - a', '&a [*a]', '*a', '!!binary aGVsbG8=', '!!set {a, b}', '? [a]\n: 1', '- &x a\n- *x', '{', '"', "'", '\t', 'a: !!int abc', 'x: 1e999', '<<: {a: 1}', '  Original: {}', '  sigma: .nan', 'setting: !!omap [a: 1]');
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), (lines) => oneLineOrOk(parseParams, 'params.yaml', lines.join('\n'))), { numRuns: 1500, seed: 13 });
  });
});

describe('study config', () => {
  it.each([
    ['sequences: [T2WI\nreference: T2WI', /^study\.yaml: malformed YAML: /],
    ['sequence: [T2WI]', /^study\.yaml: unknown key "sequence" \(allowed: /],
    ['habitats:\n  kmax: 8', /^study\.yaml: unknown key "habitats\.kmax" \(allowed: /],
    ['sequences: [T2WI, ADC]\nreference: DWI', /^study\.yaml: "reference" \(DWI\) must be one of the sequences \(T2WI, ADC\)$/],
    ['split:\n  validation: 1.5', /^study\.yaml: "split\.validation" must be a number in \[0\.05, 0\.95\], got 1\.5$/],
    ['models:\n  kernel: poly', /^study\.yaml: "models\.kernel" must be one of rbf, linear, got "poly"$/],
    ['- just\n- a list', /^study\.yaml: the study config must be a mapping of keys to values$/],
  ])('%j', (text, re) => {
    expect(() => parseStudyConfig(text, 'study.yaml')).toThrow(re);
  });

  it('random text and random key/value trees give a config or a one-line Error naming the file (fuzz)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => oneLineOrOk(parseStudyConfig, 'study.yaml', text)), { numRuns: 1000, seed: 21 });
    const leaf = fc.oneof(fc.integer({ min: -3, max: 300 }), fc.double(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 6 }), fc.constantFrom('auto', 'T2WI', 'rbf', 'minmax', 'scale'), fc.array(fc.constantFrom('T2WI', 'ADC', 1, null), { maxLength: 3 }));
    const sub = fc.dictionary(fc.constantFrom('k', 'kMin', 'kMax', 'variables', 'n4', 'normalize', 'clip', 'resample', 'kernel', 'C', 'gamma', 'validation', 'seed', 'params', 'bogus'), leaf, { maxKeys: 4 });
    const tree = fc.dictionary(fc.constantFrom('id', 'outcome', 'positive', 'sequences', 'reference', 'clinical', 'preprocessing', 'habitats', 'extraction', 'selection', 'models', 'split', 'bogus'), fc.oneof(leaf, sub), { maxKeys: 5 });
    fc.assert(fc.property(tree, (t) => oneLineOrOk(parseStudyConfig, 'study.yaml', stringify(t))), { numRuns: 1500, seed: 22 });
  });
});
