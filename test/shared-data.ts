/** Paths to the read-only reference data in ../shared (never copied into this repo). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SHARED = process.env.HABITAT_SHARED ?? path.resolve(here, '..', '..', 'shared');
export const PYRAD = path.join(SHARED, 'pyradiomics-data');
export const IBSI = path.join(SHARED, 'ibsi');
export const sharedPath = (...p: string[]) => path.join(SHARED, ...p);
