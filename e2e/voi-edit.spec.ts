/**
 * VOI correction in the viewer, on a cohort written by the test whose grid is
 * neither RAS nor LPS ordered (file axes along P, I, R; 0.8 × 3 × 0.9 mm) and
 * whose VOI is asymmetric along every axis, so any flip or transposition in the
 * drawing ↔ mask conversion shows up as changed voxels.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, readout } from './fixtures.js';
import { createVolume, type Vec3, type Volume } from '../src/core/image/volume.js';
import { writeNiftiBytes } from '../src/core/image/nifti-write.js';
import { readVolume } from '../src/core/node.js';

/** Screenshots for people (kept out of test-results/, which every Playwright run clears). */
const SHOTS = path.join(tmpdir(), 'hw-e2e-screenshots');
mkdirSync(SHOTS, { recursive: true });

const SIZE: Vec3 = [40, 12, 36];
const GEOMETRY = {
  spacing: [0.8, 3, 0.9] as Vec3,
  origin: [14, -20, 9] as Vec3,
  // Row-major LPS direction cosines: axis i → P, axis j → I, axis k → R (a proper rotation).
  direction: [0, 0, -1, 1, 0, 0, 0, -1, 0],
};
const at = (i: number, j: number, k: number) => i + SIZE[0] * (j + SIZE[1] * k);

function fixtureMask(): Uint8Array {
  const m = new Uint8Array(SIZE[0] * SIZE[1] * SIZE[2]);
  for (let k = 0; k < SIZE[2]; k++)
    for (let j = 0; j < SIZE[1]; j++)
      for (let i = 0; i < SIZE[0]; i++) {
        const blob = ((i - 20) * 0.8) ** 2 + ((k - 18) * 0.9) ** 2 < 36 && j >= 4 && j <= 8;
        // An arm towards +i, +k on two slices only: no mirror image of the VOI equals the VOI.
        const arm = i >= 26 && i <= 33 && k >= 24 && k <= 27 && (j === 6 || j === 7);
        if (blob || arm) m[at(i, j, k)] = 1;
      }
  return m;
}

function writeCohort(): { cohort: string; mask: Uint8Array } {
  const root = mkdtempSync(path.join(tmpdir(), 'hw-voi-'));
  const cohort = path.join(root, 'cohort');
  mkdirSync(path.join(cohort, 'P001'), { recursive: true });
  const n = SIZE[0] * SIZE[1] * SIZE[2];
  const mask = fixtureMask();
  const image = Float32Array.from({ length: n }, (_, v) => 200 + 40 * Math.sin(v / 97) + 300 * mask[v]!);
  writeFileSync(path.join(cohort, 'P001', 'T2WI.nii.gz'), writeNiftiBytes(createVolume(SIZE, { ...GEOMETRY, data: image }), { gzip: true }));
  writeFileSync(path.join(cohort, 'P001', 'mask.nii.gz'), writeNiftiBytes(createVolume(SIZE, { ...GEOMETRY, data: mask }), { gzip: true }));
  return { cohort, mask };
}

const count = (d: ArrayLike<number>) => Array.from(d).filter((x) => x !== 0).length;

