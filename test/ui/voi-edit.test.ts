/** What the study reads after a VOI correction, and when editing is refused. */
import { describe, it, expect } from 'vitest';
import { drawBlocker, editBlocker, editedVoiSpec, originalMaskKey } from '../../src/ui/viewer/voi-edit.js';
import { observerVoi } from '../../src/ui/store.js';
import type { LoadedSeries, Patient, SeriesItem } from '../../src/ui/store.js';
import type { VolumeSummary } from '../../workers/image-reader-api.js';

const file = (name: string, text: string, lastModified = 1000) => new File([text], name, { lastModified });
const maskItem: SeriesItem = { key: 'k1', name: 'mask', label: 'c/P001/mask.nii.gz', role: 'mask', source: { kind: 'files', files: [file('mask.nii.gz', 'abc')] } };
const edited = file('P001-mask-edited.nii.gz', 'edited');
const patient = (voi: boolean): Patient => ({
  id: 'P001',
  inLayout: true,
  series: [],
  masks: [maskItem],
  voiEdit: voi
    ? {
        item: { key: 'voi-edit:P001:ff', name: 'mask', label: 'P001/mask-edited.nii.gz', role: 'mask', source: { kind: 'files', files: [edited] } },
        fingerprint: 'ff',
        voxels: 12,
        originalVoxels: 10,
        savedAt: '2026-11-27T10:00:00Z',
      }
    : undefined,
});

function loaded(label: string, patch: Partial<VolumeSummary> = {}): LoadedSeries {
  const summary: VolumeSummary = {
    size: [4, 5, 6],
    spacing: [0.8, 0.8, 3],
    origin: [1, 2, 3],
    direction: [0, 0, -1, 1, 0, 0, 0, -1, 0],
    voxelType: 'uint8',
    format: 'nifti',
    range: [0, 1],
    nonzeroVoxels: 3,
    nonzeroVolumeMl: 0.01,
    ...patch,
  };
  return { key: label, name: label, label, nifti: new ArrayBuffer(0), summary };
}

describe('VOI correction and the study', () => {
  it('the study worker gets the edited file, or nothing (the original mask) when there is no edit', () => {
    expect(editedVoiSpec(patient(false))).toBeUndefined();
    const spec = editedVoiSpec(patient(true));
    expect(spec?.label).toBe('P001/mask-edited.nii.gz');
    expect(spec?.files[0]).toBe(edited);
    expect(spec?.fingerprint).toBe('ff');
  });

  it('saved edits are found again by the original mask (path, size, date), not by the edit', () => {
    expect(originalMaskKey(patient(true))).toBe('files:c/P001/mask.nii.gz:3:1000');
    expect(originalMaskKey(patient(false))).toBe(originalMaskKey(patient(true)));
    const demo: Patient = { id: 'P007', inLayout: true, series: [], masks: [{ ...maskItem, source: { kind: 'demo', patientIndex: 6, series: 'mask', patients: 60, seed: 2025 } }] };
    expect(originalMaskKey(demo)).toBe('demo:2025:60:6');
  });

  it('editing needs the VOI on the grid of the displayed series', () => {
    expect(editBlocker(loaded('T2WI'), loaded('mask'))).toBeNull();
    expect(editBlocker(loaded('T2WI'), loaded('mask', { origin: [1, 2, 3 + 1e-7] }))).toBeNull();
    expect(editBlocker(loaded('CE-T1WI', { spacing: [0.72, 0.72, 3] }), loaded('mask'))).toBe(
      'mask is not on the grid of CE-T1WI: select the series the VOI was drawn on to edit it',
    );
    expect(editBlocker(loaded('T2WI'), null)).toBe('This series has no VOI to edit');
  });

  it('observer 1 sees the corrected or first VOI, observer 2 only mask2; a drawn first VOI does not count as the original mask', () => {
    const mask2: SeriesItem = { ...maskItem, key: 'k2', name: 'mask2', label: 'c/P001/mask2.nii.gz' };
    const both: Patient = { ...patient(true), masks: [maskItem, mask2] };
    expect(observerVoi(both, 1)?.key).toBe('voi-edit:P001:ff');
    expect(observerVoi({ ...both, voiEdit: undefined }, 1)).toBe(maskItem);
    expect(observerVoi(both, 2)).toBe(mask2);
    expect(observerVoi(patient(false), 2)).toBeUndefined();
    const onlySecond: Patient = { ...patient(false), masks: [mask2] };
    expect(observerVoi(onlySecond, 1)).toBeUndefined();
    const drawn: Patient = { ...patient(false), masks: [{ ...maskItem, key: 'voi-drawn:P001:mask:aa' }] };
    expect(originalMaskKey(drawn)).toBeNull();
  });

  it('drawing needs an image series; with a VOI shown, on its grid', () => {
    const t2: SeriesItem = { key: 'T2WI', name: 'T2WI', label: 'T2WI', role: 'image', source: { kind: 'files', files: [] } };
    const p: Patient = { ...patient(false), series: [t2] };
    expect(drawBlocker(loaded('T2WI'), null, 'T2WI', p)).toBeNull();
    expect(drawBlocker(loaded('T2WI'), loaded('mask'), 'T2WI', p)).toBeNull();
    expect(drawBlocker(loaded('mask'), null, 'k1', p)).toBe('Select an image series to draw on');
    expect(drawBlocker(null, null, null, p)).toBe('Select a series first');
    expect(drawBlocker(loaded('T2WI', { spacing: [0.72, 0.72, 3] }), loaded('mask'), 'T2WI', p)).toMatch(/is not on the grid of T2WI/);
  });
});
