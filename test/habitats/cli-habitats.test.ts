/** `habitat habitats` end to end on a small synthetic cohort written as NIfTI / NRRD files. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { habitatsCommand } from '../../src/cli/commands/habitats.js';
import { readVolume, writeVolume } from '../../src/core/node.js';
import { dicePerHabitat, syntheticCohort } from './synthetic-cohort.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'hw-habitats-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('habitat habitats (CLI)', () => {
  it('writes per-patient label maps, bic.json and habitat volumes; k set by --k', async () => {
    const pts = syntheticCohort({
      patients: 3,
      levels: [120, 220, 320],
      noiseSd: 12,
      bias: 0.05,
      gain: [0.9, 1.1],
      texture: 5,
      seed: 21,
      size: [32, 32, 16],
      spacing: [1, 1, 2],
    });
    const cohort = path.join(tmp, 'cohort');
    for (const p of pts) {
      await mkdir(path.join(cohort, p.id), { recursive: true });
      await writeVolume(p.images.T2!, path.join(cohort, p.id, 'T2.nii.gz'));
      await writeVolume(p.mask, path.join(cohort, p.id, p.id === 'P002' ? 'mask.nrrd' : 'mask.nii.gz'));
    }
    await mkdir(path.join(cohort, 'P004'), { recursive: true });
    await writeFile(path.join(cohort, 'P004', 'T2.nii.gz'), '');
    const out = path.join(tmp, 'out');
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let code: number;
    let log: string;
    try {
      code = await habitatsCommand([cohort, '--sequence', 'T2', '--k', '3', '--seed', '4', '--out', out]);
    } finally {
      log = err.mock.calls.map((c) => String(c[0])).join('');
      err.mockRestore();
    }
    expect(code).toBe(0);
    expect(log).toContain('patient P004: no mask');
    expect(log).toContain('habitats T2: wrote P003 (3/3)');
    const bic = JSON.parse(readFileSync(path.join(out, 'bic.json'), 'utf8'));
    expect(bic.T2.k).toBe(3);
    expect(bic.T2.kChosenBy).toBe('user');
    expect(bic.T2.bic.ks).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(bic.T2.bic.best).toBe(3);
    const volumes = JSON.parse(readFileSync(path.join(out, 'T2-habitat-volumes.json'), 'utf8'));
    expect(volumes.map((v: { id: string }) => v.id)).toEqual(['P001', 'P002', 'P003']);
    for (const p of pts) {
      const map = await readVolume(path.join(out, p.id, 'T2-habitats.nii.gz'));
      expect(map.size).toEqual(p.mask.size);
      const d = dicePerHabitat(map, p.truth, 3);
      expect(Math.min(...d)).toBeGreaterThan(0.9);
      const row = volumes.find((v: { id: string }) => v.id === p.id);
      let n1 = 0;
      map.data.forEach((h) => (n1 += h === 1 ? 1 : 0));
      expect(row.volumesMm3[0]).toBeCloseTo(n1 * 2, 6);
    }
  });

  it('chooses k by ICL on homogeneous voxels with --criterion icl --curve-voxels homogeneous', async () => {
    const out = path.join(tmp, 'out-icl');
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await habitatsCommand([path.join(tmp, 'cohort'), '--sequence', 'T2', '--criterion', 'icl', '--curve-voxels', 'homogeneous', '--normalisation', 'percentile', '--out', out]);
    } finally {
      err.mockRestore();
    }
    expect(code).toBe(0);
    const bic = JSON.parse(readFileSync(path.join(out, 'bic.json'), 'utf8'));
    expect(bic.T2.kChosenBy).toBe('icl');
    expect(bic.T2.k).toBe(3);
    expect(bic.T2.bic.bestIcl).toBe(3);
    expect(bic.T2.bic.voxels).toBe('homogeneous');
    expect(bic.T2.bic.icl).toHaveLength(8);
    await expect(habitatsCommand([path.join(tmp, 'cohort'), '--sequence', 'T2', '--criterion', 'aic', '--out', out])).rejects.toThrow(/--criterion must be bic or icl, got "aic"/);
  });

  it('fails in one line when the sequence is absent', async () => {
    await expect(habitatsCommand([path.join(tmp, 'cohort'), '--sequence', 'FLAIR', '--out', path.join(tmp, 'o2')])).rejects.toThrow(
      /no patient has a mask and FLAIR \(sequences found: T2\)/,
    );
  });
});
