/**
 * The clinical CSV's column mapping in Settings. Apply model on a finished
 * study (apply-model-checks.ts) runs inside e2e/study.spec.ts, on that test's
 * study run: a second run of its own would only repeat it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { demoClinicalCsv } from '../src/demo/demo.js';
import { test, expect } from './fixtures.js';
import { writeDemoCohort } from './apply-model-checks.js';

const SHOTS = path.resolve('test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** A clinical table as another site would send it for the demo cohort: other column names, a yes/no outcome, a name column, 50 of the 60 patients. */
function foreignCsv(): string {
  const ids = Array.from({ length: 50 }, (_, i) => `P${String(i + 1).padStart(3, '0')}`);
  const rows = ids.map((id, i) => [id, `"Doe, J${i}"`, String(30 + (i % 40)), i % 3 === 0 ? 'female' : 'male', String((i % 4) + 1), i % 5 === 0 ? 'yes' : 'no']);
  return [['PatientID', 'Name', 'Age', 'Sex', 'T', 'Residual tumour'], ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
}

async function savedConfig(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('habitat-workbench');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    return new Promise<Record<string, unknown>>((resolve) => {
      const r = db.transaction('state').objectStore('state').get('settings');
      r.onsuccess = () => resolve((r.result as { config: Record<string, unknown> }).config);
    });
  });
}

test('maps the clinical CSV columns: guesses, outcome values, one-line problems, cohort match, written to the study config', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Load demo cohort' }).click();
  await page.getByRole('tab', { name: 'Study' }).click();
  const csv = foreignCsv();
  await page.getByLabel('Clinical CSV').setInputFiles({ name: 'site2.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

  const mapping = page.getByRole('group', { name: 'Clinical columns' });
  await expect(mapping.getByLabel('Id column')).toHaveValue('PatientID');
  await expect(mapping.getByLabel('Outcome column')).toHaveValue('Residual tumour');
  await expect(page.getByTestId('outcome-values')).toHaveText('Outcome values: no, yes ✓ binary');
  await expect(mapping.getByLabel('Positive outcome value')).toHaveValue('yes');
  await expect(mapping.getByLabel('Type of Name')).toHaveValue('ignore');
  await expect(mapping.getByLabel('Type of Age')).toHaveValue('continuous');
  await expect(mapping.getByLabel('Type of Sex')).toHaveValue('categorical');
  await expect(mapping.getByLabel('Type of T')).toHaveValue('categorical');
  await expect(page.getByTestId('clinical-matched')).toHaveText('50 of 60');
  await expect(mapping.getByText('site2.csv: 50 of 60 cohort patients have a row (id column "PatientID"); P051, P052, P053, … will be excluded')).toBeVisible();
  await expect(mapping.getByRole('alert')).toHaveCount(0);
  await expect.poll(() => savedConfig(page)).toMatchObject({ id: 'PatientID', outcome: 'Residual tumour', positive: 'yes', clinical: { variables: ['Age', 'Sex', 'T'], categorical: ['Sex', 'T'] } });

  // Problems are one line each and block the run.
  await mapping.getByLabel('Outcome column').selectOption('T');
  await expect(page.getByTestId('outcome-values')).toHaveText('Outcome values: 1, 2, 3, 4 ✗ not binary');
  await expect(mapping.getByRole('alert')).toHaveText('site2.csv: the outcome column "T" must be binary, found 4 values (1, 2, 3, 4)');
  await page.getByRole('button', { name: 'Run study' }).click();
  await expect(page.getByText('Settings: site2.csv: the outcome column "T" must be binary')).toBeVisible();
  await expect(page.getByTestId('run-status')).not.toHaveText('running');
  await mapping.getByLabel('Outcome column').selectOption('Residual tumour');
  // The column that was the outcome is a variable again, with its guessed type.
  await expect(mapping.getByLabel('Type of T')).toHaveValue('categorical');
  // A column holding text cannot be made continuous.
  await expect(mapping.getByLabel('Type of Sex').locator('option[value="continuous"]')).toBeDisabled();
  await mapping.getByLabel('Type of Sex').selectOption('ignore');
  await mapping.getByLabel('Id column').selectOption('Name');
  await expect(page.getByTestId('clinical-matched')).toHaveText('0 of 60');
  await expect(mapping.getByRole('alert')).toContainText('site2.csv: 0 of 60 cohort patients have a row (id column "Name"); e.g. patient P001 is not in it');
  await mapping.getByLabel('Id column').selectOption('PatientID');
  await expect(mapping.getByRole('alert')).toHaveCount(0);
  await expect.poll(() => savedConfig(page)).toMatchObject({ id: 'PatientID', outcome: 'Residual tumour', clinical: { variables: ['Age', 'T'], categorical: ['T'] } });
  // A settings preset resets the config; the table's mapping is written back into it.
  await page.getByRole('button', { name: 'Paper settings' }).click();
  await expect(mapping.getByLabel('Id column')).toHaveValue('PatientID');
  await expect.poll(() => savedConfig(page)).toMatchObject({ id: 'PatientID', outcome: 'Residual tumour', positive: 'yes', preprocessing: { n4: true } });
  await page.screenshot({ path: path.join(SHOTS, 'clinical-mapping.png'), fullPage: true });
});


test('maps the clinical CSV of a dropped cohort folder: ids matched against the folders, a mismatch refuses the run', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(writeDemoCohort(4));
  await expect(page.getByRole('button', { name: /^P004/ })).toBeVisible();
  await page.getByRole('tab', { name: 'Study' }).click();
  // The demo's real table with the ids in a column named "subject".
  const csv = demoClinicalCsv({ patients: 60, seed: 2025 }).replace(/^id,/, 'subject,');
  await page.getByLabel('Clinical CSV').setInputFiles({ name: 'clinical.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const mapping = page.getByRole('group', { name: 'Clinical columns' });
  await expect(mapping.getByLabel('Id column')).toHaveValue('subject');
  await expect(mapping.getByLabel('Outcome column')).toHaveValue('residual');
  await expect(page.getByTestId('outcome-values')).toHaveText('Outcome values: 0, 1 ✓ binary');
  await expect(mapping.getByLabel('Positive outcome value')).toHaveCount(0);
  await expect(page.getByTestId('clinical-matched')).toHaveText('4 of 4');
  await expect(mapping.getByRole('alert')).toHaveCount(0);
  await expect.poll(() => savedConfig(page)).toMatchObject({ id: 'subject', outcome: 'residual', clinical: { variables: 'auto' } });
  // Ids that are not the folder names: none match, one line, and Run study refuses.
  await page.getByLabel('Clinical CSV').setInputFiles({ name: 'other.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.replace(/\nP0/g, '\ncase-0')) });
  await expect(page.getByTestId('clinical-matched')).toHaveText('0 of 4');
  await expect(mapping.getByRole('alert')).toHaveText('other.csv: 0 of 4 cohort patients have a row (id column "subject"); e.g. patient P001 is not in it (its ids: case-001, case-002, case-003, …)');
  await page.getByRole('button', { name: 'Run study' }).click();
  await expect(page.getByText('Settings: other.csv: 0 of 4 cohort patients have a row')).toBeVisible();
  await expect(page.getByTestId('run-status')).not.toHaveText('running');
});