async function downloadVoi(page: Page, dir: string): Promise<Volume> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download VOI' }).click()]);
  const file = path.join(dir, `${Date.now()}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return readVolume(file);
}

async function voiVoxels(page: Page): Promise<number> {
  const text = await page.getByTestId('voi-size').innerText();
  const m = /(\d+) voxels/.exec(text);
  if (!m) throw new Error(`no voxel count in "${text}"`);
  return Number(m[1]);
}

/** A left-button drag across the axial slice, from and to fractions of the canvas height around its centre. */
async function stroke(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const box = await page.getByTestId('viewer-canvas').boundingBox();
  if (!box) throw new Error('viewer canvas has no box');
  const p = (f: [number, number]) => [box.x + box.width / 2 + f[0] * box.height, box.y + box.height / 2 + f[1] * box.height] as const;
  const [x0, y0] = p(from);
  const [x1, y1] = p(to);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(x1, y1, { steps: 12 });
  await page.mouse.up();
}

test('VOI correction: unedited save keeps the mask exactly, a pen stroke adds voxels where drawn, it survives a reload', async ({ page }) => {
  const { cohort, mask } = writeCohort();
  const out = mkdtempSync(path.join(tmpdir(), 'hw-voi-dl-'));
  const original = count(mask);
  await page.goto('/');
  await page.getByRole('button', { name: 'Axial' }).click();
  await page.getByTestId('folder-input').setInputFiles(cohort);
  await expect(page.getByTestId('series-info')).toContainText('40×12×36');
  await expect.poll(() => voiVoxels(page)).toBe(original);

  await test.step('edit mode, save without edits: the same voxels, not marked edited', async () => {
    await page.getByRole('button', { name: 'Edit VOI' }).click();
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Drag on a slice to draw');
    await page.getByRole('button', { name: 'Save VOI' }).click();
    await expect(page.getByRole('status').filter({ hasText: `P001: VOI unchanged (${original} voxels)` })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Edit VOI' })).toBeEnabled();
    await expect(page.getByTestId('voi-edited')).toHaveCount(0);
    const v = await downloadVoi(page, out);
    expect(Array.from(v.size)).toEqual(SIZE);
    expect(Array.from(v.data)).toEqual(Array.from(mask));
  });

  await test.step('a stroke then Undo: nothing to save', async () => {
    await page.getByRole('button', { name: 'Edit VOI' }).click();
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Drag on a slice to draw');
    await stroke(page, [-0.35, -0.3], [-0.1, -0.3]);
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Unsaved changes');
    // Leaving with unsaved edits asks first; refusing keeps them.
    const asked = page.waitForEvent('dialog').then(async (d) => {
      const text = d.message();
      await d.dismiss();
      return text;
    });
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await asked).toBe('Discard the unsaved VOI edits of P001?');
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Unsaved changes');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Drag on a slice to draw');
    await page.getByRole('button', { name: 'Save VOI' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'P001: VOI unchanged' })).toBeVisible();
  });

  let edited: Volume;
  await test.step('a pen stroke adds voxels on one slice, where the pointer went', async () => {
    await page.getByRole('button', { name: 'Edit VOI' }).click();
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Drag on a slice to draw');
    await expect(page.getByTestId('voi-drawn')).toHaveText(`${original} voxels`);
    await stroke(page, [-0.35, -0.3], [-0.1, -0.3]);
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Unsaved changes');
    const drawn = Number((await page.getByTestId('voi-drawn').innerText()).split(' ')[0]);
    expect(drawn).toBeGreaterThan(original);
    await page.screenshot({ path: path.join(SHOTS, 'voi-edit-stroke.png') });
    // The readout follows the pen: the file voxel under the end of the stroke.
    const end = (await readout(page)).voxel;
    await page.getByRole('button', { name: 'Save VOI' }).click();
    await expect(page.getByRole('status').filter({ hasText: /P001: VOI saved \(\d+ → \d+ voxels\)/ })).toBeVisible();
    await expect(page.getByTestId('voi-edited')).toBeVisible();
    await expect(page.getByRole('button', { name: /^P001.*VOI edited/ })).toBeVisible();

    edited = await downloadVoi(page, out);
    expect(Array.from(edited.size)).toEqual(SIZE);
    expect(Array.from(edited.spacing).map((x) => +x.toFixed(5))).toEqual(GEOMETRY.spacing);
    expect(Array.from(edited.direction).map((x) => Math.round(x))).toEqual(GEOMETRY.direction);
    const added: number[][] = [];
    for (let n = 0; n < mask.length; n++) {
      if (edited.data[n] === mask[n]) continue;
      // A pen only adds label 1, outside the original VOI.
      expect([mask[n], edited.data[n]]).toEqual([0, 1]);
      added.push([n % SIZE[0], Math.floor(n / SIZE[0]) % SIZE[1], Math.floor(n / (SIZE[0] * SIZE[1]))]);
    }
    expect(added.length).toBeGreaterThan(10);
    // An axial stroke stays on one axial slice: file axis j (inferior) here.
    expect(new Set(added.map((v) => v[1])).size).toBe(1);
    expect(edited.data[at(end[0]!, end[1]!, end[2]!)]).toBe(1);
    expect(mask[at(end[0]!, end[1]!, end[2]!)]).toBe(0);
    // The status bar reports the saved VOI, which is the one the viewer now shows.
    await expect.poll(() => voiVoxels(page)).toBe(original + added.length);
    // What the drawing showed is what was saved.
    expect(drawn).toBe(original + added.length);
    await expect(page.getByTestId('voi-size')).toContainText('(edited)');
  });

  await test.step('after a reload, opening the same cohort brings the edit back', async () => {
    await page.reload();
    await page.getByRole('button', { name: 'Axial' }).click();
    await page.getByTestId('folder-input').setInputFiles(cohort);
    await expect(page.getByRole('status').filter({ hasText: 'Edited VOI of P001 restored from the last session' })).toBeVisible();
    await expect(page.getByTestId('voi-edited')).toBeVisible();
    await expect.poll(() => voiVoxels(page)).toBe(count(edited.data));
    const again = await downloadVoi(page, out);
    expect(Array.from(again.data)).toEqual(Array.from(edited.data));
  });

  await test.step('Revert goes back to the original mask', async () => {
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revert VOI' }).click();
    await expect(page.getByTestId('voi-edited')).toHaveCount(0);
    await expect.poll(() => voiVoxels(page)).toBe(original);
  });
});

test('the study reads the corrected VOI: a VOI erased in the viewer is the one the study workers reject', async ({ page }) => {
  // One patient with the three sequences of the default settings, a 13-voxel VOI on the middle axial slice (k = 5 of 11).
  const root = mkdtempSync(path.join(tmpdir(), 'hw-voi-study-'));
  const cohort = path.join(root, 'cohort');
  mkdirSync(path.join(cohort, 'P001'), { recursive: true });
  const size: Vec3 = [32, 32, 11];
  const geometry = { spacing: [1, 1, 3] as Vec3, origin: [-16, -16, -15] as Vec3 };
  const n = size[0] * size[1] * size[2];
  const mask = new Uint8Array(n);
  for (let j = 0; j < size[1]; j++) for (let i = 0; i < size[0]; i++) if ((i - 16) ** 2 + (j - 16) ** 2 <= 4) mask[i + size[0] * (j + size[1] * 5)] = 1;
  const image = Float32Array.from({ length: n }, (_, v) => 100 + (v % 37) + 200 * mask[v]!);
  for (const seq of ['T2WI', 'CE-T1WI', 'FSCE-T1WI']) {
    writeFileSync(path.join(cohort, 'P001', `${seq}.nii.gz`), writeNiftiBytes(createVolume(size, { ...geometry, data: image }), { gzip: true }));
  }
  writeFileSync(path.join(cohort, 'P001', 'mask.nii.gz'), writeNiftiBytes(createVolume(size, { ...geometry, data: mask }), { gzip: true }));
  writeFileSync(path.join(root, 'clinical.csv'), 'id,outcome\nP001,1\nP002,0\n');

  await page.goto('/');
  await page.getByRole('button', { name: 'Axial' }).click();
  await page.getByTestId('folder-input').setInputFiles(cohort);
  await expect.poll(() => voiVoxels(page)).toBe(count(mask));
  await page.getByRole('button', { name: 'Edit VOI' }).click();
  await expect(page.getByTestId('voi-edit-state')).toHaveText('Drag on a slice to draw');
  await page.getByRole('button', { name: 'Erase', exact: true }).click();
  await page.getByLabel('Pen size (voxels)').selectOption('15');
  await stroke(page, [-0.1, 0], [0.1, 0]);
  await expect(page.getByTestId('voi-edit-state')).toHaveText('Unsaved changes');
  await page.getByRole('button', { name: 'Save VOI' }).click();
  await expect(page.getByRole('status').filter({ hasText: `P001: VOI saved (${count(mask)} → 0 voxels)` })).toBeVisible();

  await page.getByRole('tab', { name: 'Study' }).click();
  await page.getByLabel('Clinical CSV').setInputFiles(path.join(root, 'clinical.csv'));
  await page.getByRole('button', { name: 'Run study' }).click();
  // The original VOI (13 voxels) is valid: only the edited file, read by the study worker, is empty.
  await expect(page.getByRole('alert').filter({ hasText: 'Study failed' })).toContainText('P001/mask-edited.nii.gz: the VOI is empty (no voxel has label 1)');
});

test('demo cohort: the VOI opens on its own grid (T2WI) and an unedited save keeps it; on another grid editing is refused', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Axial' }).click();
  await page.getByRole('button', { name: 'Load demo cohort' }).click();
  await expect(page.getByTestId('series-info')).toContainText('96×96×14');
  const before = await voiVoxels(page);
  expect(before).toBeGreaterThan(50);
  await page.getByRole('button', { name: 'Edit VOI' }).click();
  await expect(page.getByTestId('voi-edit-state')).toHaveText('Drag on a slice to draw');
  await page.getByRole('button', { name: 'Save VOI' }).click();
  await expect(page.getByRole('status').filter({ hasText: `P001: VOI unchanged (${before} voxels)` })).toBeVisible();
  // CE-T1WI has its own grid (0.72 mm): the VOI is only shown resampled there, so it is not edited there.
  await page.getByRole('list', { name: 'Series of P001' }).getByRole('button', { name: 'CE-T1WI', exact: true }).click();
  await expect(page.getByTestId('series-info')).toContainText('80×80×14');
  const edit = page.getByRole('button', { name: 'Edit VOI' });
  await expect(edit).toBeDisabled();
  await expect(edit).toHaveAttribute('title', /is not on the grid of .*CE-T1WI.*select the series the VOI was drawn on/);
});
