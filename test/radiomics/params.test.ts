/**
 * PyRadiomics parameter files: the example files shipped with PyRadiomics
 * parse to the settings they state; unknown keys and bad values are one-line
 * errors naming the file and the key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, paramsToYaml, parseParams } from '../../src/core/radiomics/params.js';
import { PYRAD } from '../shared-data.js';

const DIR = path.join(PYRAD, 'exampleSettings');
const load = (f: string) => parseParams(readFileSync(path.join(DIR, f), 'utf8'), f);

describe('PyRadiomics example parameter files', () => {
  it('all of them parse', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBe(8);
    for (const f of files) expect(() => load(f), f).not.toThrow();
  });

  it('paramsToYaml writes a parameter file that parses back to the same parameters (no internal keys)', () => {
    for (const f of readdirSync(DIR).filter((x) => x.endsWith('.yaml'))) {
      const p = load(f);
      const text = paramsToYaml(p);
      expect(text, f).not.toContain('givenSetting');
      expect(parseParams(text, `${f} (rewritten)`), f).toEqual(p);
    }
  });

  it('exampleCT.yaml: image types, feature lists and settings', () => {
    const p = load('exampleCT.yaml');
    expect(Object.keys(p.imageType)).toEqual(['Original', 'LoG', 'Wavelet']);
    expect(p.imageType.LoG!.sigma).toEqual([1, 2, 3, 4, 5]);
    expect(Object.keys(p.featureClass)).toEqual(['shape', 'firstorder', 'glcm', 'glrlm', 'glszm', 'gldm']);
    expect(p.featureClass.shape).toBeNull();
    expect(p.featureClass.glcm).toHaveLength(22);
    expect(p.featureClass.glcm).not.toContain('SumAverage');
    expect(p.setting.resampledPixelSpacing).toEqual([1, 1, 1]);
    expect(p.setting.padDistance).toBe(10);
    expect(p.setting.voxelArrayShift).toBe(1000);
    expect(p.setting.interpolator).toBe('sitkBSpline');
    // untouched settings keep PyRadiomics' defaults
    expect(p.setting.minimumROIDimensions).toBe(2);
    expect(p.setting.distances).toEqual([1]);
    expect(p.setting.symmetricalGLCM).toBe(true);
  });

  it('MR_2D_extraction.yaml and exampleVoxel.yaml', () => {
    const mr = load('MR_2D_extraction.yaml');
    expect(mr.setting.normalize).toBe(true);
    expect(mr.setting.normalizeScale).toBe(100);
    expect(mr.setting.resampledPixelSpacing).toEqual([2, 2, 0]);
    expect(mr.setting.force2D).toBe(true);
    expect(mr.setting.force2Ddimension).toBe(0);
    expect(mr.setting.binWidth).toBe(5);
    expect(Object.keys(mr.featureClass)[0]).toBe('shape2D');
    const vox = load('exampleVoxel.yaml');
    expect(vox.featureClass).toEqual({ glcm: ['JointEntropy'] });
    expect(vox.voxelSetting.kernelRadius).toBe(2);
  });

  it('example_allShape.yaml enables the deprecated shape features by name', () => {
    const p = load('example_allShape.yaml');
    expect(p.featureClass.shape).toContain('Compactness1');
    expect(p.imageType).toEqual({ Original: {} });
  });

  it('keeps the YAML spelling of integer LoG sigmas (feature name prefixes)', () => {
    const p = parseParams('imageType:\n  LoG:\n    sigma: [3, 1.0]\n');
    expect(p.imageType.LoG!.sigma).toEqual(['3', 1]);
  });

  it('an empty file gives Original and every feature class with the defaults', () => {
    const p = parseParams('');
    expect(p.imageType).toEqual({ Original: {} });
    expect(p.setting).toEqual(DEFAULT_SETTINGS);
    expect(Object.keys(p.featureClass)).toContain('ngtdm');
  });
});

describe('parameter errors are one line and name the key', () => {
  const cases: [string, RegExp][] = [
    ['setting:\n  binWidht: 25\n', /^p\.yaml: unknown setting setting\.binWidht$/],
    ['setting:\n  binWidth: -5\n', /^p\.yaml: setting\.binWidth must be a number > 0, got -5$/],
    ['setting:\n  binWidth: wide\n', /setting\.binWidth must be a number > 0, got 'wide'/],
    ['setting:\n  force2D: yes please\n', /setting\.force2D must be true or false/],
    ['setting:\n  weightingNorm: cosine\n', /setting\.weightingNorm must be one of/],
    ['setting:\n  interpolator: cubic\n', /setting\.interpolator must be one of sitkNearestNeighbor/],
    ['setting:\n  resegmentRange: [1, 2, 3]\n', /setting\.resegmentRange must have 1 or 2 values/],
    ['setting:\n  distances: [0]\n', /setting\.distances must be a list of integers > 0/],
    ['featureClass:\n  glcmm:\n', /unknown feature class featureClass\.glcmm/],
    ['featureClass:\n  glcm: [Contrastt]\n', /unknown feature featureClass\.glcm: Contrastt/],
    ['imageType:\n  LoGG: {}\n', /unknown image type imageType\.LoGG/],
    ['imageType:\n  LoG:\n    sigma: [-1]\n', /imageType\.LoG\.sigma must be a list of numbers > 0/],
    ['settings:\n  binWidth: 5\n', /unknown top-level key "settings"/],
    ['setting: [1\n', /^p\.yaml: not valid YAML/],
  ];
  for (const [text, re] of cases)
    it(re.source, () => {
      let message = '';
      try {
        parseParams(text, 'p.yaml');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(re);
      expect(message).not.toContain('\n');
    });
});

describe('the paper parameters as text (the app\'s "Paper settings")', () => {
  it('name LoG features as the CLI does from the same parameters (σ 1.0 → log-sigma-1-0-mm-3D)', async () => {
    const { PAPER_EXTRACTION_PARAMS } = await import('../../src/core/study/config.js');
    const { validateParams } = await import('../../src/core/radiomics/params.js');
    const direct = validateParams(PAPER_EXTRACTION_PARAMS, 'paper');
    const viaText = parseParams(paramsToYaml(direct), 'paper settings');
    expect(viaText).toEqual(direct);
    expect(viaText.imageType.LoG!.sigma).toEqual([1, 3, 5]);
  });
});
