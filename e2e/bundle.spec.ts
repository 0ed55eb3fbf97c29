/**
 * Study bundle in the browser (issue 11): Import study reads an exported zip
 * (a real demo study's bundle, test/fixtures/study/demo-bundle.zip, written by
 * scripts/fixtures/study-bundle.ts with the app's own core code), shows the
 * same results (tables, figures) and settings, keeps them across a reload,
 * and Export report gives the same zip back byte for byte. With the storage
 * quota exhausted, an imported study — or one just run — stays on the page
 * with a one-line warning and still exports; a file that is not a bundle is
 * one error line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { strFromU8, unzipSync } from 'fflate';
import { test, expect, LONG_WAIT } from './fixtures.js';
import type { Page } from '@playwright/test';

const FIXTURE = path.resolve('test/fixtures/study/demo-bundle.zip');
const fixture = readFileSync(FIXTURE);
const entries = unzipSync(new Uint8Array(fixture));

async function importBundle(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import study' }).click();
  await (await chooser).setFiles(file);
}

async function exportBytes(page: Page): Promise<Buffer> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report' }).click();
  const d = await download;
  expect(d.suggestedFilename()).toBe('habitat-study-2026-01-02-03-04-05.zip');
  return readFileSync(await d.path());
}

/** Rows of Table 3 as the page shows them (numbers to 4 significant digits, like Results.tsx). */
function table3Expected(): string[][] {
  const rows = Papa.parse<string[]>(strFromU8(entries['table3.csv']!).trim(), { skipEmptyLines: true }).data;
  const fmt = (c: string) => {
    const x = Number(c);
    return c !== '' && Number.isFinite(x) && !/^-?\d+$/.test(c) ? String(+x.toPrecision(4)) : c;
  };
  return rows.slice(1).map((r) => r.map(fmt));
}

/**
 * The browser refuses to store the last study, as when the origin's quota is used up
 * (until sessionStorage "quota" is "ok": room again after a reload).
 */
async function exhaustQuotaForLastStudy(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.name === 'state' && key === 'last-study' && sessionStorage.getItem('quota') !== 'ok') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.call(this, value, key);
    };
  });
}

async function expectFixtureResults(page: Page): Promise<void> {
  const results = page.getByRole('region', { name: 'Study results' });
  await expect(results).toBeVisible();
  await expect(results.getByRole('heading', { level: 2 })).toContainText('Demo cohort (bundle fixture) · 24 patients');
  // Table 3 holds the bundle's numbers, cell for cell
  const shown = await page.getByRole('table', { name: /Table 3/ }).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  expect(shown).toEqual(table3Expected());
  await expect(page.getByRole('table', { name: /Table 1/ })).toBeVisible();
  for (const name of ['BIC curve', 'ROC curve', 'Calibration curve', 'Decision curve']) {
    await expect(page.getByRole('figure', { name, exact: true }).first()).toHaveAttribute('data-ready', 'true');
  }
  await expect(page.getByRole('figure', { name: 'ROC curve', exact: true })).toHaveCount(2);
}

test('Import study restores an exported study; a reload keeps it; Export report gives the same zip back', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Study' }).click();
  await expect(page.getByRole('region', { name: 'Study results' })).toHaveCount(0);
  await expect(page.getByLabel('CV folds')).toHaveValue('10');

  await importBundle(page, { name: 'demo-bundle.zip', mimeType: 'application/zip', buffer: fixture });
  await expectFixtureResults(page);
  await expect(page.getByText('Imported the study of Demo cohort (bundle fixture)')).toBeVisible();
  // the settings the study ran with
  await expect(page.getByLabel('CV folds')).toHaveValue('5');
  await expect(page.getByLabel('N4 bias correction')).not.toBeChecked();
  expect(await page.getByLabel('PyRadiomics parameters').inputValue()).toBe(strFromU8(entries['params.yaml']!));

  // export → import → export: the same bytes
  expect((await exportBytes(page)).equals(fixture)).toBe(true);

  // saved like a finished run: a reload restores results and settings
  await page.reload();
  await page.getByRole('tab', { name: 'Study' }).click();
  await expectFixtureResults(page);
  await expect(page.getByLabel('CV folds')).toHaveValue('5');
  expect((await exportBytes(page)).equals(fixture)).toBe(true);

  // cleared storage: nothing to show until the bundle is imported again
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('habitat-workbench');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('state', 'readwrite');
      tx.objectStore('state').clear();
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  });
  await page.reload();
  await page.getByRole('tab', { name: 'Study' }).click();
  await expect(page.getByText('No study yet')).toBeVisible();
  await importBundle(page, { name: 'demo-bundle.zip', mimeType: 'application/zip', buffer: fixture });
  await expectFixtureResults(page);
});

