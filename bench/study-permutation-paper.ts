/**
 * The permutation test on cached features at the paper's settings (issue 23:
 * "100 permutations of a 120-patient study take ≤ 5 minutes on 2 cores"): the
 * 120-patient, 3-sequence demo cohort with Original + LoG σ 1/3/5 + wavelet
 * features (~1,200 per region), made once by `bench/_paper-cohort.ts` outside the
 * repository (HABITAT_PAPER_FEATURES, default ../h-perm-data/…). Skipped, with a
 * line on stderr, when that file does not exist. What is measured:
 * bench/_permutation-bench.ts (default 100 permutations, 2 workers).
 */
import { existsSync } from 'node:fs';
import { PAPER_FEATURES_FILE } from './_paper-cohort.js';
import { permutationBench, readCohortFeatures } from './_permutation-bench.js';

if (!existsSync(PAPER_FEATURES_FILE)) {
  console.error(`study-permutation-paper: ${PAPER_FEATURES_FILE} not found; make it with \`npx tsx bench/_paper-cohort.ts\` (about an hour of CPU). Skipped.`);
} else {
  await permutationBench('demo 120 patients, paper settings', readCohortFeatures(PAPER_FEATURES_FILE), 100);
}
