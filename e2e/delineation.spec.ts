/**
 * Delineating a VOI from nothing, as in ITK-SNAP: on a demo patient written
 * without its mask, the tumour's boundary (from the demo's truth mask) is
 * drawn with the outline-fill pen on three axial slices, the slices between
 * are interpolated and holes filled; the saved mask.nii.gz must overlap the
 * truth (Dice ≥ 0.85), survive a reload unchanged, and a second, blinded
 * observer drawing a shifted outline gives mask2.nii.gz and the agreement
 * shown by the app.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, readout } from './fixtures.js';
import { writeNiftiBytes } from '../src/core/image/nifti-write.js';
import { readVolume } from '../src/core/node.js';
import { generateDemoPatient } from '../src/demo/demo.js';
import { maskAgreement } from '../src/core/image/mask-ops.js';
import type { Volume } from '../src/core/image/volume.js';
import { stringify } from 'yaml';
import { PAPER_EXTRACTION_PARAMS, studyConfigFrom } from '../src/core/study/config.js';
import { parseParams } from '../src/core/radiomics/params.js';
import { observerIccBeforeRun } from '../src/core/study/observer-preview.js';
import { demoClinicalCsv, demoPatientId } from '../src/demo/demo.js';
import { parseClinicalCsv } from '../src/core/study/clinical.js';

const SHOTS = process.env.DELINEATION_SHOTS ?? path.join(tmpdir(), 'hw-e2e-screenshots');
mkdirSync(SHOTS, { recursive: true });

const truthPatient = generateDemoPatient(0, { patients: 60, seed: 2025 });
const truth = truthPatient.mask;
const [NX, NY, NZ] = truth.size;
const inside = (m: Volume, i: number, j: number, k: number) => i >= 0 && j >= 0 && i < NX && j < NY && m.data[i + NX * (j + NY * k)] !== 0;

/** Vertices of each outline (each mouse move redraws the viewer, slow with software WebGL). */
const RAYS = 16;

function writeCohort(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'hw-delin-'));
  const cohort = path.join(root, 'cohort');
  mkdirSync(path.join(cohort, 'P001'), { recursive: true });
  // The reference sequence only, no VOI: the patient is to be delineated.
  writeFileSync(path.join(cohort, 'P001', 'T2WI.nii.gz'), writeNiftiBytes(truthPatient.series.T2WI, { gzip: true }));
  return cohort;
}

/** Boundary of mask `m` (the truth) on slice k: the last in-mask voxel centre along RAYS rays from the slice's centroid, shifted by `dx` voxels. */
function outline(k: number, dx: number, m: Volume = truth): [number, number][] {
  const inTruth = (i: number, j: number, kk: number) => inside(m, i, j, kk);
  let ci = 0;
  let cj = 0;
  let n = 0;
  for (let j = 0; j < NY; j++)
    for (let i = 0; i < NX; i++)
      if (inTruth(i, j, k)) {
        ci += i;
        cj += j;
        n++;
      }
  ci /= n;
  cj /= n;
  const pts: [number, number][] = [];
  for (let a = 0; a < RAYS; a++) {
    const t = (2 * Math.PI * a) / RAYS;
    let last: [number, number] = [Math.round(ci), Math.round(cj)];
    for (let r = 0; r < NX; r += 0.25) {
      const p: [number, number] = [Math.round(ci + r * Math.cos(t)), Math.round(cj + r * Math.sin(t))];
      if (inTruth(p[0], p[1], k)) last = p;
    }
    pts.push([last[0] + dx, last[1]]);
  }
  return pts;
}

/** Slices of mask `m` (the truth) with at least `min` voxels. */
function truthSlices(min: number, m: Volume = truth): number[] {
  const out: number[] = [];
  for (let k = 0; k < NZ; k++) {
    let c = 0;
    for (let v = k * NX * NY; v < (k + 1) * NX * NY; v++) if (m.data[v]) c++;
    if (c >= min) out.push(k);
  }
  return out;
}

/** Screen position ↔ file voxel on the axial view, measured through the app's readout (clicks, before drawing). */
interface Calibration {
  /** Screen x, y of voxel (i, j) centre on a canvas at `box` (the canvas shrinks when the drawing toolbar opens). */
  toScreen(i: number, j: number, box?: Box): [number, number];
}
type Box = { x: number; y: number; width: number; height: number };

async function voxelAt(page: Page, x: number, y: number): Promise<number[]> {
  await page.mouse.click(x, y);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return (await readout(page)).voxel;
}

