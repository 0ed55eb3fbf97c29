import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readVolume, type Volume } from '../../src/core/node.js';
import { listFilesRecursive } from '../../src/core/cohort/cohort-node.js';
import { scanDicomFile, type DicomFileInfo, type UnreadableFile } from '../../src/core/image/dicom-scan.js';
import { groupSeries, seriesVolume, sliceNormal, type SeriesSummary } from '../../src/core/import/series.js';
import { defaultImportRules, mapSeries } from '../../src/core/import/rules.js';
import { findRois, parseRtStruct, rasterizeRoi } from '../../src/core/import/rtstruct.js';
import { EXPORT, FIXTURE, manifest, compareOnPhysicalGrid, diceOnPhysicalGrid } from './export-fixture.js';

let infos: DicomFileInfo[] = [];
let bad: UnreadableFile[] = [];
let series: SeriesSummary[] = [];
const bytesOf = (f: DicomFileInfo) => new Uint8Array(readFileSync(f.path));

beforeAll(async () => {
  for (const f of await listFilesRecursive(EXPORT)) {
    const r = scanDicomFile(f, new Uint8Array(readFileSync(f)));
    if ('problem' in r) bad.push(r);
    else infos.push(r);
  }
  series = groupSeries(infos);
});

describe('header scan of a PACS-style export (pydicom wrote it)', () => {
  it('finds every file and says why the unusable ones are', () => {
    expect(bad.map((b) => [path.basename(b.path), b.problem.split(' (')[0]]).sort()).toEqual([
      ['IM999999', 'unreadable DICOM'],
      ['README.TXT', 'not a DICOM file'],
    ]);
    const kinds = infos.reduce<Record<string, number>>((a, f) => ((a[f.kind] = (a[f.kind] ?? 0) + 1), a), {});
    expect(kinds.rtstruct).toBe(6); // 4 patients, patient 2 two observers' files, patient 4 a CT structure set
    expect(kinds.other).toBe(6); // 4 RT plans, an SR, a secondary capture
  });

  it('groups the interleaved files into the series the script wrote', () => {
    const m = manifest();
    for (const p of m.patients) {
      const mine = series.filter((s) => s.patientId === p.PatientID).map((s) => s.description).sort();
      expect(mine).toEqual(Object.values(p.series).sort());
    }
    const t2 = series.find((s) => s.description === 't2_tse_tra')!;
    expect(t2.matrix).toEqual([32, 28, 12]);
    expect(t2.spacing).toEqual([0.85, 0.9, 3.3]);
    expect(t2.orientation).toBe('axial');
    const loc = series.find((s) => s.description === 'AAHead_Scout')!;
    expect(loc.orientation).toBe('mixed');
    expect(loc.notAVolume).toBe('slices in several orientations');
    const cor = series.find((s) => s.description === 't1_tse_fs_cor_post')!;
    expect([cor.orientation, cor.fatSat, cor.contrast]).toEqual(['coronal', true, true]);
  });

  it('suggests T2WI, CE-T1WI and FSCE-T1WI as the script meant, and reports patient 4 instead of guessing', () => {
    const maps = mapSeries(series, defaultImportRules());
    const m = manifest();
    for (const p of m.patients) {
      const pm = maps.find((x) => x.patientId === p.PatientID)!;
      const byKey = new Map(series.map((s) => [s.key, s.description]));
      const got = Object.fromEntries(Object.entries(pm.chosen).map(([q, k]) => [q, byKey.get(k)]));
      const want = Object.fromEntries(Object.entries(p.series).filter(([role]) => ['T2WI', 'CE-T1WI', 'FSCE-T1WI'].includes(role)).map(([r, d]) => [r, d]));
      if (p.series['T2WI-repeat']) {
        expect(pm.problems).toHaveLength(2);
        expect(pm.problems[0]).toMatch(/^T2WI ambiguous: series 3 "[^"]+", series 4 "[^"]+_repeat"/);
        expect(pm.problems[1]).toMatch(/^FSCE-T1WI missing/);
        expect(got).toEqual({ 'CE-T1WI': want['CE-T1WI'] });
      } else {
        expect(pm.problems).toEqual([]);
        expect(got).toEqual(want);
      }
      const why = new Map(pm.series.map((c) => [byKey.get(c.key), c.why]));
      expect(why.get(p.series.localizer)).toBe('localizer');
      expect(why.get(p.series.DWI)).toBe('diffusion');
      expect(why.get(p.series.coronal)).toMatch(/^coronal repeat of FSCE-T1WI/);
    }
  });

  it('a rules file entry resolves the ambiguous patient', async () => {
    const { parseImportRules } = await import('../../src/core/import/rules.js');
    const rules = parseImportRules('patients: { NPC1148: { T2WI: 4, FSCE-T1WI: null } }');
    const pm = mapSeries(series, rules).find((x) => x.patientId === 'NPC1148')!;
    expect(pm.chosen.T2WI).toBe('NPC1148/1/4');
    expect(pm.problems).toEqual(['FSCE-T1WI: set to none in the rules file']);
  });
});

