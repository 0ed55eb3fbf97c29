/** `habitat compliance ibsi2`: writes the response maps it checks and exits 0 only when they pass. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { complianceIbsi2 } from '../../src/cli/commands/compliance-ibsi2.js';
import { readVolume } from '../../src/core/node.js';
import { compareResponseMaps } from '../../src/core/filters/ibsi2/phase1.js';
import { sharedPath } from '../shared-data.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'ibsi2-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('compliance ibsi2 command', () => {
  it('writes <out>/<test>.nii.gz for the selected tests and reports them as passing', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const code = await complianceIbsi2(['--data', sharedPath('ibsi', 'ibsi2'), '--out', out, '--phase', '1', '--only', '1_b_1,3_c_3']);
    const printed = log.mock.calls.map((c) => String(c[0])).join('\n');
    log.mockRestore();
    expect(code).toBe(0);
    expect(printed).toMatch(/1_b_1\s+impulse\s+pass/);
    expect(printed).toMatch(/phase 1: 2\/2/);
    for (const id of ['1_b_1', '3_c_3']) {
      const file = path.join(out, `${id}.nii.gz`);
      expect(existsSync(file)).toBe(true);
      // The written map (through NIfTI, RAS ↔ LPS) still matches the reference voxel for voxel.
      const [a, b] = await Promise.all([readVolume(file), readVolume(sharedPath('ibsi', 'ibsi2', 'reference_data', 'reference_response_maps', `${id}-ValidCRM.nii`))]);
      expect(compareResponseMaps(a.data, b.data).pass).toBe(true);
    }
  });

  it('rejects unknown test ids and missing options', async () => {
    await expect(complianceIbsi2(['--data', sharedPath('ibsi', 'ibsi2'), '--out', out, '--only', '11_z'])).rejects.toThrow(/unknown test id/);
    await expect(complianceIbsi2(['--out', out])).rejects.toThrow(/usage/);
  });
});
