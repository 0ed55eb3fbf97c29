/**
 * VOIs from DICOM SEG and from ITK-SNAP / 3D Slicer label maps
 * (scripts/fixtures/import_vois.py): the masks written by `habitat import`
 * equal, voxel for voxel on the physical grid, the masks the fixture script
 * painted and wrote with nibabel.
 */
import { describe, it, expect, beforeAll, vi } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readVolume, type Volume } from '../../src/core/node.js';
import { importCommand } from '../../src/cli/commands/import.js';
import { labelToMask, onSameLattice, slicerSegmentNames } from '../../src/core/import/labelmap.js';
import { resampleToGrid } from '../../src/core/image/resample.js';
import type { ImportJson } from '../../src/core/import/import-node.js';
import { EXPORT, FIXTURE, compareOnPhysicalGrid } from './export-fixture.js';

const VOIS = path.join(FIXTURE, 'vois');
const tmp = mkdtempSync(path.join(tmpdir(), 'hw-vois-'));

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return { code: await importCommand(argv), lines };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

const leftOut = (lines: string[]) => lines.filter((l) => l.startsWith('left out:'));
const T2_ONLY = 'sequences: [T2WI]\nsequence:\n  - { name: T2WI, weighting: T2, contrast: false }\npatients: { NPC1148: { T2WI: 3 } }\n';

describe('DICOM SEG as the VOI', () => {
  const exp = path.join(tmp, 'export-seg');
  const out = path.join(tmp, 'cohort-seg');
  let r: { code: number; lines: string[] };
  beforeAll(async () => {
    cpSync(EXPORT, exp, { recursive: true });
    cpSync(path.join(VOIS, 'seg'), path.join(exp, 'SEG'), { recursive: true });
    const rules = path.join(tmp, 't2.yaml');
    writeFileSync(rules, T2_ONLY);
    // the segment by label for mask, by number for mask2
    r = await run([exp, '--out', out, '--map', rules, '--voi', 'GTV_seg', '--voi2', '2']);
  }, 300_000);

  it('places the segments on the T2WI grid exactly as painted (frames in any order, only the slices they cover)', async () => {
    const json: ImportJson = JSON.parse(readFileSync(path.join(out, 'import.json'), 'utf8'));
    const p = json.patients.find((x) => x.id === 'NPC1037')!;
    expect(p.imported).toBe(true);
    expect(p.vois.map((v) => [v.as, v.roi, v.from])).toEqual([
      ['mask', 'GTV_seg', 'SEG, on the reference grid voxel for voxel'],
      ['mask2', 'Node_seg', 'SEG, on the reference grid voxel for voxel'],
    ]);
    for (const [file, ref] of [['mask', 'GTV_seg'], ['mask2', 'Node_seg']]) {
      const mine = await readVolume(path.join(out, 'NPC1037', `${file}.nii.gz`));
      const truth = await readVolume(path.join(VOIS, 'ref', 'NPC1037', `${ref}.nii.gz`));
      expect(compareOnPhysicalGrid(mine, truth)).toEqual({ mismatched: 0, offGrid: 0 });
      expect(Array.from(mine.data).filter((x) => x).length).toBe(Array.from(truth.data).filter((x) => x).length);
      expect(Array.from(mine.data).some((x) => x)).toBe(true);
    }
  });

  it('a SEG on a frame of reference that is not in the export, and a patient without one, are one line each', () => {
    expect(r.code).toBe(1);
    expect(leftOut(r.lines)).toEqual([
      'left out: NPC1074: mask: segment 1 GTV_seg is on another frame of reference than the images, drawn on a series that is not in the export; register it first or export the images it was drawn on',
      'left out: NPC1074: mask2: no ROI, segment or label matches "2" (ROIs: Brainstem, GTVnx, GTVnx_R2; SEG segments: 1 GTV_seg)',
      'left out: NPC1111: mask: no ROI matches "GTV_seg" (ROIs: Brainstem, GTVnx, GTVnx_R2)',
      'left out: NPC1111: mask2: no ROI matches "2" (ROIs: Brainstem, GTVnx, GTVnx_R2)',
      'left out: NPC1148: mask: no ROI matches "GTV_seg" (ROIs: Brainstem, GTVnx, GTVnx_R2, GTVp_CT)',
      'left out: NPC1148: mask2: no ROI matches "2" (ROIs: Brainstem, GTVnx, GTVnx_R2, GTVp_CT)',
    ]);
  });
});

