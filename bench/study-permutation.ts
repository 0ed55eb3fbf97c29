/**
 * The permutation test on cached features (issue 23), on the 120-patient demo
 * cohort's committed features (test/fixtures/study/demo120-features.json.gz:
 * Original firstorder + GLCM, 42 features per region, 13 regions); what is
 * measured: bench/_permutation-bench.ts. The paper-settings table:
 * bench/study-permutation-paper.ts.
 */
import { fileURLToPath } from 'node:url';
import { permutationBench, readCohortFeatures } from './_permutation-bench.js';

const file = fileURLToPath(new URL('../test/fixtures/study/demo120-features.json.gz', import.meta.url));
await permutationBench('demo 120 patients, 42 features/region', readCohortFeatures(file), 100);
