/**
 * The paper-settings feature table of the 120-patient demo cohort for
 * bench/study-permutation-paper.ts (issue 23): the demo cohort of
 * test/fixtures/study/demo120-features.json.gz (seed 5, 3 sequences, bias-free,
 * no N4 or registration), but with the paper's extraction parameters (Original
 * + LoG σ 1/3/5 mm + coif1 wavelet, all classes, 1 mm B-spline), written in the
 * same format. Too large and too slow to build for a committed fixture
 * (about an hour of CPU), so it is made once, outside the repository:
 *
 *   nice npx tsx bench/_paper-cohort.ts [out.json.gz] [jobs]
 *
 * default out: $HABITAT_PAPER_FEATURES or ../h-perm-data/demo120-paper-features.json.gz
 * (a per-patient cache next to it lets an interrupted run resume).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { validateParams } from '../src/core/radiomics/params.js';
import { fileStudyCache } from '../src/core/study/cache-node.js';
import { parseClinicalCsv } from '../src/core/study/clinical.js';
import { PAPER_EXTRACTION_PARAMS, parseStudyConfig } from '../src/core/study/config.js';
import { nodeStudyExecutor } from '../src/core/study/executor-node.js';
import { runStudy } from '../src/core/study/pipeline.js';
import { demoClinicalCsv } from '../src/demo/demo.js';
import { demoSources } from '../test/study/demo-sources.js';
import { cohortFixture, FEATURES_CONFIG_YAML, FEATURES_DEMO } from '../scripts/fixtures/demo-cohort-features.js';

/** Where the table is read from and written to. */
export const PAPER_FEATURES_FILE = process.env.HABITAT_PAPER_FEATURES ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../h-perm-data/demo120-paper-features.json.gz');

/** The fixture's study settings, without the bootstrap (not needed for the table). */
export const PAPER_CONFIG_YAML = `${FEATURES_CONFIG_YAML}\nmodels: {bootstrap: 0}`;

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const out = process.argv[2] ?? PAPER_FEATURES_FILE;
  const jobs = Number(process.argv[3] ?? 2);
  const config = parseStudyConfig(PAPER_CONFIG_YAML, 'paper-cohort.yaml');
  const params = validateParams(PAPER_EXTRACTION_PARAMS, 'paper settings');
  const csv = demoClinicalCsv(FEATURES_DEMO);
  const executor = nodeStudyExecutor(jobs);
  const t0 = Date.now();
  let last = 0;
  const result = await runStudy(demoSources(FEATURES_DEMO.patients, FEATURES_DEMO), parseClinicalCsv('clinical.csv', csv), config, params, {
    executor,
    cache: fileStudyCache(path.join(path.dirname(out), 'paper-cohort-cache')),
    progress: (e) => {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      console.error(`${Math.round((Date.now() - t0) / 1000)} s: ${JSON.stringify(e)}`);
    },
  });
  executor.close?.();
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, gzipSync(JSON.stringify({ ...cohortFixture(result, csv), configYaml: PAPER_CONFIG_YAML, params: PAPER_EXTRACTION_PARAMS })));
  console.log(`wrote ${out} in ${Math.round((Date.now() - t0) / 1000)} s`);
}