/**
 * NiiVue's single axial tile scales the slice's field of view to fit the canvas
 * and centres it; which file axis runs along screen x and y, and in which
 * sense, is read from two clicks, and the mapping is then checked on voxels
 * across the slice through the readout.
 */
async function calibrate(page: Page): Promise<Calibration> {
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  const [dx, dy] = [truth.spacing[0], truth.spacing[1]];
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const v0 = await voxelAt(page, cx, cy);
  const vx = await voxelAt(page, cx + 80, cy);
  const vy = await voxelAt(page, cx, cy + 80);
  const ax = Math.abs(vx[0]! - v0[0]!) > Math.abs(vx[1]! - v0[1]!) ? 0 : 1;
  const ay = 1 - ax;
  const sx = Math.sign(vx[ax]! - v0[ax]!);
  const sy = Math.sign(vy[ay]! - v0[ay]!);
  const n = [NX, NY];
  const mm = [NX * dx, NY * dy];
  const cal: Calibration = {
    toScreen(i, j, b = box) {
      const scale = Math.min(b.width / mm[ax]!, b.height / mm[ay]!);
      const left = b.x + b.width / 2 - (mm[ax]! * scale) / 2;
      const top = b.y + b.height / 2 - (mm[ay]! * scale) / 2;
      const perVoxel = [dx * scale, dy * scale];
      const v = [i, j];
      const fx = sx > 0 ? v[ax]! + 0.5 : n[ax]! - v[ax]! - 0.5;
      const fy = sy > 0 ? v[ay]! + 0.5 : n[ay]! - v[ay]! - 0.5;
      return [left + fx * perVoxel[ax]!, top + fy * perVoxel[ay]!];
    },
  };
  for (const [i, j] of [[30, 40], [60, 55], [48, 70]] as const) {
    const got = await voxelAt(page, ...cal.toScreen(i, j));
    expect(got.slice(0, 2), `readout at the calibrated position of voxel (${i}, ${j})`).toEqual([i, j]);
  }
  return cal;
}

async function goToSlice(page: Page, k: number): Promise<void> {
  for (let guard = 0; guard < 40; guard++) {
    const now = (await readout(page)).voxel[2]!;
    if (now === k) return;
    await page.keyboard.press(now < k ? 'ArrowUp' : 'ArrowDown');
    await expect.poll(async () => (await readout(page)).voxel[2]).not.toBe(now);
  }
  throw new Error(`could not reach slice ${k}`);
}

async function drawOutline(page: Page, cal: Calibration, pts: [number, number][]): Promise<void> {
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  const [x0, y0] = cal.toScreen(...pts[0]!, box);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (const p of [...pts.slice(1), pts[0]!]) await page.mouse.move(...cal.toScreen(...p, box));
  await page.mouse.up();
}

