/** Node side of the cohort layout: walk a cohort folder and parse its listing. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseCohortLayout, type CohortLayout } from './cohort-layout.js';

/** Every file below `dir` (recursively), as paths joined onto `dir`, sorted. */
export async function listFilesRecursive(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      throw new Error(`${d}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() || e.isSymbolicLink()) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/** The cohort layout of a folder on disk (paths in the result are joined onto `cohortDir`). */
export async function readCohortLayout(cohortDir: string): Promise<CohortLayout> {
  const files = await listFilesRecursive(cohortDir);
  return parseCohortLayout(files, { root: cohortDir });
}
