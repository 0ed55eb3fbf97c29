/**
 * The permutation test's result as plain data, and how the report and the app
 * word it (the test itself: stages/permutation.ts). Kept apart so the app's
 * results view does not load the analysis stages.
 */

/** The statistic each model is tested on. */
export type PermutationStatistic = 'nested-CV AUC' | 'apparent training AUC';

export interface PermutationModelResult {
  /** A region ("T2WI Hab2") or a composite model ("Clinic", "Clinic + T2WI Hab2", "Combined"). */
  name: string;
  kind: 'region' | 'model';
  statistic: PermutationStatistic;
  /** The study's own internal AUC (null: the region has no model, so no p). */
  observed: number | null;
  /** Permuted runs whose statistic reached the observed one. */
  atLeast: number;
  p: number | null;
}

export interface PermutationTest {
  permutations: number;
  seed: number;
  /** Which outcomes were shuffled. */
  permuted: 'training outcomes';
  models: PermutationModelResult[];
}

/** The permutation p of a region ("T2WI Hab2") or model, when the test ran and the model has one. */
export function permutationP(test: PermutationTest | undefined | null, name: string): number | null {
  return test?.models.find((m) => m.name === name)?.p ?? null;
}

/** One line saying what the permutation p-values test (report and app). */
export function permutationSummary(test: PermutationTest): string {
  return `Permutation test: ${test.permutations} analyses with the training outcomes shuffled (seed ${test.seed}); p = (1 + #{permuted ≥ observed}) / (N + 1) for each region's nested-CV AUC and each model's apparent training AUC, every selection step repeated.`;
}