async function downloadVoi(page: Page, dir: string): Promise<Volume> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download VOI' }).click()]);
  const file = path.join(dir, `${Date.now()}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return readVolume(file);
}

/** Delineate on three slices with the outline-fill pen, interpolate, fill holes. */
async function delineate(page: Page, cal: Calibration, slices: number[], dx: number, m: Volume = truth): Promise<void> {
  await page.keyboard.press('KeyP'); // outline fill, as ITK-SNAP's polygon
  await expect(page.getByRole('button', { name: 'Fill', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await page.getByLabel('Pen size (voxels)').selectOption('1');
  for (const k of slices) {
    await goToSlice(page, k);
    const before = Number((await page.getByTestId('voi-drawn').innerText()).split(' ')[0]);
    await drawOutline(page, cal, outline(k, dx, m));
    await expect.poll(async () => Number((await page.getByTestId('voi-drawn').innerText()).split(' ')[0])).toBeGreaterThan(before);
  }
  const drawn = Number((await page.getByTestId('voi-drawn').innerText()).split(' ')[0]);
  await page.getByRole('button', { name: 'Interpolate' }).click();
  await expect.poll(async () => Number((await page.getByTestId('voi-drawn').innerText()).split(' ')[0])).toBeGreaterThan(drawn);
  await page.getByRole('button', { name: 'Fill holes' }).click();
}

// Fewer pixels for software WebGL to redraw on each pointer move.
test.use({ viewport: { width: 1000, height: 640 } });

test('delineate a demo tumour from nothing on three slices, save, reload; a blinded second observer gives mask2 and the agreement', async ({ page }) => {
  test.setTimeout(480_000);
  const cohort = writeCohort();
  const out = mkdtempSync(path.join(tmpdir(), 'hw-delin-dl-'));
  const rows = truthSlices(50);
  const slices = [rows[0]!, rows[Math.floor(rows.length / 2)]!, rows[rows.length - 1]!];
  await page.goto('/');
  await page.getByRole('button', { name: 'Axial' }).click();
  await page.getByTestId('folder-input').setInputFiles(cohort);
  await expect(page.getByTestId('series-info')).toContainText('96×96×14');
  await expect(page.getByRole('button', { name: 'Draw VOI' })).toBeEnabled();
  const cal = await calibrate(page);

  let first: Volume;
  await test.step('observer 1: three slices, interpolate, fill: Dice ≥ 0.85 against the truth', async () => {
    await page.getByRole('button', { name: 'Draw VOI' }).click();
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Drag on a slice to draw');
    await delineate(page, cal, slices, 0);
    await expect(page.getByTestId('voi-drawn-ml')).toHaveText(/^\d+\.\d\d mL$/);
    await page.getByRole('button', { name: 'Multiplanar' }).click();
    await page.screenshot({ path: path.join(SHOTS, 'delineation-drawing.png') });
    await page.getByRole('button', { name: 'Axial' }).click();
    await page.getByRole('button', { name: 'Save VOI' }).click();
    await expect(page.getByRole('status').filter({ hasText: /P001: mask\.nii\.gz saved \(\d+ voxels, [\d.]+ mL\)/ })).toBeVisible();
    first = await downloadVoi(page, out);
    expect(Array.from(first.size)).toEqual([NX, NY, NZ]);
    expect(Array.from(first.spacing).map((x) => +x.toFixed(4))).toEqual(Array.from(truth.spacing));
    const agree = maskAgreement(truth.data, first.data, 1);
    expect(agree.dice).toBeGreaterThanOrEqual(0.85);
  });

  await test.step('reload: the saved VOI comes back unchanged', async () => {
    await page.reload();
    await page.getByRole('button', { name: 'Axial' }).click();
    await page.getByTestId('folder-input').setInputFiles(cohort);
    await expect(page.getByRole('status').filter({ hasText: 'Drawn VOI P001/mask restored from the last session' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Edit VOI' })).toBeEnabled();
    const again = await downloadVoi(page, out);
    expect(Array.from(again.data)).toEqual(Array.from(first.data));
  });

  await test.step('observer 2, blinded: the first VOI is hidden; a drawing in progress survives a reload', async () => {
    await page.getByLabel('Observer').selectOption('2');
    await expect(page.getByRole('button', { name: 'Draw VOI' })).toBeEnabled();
    await expect(page.getByTestId('voi-size')).toHaveCount(0);
    await page.getByRole('button', { name: 'Draw VOI' }).click();
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Drag on a slice to draw');
    await expect(page.getByTestId('voi-drawn')).toHaveText('0 voxels');
    await page.keyboard.press('KeyP');
    await page.getByLabel('Pen size (voxels)').selectOption('1');
    await goToSlice(page, slices[1]!);
    await drawOutline(page, cal, outline(slices[1]!, 2));
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Unsaved changes');
    const drawn = await page.getByTestId('voi-drawn').innerText();
    // Give the in-progress copy its moment to reach IndexedDB, then kill the page's state with a reload.
    await page.waitForTimeout(1000);
    page.once('dialog', (d) => void d.accept());
    await page.reload();
    await page.getByRole('button', { name: 'Axial' }).click();
    await page.getByTestId('folder-input').setInputFiles(cohort);
    await page.getByLabel('Observer').selectOption('2');
    await page.getByRole('button', { name: 'Draw VOI' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'P001: the unsaved drawing of the last session is back' })).toBeVisible();
    await expect(page.getByTestId('voi-drawn')).toHaveText(drawn);
  });

  await test.step('observer 2 draws a shifted outline: mask2.nii.gz, and the Dice shown is the files\' Dice', async () => {
    // The middle slice came back from the last session: the other two, then interpolate and fill.
    await delineate(page, cal, [slices[0]!, slices[2]!], 2);
    await page.getByRole('button', { name: 'Save VOI' }).click();
    await expect(page.getByRole('status').filter({ hasText: /P001: mask2\.nii\.gz saved/ })).toBeVisible();
    const second = await downloadVoi(page, out);
    const agree = maskAgreement(first.data, second.data, (truth.spacing[0] * truth.spacing[1] * truth.spacing[2]) / 1000);
    expect(agree.dice).toBeLessThan(0.99);
    expect(agree.dice).toBeGreaterThan(0.5);
    await expect(page.getByTestId('observer-agreement')).toContainText(`Dice ${agree.dice.toFixed(3)} · ${agree.volumeA.toFixed(2)} vs ${agree.volumeB.toFixed(2)} mL`);
    // Back to observer 1: the first VOI again.
    await page.getByLabel('Observer').selectOption('1');
    const back = await downloadVoi(page, out);
    expect(Array.from(back.data)).toEqual(Array.from(first.data));
  });

  await test.step("grow-cut: the CPU automaton over the whole image gives NiiVue's drawGrowCut result; the seeds' box nearly the same", async () => {
    // Observer 1's VOI as VOI seeds and a background ring around the tumour on the middle slice.
    await page.getByRole('button', { name: 'Edit VOI' }).click();
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Drag on a slice to draw');
    const seeds = Number((await page.getByTestId('voi-drawn').innerText()).split(' ')[0]);
    await page.keyboard.press('KeyG');
    await page.getByLabel('Pen size (voxels)').selectOption('3');
    await goToSlice(page, slices[1]!);
    const ring = outline(slices[1]!, 0).map(([i, j], _, all) => {
      const [ci, cj] = [all.reduce((a, p) => a + p[0], 0) / all.length, all.reduce((a, p) => a + p[1], 0) / all.length];
      return [Math.round(ci + 1.8 * (i - ci)), Math.round(cj + 1.8 * (j - cj))] as [number, number];
    });
    await drawOutline(page, cal, ring);
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Unsaved changes');
    const grown: Record<string, Uint8Array> = {};
    for (const engine of ['niivue', 'cpu', 'box']) {
      await page.evaluate((e) => history.replaceState(null, '', `?grow-cut=${e}`), engine);
      await page.getByRole('button', { name: 'Grow-cut' }).click();
      await expect.poll(async () => Number((await page.getByTestId('voi-drawn').innerText()).split(' ')[0])).not.toBe(seeds);
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download drawing' }).click()]);
      const file = path.join(out, `${engine}-${dl.suggestedFilename()}`);
      await dl.saveAs(file);
      grown[engine] = Uint8Array.from((await readVolume(file)).data);
      await page.getByRole('button', { name: 'Undo' }).click();
      await expect(page.getByTestId('voi-drawn')).toHaveText(`${seeds} voxels`);
    }
    await page.evaluate(() => history.replaceState(null, '', '/'));
    const agree = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + (v === b[i] ? 1 : 0), 0);
    const [gpu, cpu, box] = [grown.niivue!, grown.cpu!, grown.box!];
    console.log(`grow-cut voxel agreement: CPU whole image vs NiiVue ${agree(cpu, gpu)}/${gpu.length}, seeds' box vs NiiVue ${agree(box, gpu)}/${gpu.length}, box vs CPU whole ${agree(box, cpu)}; VOI voxels ${[gpu, cpu, box].map((m) => m.filter((v) => v === 1).length).join(' / ')}`);
    expect(gpu.filter((v) => v === 1).length).toBeGreaterThan(seeds);
    // The same rule: they differ only on the grid's faces, where WebGL leaves the shader's out-of-range reads to the implementation.
    const onFace = (i: number) => [i % NX, Math.floor(i / NX) % NY, Math.floor(i / (NX * NY))].some((c, a) => c === 0 || c === [NX, NY, NZ][a]! - 1);
    const differ = gpu.reduce<number[]>((out, v, i) => (v !== cpu[i] ? [...out, i] : out), []);
    expect(differ.filter((i) => !onFace(i))).toEqual([]);
    expect(differ.length / gpu.length).toBeLessThan(0.001);
    expect(agree(box, cpu) / gpu.length).toBeGreaterThan(0.99);
  });
});

