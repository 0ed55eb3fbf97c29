import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'fflate';
import { test, expect, nonBackgroundFraction, readout, LONG_WAIT } from './fixtures.js';
import { createVolume } from '../src/core/image/volume.js';
import { writeNiftiBytes } from '../src/core/image/nifti-write.js';
import { readVolume } from '../src/core/node.js';
import { IBSI, PYRAD } from '../test/shared-data.js';

const SHOTS = path.resolve('test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** Intensity planted at voxel (i, j, k) of the generated series: the readout can be checked exactly. */
const planted = (i: number, j: number, k: number) => 1000 + i + 100 * j + 10000 * k;

/**
 * A small cohort in the layout of SPEC §1, written by the test:
 * P001/T2WI.nii.gz + mask.nii.gz (oblique-free, 0.8 × 0.8 × 3 mm), and P002 with a truncated file.
 */
function writeCohort(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'hw-e2e-'));
  const size: [number, number, number] = [48, 40, 12];
  const data = new Float32Array(size[0] * size[1] * size[2]);
  const mask = new Uint8Array(data.length);
  for (let k = 0; k < size[2]; k++)
    for (let j = 0; j < size[1]; j++)
      for (let i = 0; i < size[0]; i++) {
        const n = i + size[0] * (j + size[1] * k);
        data[n] = planted(i, j, k);
        if ((i - 24) ** 2 + (j - 20) ** 2 < 64 && k >= 4 && k <= 8) mask[n] = 1;
      }
  const geometry = { spacing: [0.8, 0.8, 3] as [number, number, number], origin: [-19, -16, -18] as [number, number, number] };
  const cohort = path.join(root, 'cohort');
  mkdirSync(path.join(cohort, 'P001'), { recursive: true });
  mkdirSync(path.join(cohort, 'P002'), { recursive: true });
  writeFileSync(path.join(cohort, 'P001', 'T2WI.nii.gz'), writeNiftiBytes(createVolume(size, { ...geometry, data }), { gzip: true }));
  writeFileSync(path.join(cohort, 'P001', 'mask.nii.gz'), writeNiftiBytes(createVolume(size, { ...geometry, data: mask }), { gzip: true }));
  const good = writeNiftiBytes(createVolume(size, { ...geometry, data }));
  writeFileSync(path.join(cohort, 'P002', 'T2WI.nii.gz'), gzipSync(good).subarray(0, 4000));
  writeFileSync(path.join(cohort, 'notes.txt'), 'not an image');
  return cohort;
}

test('opens offline, cross-origin isolated, with its controls', async ({ page, watch }) => {
  const response = await page.goto('/');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
  await expect(page.getByRole('heading', { name: /Habitat Workbench/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open files' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Load demo cohort' })).toBeEnabled();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // The CSP refuses other origins even if code tried (the fetch fails before any request is made).
  const blocked = await page.evaluate(() =>
    fetch('https://example.org/x').then(
      () => false,
      () => true,
    ),
  );
  expect(blocked).toBe(true);
  // That refusal is the one console error this test provokes on purpose.
  await expect.poll(() => watch.consoleErrors.length).toBeGreaterThan(0);
  expect(watch.consoleErrors.every((e) => e.includes('example.org'))).toBe(true);
  watch.consoleErrors.length = 0;
});

test('shows PyRadiomics brain1 (NRRD) with its label map, and reads the voxel under the cursor', async ({ page }) => {
  await page.goto('/');
  // Axial first: NiiVue's 3D render of 256×256×25 voxels is slow on SwiftShader (CPU WebGL).
  await page.getByRole('button', { name: 'Axial' }).click();
  await page.getByTestId('file-input').setInputFiles([path.join(PYRAD, 'brain1_image.nrrd'), path.join(PYRAD, 'brain1_label.nrrd')]);
  await expect(page.getByRole('button', { name: /^brain1\s*1 series/ })).toBeVisible();
  await expect(page.getByTestId('series-info')).toContainText('256×256×25');
  await expect(page.getByTestId('series-info')).toContainText('VOI');
  await expect.poll(() => nonBackgroundFraction(page)).toBeGreaterThan(0.2);

  const box = await page.getByTestId('viewer-canvas').boundingBox();
  if (!box) throw new Error('viewer canvas has no box');
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.45);
  await expect(page.getByTestId('readout')).toContainText('Intensity');
  const r = await readout(page);
  // The same voxel of the same file read by ITK in Node.
  const v = await readVolume(path.join(PYRAD, 'brain1_image.nrrd'));
  const [i, j, k] = r.voxel;
  expect(r.intensity).toBe(v.data[i! + v.size[0] * (j! + v.size[1] * k!)]);
  await page.screenshot({ path: path.join(SHOTS, 'brain1-axial.png') });
});

