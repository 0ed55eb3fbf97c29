/** What a study worker (worker_threads) does: read, prepare and extract one patient at a time. The entry is study-worker-node.ts. */
import { elastixCachedNode } from '../image/register-node.js';
import { readVolume } from '../image/io-node.js';
import type { StudyConfig } from './config.js';
import { patientFeatures } from './patient-features.js';
import { preparePatient, type PatientImages } from './prepare.js';
import { workerPermutedRuns } from './stages/permutation.js';
import { resamplePredictions, type OptimismTask } from './stages/optimism.js';

export interface PatientFiles {
  id: string;
  sequences: Record<string, string>;
  mask: string;
  mask2?: string;
}

export async function loadPatientFiles(p: PatientFiles, sequences: string[]): Promise<PatientImages> {
  const series: Record<string, PatientImages['series'][string]> = {};
  for (const seq of sequences) {
    const f = p.sequences[seq];
    if (!f) throw new Error(`patient ${p.id}: sequence ${seq} is missing`);
    series[seq] = await readVolume(f);
  }
  return {
    id: p.id,
    series,
    mask: await readVolume(p.mask),
    mask2: p.mask2 ? await readVolume(p.mask2) : undefined,
    files: { ...p.sequences, mask: p.mask, ...(p.mask2 ? { mask2: p.mask2 } : {}) },
  };
}

export const studyWorkerApi = {
  async prepare(p: PatientFiles, config: StudyConfig) {
    return preparePatient(await loadPatientFiles(p, config.sequences), config, { elastix: elastixCachedNode });
  },
  features: patientFeatures,
  /** Permuted runs of the permutation test; the study's input is sent once per worker (stages/permutation.ts). */
  permutations: workerPermutedRuns,
  /** Bootstrap resamples of the internal validation (stages/optimism.ts). */
  optimism: (task: OptimismTask, resamples: number[][]) => resamples.map((rows) => resamplePredictions(task, rows)),
};
export type StudyWorkerApi = typeof studyWorkerApi;
