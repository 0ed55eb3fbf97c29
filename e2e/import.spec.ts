/**
 * A PACS-style DICOM export (test/fixtures/import, written by pydicom) picked
 * as a folder: header scan → review table (suggested sequences, the ambiguous
 * patient left out, a choice changed and restored) → Import → the patients in
 * the viewer with the RTSTRUCT VOI → the Study tab sees the imported cohort.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect } from './fixtures.js';
import { parseImportRules } from '../src/core/import/rules.js';
import { readVolume } from '../src/core/node.js';

const EXPORT = path.resolve('test/fixtures/import/export');

test('a dropped DICOM export goes through the review table to the viewer and the study', async ({ page }) => {
  test.setTimeout(4 * 60_000);
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(EXPORT);
  const review = page.getByRole('region', { name: 'Import review' });
  await expect(review).toBeVisible({ timeout: 60_000 });
  await expect(review.getByRole('heading')).toHaveText('DICOM export: 4 patients, 24 series');
  const p1 = page.getByTestId('import-patient-NPC1037');
  await expect(p1.locator('caption')).toContainText('NPC1037 · ready');
  await expect(p1.getByLabel('Use of NPC1037 series 3')).toHaveValue('T2WI');
  await expect(p1.getByLabel('Use of NPC1037 series 8')).toHaveValue('FSCE-T1WI');
  await expect(p1.getByRole('row', { name: /t1_tse_fs_cor_post/ })).toContainText('coronal repeat of FSCE-T1WI');
  await expect(p1.getByRole('row', { name: /AAHead_Scout/ })).toContainText('localizer');
  await expect(page.getByTestId('import-patient-NPC1148').locator('caption')).toContainText('left out: T2WI ambiguous');
  // the user's choice decides: CE-T1WI unset → missing; set again → ready
  await p1.getByLabel('Use of NPC1037 series 7').selectOption('');
  await expect(p1.locator('caption')).toContainText('left out: CE-T1WI missing (no series chosen)');
  await p1.getByLabel('Use of NPC1037 series 7').selectOption('CE-T1WI');
  await expect(p1.locator('caption')).toContainText('NPC1037 · ready');
  // NPC1148: the repeat (series 4) as its T2WI, saved as a rules file that --map reads back
  const p4 = page.getByTestId('import-patient-NPC1148');
  await p4.getByLabel('Use of NPC1148 series 3').selectOption('');
  await expect(p4.locator('caption')).toContainText('left out: FSCE-T1WI missing');
  const download = page.waitForEvent('download');
  await review.getByRole('button', { name: 'Save choices as rules (YAML)' }).click();
  const d = await download;
  expect(d.suggestedFilename()).toBe('import-rules.yaml');
  const saved = parseImportRules(readFileSync(await d.path(), 'utf8'), 'import-rules.yaml');
  expect(saved.patients).toEqual({ NPC1148: { T2WI: 4, 'CE-T1WI': 7, 'FSCE-T1WI': null } });
  await expect(page.getByLabel('VOI ROI name')).toHaveValue('GTVnx');
  await page.getByLabel('Second observer ROI name').fill('GTVnx_R2');
  await review.getByRole('button', { name: 'Import 3 patients' }).click();
  await expect(review).toBeHidden({ timeout: 60_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Import left out NPC1148' }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: /^NPC1037/ })).toBeVisible();
  await expect(page.getByTestId('series-info')).toContainText('32×28×12', { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Study' }).click();
  await expect(page.getByText(/3 patients/).first()).toBeVisible();
});

test('a DICOM SEG in the export is the VOI (itk-wasm readSegmentation in the worker)', async ({ page }) => {
  test.setTimeout(3 * 60_000);
  // NPC1037's files and its SEG (scripts/fixtures/import_vois.py)
  const dir = mkdtempSync(path.join(tmpdir(), 'hw-e2e-seg-'));
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? walk(path.join(d, n)) : [path.join(d, n)]));
  const copy = (from: string, to: string) => {
    mkdirSync(path.dirname(to), { recursive: true });
    cpSync(from, to);
  };
  for (const f of walk(EXPORT)) if (readFileSync(f).includes('NPC1037')) copy(f, path.join(dir, path.relative(EXPORT, f)));
  copy(path.resolve('test/fixtures/import/vois/seg/NPC1037.dcm'), path.join(dir, 'SEG', 'IM000001'));
  const truth = await readVolume(path.resolve('test/fixtures/import/vois/ref/NPC1037/GTV_seg.nii.gz'));
  const mL = (Array.from(truth.data).filter((x) => x !== 0).length * truth.spacing[0] * truth.spacing[1] * truth.spacing[2]) / 1000;
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(dir);
  const review = page.getByRole('region', { name: 'Import review' });
  await expect(review).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('import-patient-NPC1037').locator('caption')).toContainText('ROIs: Brainstem, GTV_seg, GTVnx, GTVnx_R2, Node_seg');
  await page.getByLabel('VOI ROI name').fill('GTV_seg');
  await page.getByLabel('Second observer ROI name').fill('GTVnx');
  await review.getByRole('button', { name: 'Import 1 patient' }).click();
  await expect(review).toBeHidden({ timeout: 60_000 });
  // observer 1 = the SEG's segment, as many voxels as the script painted; observer 2 = the RTSTRUCT ROI
  await expect(page.getByTestId('observer-agreement')).toContainText(`Observers: Dice`, { timeout: 60_000 });
  await expect(page.getByTestId('observer-agreement')).toContainText(` · ${mL.toFixed(2)} vs `);
});
