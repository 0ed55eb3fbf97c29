/**
 * IBSI 1 digital phantom: every one of the 482 reference values (all families, all 2D / 2.5D / 3D
 * aggregations) must match within its tolerance after rounding to 3 significant digits.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { extractIbsi, IBSI_DIGITAL_PHANTOM } from '../../src/core/radiomics/ibsi/index.js';
import { matchesReference, roundSignificant } from '../../src/core/radiomics/ibsi/compliance.js';
import { readPhantom, referenceTable } from './reference.js';

const table = referenceTable('digital_phantom');
const rows = table.rows.filter((r) => r.reference !== null);

describe('IBSI 1 digital phantom', () => {
  let values: Record<string, number>;
  beforeAll(async () => {
    const { image, mask } = await readPhantom('digital_phantom');
    values = extractIbsi(image, mask, IBSI_DIGITAL_PHANTOM);
  });

  it('has 482 reference values', () => {
    expect(rows.length).toBe(482);
  });

  it.each(rows.map((r) => [r.tag, r] as const))('%s', (_tag, row) => {
    const x = values[row.tag]!;
    expect(x, `${row.tag} not computed`).toBeTypeOf('number');
    const ok = matchesReference(x, row);
    if (!ok) expect.fail(`${row.tag} = ${roundSignificant(x)}, reference ${row.reference} ± ${row.tolerance}`);
  });
});
