/**
 * Delineation on a 512×512×40 series in the browser (the production build in
 * Debian's Chromium, software WebGL as in the e2e tests): the seconds NiiVue's
 * slice interpolation (between outlines drawn on 3 axial slices, 18 slices
 * filled) and the grow-cut (NiiVue's rule on the CPU over the seeds' box, core
 * grow-cut.ts; `?grow-cut=niivue` in BENCH_GROW_CUT runs NiiVue's GPU shader
 * over the whole volume instead) take in the app, read from the page's
 * performance timeline (voi-draw-ops.ts marks them). The series is synthetic: a bright ellipsoid in noise.
 * HABITAT_BENCH_SHOTS=<dir> also saves a screenshot after each step.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { browserBench, CHROMIUM } from './_browser.js';
import { createVolume, type Vec3 } from '../src/core/image/volume.js';
import { writeNiftiBytes } from '../src/core/image/nifti-write.js';
import { createRng } from '../src/core/util/random.js';

const PORT = Number(process.env.E2E_PORT ?? 4179);
const SHOTS = process.env.HABITAT_BENCH_SHOTS;
/** `niivue` or `cpu` (whole volume): the app's `?grow-cut=` (voi-draw-ops.ts); default the seeds' box. */
const ENGINE = process.env.BENCH_GROW_CUT;
const { base, launchArgs, serve, cleanUp } = await browserBench('delineation-browser', import.meta.url, PORT);

const SIZE: Vec3 = [512, 512, 40];
function writeCohort(): string {
  const cohort = path.join(mkdtempSync(path.join(os.tmpdir(), 'hw-bench-delin-')), 'cohort');
  mkdirSync(path.join(cohort, 'P001'), { recursive: true });
  const [nx, ny, nz] = SIZE;
  const rng = createRng(18);
  const data = new Int16Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const r = ((i - 256) / 110) ** 2 + ((j - 256) / 90) ** 2 + ((k - 20) / 14) ** 2;
        data[i + nx * (j + ny * k)] = Math.round((r < 1 ? 600 : 200) + 40 * rng.normal());
      }
  writeFileSync(path.join(cohort, 'P001', 'T2WI.nii.gz'), writeNiftiBytes(createVolume(SIZE, { spacing: [0.45, 0.45, 4], data }), { gzip: true }));
  return cohort;
}

async function measured(page: Page, name: string): Promise<number> {
  return page.evaluate((n) => performance.getEntriesByName(`delineation:${n}`).reduce((s, e) => s + e.duration, 0), name);
}

async function circle(page: Page, radiusFraction: number): Promise<void> {
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  const [cx, cy, r] = [box.x + box.width / 2, box.y + box.height / 2, box.height * radiusFraction];
  await page.mouse.move(cx + r, cy);
  await page.mouse.down();
  for (let a = 1; a <= 16; a++) await page.mouse.move(cx + r * Math.cos((2 * Math.PI * a) / 16), cy + r * Math.sin((2 * Math.PI * a) / 16));
  await page.mouse.up();
}

async function slices(page: Page, n: number): Promise<void> {
  for (let s = 0; s < Math.abs(n); s++) await page.keyboard.press(n > 0 ? 'ArrowUp' : 'ArrowDown');
}

const voxels = async (page: Page) => Number((await page.getByTestId('voi-drawn').innerText()).split(' ')[0]);

const cohort = writeCohort();
const server = await serve();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: launchArgs });
try {
  const page = await (await browser.newContext({ viewport: { width: 1200, height: 760 }, serviceWorkers: 'block' })).newPage();
  page.on('dialog', (d) => void d.accept()); // the app asks before a grow-cut over a box of more than 4 million voxels
  // Opening a 10-million-voxel drawing and the grow-cut block the page's thread for a long time on software WebGL.
  page.setDefaultTimeout(900_000);
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: 'Axial' }).click();
  await page.getByTestId('folder-input').setInputFiles(cohort);
  await page.getByTestId('series-info').filter({ hasText: '512×512×40' }).waitFor({ timeout: 300_000 });
  await page.getByRole('button', { name: 'Draw VOI' }).click();
  await page.getByTestId('voi-edit-state').filter({ hasText: 'Drag on a slice to draw' }).waitFor({ timeout: 120_000 });
  // Outlines on the middle slice and 9 slices below and above it.
  await page.keyboard.press('KeyP');
  await circle(page, 0.3);
  await slices(page, -9);
  await circle(page, 0.25);
  await slices(page, 18);
  await circle(page, 0.25);
  const drawn = await voxels(page);
  const load0 = os.loadavg()[0]!;
  await page.getByRole('button', { name: 'Interpolate' }).click();
  while ((await voxels(page)) === drawn) await page.waitForTimeout(100);
  const interpolateMs = await measured(page, 'interpolate');
  console.log(JSON.stringify({ name: 'delineation interpolate 512×512×40 (3 drawn slices, 18 filled)', ms: interpolateMs, voxels: await voxels(page), load: `${load0.toFixed(1)}→${os.loadavg()[0]!.toFixed(1)}` }));
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'bench-interpolate.png') });
  // Grow-cut from the drawing as VOI seeds and a background ring near the image's edge.
  await slices(page, -9);
  await page.keyboard.press('KeyG'); // background seeds
  await circle(page, 0.46);
  const load1 = os.loadavg()[0]!;
  const before = await voxels(page);
  if (ENGINE) await page.evaluate((e) => history.replaceState(null, '', `?grow-cut=${e}`), ENGINE);
  await page.getByRole('button', { name: 'Grow-cut' }).click();
  const t0 = Date.now();
  while ((await voxels(page)) === before && Date.now() - t0 < 900_000) await page.waitForTimeout(100);
  const box = await page.evaluate(() => (performance.getEntriesByName('delineation:grow-cut')[0] as PerformanceMeasure | undefined)?.detail ?? null);
  console.log(JSON.stringify({ name: `delineation grow-cut 512×512×40 (${ENGINE ?? "CPU, seeds' box"})`, ms: await measured(page, 'grow-cut'), box, voxels: await voxels(page), load: `${load1.toFixed(1)}→${os.loadavg()[0]!.toFixed(1)}` }));
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'bench-growcut.png') });
} finally {
  await browser.close();
  server.kill();
  cleanUp();
}
