/**
 * The whole study in the browser on the demo cohort: Load demo cohort → Run
 * study → results (figures, tables) → Export report (zip) → reload keeps the
 * results → a re-run is served from the IndexedDB cache. The network is
 * blocked outside 127.0.0.1 (fixtures.ts); long tasks on the page's main
 * thread are recorded during the run and while the results are drawn (both
 * must stay under 200 ms), and when plotly is loaded on request (reported).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { test, expect, colourfulFraction } from './fixtures.js';

const SHOTS = path.resolve('test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** Patients of the 60-patient demo cohort studied here: enough for a 70/30 split and 10-fold CV, small enough for a few minutes on 2 busy cores. */
const E2E_PATIENTS = Number(process.env.E2E_STUDY_PATIENTS ?? 24);

declare global {
  interface Window {
    __longTasks: number[];
    /** Start time (performance.now) of each long task, aligned with __longTasks. */
    __longTaskStarts: number[];
    /** What the run status read when each long task was observed (for the report of the longest ones). */
    __longTaskWhat: string[];
    /** When the run status first read "done" (the results, and their plots, are drawn after it). */
    __runDoneAt: number | null;
  }
}

test('runs the demo study in the browser, exports the report, and keeps it across a reload', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  await page.addInitScript(() => {
    window.__longTasks = [];
    window.__longTaskStarts = [];
    window.__longTaskWhat = [];
    window.__runDoneAt = null;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__longTasks.push(e.duration);
        window.__longTaskStarts.push(e.startTime);
        window.__longTaskWhat.push(`${Math.round(e.duration)} ms at ${Math.round(e.startTime)} ms: ${document.querySelector('[data-testid="run-status"]')?.textContent ?? ''}${document.querySelector('.results') ? ' (results shown)' : ''}`);
      }
    }).observe({ type: 'longtask', buffered: true });
    const mark = () => {
      if (window.__runDoneAt === null && document.querySelector('[data-testid="run-status"]')?.textContent === 'done') window.__runDoneAt = performance.now();
    };
    document.addEventListener('DOMContentLoaded', () => new MutationObserver(mark).observe(document.body, { subtree: true, childList: true, characterData: true }));
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Load demo cohort' }).click();
  await page.getByRole('tab', { name: 'Study' }).click();

  // Settings: an invalid value is one inline line naming the key, and is refused.
  const folds = page.getByLabel('CV folds');
  await folds.fill('1');
  await expect(page.getByRole('alert')).toContainText('selection.folds');
  await folds.fill('10');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByLabel('Patients (0 = all)').fill(String(E2E_PATIENTS));

  // Cancel stops a run at once; the next run starts cleanly.
  await page.getByRole('button', { name: 'Run study' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
  await expect(page.getByRole('button', { name: 'Run study' })).toBeEnabled();

  const started = Date.now();
  await page.evaluate(() => {
    window.__longTasks = [];
    window.__longTaskStarts = [];
    window.__longTaskWhat = [];
  });
  await page.getByRole('button', { name: 'Run study' }).click();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeEnabled();
  await expect(page.getByLabel('Preprocessing progress')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'study-running.png') });

  // A reload in the middle of the run resumes it: finished patients come from the IndexedDB cache.
  await expect(page.getByLabel('Features progress')).toHaveAttribute('value', /^([3-9]|\d\d)$/, { timeout: 5 * 60_000 });
  const longBeforeReload = await page.evaluate(() => window.__longTasks.slice());
  const whatBeforeReload = await page.evaluate(() => window.__longTaskWhat.slice());
  await page.reload();
  await expect(page.getByText('Resuming the interrupted demo study')).toBeVisible();
  // Long tasks of loading the page itself are not the run's: count from here.
  const longPageLoad = await page.evaluate(() => {
    window.__longTaskStarts.splice(0);
    window.__longTaskWhat.splice(0);
    return window.__longTasks.splice(0);
  });
  await expect(page.getByText(`${E2E_PATIENTS}/${E2E_PATIENTS} (${E2E_PATIENTS} cached)`).first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Study results' })).toBeVisible({ timeout: 9 * 60_000 });
  const seconds = (Date.now() - started) / 1000;
  // Up to the moment the run reports "done": drawing the result plots afterwards is measured apart (longWithPlots).
  const longAfterReload = await page.evaluate(() => window.__longTasks.filter((_, i) => window.__runDoneAt === null || window.__longTaskStarts[i] < window.__runDoneAt!));
  const longDuringRun = [...longBeforeReload, ...longAfterReload];

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
  expect(registrationBySeq['CE-T1WI'].some((x) => Math.abs(x) > 1e-3)).toBe(true);

  for (const name of ['BIC curve', 'ROC curve', 'Calibration curve', 'Decision curve']) {
    const figs = page.getByRole('figure', { name, exact: true });
    expect(await figs.count(), name).toBeGreaterThan(0);
    await expect(figs.first()).toHaveAttribute('data-ready', 'true');
  }
  await expect(page.getByRole('figure', { name: 'ROC curve', exact: true })).toHaveCount(2);
  await expect(page.getByRole('table', { name: /Table 3/ })).toContainText('Clinic');
  // Long tasks from the reload to here: the rest of the run, then drawing every result figure (static SVG first).
  const longWithPlots = await page.evaluate(() => window.__longTasks.slice());
  const whatWithPlots = await page.evaluate(() => window.__longTaskWhat.slice());
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
  expect([pngBytes.readUInt32BE(16), pngBytes.readUInt32BE(20)]).toEqual([2 * svgSize[0], 2 * svgSize[1]]);

  // Interactive on request: plotly is loaded (one long task of its own, reported) and draws the figure.
  const roc = page.getByRole('figure', { name: 'ROC curve', exact: true }).last();
  await expect(roc).toHaveAttribute('data-interactive', 'false');
  const beforePlotly = await page.evaluate(() => window.__longTasks.length);
  await page.getByRole('button', { name: 'ROC curve — validation: interactive' }).click();
  await expect(roc).toHaveAttribute('data-interactive', 'true');
  await expect(roc.locator('.main-svg').first()).toBeVisible();
  const longPlotlyLoad = await page.evaluate((n) => window.__longTasks.slice(n), beforePlotly);
  // An interactive figure exports plotly's drawing (what is shown, zoom included).
  const plotlySvgDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'ROC curve — validation: download SVG' }).click();
  const plotlySvg = readFileSync(await (await plotlySvgDownload).path()).toString('utf8');
  expect(plotlySvg).toContain('<svg');
  expect(plotlySvg).toContain('ROC curve — validation');
  expect(plotlySvg).not.toBe(svgText);
  const beforeSecond = await page.evaluate(() => window.__longTasks.length);
  await page.getByRole('button', { name: 'Calibration curve — validation: interactive' }).click();
  await expect(page.getByRole('figure', { name: 'Calibration curve', exact: true }).last()).toHaveAttribute('data-interactive', 'true');
  const longSecondPlot = await page.evaluate((n) => window.__longTasks.slice(n), beforeSecond);

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
  const report = JSON.parse(strFromU8(zip['report.json'])) as { schema: string; cohort: { patients: number } };
  expect(report.schema).toBe('habitat-workbench/study-report');
  expect(report.cohort.patients).toBe(E2E_PATIENTS);
  expect(strFromU8(zip['study.yaml'])).toContain('params: params.yaml');
  expect(strFromU8(zip['params.yaml'])).toContain('Original');
  expect(strFromU8(zip['report.html'])).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  expect(strFromU8(zip['features.csv']).split('\n').length - 2).toBe(E2E_PATIENTS);

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
  await expect.poll(() => colourfulFraction(page), { timeout: 30_000 }).toBeGreaterThan(before + 0.002);
  // The legend names each colour: Hab1…HabK with the patient's voxels in each, K as the study found for FSCE-T1WI.
  const legend = page.getByTestId('habitat-legend').getByRole('listitem');
  const k = (JSON.parse(strFromU8(zip['report.json'])) as { habitats: Record<string, { k: number }> }).habitats['FSCE-T1WI'].k;
  await expect(legend).toHaveCount(k);
  const items = await legend.allInnerTexts();
  expect(items.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(items.map((t, h) => `Hab${h + 1} ${/(\d+) voxels/.exec(t)?.[1] ?? 'NaN'} voxels`));
  await page.screenshot({ path: path.join(SHOTS, 'study-habitats.png') });

  // Re-run: every per-patient step is served from the cache.
  await page.getByRole('button', { name: 'Load demo cohort' }).click();
  await page.getByRole('tab', { name: 'Study' }).click();
  const rerunStart = Date.now();
  await page.getByRole('button', { name: 'Run study' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 5 * 60_000 });
  await expect(page.getByText(`${E2E_PATIENTS}/${E2E_PATIENTS} (${E2E_PATIENTS} cached)`)).toHaveCount(2);
  const rerunSeconds = (Date.now() - rerunStart) / 1000;

  const longest = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
  const summary = {
    patients: E2E_PATIENTS,
    studySeconds: seconds,
    rerunSeconds,
    longTasksDuringRun: longDuringRun.length,
    longestTaskLoadingPageMs: longest(longPageLoad),
    longestTaskDuringRunMs: longest(longDuringRun),
    longestTaskWithPlotsMs: longest(longWithPlots),
    longestTaskLoadingPlotlyMs: longest(longPlotlyLoad),
    longestTaskSecondInteractivePlotMs: longest(longSecondPlot),
    // The longest tasks of the run and the drawing of its results, with what the run status read then.
    longTasks: [...whatBeforeReload, ...whatWithPlots].sort((x, y) => parseInt(y) - parseInt(x)).slice(0, 5),
    registration: { [registeredKey]: registrationBySeq },
  };
  writeFileSync(path.join(SHOTS, 'study-timing.json'), JSON.stringify(summary, null, 2));
  console.log(`study e2e: ${JSON.stringify(summary)}`);
  // The UI must not freeze while the study runs (heavy work is in workers).
  expect(summary.longestTaskDuringRunMs).toBeLessThan(200);
  // Nor while the results appear: the figures are static SVG until the user asks for an interactive one.
  expect(summary.longestTaskWithPlotsMs).toBeLessThan(200);
});
