/**
 * preprocessing.n4Mask (issue 16): the study's N4 fits the bias field on the Otsu
 * foreground of each series by default, as SimpleITK's N4 example does; 'none' fits
 * every voxel, air included. A model.json from a study run before the key existed has
 * no n4Mask and is applied as that study was prepared: without a mask.
 */
import { describe, it, expect } from 'vitest';
import { generateDemoPatient } from '../../src/demo/demo.js';
import { preparePatient, type PreparedPatient } from '../../src/core/study/prepare.js';
import { parseStudyConfig, type StudyConfig } from '../../src/core/study/config.js';

const n4Mask = (p: PreparedPatient, seq: string) => {
  const r = p.records[seq]!;
  const s = 'steps' in r ? r.steps.find((x) => x.step === 'n4') : undefined;
  return s && s.step === 'n4' ? s.n4Mask : undefined;
};

describe('preprocessing.n4Mask', () => {
  it('defaults to otsu, takes none, and refuses anything else in one line', () => {
    expect(parseStudyConfig('').preprocessing.n4Mask).toBe('otsu');
    expect(parseStudyConfig('preprocessing: {n4Mask: none}').preprocessing.n4Mask).toBe('none');
    expect(() => parseStudyConfig('preprocessing: {n4Mask: brain}', 's.yaml')).toThrow(/^s\.yaml: "preprocessing\.n4Mask" must be one of otsu, none/);
  });

  it('prepares each series with its Otsu foreground by default, every voxel with none or with a config from before the key', async () => {
    const p = generateDemoPatient(0, { motion: false });
    const src = { id: p.id, series: p.series, mask: p.mask };
    const cfg = parseStudyConfig('preprocessing: {register: none}');
    const otsu = await preparePatient(src, cfg);
    for (const seq of cfg.sequences) {
      const m = n4Mask(otsu, seq);
      expect(m?.method, seq).toBe('otsu');
      // the demo's head fills ~60 % of the field of view; the rest is air below the threshold
      if (m?.method === 'otsu') {
        const n = (p.series as Record<string, { data: ArrayLike<number> }>)[seq]!.data.length;
        expect(m.voxels / n, seq).toBeGreaterThan(0.4);
        expect(m.voxels / n, seq).toBeLessThan(0.75);
      }
    }
    const none = await preparePatient(src, parseStudyConfig('preprocessing: {register: none, n4Mask: none}'));
    expect(n4Mask(none, 'T2WI')).toEqual({ method: 'none' });
    const { n4Mask: _dropped, ...older } = cfg.preprocessing;
    const old = await preparePatient(src, { ...cfg, preprocessing: older } as StudyConfig);
    expect(n4Mask(old, 'T2WI')).toEqual({ method: 'none' });
    expect(old.images.T2WI!.data).toEqual(none.images.T2WI!.data);
    expect(otsu.images.T2WI!.data).not.toEqual(none.images.T2WI!.data);
  }, 120_000);
});