test('storage quota exhausted: the imported study stays on the page with a one-line warning and still exports', async ({ page }) => {
  await exhaustQuotaForLastStudy(page);
  await page.goto('/');
  await page.getByRole('tab', { name: 'Study' }).click();
  await importBundle(page, { name: 'demo-bundle.zip', mimeType: 'application/zip', buffer: fixture });
  await expect(page.getByText("saving last-study: the browser's storage quota is exhausted; free space (e.g. clear the study cache) and run again — the study is not saved for the next visit; it stays open here: Export report keeps it")).toBeVisible();
  await expectFixtureResults(page);
  expect((await exportBytes(page)).equals(fixture)).toBe(true);
  // it really was not saved: after a reload there is no study (the settings were saved)
  await page.reload();
  await page.getByRole('tab', { name: 'Study' }).click();
  await expect(page.getByText('No study yet')).toBeVisible();
  await expect(page.getByLabel('CV folds')).toHaveValue('5');
});

test('storage quota exhausted at the end of a run: the finished study stays, with the warning, and its export imports', async ({ page }) => {
  await exhaustQuotaForLastStudy(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Load demo cohort' }).click();
  await page.getByRole('tab', { name: 'Study' }).click();
  // 24 patients as in study.spec.ts (with 16, a 30 % validation cohort can hold a single positive: no DeLong variance)
  await page.getByLabel('Patients (0 = all)').fill('24');
  // What is tested is saving the finished study, not preparing it: no N4 and no registration keep the run short.
  await page.getByLabel('N4 bias correction').uncheck();
  await page.getByLabel('Registration').selectOption('none');
  await page.getByRole('button', { name: 'Run study' }).click();
  await expect(page.getByTestId('run-status')).toHaveText(/^(done|failed.*|cancelled)$/, { timeout: LONG_WAIT });
  await expect(page.getByTestId('run-status')).toHaveText('done');
  await expect(page.getByText("saving last-study: the browser's storage quota is exhausted", { exact: false })).toBeVisible();
  await expect(page.getByText(/^Study finished in \d+ s: 24 patients/)).toBeVisible();
  const results = page.getByRole('region', { name: 'Study results' });
  await expect(results).toBeVisible();
  await expect(page.getByRole('figure', { name: 'BIC curve', exact: true })).toHaveAttribute('data-ready', 'true');
  const table3 = await page.getByRole('table', { name: /Table 3/ }).innerText();
  const heading = await results.getByRole('heading', { level: 2 }).innerText();
  // not lost: Export report still gives the study…
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report' }).click();
  const zip = readFileSync(await (await download).path());
  expect(Object.keys(unzipSync(new Uint8Array(zip)))).toContain('bundle/view.json');
  // …which, once there is room again, imports into a fresh page as the same results
  await page.evaluate(() => sessionStorage.setItem('quota', 'ok'));
  await page.reload();
  await page.getByRole('tab', { name: 'Study' }).click();
  await expect(page.getByText('No study yet')).toBeVisible();
  await importBundle(page, { name: 'run.zip', mimeType: 'application/zip', buffer: zip });
  await expect(results.getByRole('heading', { level: 2 })).toHaveText(heading);
  expect(await page.getByRole('table', { name: /Table 3/ }).innerText()).toBe(table3);
  const again = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report' }).click();
  expect(readFileSync(await (await again).path()).equals(zip)).toBe(true);
});

test('Import study of a file that is not a study bundle is one error line', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Study' }).click();
  await importBundle(page, { name: 'notes.zip', mimeType: 'application/zip', buffer: Buffer.from('id,outcome\nP1,1\n') });
  await expect(page.getByText('Import study: notes.zip: not a zip file (export a study with Export report and import that zip)')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Study results' })).toHaveCount(0);
});
