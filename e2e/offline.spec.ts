/**
 * The app as a user meets it outside `npm start`:
 * - dist/ copied to a plain static server (no COOP/COEP, no special headers)
 *   under a sub-path runs the demo study to its figures;
 * - after one visit, the service worker has cached everything: with the
 *   network unplugged, a reload opens the app and the demo study runs to its
 *   figures.
 * The smallest demo cohort a study accepts keeps each run short.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page, Request } from '@playwright/test';
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
    // Installable in its own window: the manifest and its icons resolve under the sub-path (PNG sizes as declared).
    const manifestUrl = await page.locator('link[rel="manifest"]').evaluate((l: HTMLLinkElement) => l.href);
    expect(manifestUrl).toBe(`${server.url}manifest.webmanifest`);
    const manifest = (await (await page.request.get(manifestUrl)).json()) as { display: string; start_url: string; scope: string; icons: { src: string; sizes: string; type: string; purpose?: string }[] };
    expect(manifest).toMatchObject({ display: 'standalone', start_url: './', scope: './' });
    expect(manifest.icons.map((i) => `${i.sizes} ${i.type} ${i.purpose ?? 'any'}`)).toEqual(expect.arrayContaining(['192x192 image/png any', '512x512 image/png any', '512x512 image/png maskable']));
    for (const icon of manifest.icons) {
      const res = await page.request.get(new URL(icon.src, manifestUrl).href);
      expect(res.headers()['content-type'], icon.src).toBe(icon.type);
      const body = await res.body();
      if (icon.type === 'image/png') expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
    }
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
    // What the first visit downloads (page and service worker), reported for BENCHMARKS.md.
    const transfers: Promise<number>[] = [];
    const countTransfer = (r: Request) => transfers.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize, () => 0));
    context.on('requestfinished', countTransfer);
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
    context.off('requestfinished', countTransfer);
    const bytes = (await Promise.all(transfers)).reduce((a, b) => a + b, 0);
    console.log(`offline e2e: first visit ${transfers.length} requests, ${(bytes / 1e6).toFixed(2)} MB transferred; ${cached} files cached`);

    await context.setOffline(true);
    await page.reload();
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await runDemoStudyToFigures(page);
  });

  test('a new version is announced in one line, and its reload waits for a running study', async ({ page }) => {
    test.setTimeout(5 * 60_000);
    // A copy of dist/ on a static server, so that a "new version" can be deployed under the open page.
    const root = mkdtempSync(path.join(tmpdir(), 'hw-update-'));
    cpSync(path.resolve('dist'), root, { recursive: true });
    const server = await serveStatic(root, PREFIX);
    try {
      await page.goto(server.url);
      await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'), { timeout: 5 * 60_000 }).toBe('activated');
      const notice = page.getByRole('status').filter({ hasText: 'A new version is ready' });
      await expect(notice).toHaveCount(0);

      // Deploy: another sw.js (as every new build has); the open app finds it on its next check.
      appendFileSync(path.join(root, 'sw.js'), '\n// next version\n');
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
      await expect(notice.locator('.message-text')).toHaveText('A new version is ready — reload');
      const reload = notice.getByRole('button', { name: 'Reload' });

      // While a study runs, the reload waits.
      await page.getByRole('button', { name: 'Load demo cohort' }).click();
      await page.getByRole('tab', { name: 'Study' }).click();
      await page.getByLabel('Patients (0 = all)').fill(String(PATIENTS));
      await page.getByRole('button', { name: 'Run study' }).click();
      await expect(notice.locator('.message-text')).toHaveText('A new version is ready — reload when the running study has finished');
      await expect(reload).toBeDisabled();
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByTestId('run-status')).toHaveText('cancelled');
      await expect(reload).toBeEnabled();

      // Reload: the new version takes over, the page reloads once, and the notice is gone.
      const navigated = page.waitForEvent('load');
      await reload.click();
      await navigated;
      await expect(page.getByRole('button', { name: 'Load demo cohort' })).toBeVisible();
      await expect(notice).toHaveCount(0);
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