test('groups a cohort folder into patients and series; the readout matches the planted intensities', async ({ page }) => {
  const cohort = writeCohort();
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(cohort);
  await expect(page.getByRole('status').filter({ hasText: 'notes.txt' })).toBeVisible();
  // The core's cohort layout parser reports P002 (no mask); it stays viewable.
  await expect(page.getByRole('status').filter({ hasText: /P002.*no mask/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^P001/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^P002/ })).toBeVisible();
  const series = page.getByRole('list', { name: 'Series of P001' });
  await expect(series.getByRole('button', { name: 'T2WI' })).toBeVisible();
  await expect(series.getByRole('button', { name: /mask/ })).toBeVisible();
  await expect(page.getByTestId('series-info')).toContainText('48×40×12');
  await page.getByRole('button', { name: 'Axial' }).click();
  await expect.poll(() => nonBackgroundFraction(page)).toBeGreaterThan(0.1);

  const box = await page.getByTestId('viewer-canvas').boundingBox();
  if (!box) throw new Error('viewer canvas has no box');
  for (const [fx, fy] of [[0.5, 0.5], [0.4, 0.6], [0.58, 0.35]]) {
    await page.mouse.click(box.x + box.width * fx!, box.y + box.height * fy!);
    await expect(page.getByTestId('intensity')).toBeVisible();
    const r = await readout(page);
    expect(r.intensity, r.text).toBe(planted(r.voxel[0]!, r.voxel[1]!, r.voxel[2]!));
  }

  for (const view of ['Coronal', 'Sagittal', 'Multiplanar', '3D']) {
    await page.getByRole('button', { name: view, exact: true }).click();
    await expect.poll(() => nonBackgroundFraction(page)).toBeGreaterThan(0.05);
  }
  await page.getByLabel('VOI opacity').fill('0.9');
  await page.getByLabel('VOI colour map').selectOption('green');
  await page.screenshot({ path: path.join(SHOTS, 'cohort-3d.png') });
  await page.getByRole('button', { name: 'Axial' }).click();

  // The truncated file of P002 gives one line naming it; P001 still works afterwards.
  await page.getByRole('button', { name: /^P002/ }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'P002/T2WI.nii.gz' });
  await expect(alert).toBeVisible();
  expect((await alert.innerText()).split('\n')[0]).toMatch(/P002\/T2WI\.nii\.gz: .*(truncated|corrupt|could not be read)/);
  await page.getByRole('button', { name: /^P001/ }).click();
  await expect(page.getByTestId('series-info')).toContainText('48×40×12');
});

test('reads a DICOM series folder (IBSI CT phantom) like ITK does', async ({ page }) => {
  const folder = path.join(IBSI, 'ibsi1', 'ct_phantom', 'dicom', 'image');
  const v = await readVolume(folder);
  await page.goto('/');
  await page.getByRole('button', { name: 'Axial' }).click();
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('series-info')).toContainText(v.size.join('×'), { timeout: LONG_WAIT });
  await expect.poll(() => nonBackgroundFraction(page)).toBeGreaterThan(0.05);
  const box = await page.getByTestId('viewer-canvas').boundingBox();
  if (!box) throw new Error('viewer canvas has no box');
  await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.55);
  await expect(page.getByTestId('intensity')).toBeVisible();
  const r = await readout(page);
  const [i, j, k] = r.voxel;
  expect(r.intensity, r.text).toBe(v.data[i! + v.size[0] * (j! + v.size[1] * k!)]);
  await page.screenshot({ path: path.join(SHOTS, 'dicom-ct-phantom.png') });
});

test('bad files give a clear one-line message and the app keeps working', async ({ page }) => {
  await page.goto('/');
  const input = page.getByTestId('file-input');
  const cases: { name: string; buffer: Buffer; expect: RegExp }[] = [
    { name: 'empty.nii.gz', buffer: Buffer.alloc(0), expect: /empty\.nii\.gz: the file is empty/ },
    { name: 'notes.nii', buffer: Buffer.from('this is a text file, not an image\n'.repeat(20)), expect: /notes\.nii: not a NIfTI file/ },
    { name: 'short.nrrd', buffer: Buffer.from('NRRD0004\ntype: short\ndimension: 3\nsizes: 64 64 64\nencoding: raw\n\n' + 'x'.repeat(100)), expect: /short\.nrrd: truncated/ },
  ];
  for (const c of cases) {
    await input.setInputFiles({ name: c.name, mimeType: 'application/octet-stream', buffer: c.buffer });
    const alert = page.getByRole('alert').filter({ hasText: c.name });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(c.expect);
  }
  await page.screenshot({ path: path.join(SHOTS, 'bad-files.png') });
  // A good file right after.
  await input.setInputFiles(path.join(PYRAD, 'brain1_image.nrrd'));
  await expect(page.getByTestId('series-info')).toContainText('256×256×25');
  await expect.poll(() => nonBackgroundFraction(page)).toBeGreaterThan(0.1);
});

test('accepts files dropped on the page', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Axial' }).click();
  const size: [number, number, number] = [20, 16, 6];
  const data = new Int16Array(size[0] * size[1] * size[2]).map((_, n) => 200 + (n % 37));
  const bytes = Array.from(writeNiftiBytes(createVolume(size, { spacing: [1, 1, 2], data }), { gzip: true }));
  const dataTransfer = await page.evaluateHandle((b) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(b)], 'dropped_T1.nii.gz'));
    return dt;
  }, bytes);
  await page.dispatchEvent('.app', 'dragover', { dataTransfer });
  await expect(page.getByText('Drop files or a cohort folder')).toBeVisible();
  await page.dispatchEvent('.app', 'drop', { dataTransfer });
  await expect(page.getByTestId('series-info')).toContainText('20×16×6');
  await expect(page.getByTestId('series-info')).toContainText('range 200 – 236');
  await expect(page.getByText('Drop files or a cohort folder')).toBeHidden();
});

test('loads the demo cohort generated in the browser', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Load demo cohort' }).click();
  await expect(page.getByRole('button', { name: /^P001/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^P060/ })).toBeVisible();
  await expect(page.getByTestId('series-info')).toContainText('96×96×14');
  await expect(page.getByTestId('series-info')).toContainText('VOI');
  await expect.poll(() => nonBackgroundFraction(page)).toBeGreaterThan(0.05);
  await page.getByRole('list', { name: 'Series of P001' }).getByRole('button', { name: 'FSCE-T1WI' }).click();
  await expect(page.getByTestId('series-info')).toContainText('FSCE-T1WI');
  await page.screenshot({ path: path.join(SHOTS, 'demo-cohort.png') });
});
