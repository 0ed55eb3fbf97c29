/**
 * Apply model on a finished demo study: its model applied to one of its
 * patients in the prediction worker gives the risks of the study's
 * predictions.csv (same preparation, habitat models and SVMs), its habitat map
 * shows in the viewer and downloads as NIfTI; the exported model.json, the
 * patient's files picked as a new patient, and a dropped cohort folder give
 * the same risks. Called by e2e/study.spec.ts on its own study run (one study
 * run serves every test that only inspects its results).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, strFromU8 } from 'fflate';
import Papa from 'papaparse';
import type { Page } from '@playwright/test';
import { writeNiftiBytes } from '../src/core/image/nifti-write.js';
import { generateDemoPatient } from '../src/demo/demo.js';
import { expect, colourfulFraction, LONG_WAIT } from './fixtures.js';

const SHOTS = path.resolve('test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** The first n demo patients (seed 2025, the app's demo) as a cohort folder of NIfTI files in the cohort layout. */
export function writeDemoCohort(n: number): string {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'hw-apply-')), 'cohort');
  for (let i = 0; i < n; i++) {
    const p = generateDemoPatient(i, { patients: 60, seed: 2025 });
    mkdirSync(path.join(root, p.id), { recursive: true });
    for (const [name, v] of [...Object.entries(p.series), ['mask', p.mask] as const]) writeFileSync(path.join(root, p.id, `${name}.nii.gz`), writeNiftiBytes(v, { gzip: true }));
  }
  return root;
}

