/**
 * Validate on another cohort, in the browser (issue 24): an imported study of
 * centres 1–2 of the three-centre demo (test/fixtures/study/demo-centres-bundle.zip,
 * no N4 or registration, first-order features) is validated on centre 3 of the
 * same draw, picked as a cohort folder, with "Harmonise (ComBat) to training", then
 * again without it. The External tab shows Table 3's external column, the DeLong tests and the ROC,
 * calibration and decision curves; every model's AUC and DeLong CI are those the
 * core's validateExternalCohort gives in Node on the same files (its risks to
 * 1e-9); the result is kept across a reload (IndexedDB) and is in the exported
 * bundle (external/ files, report.html's External validation section).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { writeNiftiBytes } from '../src/core/image/nifti-write.js';
import { readCohortLayout } from '../src/core/cohort/cohort-node.js';
import { parseModelBundle } from '../src/core/study/apply-model.js';
import { externalClinicalTable, validateExternalCohort } from '../src/core/study/external-run.js';
import type { ExternalValidationResult } from '../src/core/study/external.js';
import { filePatientSource, nodeStudyExecutor } from '../src/core/study/executor-node.js';
import type { StudyExecutor } from '../src/core/study/pipeline.js';
import { demoCentre, demoClinicalCsv, generateDemoPatient } from '../src/demo/demo.js';
import { CENTRES_DEMO } from '../scripts/fixtures/study-bundle.js';
import type { Locator } from '@playwright/test';
import { test, expect, LONG_WAIT } from './fixtures.js';

const SHOTS = path.resolve('test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const FIXTURE = readFileSync(path.resolve('test/fixtures/study/demo-centres-bundle.zip'));

/** Centre 3 of the fixture's draw as a cohort folder "centre3" (NIfTI files and clinical.csv). */
function writeCentre3(): string {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'hw-external-')), 'centre3');
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'clinical.csv'), demoClinicalCsv(CENTRES_DEMO, [3]));
  for (let i = 0; i < CENTRES_DEMO.patients; i++) {
    if (demoCentre(i, CENTRES_DEMO) !== 3) continue;
    const p = generateDemoPatient(i, CENTRES_DEMO);
    mkdirSync(path.join(root, p.id));
    for (const [name, v] of [...Object.entries(p.series), ['mask', p.mask] as const]) writeFileSync(path.join(root, p.id, `${name}.nii.gz`), writeNiftiBytes(v, { gzip: true }));
  }
  return root;
}

/**
 * The core's external validation of the fixture's model on the folder, in Node, with
 * and without harmonisation: one executor whose patients are prepared and featured
 * once (the second call reuses them; the numbers are those of a fresh run).
 */
function nodeReference(folder: string) {
  const model = parseModelBundle(strFromU8(unzipSync(new Uint8Array(FIXTURE))['model.json']!), 'model.json');
  const executor = nodeStudyExecutor(1);
  const prepared = new Map<string, ReturnType<StudyExecutor['prepare']>>();
  const featured = new Map<string, ReturnType<StudyExecutor['features']>>();
  const once: StudyExecutor = {
    workers: executor.workers,
    prepare: (src, config) => prepared.get(src.id) ?? prepared.set(src.id, executor.prepare(src, config)).get(src.id)!,
    features: (p, models, params) => featured.get(p.id) ?? featured.set(p.id, executor.features(p, models, params)).get(p.id)!,
  };
  return {
    async run(harmonise: boolean): Promise<ExternalValidationResult> {
      const layout = await readCohortLayout(folder);
      const clinicalFile = path.join(folder, 'clinical.csv');
      const clinical = externalClinicalTable(model, clinicalFile, readFileSync(clinicalFile, 'utf8'));
      return validateExternalCohort(model, layout.patients.map((p) => filePatientSource(p, model.config.sequences)), clinical, once, { harmonise });
    },
    close: () => executor.close?.(),
  };
}

/** The External tab shows every model's AUC of `ref`, and its DeLong CI to 1e-9. */
async function expectShown(results: Locator, ref: ExternalValidationResult): Promise<void> {
  for (const m of ref.models) {
    const shown = results.getByTestId(`external-auc-${m.name}`);
    expect(Number(await shown.getAttribute('data-auc')), `${m.name} AUC`).toBe(m.auc);
    const ci = (await shown.getAttribute('data-ci'))!.split(',').map(Number);
    expect(Math.abs(ci[0]! - m.ci95[0]) + Math.abs(ci[1]! - m.ci95[1]), `${m.name} CI`).toBeLessThan(1e-9);
    expect(Number.isFinite(ci[0]) && Number.isFinite(ci[1]) && ci[0]! <= m.auc && m.auc <= ci[1]!).toBe(true);
  }
}

