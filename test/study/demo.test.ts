import { describe, it, expect } from 'vitest';
import {
  DEMO_SEQUENCES,
  DEMO_PLANTED,
  demoClinicalCsv,
  demoPatientProfile,
  demoPlantedHabitats,
  generateDemoPatient,
} from '../../src/demo/demo.js';

describe('demo cohort', () => {
  const p = generateDemoPatient(2, { seed: 7 });

  it('is a pure function of the seed and patient index', () => {
    const again = generateDemoPatient(2, { seed: 7 });
    for (const s of DEMO_SEQUENCES) expect(Buffer.from(again.series[s].data.buffer).equals(Buffer.from(p.series[s].data.buffer))).toBe(true);
    const other = generateDemoPatient(2, { seed: 8 });
    expect(Buffer.from(other.series.T2WI.data.buffer).equals(Buffer.from(p.series.T2WI.data.buffer))).toBe(false);
  });

  it('has anisotropic T2WI voxels and coarser contrast-enhanced grids', () => {
    expect(p.series.T2WI.spacing).toEqual([0.6, 0.6, 5]);
    expect(p.series['CE-T1WI'].spacing).toEqual([0.72, 0.72, 5]);
    expect(p.mask.size).toEqual(p.series.T2WI.size);
  });

  it('draws a VOI of a few cm³ inside the field of view, away from its borders', () => {
    const [nx, ny, nz] = p.mask.size;
    let n = 0;
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          if (!p.mask.data[i + nx * (j + ny * k)]) continue;
          n++;
          expect(i > 0 && j > 0 && i < nx - 1 && j < ny - 1).toBe(true);
        }
    const cm3 = (n * 0.6 * 0.6 * 5) / 1000;
    expect(cm3).toBeGreaterThan(2);
    expect(cm3).toBeLessThan(30);
  });

  it('plants subregions whose mean T2WI intensity rises with their number', () => {
    const planted = demoPlantedHabitats(2, 'T2WI', { seed: 7 });
    const sum = [0, 0, 0];
    const cnt = [0, 0, 0];
    for (let n = 0; n < planted.data.length; n++) {
      const h = planted.data[n];
      if (h && p.mask.data[n]) {
        sum[h]! += p.series.T2WI.data[n]!;
        cnt[h]!++;
      }
    }
    expect(cnt[1]).toBeGreaterThan(50);
    expect(cnt[2]).toBeGreaterThan(50);
    expect(sum[2]! / cnt[2]!).toBeGreaterThan(sum[1]! / cnt[1]! + 50);
    expect(DEMO_PLANTED['FSCE-T1WI'].k).toBe(4);
  });

  it('has an outcome prevalence near the paper’s (~24 %) that depends on the imaging phenotype', () => {
    const profiles = Array.from({ length: 400 }, (_, i) => demoPatientProfile(i, { seed: 11 }));
    const prev = profiles.filter((q) => q.clinical.residual === 1).length / profiles.length;
    expect(prev).toBeGreaterThan(0.15);
    expect(prev).toBeLessThan(0.35);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const pos = mean(profiles.filter((q) => q.clinical.residual === 1).map((q) => q.phenotype));
    const neg = mean(profiles.filter((q) => q.clinical.residual === 0).map((q) => q.phenotype));
    expect(pos - neg).toBeGreaterThan(0.8);
  });

  it('writes a clinical table with one row per patient and a binary outcome', () => {
    const csv = demoClinicalCsv({ patients: 25, seed: 3 }).trim().split('\n');
    expect(csv).toHaveLength(26);
    const header = csv[0]!.split(',');
    expect(header[0]).toBe('id');
    const out = header.indexOf('residual');
    for (const line of csv.slice(1)) expect(['0', '1']).toContain(line.split(',')[out]);
  });
});
