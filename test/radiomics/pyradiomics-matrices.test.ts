/**
 * The texture matrices equal PyRadiomics' matrix baselines
 * (../shared/pyradiomics-data/baseline/<case>_<class>.npy: label 1, binWidth 25,
 * 3D, distance 1, no filter), max absolute difference < 1e-3 as PyRadiomics'
 * own matrix test.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVolume } from '../../src/core/node.js';
import { discretiseFixedBinWidth, type DiscretisedRoi } from '../../src/core/radiomics/discretise.js';
import { glcmMatrix } from '../../src/core/radiomics/glcm/matrix.js';
import { gldmMatrix } from '../../src/core/radiomics/gldm/matrix.js';
import { glrlmMatrix } from '../../src/core/radiomics/glrlm/matrix.js';
import { glszmMatrix } from '../../src/core/radiomics/glszm/matrix.js';
import { ngtdmMatrix } from '../../src/core/radiomics/ngtdm/matrix.js';
import { cropRoi, maskBoundingBox } from '../../src/core/radiomics/roi.js';
import { PYRAD } from '../shared-data.js';
import { readNpy, type NpyArray } from './npy.js';

async function binnedCase(c: string): Promise<DiscretisedRoi> {
  const image = await readVolume(path.join(PYRAD, `${c}_image.nrrd`));
  const mask = await readVolume(path.join(PYRAD, `${c}_label.nrrd`));
  const inRoi = Uint8Array.from(mask.data, (v) => (v === 1 ? 1 : 0));
  const box = maskBoundingBox(inRoi, mask.size)!;
  return discretiseFixedBinWidth(cropRoi(image.data, inRoi, image.size, image.spacing, box, (v) => v !== 0), 25);
}

function maxAbsDiff(ref: NpyArray, mine: (idx: number[]) => number): number {
  const { shape, data } = ref;
  let worst = 0;
  const idx = shape.map(() => 0);
  for (let n = 0; n < data.length; n++) {
    let r = n;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = r % shape[d]!;
      r = Math.floor(r / shape[d]!);
    }
    worst = Math.max(worst, Math.abs(data[n]! - mine(idx)));
  }
  return worst;
}

const npy = (c: string, cls: string) => readNpy(path.join(PYRAD, 'baseline', `${c}_${cls}.npy`));
const opts = { distances: [1], force2D: false, force2Ddimension: 0, symmetricalGLCM: true, weightingNorm: null, gldm_a: 0 };

describe('texture matrices equal the PyRadiomics .npy baselines', () => {
  for (const c of ['brain1', 'brain2', 'breast1']) {
    it(`${c}: GLCM, GLRLM, GLSZM, GLDM, NGTDM`, async () => {
      const roi = await binnedCase(c);

      const glcm = glcmMatrix(roi, opts);
      const refGlcm = npy(c, 'glcm');
      expect(refGlcm.shape).toEqual([glcm.ng, glcm.ng, glcm.na]);
      expect(maxAbsDiff(refGlcm, ([i, j, a]) => glcm.P[(a! * glcm.ng + i!) * glcm.ng + j!]!)).toBeLessThan(1e-3);

      const glrlm = glrlmMatrix(roi, opts);
      const refGlrlm = npy(c, 'glrlm');
      expect(refGlrlm.shape).toEqual([glrlm.ng, glrlm.nr, glrlm.na]);
      expect(maxAbsDiff(refGlrlm, ([i, r, a]) => glrlm.P[(a! * glrlm.ng + i!) * glrlm.nr + r!]!)).toBeLessThan(1e-3);

      for (const [cls, m] of [
        ['glszm', glszmMatrix(roi, opts)],
        ['gldm', gldmMatrix(roi, opts)],
      ] as const) {
        const ref = npy(c, cls);
        expect(ref.shape, cls).toEqual([m.ng, m.ns]);
        expect(maxAbsDiff(ref, ([i, s]) => m.P[i! * m.ns + s!]!), cls).toBeLessThan(1e-3);
      }

      const ngtdm = ngtdmMatrix(roi, opts);
      const refNgtdm = npy(c, 'ngtdm');
      expect(refNgtdm.shape).toEqual([ngtdm.ng, 3]);
      expect(maxAbsDiff(refNgtdm, ([i, k]) => [ngtdm.n, ngtdm.s, ngtdm.levels][k!]![i!]!)).toBeLessThan(1e-3);
    });
  }
});
