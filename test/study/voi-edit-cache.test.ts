/**
 * A corrected VOI through the study cache (workers/voi-cache.ts, as the
 * browser's study runner uses it): a re-run after correcting one patient's VOI
 * gives exactly what a run without any cache gives (nothing stale reused),
 * while the other patients' preparation comes from the cache. Without the
 * VOI-aware keys the re-run would reuse the old VOI's results (checked too,
 * so this test can fail). Small and fast: no N4 or registration, Original
 * image only, first-order features.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { demoClinicalCsv, generateDemoPatient } from '../../src/demo/demo.js';
import { parseClinicalCsv } from '../../src/core/study/clinical.js';
import { parseStudyConfig } from '../../src/core/study/config.js';
import { validateParams } from '../../src/core/radiomics/params.js';
import { runStudy, type StudyCache, type StudyProgress, type StudyResult } from '../../src/core/study/pipeline.js';
import { featuresCsv } from '../../src/core/study/report.js';
import { withData } from '../../src/core/image/volume.js';
import { withVoiEdits, type VoiEdits } from '../../workers/voi-cache.js';

const N = 16;
const EDITED = 'P003';
const demo = { patients: N, seed: 41, motion: false, biasField: false, imagingEffect: 3 };
const config = parseStudyConfig(['preprocessing: {n4: false, register: none}', 'habitats: {k: {T2WI: 2, CE-T1WI: 2, FSCE-T1WI: 2}}', 'split: {seed: 5, validation: 0.3, stratify: true}', 'models: {bootstrap: 5}'].join('\n'), 'test.yaml');
const params = validateParams({ imageType: { Original: {} }, featureClass: { firstorder: null }, setting: { binWidth: 25, label: 1 } }, 'test params');
const clinical = parseClinicalCsv('clinical.csv', demoClinicalCsv(demo));

/** The cohort, with EDITED's VOI cut to its lower half of slices when `corrected`. */
function cohort(corrected: boolean) {
  return Array.from({ length: N }, (_, i) => ({
    id: `P${String(i + 1).padStart(3, '0')}`,
    load: async () => {
      const p = generateDemoPatient(i, demo);
      let mask = p.mask;
      if (corrected && p.id === EDITED) {
        const data = mask.data.slice();
        const [nx, ny, nz] = mask.size;
        let top = 0;
        for (let n = 0; n < data.length; n++) if (data[n]) top = Math.max(top, Math.floor(n / (nx * ny)));
        for (let n = nx * ny * top; n < nx * ny * nz; n++) data[n] = 0;
        mask = withData(mask, data);
      }
      return { id: p.id, series: p.series, mask, mask2: p.mask2 };
    },
  }));
}

function memoryCache(): StudyCache {
  const store = new Map<string, unknown>();
  return { get: async (k) => store.get(k), set: async (k, v) => void store.set(k, v) };
}

async function run(corrected: boolean, cache?: StudyCache): Promise<{ result: StudyResult; events: StudyProgress[] }> {
  const events: StudyProgress[] = [];
  const result = await runStudy(cohort(corrected), clinical, config, params, { cache, progress: (p) => events.push(p) });
  return { result, events };
}

const cachedPrepared = (events: StudyProgress[]) => events.filter((e) => e.stage === 'prepare' && e.cached).map((e) => e.patient);

let fresh: StudyResult;
beforeAll(async () => {
  fresh = (await run(true)).result;
});

describe('study cache after a VOI correction', () => {
  it('with VOI-aware keys: the same result as no cache, and only the corrected patient is prepared again', async () => {
    const base = memoryCache();
    const before = await run(false, withVoiEdits(base, {}));
    // The corrected VOI changes the study (else this test would prove nothing).
    expect(featuresCsv(before.result)).not.toBe(featuresCsv(fresh));
    const edits: VoiEdits = { [EDITED]: 'fingerprint-1' };
    const again = await run(true, withVoiEdits(base, edits));
    expect(featuresCsv(again.result)).toBe(featuresCsv(fresh));
    const ids = Array.from({ length: N }, (_, i) => `P${String(i + 1).padStart(3, '0')}`);
    expect(cachedPrepared(again.events).sort()).toEqual(ids.filter((id) => id !== EDITED));
    expect(again.events.some((e) => e.stage === 'habitats' && e.cached)).toBe(false);
  });

  it('without them the re-run would reuse the old VOI (the failure the keys prevent)', async () => {
    const base = memoryCache();
    const before = await run(false, base);
    const stale = await run(true, base);
    expect(featuresCsv(stale.result)).toBe(featuresCsv(before.result));
    expect(featuresCsv(stale.result)).not.toBe(featuresCsv(fresh));
  });
});
