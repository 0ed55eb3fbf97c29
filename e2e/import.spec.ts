/**
 * A PACS-style DICOM export (test/fixtures/import, written by pydicom) picked
 * as a folder: header scan → review table (suggested sequences, the ambiguous
 * patient left out, a choice changed and restored) → Import → the patients in
 * the viewer with the RTSTRUCT VOI → the Study tab sees the imported cohort.
 */
import path from 'node:path';
import { test, expect } from './fixtures.js';

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
