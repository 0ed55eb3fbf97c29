/**
 * IBSI 2 phase 1: every filter's response map on the digital phantoms must lie within
 * 1 % of the reference map's range at every voxel (the IBSI 2 compliance rule), against
 * the consensus maps in ../shared/ibsi/ibsi2/reference_data/reference_response_maps.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readVolume } from '../../src/core/node.js';
import type { Volume } from '../../src/core/image/volume.js';
import { PHASE1_TESTS, compareResponseMaps, type PhantomName } from '../../src/core/filters/ibsi2/index.js';
import { sharedPath } from '../shared-data.js';

const phantoms = new Map<PhantomName, Promise<Volume>>();
function phantom(name: PhantomName): Promise<Volume> {
  let p = phantoms.get(name);
  if (!p) {
    p = readVolume(sharedPath('ibsi', 'ibsi2', 'digital_phantoms', 'nifti', name, 'image', `${name}.nii.gz`));
    phantoms.set(name, p);
  }
  return p;
}

describe('IBSI 2 phase 1 reference response maps (1 % of range)', () => {
  it('covers every available reference map', () => {
    const files = readdirSync(sharedPath('ibsi', 'ibsi2', 'reference_data', 'reference_response_maps'))
      .filter((f) => f.endsWith('-ValidCRM.nii'))
      .map((f) => f.replace('-ValidCRM.nii', ''));
    expect(files.length).toBe(33);
    expect(PHASE1_TESTS.filter((t) => t.hasReference !== false).map((t) => t.id).sort()).toEqual(files.sort());
  });
  for (const t of PHASE1_TESTS.filter((x) => x.hasReference !== false)) {
    it(`${t.id}: ${t.description}`, async () => {
      const [vol, ref] = await Promise.all([
        phantom(t.phantom),
        readVolume(sharedPath('ibsi', 'ibsi2', 'reference_data', 'reference_response_maps', `${t.id}-ValidCRM.nii`)),
      ]);
      const out = t.run(vol);
      expect(out.size).toEqual(ref.size);
      const c = compareResponseMaps(out.data, ref.data, 0.01);
      expect(c.range).toBeGreaterThan(0);
      expect(c.relMaxDiff).toBeLessThanOrEqual(0.01);
    });
  }
});