/** `zip`: the entries of the study's exported report zip. The page shows the finished study (Study tab). */
export async function checkApplyModel(page: Page, zip: Record<string, Uint8Array>): Promise<void> {
  const predictions = Papa.parse<Record<string, string>>(strFromU8(zip['predictions.csv']!).trim(), { header: true }).data;
  const modelNames = Object.keys(predictions[0]!).filter((k) => k.startsWith('p(')).map((k) => k.slice(2, -1));
  expect(modelNames).toContain('Clinic');
  const id = 'P001';
  const expected = predictions.find((r) => r.id === id)!;
  expect(expected, `${id} in predictions.csv`).toBeTruthy();

  const panel = page.getByRole('region', { name: 'Apply model' });
  await expect(panel.getByLabel('Model', { exact: true })).toHaveValue('study');
  await panel.getByLabel('Patient to apply the model to').selectOption(id);
  // The Clinic model's values are filled in from the demo's clinical table.
  const clinical = panel.getByRole('group', { name: 'Clinical values' });
  await expect(clinical.getByText('from demo clinical.csv')).toBeVisible();
  for (const input of await clinical.locator('input, select').all()) await expect(input).not.toHaveValue('');

  const applyAndCheck = async (what: string) => {
    await panel.getByRole('button', { name: 'Apply model' }).click();
    await expect(panel.getByTestId('apply-status')).toHaveText('done', { timeout: LONG_WAIT });
    for (const name of modelNames) {
      const shown = Number(await panel.getByTestId(`risk-${name}`).getAttribute('data-probability'));
      const want = Number(expected[`p(${name})`]);
      expect(Math.abs(shown - want), `${what}: ${name} risk ${shown} vs predictions.csv ${want}`).toBeLessThan(1e-9);
      await expect(panel.getByTestId(`risk-${name}`)).toContainText(want.toFixed(3));
    }
    console.log(`apply model (${what}): ${modelNames.map((n) => `${n} ${expected[`p(${n})`]}`).join(', ')}`);
  };
  await applyAndCheck('study model');
  await panel.screenshot({ path: path.join(SHOTS, 'apply-model-panel.png') });

  // The habitat map as NIfTI: a gzipped NIfTI-1 of labels 0…k inside the VOI.
  const niiDownload = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download NIfTI' }).click();
  const nii = await niiDownload;
  const seq = await panel.getByLabel('Predicted habitat map').inputValue();
  expect(nii.suggestedFilename()).toBe(`${id}-${seq}-habitats.nii.gz`);
  const bytes = gunzipSync(new Uint8Array(readFileSync(await nii.path())));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(dv.getInt32(0, true)).toBe(348);
  const dims = [1, 2, 3].map((d) => dv.getInt16(40 + 2 * d, true));
  expect(dv.getInt16(70, true), 'datatype uint8').toBe(2);
  const labels = bytes.subarray(Math.round(dv.getFloat32(108, true)), Math.round(dv.getFloat32(108, true)) + dims[0]! * dims[1]! * dims[2]!);
  const k = (JSON.parse(strFromU8(zip['model.json']!)) as { habitatModels: Record<string, { centroids: number[][] }> }).habitatModels[seq]!.centroids.length;
  const counts = new Array(k + 1).fill(0);
  for (const v of labels) counts[v]++;
  expect(counts.reduce((a, b) => a + b, 0)).toBe(labels.length);
  expect(counts.slice(1).reduce((a, b) => a + b, 0), 'voxels in habitats').toBeGreaterThan(50);

  // The map over the patient in the viewer (Hab1–Hab4 red, green, yellow, blue).
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByRole('checkbox', { name: 'VOI' }).uncheck();
  // The study's own habitat map may be shown already (study.spec.ts shows one): off, so the baseline has none.
  const studyMap = page.getByLabel('Habitat map');
  if ((await studyMap.count()) > 0) await studyMap.selectOption('');
  await page.waitForTimeout(1500);
  const before = await colourfulFraction(page);
  await page.getByRole('tab', { name: 'Study' }).click();
  await panel.getByRole('button', { name: 'Show in viewer' }).click();
  await expect(page.getByRole('tab', { name: 'Review' })).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => colourfulFraction(page)).toBeGreaterThan(before + 0.002);
  await page.screenshot({ path: path.join(SHOTS, 'apply-model-habitats.png') });

  // The exported model.json, opened as a file, gives the same risks.
  await page.getByRole('tab', { name: 'Study' }).click();
  await panel.getByLabel('Model file').setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(zip['model.json']!) });
  await expect(panel.getByLabel('Model', { exact: true })).toHaveValue('file');
  await applyAndCheck('model.json file');

  // The same patient as files picked for a new patient (its sequences and VOI as NIfTI, written by the core's writer).
  const demo = generateDemoPatient(0, { patients: 60, seed: 2025 });
  const picked = [...Object.entries(demo.series), ['mask', demo.mask] as const].map(([name, v]) => ({ name: `${name}.nii.gz`, mimeType: 'application/gzip', buffer: Buffer.from(writeNiftiBytes(v, { gzip: true })) }));
  await panel.getByLabel('New patient files').setInputFiles(picked);
  await expect(panel.getByLabel('Patient to apply the model to')).toHaveValue('(files)');
  await expect(clinical.getByText('patient new patient is not in demo clinical.csv: enter the values')).toBeVisible();
  await panel.getByRole('button', { name: 'Apply model' }).click();
  await expect(panel.getByTestId('apply-status')).toHaveText('done', { timeout: LONG_WAIT });
  for (const name of modelNames) {
    const shown = Number(await panel.getByTestId(`risk-${name}`).getAttribute('data-probability'));
    const want = Number(expected[`p(${name})`]);
    console.log(`apply model (dropped NIfTI files): ${name} ${shown} vs ${want} (|Δ| ${Math.abs(shown - want).toExponential(2)})`);
    // The NIfTI header holds the geometry in single precision: the prepared grid moves by ~1e-6 mm, which can
    // move a habitat-boundary voxel; measured |Δ| 0 to 5e-5 over several runs.
    expect(Math.abs(shown - want), `dropped files: ${name}`).toBeLessThan(2e-3);
  }

  // A patient of a dropped cohort folder (the same patient's files; the study's model stays).
  await page.getByTestId('folder-input').setInputFiles(writeDemoCohort(1));
  await expect(page.getByRole('button', { name: /^P001/ })).toBeVisible();
  await panel.getByLabel('Patient to apply the model to').selectOption(id);
  await panel.getByRole('button', { name: 'Apply model' }).click();
  await expect(panel.getByTestId('apply-status')).toHaveText('done', { timeout: LONG_WAIT });
  for (const name of modelNames) {
    const shown = Number(await panel.getByTestId(`risk-${name}`).getAttribute('data-probability'));
    expect(Math.abs(shown - Number(expected[`p(${name})`])), `dropped cohort: ${name}`).toBeLessThan(2e-3);
  }

  // A clinical value the Clinic model needs, cleared: one line, no run.
  const first = clinical.locator('input, select').first();
  const name = (await first.getAttribute('aria-label'))!.replace(/^Clinical /, '');
  if ((await first.evaluate((e) => e.tagName)) === 'INPUT') await first.fill('');
  else await first.selectOption('');
  await panel.getByRole('button', { name: 'Apply model' }).click();
  await expect(panel.getByRole('alert')).toHaveText(new RegExp(`^patient ${id}: enter ${name} \\(used by .*Clinic`));
}