test("observer 2 on a demo patient reaches the study's workers; the Feature ICCs shown before a run are the core's to 1e-9", async ({ page }) => {
  test.setTimeout(600_000);
  const out = mkdtempSync(path.join(tmpdir(), 'hw-delin-icc-'));
  const demo = { patients: 60, seed: 2025 };
  // Demo patient P005 (tumour on 5 slices) has no second VOI; of the first 15, five others have the demo's own.
  const drawnOn = generateDemoPatient(4, demo);
  expect(drawnOn.mask2).toBeUndefined();
  await page.goto('/');
  await page.getByRole('button', { name: 'Load demo cohort' }).click();
  await page.getByRole('tab', { name: 'Study' }).click();
  await page.getByRole('button', { name: 'Quick demo settings' }).click();
  await page.getByLabel('Patients (0 = all)').fill('15');
  await page.getByLabel('N4 bias correction').uncheck();
  await page.getByLabel('Registration').selectOption('none');
  await page.getByRole('tab', { name: 'Review' }).click();
  await expect(page.getByTestId('observer-pairs')).toHaveText('5 patients with two VOIs');
  await page.getByRole('button', { name: 'Axial' }).click();
  await page.getByRole('button', { name: /^P005/ }).click();
  await expect(page.getByTestId('series-info')).toContainText('96×96×14');
  const cal = await calibrate(page);

  let second: Volume;
  await test.step('observer 2 draws P005 (a shifted outline on its first and last slices, interpolated): mask2.nii.gz', async () => {
    await page.getByLabel('Observer').selectOption('2');
    await page.getByRole('button', { name: 'Draw VOI' }).click();
    await expect(page.getByTestId('voi-edit-state')).toHaveText('Drag on a slice to draw');
    const rows = truthSlices(50, drawnOn.mask);
    await delineate(page, cal, [rows[0]!, rows[rows.length - 1]!], 1, drawnOn.mask);
    await page.getByRole('button', { name: 'Save VOI' }).click();
    await expect(page.getByRole('status').filter({ hasText: /P005: mask2\.nii\.gz saved/ })).toBeVisible();
    second = await downloadVoi(page, out);
    await expect(page.getByTestId('observer-pairs')).toHaveText('6 patients with two VOIs');
  });

  await test.step("Feature ICCs: computed in a worker, P005's drawn VOI included, every value the core's", async () => {
    await page.getByRole('button', { name: 'Feature ICCs' }).click();
    // The same computation in Node, meanwhile: the app's settings (Quick demo settings, N4 off, no registration), the demo's VOIs and the downloaded mask2.
    const config = studyConfigFrom({ preprocessing: { n4: false, register: 'none' } });
    const params = parseParams(stringify({ ...PAPER_EXTRACTION_PARAMS, imageType: { Original: {} } }), 'params.yaml');
    // The whole cohort of 15 and the demo's clinical table: the study's split and habitat models, so habitat rows too.
    const sources = Array.from({ length: 15 }, (_, i) => i).map((i) => ({
      id: demoPatientId(i),
      load: async () => {
        const p = generateDemoPatient(i, demo);
        return { id: p.id, series: p.series, mask: p.mask, mask2: i === 4 ? second : p.mask2 };
      },
    }));
    const clinical = parseClinicalCsv('demo clinical.csv', demoClinicalCsv(demo), { idColumn: config.id, outcomeColumn: config.outcome, positive: config.positive, categorical: config.clinical.categorical });
    const inNode = observerIccBeforeRun(sources, config, params, { clinical });
    const section = page.getByRole('region', { name: 'Feature ICCs before the study' });
    const table = section.getByTestId('observer-icc');
    await expect(table).toBeVisible({ timeout: 400_000 });
    await expect(section.getByTestId('observer-preview-scope')).toContainText("the study's habitat models");
    await table.locator('summary').click();
    await section.screenshot({ path: path.join(SHOTS, 'delineation-feature-iccs.png') });
    const shown = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ region: tr.getAttribute('data-region')!, feature: tr.getAttribute('data-feature')!, icc: tr.querySelector('[data-icc]')!.getAttribute('data-icc')!, kept: tr.lastElementChild!.textContent === 'kept' })),
    );
    const patients = (await table.getAttribute('data-patients'))!.split(',');
    const node = await inNode;
    expect(patients).toEqual(node.table.patients);
    expect(patients).toContain('P005');
    expect(patients).toHaveLength(6);
    expect(shown.length).toBe(node.table.rows.length);
    expect(shown.length).toBeGreaterThan(50);
    expect(node.noHabitats).toBeUndefined();
    const habitatRows = shown.filter((r) => /\|Hab\d+$/.test(r.region));
    expect(habitatRows.length).toBeGreaterThan(50);
    expect(habitatRows.some((r) => r.icc !== '')).toBe(true);
    node.table.rows.forEach((r, n) => {
      const s = shown[n]!;
      expect([s.region, s.feature]).toEqual([r.region, r.feature]);
      expect(s.kept, `${r.region} ${r.feature}`).toBe(r.kept);
      if (r.icc === null) expect(s.icc).toBe('');
      else expect(Math.abs(Number(s.icc) - r.icc), `${r.region} ${r.feature}`).toBeLessThanOrEqual(1e-9);
    });
    expect(node.table.rows.some((r) => !r.kept)).toBe(true);
  });
});
