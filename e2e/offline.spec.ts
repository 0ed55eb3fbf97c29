/**
 * The app as a user meets it outside `npm start`:
 * - dist/ copied to a plain static server (no COOP/COEP, no special headers)
 *   under a sub-path runs the demo study to its figures;
 * - after one visit, the service worker has cached everything: with the
 *   network unplugged, a reload opens the app and the demo study runs to its
 *   figures.
 * The smallest demo cohort a study accepts keeps each run short.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { serveStatic, type StaticServer } from './static-server.js';

/** Patients of the demo cohort studied: the fewest that give a training/validation split and every figure. */
const PATIENTS = 8;
const PREFIX = '/tools/habitat/';
/** E2E_STATIC_ISOLATED=1 adds COOP/COEP to the static server, to measure what isolation changes (BENCHMARKS.md). */
const ISOLATED = process.env.E2E_STATIC_ISOLATED === '1';

async function runDemoStudyToFigures(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Load demo cohort' }).click();
  await page.getByRole('tab', { name: 'Study' }).click();
  await page.getByLabel('Patients (0 = all)').fill(String(PATIENTS));
  await page.getByRole('button', { name: 'Run study' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 12 * 60_000 });
  await expect(page.getByRole('region', { name: 'Study results' })).toBeVisible();
  for (const name of ['BIC curve', 'ROC curve', 'Calibration curve', 'Decision curve']) {
    await expect(page.getByRole('figure', { name, exact: true }).first(), name).toHaveAttribute('data-ready', 'true');
  }
}

test.describe('dist/ on a plain static server at a sub-path', () => {
  let server: StaticServer;
  test.beforeAll(async () => {
    server = await serveStatic(path.resolve('dist'), PREFIX, { isolated: ISOLATED });
  });
  test.afterAll(async () => server.close());

  test('runs the demo study without cross-origin isolation, every file under the sub-path', async ({ page }) => {
    test.setTimeout(15 * 60_000);
    await page.goto(server.url);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(ISOLATED);
    const started = Date.now();
    await runDemoStudyToFigures(page);
    console.log(`static e2e: ${PATIENTS} demo patients to figures in ${((Date.now() - started) / 1000).toFixed(1)} s, crossOriginIsolated ${ISOLATED}`);
    // Every URL resolved under the app's path, and every file was there.
    expect(server.notFound).toEqual([]);
    expect(server.requested.filter((p) => !p.startsWith(PREFIX))).toEqual([]);
    expect(server.requested).toContain(`${PREFIX}itk/elastix/elastix.wasm.zst`);
  });
});

test.describe('offline after the first visit', () => {
  test.use({ serviceWorkers: 'allow' });

  test('the network unplugged, a reload opens the app from the cache and runs the demo study', async ({ page, context }) => {
    test.setTimeout(15 * 60_000);
    await page.goto('/');
    // Installed means precached: the worker activates only after every file of the precache list is stored.
    await expect
      .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none'), { timeout: 5 * 60_000 })
      .toBe('activated');
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      let n = 0;
      for (const name of names) n += (await (await caches.open(name)).keys()).length;
      return n;
    });
    const listed = (await (await page.request.get('/precache-manifest.json')).json()) as { files: unknown[] };
    expect(cached).toBeGreaterThanOrEqual(listed.files.length);

    await context.setOffline(true);
    await page.reload();
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await runDemoStudyToFigures(page);
  });
});
