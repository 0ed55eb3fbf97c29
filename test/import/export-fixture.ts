/** Shared helpers of the import tests: the committed PACS-style export and volume comparison. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { indexToPhysical, physicalToIndex, type Volume } from '../../src/core/image/volume.js';

/** The committed fixture, or another export made by the same script (IMPORT_FIXTURE=/tmp/export40, e.g. its 40-patient run). */
export const FIXTURE = process.env.IMPORT_FIXTURE ? path.resolve(process.env.IMPORT_FIXTURE) : path.resolve(__dirname, '../fixtures/import');
export const EXPORT = path.join(FIXTURE, 'export');

export interface Manifest {
  patients: { PatientID: string; vendor: string; series: Record<string, string>; identifiers: string[] }[];
}
export const manifest = (): Manifest => JSON.parse(readFileSync(path.join(FIXTURE, 'manifest.json'), 'utf8'));

/**
 * Compare two volumes that may store the same grid with flipped or permuted
 * axes (dcm2niix flips rows, NIfTI is RAS): every voxel centre of `a` must be a
 * voxel centre of `b` (within 1e-3 voxel) holding the same value.
 * Returns the number of voxels that differ.
 */
export function compareOnPhysicalGrid(a: Volume, b: Volume): { mismatched: number; offGrid: number } {
  const [nx, ny, nz] = a.size;
  let mismatched = 0;
  let offGrid = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const q = physicalToIndex(b, indexToPhysical(a, i, j, k));
        const r = q.map(Math.round);
        if (q.some((x, c) => Math.abs(x - r[c]!) > 1e-3) || r.some((x, c) => x < 0 || x >= b.size[c]!)) {
          offGrid++;
          continue;
        }
        if (a.data[i + nx * (j + ny * k)] !== b.data[r[0]! + b.size[0] * (r[1]! + b.size[1] * r[2]!)]) mismatched++;
      }
  return { mismatched, offGrid };
}

/** Dice of two binary masks on the same physical grid (up to axis flips). */
export function diceOnPhysicalGrid(a: Volume, b: Volume): number {
  const [nx, ny, nz] = a.size;
  let inter = 0;
  let na = 0;
  let nb = 0;
  for (const x of b.data) if (x) nb++;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const av = a.data[i + nx * (j + ny * k)] ? 1 : 0;
        na += av;
        if (!av) continue;
        const r = physicalToIndex(b, indexToPhysical(a, i, j, k)).map(Math.round);
        if (b.data[r[0]! + b.size[0] * (r[1]! + b.size[1] * r[2]!)]) inter++;
      }
  return (2 * inter) / (na + nb);
}