test('validates an imported study on a second centre in the browser, with and without ComBat', async ({ page }) => {
  const folder = writeCentre3();
  await page.goto('/');
  await page.getByRole('tab', { name: 'Study' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import study' }).click();
  await (await chooser).setFiles({ name: 'demo-centres-bundle.zip', mimeType: 'application/zip', buffer: FIXTURE });
  await expect(page.getByRole('region', { name: 'Study results' })).toBeVisible();

  // From the study's results to the External tab.
  await page.getByRole('button', { name: 'Validate on another cohort →' }).click();
  await expect(page.getByRole('tab', { name: 'External' })).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByRole('region', { name: 'Validate on another cohort' });
  await panel.getByTestId('external-folder-input').setInputFiles(folder);
  await expect(panel.getByTestId('external-cohort')).toHaveText(/^centre3: 12 patients, centre3\/clinical\.csv/);
  await panel.getByRole('checkbox', { name: 'Harmonise (ComBat) to training' }).check();
  await panel.getByRole('button', { name: 'Run external validation' }).click();
  // The Node reference, in this process, while the browser runs.
  const node = nodeReference(folder);
  let ref: ExternalValidationResult;
  let plain: ExternalValidationResult;
  try {
    const reference = node.run(true);
    await expect(panel.getByTestId('external-status')).toHaveText('done', { timeout: LONG_WAIT });
    ref = await reference;

    const results = page.getByRole('region', { name: 'External validation results' });
    await expect(results.getByTestId('external-harmonisation')).toContainText('a batch not seen in training');
    expect(ref.n).toBe(12);
    await expectShown(results, ref);
    await expect(results.getByRole('table', { name: /Table 3/ })).toContainText('External validation AUC (95% CI)');
    await expect(results.getByRole('table', { name: 'DeLong tests on the external cohort' })).toContainText('Combined');
    for (const name of ['ROC curve', 'Calibration curve', 'Decision curve']) await expect(results.getByRole('figure', { name, exact: true })).toHaveAttribute('data-ready', 'true');
    await page.screenshot({ path: path.join(SHOTS, 'external-results.png'), fullPage: true });

    // The same cohort without harmonisation: a second run of the tab (the study is not rerun; Node reuses its features).
    await panel.getByRole('checkbox', { name: 'Harmonise (ComBat) to training' }).uncheck();
    await panel.getByRole('button', { name: 'Run external validation' }).click();
    const unharmonised = node.run(false);
    await expect(results.getByTestId('external-harmonisation')).toHaveText('Harmonisation: none', { timeout: LONG_WAIT });
    await expect(panel.getByTestId('external-status')).toHaveText('done');
    plain = await unharmonised;
    expect(plain.harmonisation).toBe('none');
    expect(plain.n).toBe(12);
    await expectShown(results, plain);
    // ComBat changed the imaging models' risks (Clinic reads no habitat feature)
    expect(plain.predictions.some((p, i) => p.probabilities.Combined !== ref.predictions[i]!.probabilities.Combined)).toBe(true);
  } finally {
    node.close();
  }

  // Kept with the study: after a reload, and in the exported bundle with the same numbers as the page.
  await page.reload();
  await page.getByRole('tab', { name: 'External' }).click();
  await expect(page.getByRole('region', { name: 'External validation results' }).getByTestId('external-auc-Clinic')).toHaveAttribute('data-auc', String(ref.models[0]!.auc));
  await page.getByRole('tab', { name: 'Study' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report' }).click();
  const zip = unzipSync(new Uint8Array(readFileSync(await (await download).path())));
  expect(JSON.parse(strFromU8(zip['bundle/manifest.json']!)).version).toBe(2);
  const exported = JSON.parse(strFromU8(zip['external/1-centre3-combat/external.json']!)) as ExternalValidationResult;
  expect(exported.models.map((m) => m.auc)).toEqual(ref.models.map((m) => m.auc));
  const byId = new Map(ref.predictions.map((p) => [p.id, p]));
  for (const p of exported.predictions) for (const [name, prob] of Object.entries(p.probabilities)) expect(Math.abs(prob - byId.get(p.id)!.probabilities[name]!), `${p.id} ${name}`).toBeLessThan(1e-9);
  expect(strFromU8(zip['report.html']!)).toContain('<h2>External validation — centre3 (harmonised, ComBat)</h2>');
  expect(Object.keys(zip)).toContain('external/1-centre3-combat/figures/roc-external.svg');
  const exportedPlain = JSON.parse(strFromU8(zip['external/2-centre3/external.json']!)) as ExternalValidationResult;
  expect(exportedPlain.models.map((m) => m.auc)).toEqual(plain.models.map((m) => m.auc));
});
