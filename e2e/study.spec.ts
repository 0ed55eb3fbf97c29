/**
 * The whole study in the browser on the demo cohort: Load demo cohort → Run
 * study → results (figures, tables) → Export report (zip) → reload keeps the
 * results → a re-run is served from the IndexedDB cache. The network is
 * blocked outside 127.0.0.1 (fixtures.ts). The page stays responsive by
 * construction, and that is what is asserted: the study runs in Web Workers
 * (the page itself fetches no WebAssembly), the result figures are static SVG
 * images, and plotly is loaded only when the user asks for an interactive
 * figure. How long the main thread's tasks take depends on the machine's load,
 * so it is measured by the benchmark (bench/browser-study.ts, BENCHMARKS.md),
 * never asserted here. Apply model is checked on the same finished study
 * (apply-model-checks.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { test, expect, colourfulFraction, LONG_WAIT } from './fixtures.js';
import { checkApplyModel } from './apply-model-checks.js';

const SHOTS = path.resolve('test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** Patients of the 60-patient demo cohort studied here: enough for a 70/30 split and 10-fold CV, small enough for a few minutes on 2 busy cores. */
const E2E_PATIENTS = Number(process.env.E2E_STUDY_PATIENTS ?? 24);

/** Script and WebAssembly files the page itself (not a worker) has fetched. */
const pageResources = (page: import('@playwright/test').Page) =>
  page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\.(m?js|wasm)(\?|$)/.test(n)));

