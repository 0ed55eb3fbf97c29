/**
 * A tab killed in the middle of a study (renderer crash through CDP: no
 * beforeunload, no unload, no goodbye) loses nothing that was finished:
 * - demo cohort: a new tab of the same origin resumes the run at once, the
 *   finished patients come from the IndexedDB cache, and the study completes;
 * - dropped cohort folder: a new tab says which study was interrupted and how
 *   to resume it; opening the folder again and pressing Run study serves the
 *   finished patients from the cache (the clinical CSV choice is kept).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, LONG_WAIT } from './fixtures.js';
import { demoCommand } from '../src/cli/commands/demo.js';

/** Cache entries (IndexedDB store "cache") whose key contains `part`, counted in the page. */
function cachedEntries(page: Page, part: string): Promise<number> {
  return page.evaluate(async (part) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('habitat-workbench');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
      const r = db.transaction('cache').objectStore('cache').getAllKeys();
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    db.close();
    return keys.filter((k) => String(k).includes(part)).length;
  }, part);
}

/** Kill the tab's renderer abruptly (as the OS or the browser's task manager would) and wait until it is gone. */
async function killTab(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  const crashed = page.waitForEvent('crash');
  // The call never gets its answer: the renderer is gone.
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
}

/** "done/total (n cached)" of a stage's row in the run panel. */
async function stageCount(page: Page, stage: string): Promise<{ done: number; total: number; cached: number }> {
  const text = await page.locator('.stage', { hasText: stage }).locator('.count').innerText();
  const m = /^(\d+)\/(\d+)(?: \((\d+) cached\))?$/.exec(text.trim());
  if (!m) throw new Error(`${stage}: unexpected count "${text}"`);
  return { done: Number(m[1]), total: Number(m[2]), cached: Number(m[3] ?? 0) };
}

/** Patients studied: enough for the 70/30 split and 10-fold CV of the default settings. */
const DEMO_PATIENTS = 24;

test('a tab killed during the demo study: a new tab resumes from the cache and completes', async ({ page, context }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Load demo cohort' }).click();
  await page.getByRole('tab', { name: 'Study' }).click();
  await page.getByLabel('Patients (0 = all)').fill(String(DEMO_PATIENTS));
  await page.getByRole('button', { name: 'Run study' }).click();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeEnabled();

  // Some patients are finished (their features are in the cache) when the tab dies.
  await expect(page.getByLabel('Features progress')).toHaveAttribute('value', /^([3-9]|\d\d)$/, { timeout: LONG_WAIT });
  const featuresBefore = await cachedEntries(page, '/features/');
  const preparedBefore = await cachedEntries(page, '/prepared/');
  expect(featuresBefore).toBeGreaterThanOrEqual(3);
  expect(featuresBefore).toBeLessThan(DEMO_PATIENTS);
  expect(preparedBefore).toBe(DEMO_PATIENTS);
  await killTab(context, page);

  // A new tab of the same origin (same IndexedDB): the run resumes by itself.
  const tab = await context.newPage();
  await tab.goto('/');
  await expect(tab.getByText('Resuming the interrupted demo study')).toBeVisible();
  await expect(tab.getByRole('tab', { name: 'Study' })).toHaveAttribute('aria-selected', 'true');
  await expect(tab.getByLabel('Patients (0 = all)')).toHaveValue(String(DEMO_PATIENTS));
  // Every prepared patient and every finished one comes from the cache; only the rest is computed.
  await expect(tab.locator('.stage', { hasText: 'Preprocessing' }).locator('.count')).toHaveText(`${DEMO_PATIENTS}/${DEMO_PATIENTS} (${DEMO_PATIENTS} cached)`, { timeout: LONG_WAIT });
  await expect(tab.getByTestId('run-status')).toHaveText('done', { timeout: LONG_WAIT });
  const features = await stageCount(tab, 'Features');
  expect(features.done).toBe(DEMO_PATIENTS);
  expect(features.cached).toBeGreaterThanOrEqual(featuresBefore);
  expect(features.cached).toBeLessThan(DEMO_PATIENTS);
  expect(await tab.locator('.patient-cells .cell.cached').count()).toBe(features.cached);
  expect(await cachedEntries(tab, '/features/')).toBe(DEMO_PATIENTS);

  // The study completed with its results, and the run is no longer marked as interrupted.
  const results = tab.getByRole('region', { name: 'Study results' });
  await expect(results).toBeVisible();
  await expect(results.getByRole('heading')).toContainText(`${DEMO_PATIENTS} patients`);
  await expect(tab.getByRole('figure', { name: 'ROC curve', exact: true })).toHaveCount(2);
  await expect(tab.getByRole('button', { name: 'Export report' })).toBeEnabled();
  const marker = await tab.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('habitat-workbench');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const v = await new Promise<unknown>((resolve) => {
      const r = db.transaction('state').objectStore('state').get('run-in-progress');
      r.onsuccess = () => resolve(r.result);
    });
    db.close();
    return v ?? null;
  });
  expect(marker).toBeNull();
});

test('a tab killed during the study of a dropped folder: a clear message, and the finished patients stay cached', async ({ page, context }) => {
  const cohort = path.join(mkdtempSync(path.join(tmpdir(), 'hw-recovery-')), 'cohort');
  const PATIENTS = 8;
  await demoCommand(['--out', cohort, '--patients', String(PATIENTS)]);

  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(cohort);
  await expect(page.getByRole('button', { name: /^P\d+/ }).first()).toBeVisible();
  await page.getByRole('tab', { name: 'Study' }).click();
  await page.getByLabel('Clinical CSV').setInputFiles(path.join(cohort, 'clinical.csv'));
  await expect(page.getByText('Clinical: clinical.csv')).toBeVisible();
  await page.getByRole('button', { name: 'Run study' }).click();
  await expect(page.getByLabel('Preprocessing progress')).toHaveAttribute('value', /^[2-9]$/, { timeout: LONG_WAIT });
  const preparedBefore = await cachedEntries(page, '/prepared/');
  expect(preparedBefore).toBeGreaterThanOrEqual(2);
  await killTab(context, page);

  const tab = await context.newPage();
  await tab.goto('/');
  // One line: which study, and what to do. Nothing runs by itself (the files must be opened again).
  const message = tab.getByRole('status').filter({ hasText: 'was interrupted' });
  await expect(message).toHaveCount(1);
  await expect(message).toContainText(`study of the cohort folder "cohort" (${PATIENTS} patients)`);
  await expect(message).toContainText('open the folder again (the clinical table clinical.csv is kept) and press Run study; finished patients come from the cache');
  await tab.getByRole('tab', { name: 'Study' }).click();
  await expect(tab.getByTestId('run-status')).toHaveText('load a cohort to start');
  // The finished patients are still in the cache, and so is the clinical table chosen before.
  expect(await cachedEntries(tab, '/prepared/')).toBeGreaterThanOrEqual(preparedBefore);
  await expect(tab.getByText('Clinical: clinical.csv')).toBeVisible();

  // Resuming: the same folder again, Run study; the finished patients are not computed again.
  await tab.getByTestId('folder-input').setInputFiles(cohort);
  await tab.getByRole('button', { name: 'Run study' }).click();
  await expect.poll(async () => (await stageCount(tab, 'Preprocessing')).cached, { timeout: LONG_WAIT }).toBeGreaterThanOrEqual(preparedBefore);
  await tab.getByRole('button', { name: 'Cancel' }).click();
  await expect(tab.getByTestId('run-status')).toHaveText('cancelled');
});
