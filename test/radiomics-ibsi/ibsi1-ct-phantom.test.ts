/**
 * IBSI 1 CT phantom, configurations A–E: every reference value (features and the diagnostic
 * rows of each processing stage) must match within the workbook tolerance. The phantom is read
 * once; each configuration is computed once and shared by its rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../src/core/image/volume.js';
import { extractIbsi, IBSI_CONFIGS } from '../../src/core/radiomics/ibsi/index.js';
import { matchesReference, roundSignificant } from '../../src/core/radiomics/ibsi/compliance.js';
import { readPhantom, referenceTable } from './reference.js';

let phantom: Promise<{ image: Volume; mask: Volume }> | null = null;
const ctPhantom = () => (phantom ??= readPhantom('ct_phantom'));

const EXPECTED_ROWS: Record<string, number> = { config_A: 406, config_B: 406, config_C: 270, config_D: 270, config_E: 270 };

for (const name of Object.keys(EXPECTED_ROWS)) {
  const rows = referenceTable(name).rows.filter((r) => r.reference !== null);
  describe(`IBSI 1 CT phantom, ${name}`, () => {
    let values: Record<string, number>;
    beforeAll(async () => {
      const { image, mask } = await ctPhantom();
      values = extractIbsi(image, mask, IBSI_CONFIGS[name]!);
    });

    it(`has ${EXPECTED_ROWS[name]} reference values`, () => {
      expect(rows.length).toBe(EXPECTED_ROWS[name]);
    });

    it.each(rows.map((r) => [r.tag, r] as const))('%s', (_tag, row) => {
      const x = values[row.tag]!;
      expect(x, `${row.tag} not computed`).toBeTypeOf('number');
      if (!matchesReference(x, row)) expect.fail(`${row.tag} = ${roundSignificant(x, 6)}, reference ${row.reference} ± ${row.tolerance}`);
    });
  });
}
