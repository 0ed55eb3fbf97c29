/**
 * Streaming patients through the study (issue 20): with a cache, the prepared
 * images live in it between the stages and are read back a few patients at a
 * time, so the run never holds the cohort's images; the study is the same,
 * byte for byte, as one that keeps every patient in memory (no cache).
 */
import { describe, it, expect } from 'vitest';
import { demoClinicalCsv } from '../../src/demo/demo.js';
import { parseClinicalCsv } from '../../src/core/study/clinical.js';
import { parseStudyConfig } from '../../src/core/study/config.js';
import { validateParams } from '../../src/core/radiomics/params.js';
import { inFlight, inProcessExecutor, runStudy, type StudyCache, type StudyExecutor } from '../../src/core/study/pipeline.js';
import { featuresCsv, predictionsCsv, studyReport } from '../../src/core/study/report.js';
import { demoSources } from './demo-sources.js';

const N = 16;
const demo = { patients: N, seed: 5, motion: false, biasField: false };
const config = parseStudyConfig(['preprocessing: {n4: false, register: none}', 'split: {seed: 5, validation: 0.3, stratify: true}', 'models: {bootstrap: 0}', 'selection: {seed: 3}', 'habitats: {k: 3, kMin: 3, kMax: 3}'].join('\n'), 'test.yaml');
const params = validateParams({ imageType: { Original: {} }, featureClass: { firstorder: null }, setting: { binWidth: 25, label: 1 } }, 'test params');
const clinical = parseClinicalCsv('clinical.csv', demoClinicalCsv(demo));

/** A cache of structured clones (as IndexedDB keeps them), counting the prepared patients read back. */
function cloneCache(): StudyCache & { preparedReads: number } {
  const store = new Map<string, unknown>();
  const c = {
    preparedReads: 0,
    async get(key: string) {
      const v = store.get(key);
      if (v !== undefined && key.startsWith('prepared/')) c.preparedReads++;
      return v === undefined ? undefined : structuredClone(v);
    },
    async set(key: string, value: unknown) {
      store.set(key, structuredClone(value));
    },
  };
  return c;
}

describe('a study with a cache', () => {
  it('reads each patient back when its features are due, at most 2 per worker at once, and gives the study kept in memory byte for byte', async () => {
    const cache = cloneCache();
    const inner = inProcessExecutor();
    let readsBeforeFeatures = -1;
    let finished = 0;
    let mostHeld = 0;
    const exec: StudyExecutor = {
      ...inner,
      workers: 2,
      async features(p, models, prm) {
        // patients read back for the features stage whose features are not done yet
        mostHeld = Math.max(mostHeld, cache.preparedReads - readsBeforeFeatures - finished);
        await new Promise((r) => setTimeout(r, 1)); // room for the other lanes to read ahead, if they would
        const f = await inner.features(p, models, prm);
        finished++;
        return f;
      },
    };
    const streamed = await runStudy(demoSources(N, demo), clinical, config, params, {
      executor: exec,
      cache,
      progress: (p) => {
        if (p.stage === 'habitats' && p.done === p.total) readsBeforeFeatures = cache.preparedReads;
      },
    });
    const kept = await runStudy(demoSources(N, demo), clinical, config, params, { executor: { ...inner, workers: 2 } });
    expect(streamed.features.length).toBe(kept.features.length);
    expect(JSON.stringify(studyReport(streamed, 'T'))).toBe(JSON.stringify(studyReport(kept, 'T')));
    expect(featuresCsv(streamed)).toBe(featuresCsv(kept));
    expect(predictionsCsv(streamed)).toBe(predictionsCsv(kept));
    // the habitats read every training patient back once per sequence, the features stage every patient once
    expect(readsBeforeFeatures).toBe(3 * streamed.analysis.split.training.length);
    expect(cache.preparedReads).toBe(readsBeforeFeatures + N);
    expect(mostHeld).toBeGreaterThan(0);
    expect(mostHeld).toBeLessThanOrEqual(4);
  });
});

describe('inFlight', () => {
  it('runs every item, never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await inFlight([1, 2, 3, 4, 5, 6, 7], 3, async (x) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 2 * (x % 3)));
      seen.push(x);
      running--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });
});