test('runs the demo study in the browser, exports the report, and keeps it across a reload', async ({ page }) => {
  // Which workers the page starts: the study must run in them, not on the page's main thread.
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  // Keep every resource entry (the default buffer holds 250), so pageResources sees them all.
  await page.addInitScript(() => performance.setResourceTimingBufferSize(100_000));
  await page.goto('/');
  await page.getByRole('button', { name: 'Load demo cohort' }).click();
  await page.getByRole('tab', { name: 'Study' }).click();

  // Settings: an invalid value is one inline line naming the key, and is refused.
  const folds = page.getByLabel('CV folds');
  await folds.fill('1');
  await expect(page.getByRole('alert')).toContainText('selection.folds');
  await folds.fill('10');
  await expect(page.getByRole('alert')).toHaveCount(0);
  // few bootstrap resamples keep the run short (the numbers are checked in the unit tests)
  await page.getByLabel('Bootstrap resamples').fill('10');
  await page.getByLabel('Patients (0 = all)').fill(String(E2E_PATIENTS));

  // Cancel stops a run at once; the next run starts cleanly.
  await page.getByRole('button', { name: 'Run study' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
  await expect(page.getByRole('button', { name: 'Run study' })).toBeEnabled();

  await page.getByRole('button', { name: 'Run study' }).click();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeEnabled();
  await expect(page.getByLabel('Preprocessing progress')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'study-running.png') });
  // a stage in progress shows its time left at its own rate (src/core/util/time-left.ts)
  await expect(page.locator('.stage .left').first()).toHaveText(/^about .+ left$/, { timeout: LONG_WAIT });

  // A reload in the middle of the run resumes it: finished patients come from the IndexedDB cache.
  await expect(page.getByLabel('Features progress')).toHaveAttribute('value', /^([3-9]|\d\d)$/, { timeout: LONG_WAIT });
  expect((await pageResources(page)).filter((n) => n.endsWith('.wasm'))).toEqual([]);
  await page.reload();
  await expect(page.getByText('Resuming the interrupted demo study')).toBeVisible();
  await expect(page.getByText(`${E2E_PATIENTS}/${E2E_PATIENTS} (${E2E_PATIENTS} cached)`).first()).toBeVisible({ timeout: LONG_WAIT });
  await expect(page.getByRole('region', { name: 'Study results' })).toBeVisible({ timeout: LONG_WAIT });
  // The per-patient work and the analysis ran in Web Workers: the study runner and its patient workers
  // were started, and the page itself fetched none of the WebAssembly pipelines (reading, N4, registration).
  expect(workers.some((u) => /study-runner/.test(u)), `workers started: ${workers.join(', ')}`).toBe(true);
  expect(workers.some((u) => /study\.worker/.test(u)), `workers started: ${workers.join(', ')}`).toBe(true);
  expect((await pageResources(page)).filter((n) => n.endsWith('.wasm'))).toEqual([]);

  // Registration ran in the browser (elastix in the study workers): every moving series has a rigid transform.
  const registration = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('habitat-workbench');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const keys = await new Promise<IDBValidKey[]>((resolve) => {
      const r = db.transaction('cache').objectStore('cache').getAllKeys();
      r.onsuccess = () => resolve(r.result);
    });
    const key = keys.find((k) => String(k).includes('/prepared/'));
    const value = await new Promise<{ registration: Record<string, number[]> }>((resolve) => {
      const r = db.transaction('cache').objectStore('cache').get(key!);
      r.onsuccess = () => resolve(r.result as { registration: Record<string, number[]> });
    });
    return { key: String(key), bySequence: value.registration };
  });
  const { key: registeredKey, bySequence: registrationBySeq } = registration;
  expect(Object.keys(registrationBySeq).sort()).toEqual(['CE-T1WI', 'FSCE-T1WI']);
  expect(registrationBySeq['CE-T1WI']).toHaveLength(6);
  expect(registrationBySeq['CE-T1WI']!.some((x) => Math.abs(x) > 1e-3)).toBe(true);

  for (const name of ['BIC curve', 'ROC curve', 'Calibration curve', 'Decision curve']) {
    const figs = page.getByRole('figure', { name, exact: true });
    expect(await figs.count(), name).toBeGreaterThan(0);
    await expect(figs.first()).toHaveAttribute('data-ready', 'true');
  }
  await expect(page.getByRole('figure', { name: 'ROC curve', exact: true })).toHaveCount(2);
  await expect(page.getByRole('table', { name: /Table 3/ })).toContainText('Clinic');
  await expect(page.getByRole('table', { name: /Table 3/ })).toContainText('AUC optimism-corrected');
  await expect(page.getByTestId('optimism-summary')).toContainText('10 bootstrap resamples');
  await expect(page.getByTestId('optimism-summary')).toContainText('.632+ (Efron)');
  await expect(page.getByRole('table', { name: /Table 3/ })).toContainText('AUC .632+');
  // Every figure is shown as a static SVG image first; plotly has not been loaded by anything.
  for (const fig of await page.locator('[role="figure"]').all()) {
    await expect(fig).toHaveAttribute('data-interactive', 'false');
    await expect(fig.locator('img[src^="data:image/svg+xml"]')).toHaveCount(1);
  }
  expect((await pageResources(page)).filter((n) => /plotly/i.test(n))).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, 'study-results.png'), fullPage: true });

  // A figure exports as SVG.
  const svgDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'ROC curve — validation: download SVG' }).click();
  const svg = await svgDownload;
  expect(svg.suggestedFilename()).toBe('roc-validation.svg');
  const svgText = readFileSync(await svg.path()).toString('utf8');
  expect(svgText).toContain('<svg');
  const svgSize = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svgText)!.slice(1).map(Number);
  // …and as PNG: the same static figure rasterised at twice its size.
  const pngDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'ROC curve — validation: download PNG' }).click();
  const png = await pngDownload;
  expect(png.suggestedFilename()).toBe('roc-validation.png');
  const pngBytes = readFileSync(await png.path());
  expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect([pngBytes.readUInt32BE(16), pngBytes.readUInt32BE(20)]).toEqual([2 * svgSize[0]!, 2 * svgSize[1]!]);

  // Interactive on request: plotly is loaded then, and draws the figure.
  const roc = page.getByRole('figure', { name: 'ROC curve', exact: true }).last();
  await expect(roc).toHaveAttribute('data-interactive', 'false');
  await page.getByRole('button', { name: 'ROC curve — validation: interactive' }).click();
  await expect(roc).toHaveAttribute('data-interactive', 'true');
  await expect(roc.locator('.main-svg').first()).toBeVisible();
  expect((await pageResources(page)).filter((n) => /plotly/i.test(n))).toHaveLength(1);
  // An interactive figure exports plotly's drawing (what is shown, zoom included).
  const plotlySvgDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'ROC curve — validation: download SVG' }).click();
  const plotlySvg = readFileSync(await (await plotlySvgDownload).path()).toString('utf8');
  expect(plotlySvg).toContain('<svg');
  expect(plotlySvg).toContain('ROC curve — validation');
  expect(plotlySvg).not.toBe(svgText);
  await page.getByRole('button', { name: 'Calibration curve — validation: interactive' }).click();
  await expect(page.getByRole('figure', { name: 'Calibration curve', exact: true }).last()).toHaveAttribute('data-interactive', 'true');
  // The other figures stay static: only the ones asked for became interactive.
  await expect(page.locator('[role="figure"][data-interactive="true"]')).toHaveCount(2);

  // Export report: the zip bundle.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report' }).click();
  const zipBytes = new Uint8Array(readFileSync(await (await download).path()));
  // Kept for comparison with `habitat study` on the same cohort and settings.
  writeFileSync(path.join(SHOTS, 'study-report.zip'), zipBytes);
  const zip = unzipSync(zipBytes);
  const names = Object.keys(zip).sort();
  for (const f of ['report.html', 'report.json', 'features.csv', 'predictions.csv', 'table1.csv', 'table2.csv', 'table3.csv', 'model.json', 'study.yaml', 'params.yaml', 'figures/bic.svg', 'figures/roc-validation.svg', 'bundle/manifest.json', 'bundle/view.json']) {
    expect(names, f).toContain(f);
  }
  const report = JSON.parse(strFromU8(zip['report.json']!)) as { schema: string; cohort: { patients: number } };
  expect(report.schema).toBe('habitat-workbench/study-report');
  expect(report.cohort.patients).toBe(E2E_PATIENTS);
  expect(strFromU8(zip['study.yaml']!)).toContain('params: params.yaml');
  expect(strFromU8(zip['params.yaml']!)).toContain('Original');
  expect(strFromU8(zip['report.html']!)).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  expect(strFromU8(zip['features.csv']!).split('\n').length - 2).toBe(E2E_PATIENTS);

  // Reload: the finished study comes back from IndexedDB.
  await page.reload();
  await page.getByRole('tab', { name: 'Study' }).click();
  await expect(page.getByRole('region', { name: 'Study results' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'BIC curve', exact: true })).toHaveAttribute('data-ready', 'true');
  await expect(page.getByLabel('Patients (0 = all)')).toHaveValue(String(E2E_PATIENTS));
  // The study saved by the run exports the same bundle (Import study reads it: e2e/bundle.spec.ts).
  const again = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report' }).click();
  expect(Buffer.from(readFileSync(await (await again).path())).equals(Buffer.from(zipBytes))).toBe(true);

  // Habitat map of the selected patient in the viewer (Hab1–Hab4 red, green, yellow, blue).
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Load demo cohort' }).click();
  await expect(page.getByTestId('viewer-canvas')).toBeVisible();
  await page.getByRole('checkbox', { name: 'VOI' }).uncheck();
  await page.waitForTimeout(1500);
  const before = await colourfulFraction(page);
  await page.getByLabel('Habitat map').selectOption('FSCE-T1WI');
  await expect.poll(() => colourfulFraction(page)).toBeGreaterThan(before + 0.002);
  // The legend names each colour: Hab1…HabK with the patient's voxels in each, K as the study found for FSCE-T1WI.
  const legend = page.getByTestId('habitat-legend').getByRole('listitem');
  const k = (JSON.parse(strFromU8(zip['report.json']!)) as { habitats: Record<string, { k: number }> }).habitats['FSCE-T1WI']!.k;
  await expect(legend).toHaveCount(k);
  const items = await legend.allInnerTexts();
  expect(items.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(items.map((t, h) => `Hab${h + 1} ${/(\d+) voxels/.exec(t)?.[1] ?? 'NaN'} voxels`));
  await page.screenshot({ path: path.join(SHOTS, 'study-habitats.png') });

  // Re-run: every per-patient step is served from the cache.
  await page.getByRole('button', { name: 'Load demo cohort' }).click();
  await page.getByRole('tab', { name: 'Study' }).click();
  await page.getByRole('button', { name: 'Run study' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: LONG_WAIT });
  await expect(page.getByText(`${E2E_PATIENTS}/${E2E_PATIENTS} (${E2E_PATIENTS} cached)`)).toHaveCount(2);
  // The registration parameters found, for comparison with `habitat study` on the same cohort.
  writeFileSync(path.join(SHOTS, 'study-registration.json'), JSON.stringify({ [registeredKey]: registrationBySeq }, null, 2));

  // Apply model on this study (the checks of apply-model-checks.ts): one study run serves both.
  await checkApplyModel(page, zip);
});