describe('label maps (ITK-SNAP NIfTI, Slicer .seg.nrrd) as the VOI', () => {
  it('picks the label by number or by Slicer name; a label map on another grid is one line naming the file', async () => {
    const rules = path.join(tmp, 't2b.yaml');
    writeFileSync(rules, T2_ONLY);
    const labels = path.join(VOIS, 'labels');
    const out1 = path.join(tmp, 'cohort-lab1');
    const r1 = await run([EXPORT, '--out', out1, '--map', rules, '--labels', labels, '--voi', '1', '--voi2', '2']);
    expect(leftOut(r1.lines)).toEqual([
      `left out: NPC1111: mask: ${path.join(labels, 'NPC1111.nii.gz')}: the label map is not on the grid of the reference series (size 20×20×28 vs 32×28×12); save it on the series it was drawn on`,
      `left out: NPC1111: mask2: no ROI, segment or label matches "2" (ROIs: Brainstem, GTVnx, GTVnx_R2; labels: 1)`,
      'left out: NPC1148: mask: no ROI matches "1" (ROIs: Brainstem, GTVnx, GTVnx_R2, GTVp_CT)',
      'left out: NPC1148: mask2: no ROI matches "2" (ROIs: Brainstem, GTVnx, GTVnx_R2, GTVp_CT)',
    ]);
    const pairs: [string, string, string][] = [
      ['NPC1037', 'mask', 'GTV_seg'],
      ['NPC1037', 'mask2', 'Node_seg'],
      ['NPC1074', 'mask', 'GTV_label'],
      ['NPC1074', 'mask2', 'Node_label'],
    ];
    // ITK-SNAP's map of NPC1037 holds the SEG's two masks as labels 1 and 2
    for (const [id, file, ref] of pairs) {
      const mine = await readVolume(path.join(out1, id, `${file}.nii.gz`));
      const truth = await readVolume(path.join(VOIS, 'ref', id, `${ref}.nii.gz`));
      expect([id, file, compareOnPhysicalGrid(mine, truth)]).toEqual([id, file, { mismatched: 0, offGrid: 0 }]);
    }
    // by the names in the Slicer header
    const out2 = path.join(tmp, 'cohort-lab2');
    await run([EXPORT, '--out', out2, '--map', rules, '--labels', labels, '--voi', 'Node_label']);
    const json: ImportJson = JSON.parse(readFileSync(path.join(out2, 'import.json'), 'utf8'));
    expect(json.patients.find((p) => p.id === 'NPC1074')!.vois.map((v) => [v.roi, v.structureSet, v.from])).toEqual([['Node_label', 'label map', 'label map']]);
    const mine = await readVolume(path.join(out2, 'NPC1074', 'mask.nii.gz'));
    const truth = await readVolume(path.join(VOIS, 'ref', 'NPC1074', 'Node_label.nii.gz'));
    expect(compareOnPhysicalGrid(mine, truth)).toEqual({ mismatched: 0, offGrid: 0 });
  }, 300_000);

  it('reads the Slicer segment names from the NRRD header', () => {
    const names = slicerSegmentNames(new Uint8Array(readFileSync(path.join(VOIS, 'labels', 'NPC1074.seg.nrrd'))));
    expect(names).toEqual({ segments: [{ number: 1, name: 'GTV_label' }, { number: 2, name: 'Node_label' }], layers: 1 });
  });
});

describe('labelToMask off the lattice', () => {
  it('resamples by nearest neighbour as the ITK-checked resampler does', () => {
    const labels: Volume = { size: [9, 8, 7], spacing: [1.1, 0.9, 2.0], origin: [-3, -2.5, 1], direction: Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]), data: new Uint8Array(9 * 8 * 7) };
    for (let n = 0; n < labels.data.length; n++) labels.data[n] = (n * 7919) % 5 === 0 ? 3 : n % 3;
    const grid = { size: [12, 10, 9] as [number, number, number], spacing: [0.8, 0.75, 1.5] as [number, number, number], origin: [-3.3, -2.2, 0.4] as [number, number, number], direction: Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]) };
    expect(onSameLattice(labels, grid)).toBe(false);
    const binary: Volume = { ...labels, data: Uint8Array.from(labels.data, (x) => (x === 3 ? 1 : 0)) };
    const ref = resampleToGrid(binary, grid, { interpolator: 'nearest' });
    const p = labelToMask(labels, 3, grid, 'test', true);
    expect(p.how).toBe('nearest');
    expect(Array.from(p.mask.data)).toEqual(Array.from(ref.data));
    expect(() => labelToMask(labels, 3, grid, 'x.nii.gz', false)).toThrow(/^x\.nii\.gz: not on the grid of the reference series/);
  });
});

describe('enhanced (multi-frame) MR', () => {
  it('is refused in one line naming the file, in an export and when read as an image', async () => {
    const exp = path.join(tmp, 'export-enh');
    cpSync(EXPORT, exp, { recursive: true });
    cpSync(path.join(VOIS, 'enhanced', 'NPC1037.dcm'), path.join(exp, 'ENH', 'IM000001'));
    const rules = path.join(tmp, 't2c.yaml');
    writeFileSync(rules, T2_ONLY);
    const r = await run([exp, '--out', path.join(tmp, 'cohort-enh'), '--map', rules, '--voi', 'GTVnx']);
    const why = 'enhanced (multi-frame) MR image, 12 frames "t2_tse_tra_enhanced": not supported yet; export the series as classic single-frame MR images';
    expect(r.lines.filter((l) => l.includes('ENH/'))).toEqual([`not an image series: ENH/IM000001 (NPC1037): ${why}`]);
    expect(leftOut(r.lines)).toEqual([]); // NPC1037's classic T2WI is imported as before
    const file = path.join(VOIS, 'enhanced', 'NPC1037.dcm');
    await expect(readVolume(file)).rejects.toThrow(`${file}: ${why}`);
  }, 300_000);
});