describe('header values that do not fit are one line', () => {
  it('an ImageOrientationPatient without six values', () => {
    const s0 = series.find((s) => s.description === 't2_tse_tra')!.files[0].slice!;
    expect(sliceNormal(s0).map((x) => Math.round(Math.abs(x)))).toEqual([0, 0, 1]); // axial
    expect(() => sliceNormal({ ...s0, orientation: s0.orientation.slice(0, 5) })).toThrow(/^ImageOrientationPatient has 5 values, expected 6$/);
  });
  it('pixel data of fewer files than the series has slices', () => {
    const t2 = series.find((s) => s.description === 't2_tse_tra')!;
    expect(() => seriesVolume(t2, t2.files.slice(1).map(bytesOf))).toThrow(/: 11 files read for 12 slices$/);
  });
});

describe('volumes equal what dcm2niix makes of the same series', () => {
  const roles = ['T2WI', 'CE-T1WI', 'FSCE-T1WI', 'coronal', 'T2WI-repeat'];
  it.each(manifest().patients.map((p) => [p.PatientID, p] as const))('%s', async (_id, p) => {
    let compared = 0;
    for (const role of roles) {
      const desc = p.series[role];
      if (!desc) continue;
      const s = series.find((x) => x.patientId === p.PatientID && x.description === desc)!;
      const mine = seriesVolume(s, s.files.map(bytesOf));
      const ref = await readVolume(path.join(FIXTURE, 'ref', p.PatientID, `${role}.nii.gz`));
      expect(mine.size.slice().sort()).toEqual(ref.size.slice().sort());
      const { mismatched, offGrid } = compareOnPhysicalGrid(mine, ref);
      expect([role, offGrid, mismatched]).toEqual([role, 0, 0]);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });
});

describe('RTSTRUCT rasterisation agrees with plastimatch', () => {
  it.each(manifest().patients.map((p) => [p.PatientID] as const))('%s: Dice ≥ 0.98 for both observers\' GTVs and the unrelated ROI', async (id) => {
    const t2 = series.find((x) => x.patientId === id && /t2/i.test(x.description) && !/repeat/.test(x.description))!;
    const grid: Volume = seriesVolume(t2, t2.files.map(bytesOf));
    const rois = infos.filter((f) => f.kind === 'rtstruct' && f.patientId === id).flatMap((f) => parseRtStruct(f.path, bytesOf(f)).rois);
    for (const name of ['GTVnx', 'GTVnx_R2', 'Brainstem']) {
      const [roi] = findRois(rois, name);
      const { mask } = rasterizeRoi(roi!, grid);
      const ref = await readVolume(path.join(FIXTURE, 'ref', id, 'plastimatch', `${name}.nii.gz`));
      const d = diceOnPhysicalGrid(mask, ref);
      expect(d, `${id} ${name}`).toBeGreaterThanOrEqual(0.98);
    }
  });
});
