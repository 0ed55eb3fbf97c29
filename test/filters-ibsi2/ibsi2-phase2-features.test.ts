/**
 * IBSI 2 phase 2: intensity statistics of filtered CT phantom response maps inside GTV-1
 * against the consensus values (../shared/ibsi/ibsi2/reference_data/reference_feature_values).
 * The configurations that run in seconds are tested here; the slow 3D ones (4.B–9.B)
 * are checked by `habitat compliance ibsi2 --phase 2` (results in docs/filters-ibsi2.md).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readVolume } from '../../src/core/node.js';
import type { Volume } from '../../src/core/image/volume.js';
import {
  PHASE2_CONFIGS,
  parsePhase2References,
  phase2Features,
  phase2Grid,
  withinTolerance,
  type Phase2Grid,
} from '../../src/core/filters/ibsi2/phase2.js';
import { sharedPath } from '../shared-data.js';

const TESTED = ['1.A', '2.A', '3.A', '4.A', '5.A', '6.A', '7.A', '8.A', '9.A', '1.B', '2.B', '3.B'];
const refs = parsePhase2References(
  readFileSync(sharedPath('ibsi', 'ibsi2', 'reference_data', 'reference_feature_values', 'reference_values.csv'), 'utf8'),
);

describe('IBSI 2 phase 2 feature values (CT phantom, GTV-1)', () => {
  let image: Volume;
  let mask: Volume;
  const grids = new Map<string, Phase2Grid>();
  beforeAll(async () => {
    image = await readVolume(sharedPath('ibsi', 'ibsi1', 'ct_phantom', 'nifti', 'image', 'phantom.nii.gz'));
    mask = await readVolume(sharedPath('ibsi', 'ibsi1', 'ct_phantom', 'nifti', 'mask', 'mask.nii.gz'));
  });

  it('reads 18 configurations × 18 statistics (one without consensus)', () => {
    expect(new Set(refs.map((r) => r.id)).size).toBe(18);
    expect(refs).toHaveLength(18 * 18 - 1);
  });

  // One grid per dimensionality with the widest margin the tested filters need (a wider margin leaves finite filters unchanged in the ROI).
  const margin = Math.max(...PHASE2_CONFIGS.filter((c) => TESTED.includes(c.id)).map((c) => (c.margin === 'image' ? 0 : c.margin)));
  for (const id of TESTED) {
    const config = PHASE2_CONFIGS.find((c) => c.id === id)!;
    it(`${id}: ${config.description} — all 18 statistics within tolerance`, () => {
      const reach = config.margin === 'image' ? 'image' : margin;
      const key = `${config.dimensions}:${reach}`;
      let g = grids.get(key);
      if (!g) {
        g = phase2Grid(image, mask, config.dimensions, reach);
        grids.set(key, g);
      }
      const f = phase2Features(g, config);
      const mine = refs.filter((r) => r.id === id);
      expect(mine).toHaveLength(18);
      const off = mine.filter((r) => !withinTolerance(f[r.feature]!, r)).map((r) => `${r.feature}: ${f[r.feature]} vs ${r.value} ± ${r.tolerance}`);
      expect(off).toEqual([]);
    });
  }
});

describe('parsePhase2References on damaged files', () => {
  const head = 'filter_id;feature;feature_tag;consensus_value;tolerance';
  it('refuses an empty file in one line', () => {
    expect(() => parsePhase2References('\n\n')).toThrow(/^reference_values\.csv: the file is empty$/);
  });
  it('refuses a row that stops before the tolerance column, naming the row', () => {
    expect(() => parsePhase2References(`${head}\n1.A;Mean;stat_mean;-47;4.6\n1.A;Variance;stat_var;53300\n`)).toThrow(
      /^reference_values\.csv: data row 2 has 4 fields, the header 5$/,
    );
  });
  it('skips a row without a consensus value and reads the others', () => {
    expect(parsePhase2References(`${head}\n8.B;QCOD;stat_qcod;;\n1.A;Mean;stat_mean;-47;4.6\n`)).toEqual([
      { id: '1.A', feature: 'stat_mean', value: -47, tolerance: 4.6 },
    ]);
  });
});
