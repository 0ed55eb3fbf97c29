/** Loading the IBSI 1 reference tables and phantoms for the tests (read from ../shared, never copied). */
import fs from 'node:fs';
import path from 'node:path';
import { readVolume } from '../../src/core/node.js';
import type { Volume } from '../../src/core/image/volume.js';
import { parseReferenceCsv, type ReferenceTable } from '../../src/core/radiomics/ibsi/compliance.js';
import { IBSI } from '../shared-data.js';

export const IBSI1 = path.join(IBSI, 'ibsi1');

export function referenceTable(dataset: string): ReferenceTable {
  const file = path.join(IBSI1, 'reference_values', `ibsi_1_reference_values_${dataset}.csv`);
  return parseReferenceCsv(fs.readFileSync(file, 'utf8'), file);
}

export async function readPhantom(which: 'digital_phantom' | 'ct_phantom'): Promise<{ image: Volume; mask: Volume }> {
  const dir = path.join(IBSI1, which, 'nifti');
  const [image, mask] = await Promise.all([
    readVolume(path.join(dir, 'image', 'phantom.nii.gz')),
    readVolume(path.join(dir, 'mask', 'mask.nii.gz')),
  ]);
  return { image, mask };
}
