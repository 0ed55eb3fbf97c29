/** `habitat compliance ibsi1` on the digital phantom: the filled-in reference table and the exit code. */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { complianceCommand } from '../../src/cli/commands/compliance.js';
import { IBSI1 } from './reference.js';

describe('compliance ibsi1', () => {
  it('fills in the digital phantom table and reports 482/482', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'ibsi1-')), 'result.csv');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await complianceCommand(['ibsi1', '--data', IBSI1, '--out', out, '--only', 'digital_phantom']);
    const printed = log.mock.calls.map((c) => String(c[0])).join('\n');
    log.mockRestore();
    expect(code).toBe(0);
    expect(printed).toMatch(/digital_phantom\s+482\/482 pass/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('dataset,family,feature,consensus,reference value,tolerance,your result,difference,check,tag');
    expect(lines.length).toBe(1 + 487);
    expect(lines.filter((l) => l.includes(',pass,')).length).toBe(482);
    expect(lines.find((l) => l.endsWith(',morph_volume'))).toMatch(/,556\.333,0,pass,morph_volume$/);
  });

  it('rejects an unknown dataset', async () => {
    await expect(complianceCommand(['ibsi1', '--data', IBSI1, '--out', '/dev/null', '--only', 'config_Z'])).rejects.toThrow(/unknown dataset/);
  });
});
