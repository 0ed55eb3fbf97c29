/**
 * The Playwright `test` of the workbench: every test fails if the page logs a
 * console error or throws, or if any request goes to a host other than
 * 127.0.0.1 / localhost (such requests are also aborted).
 */
import { test as base, expect, type Page } from '@playwright/test';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isExternal(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return true;
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return false;
  return !LOCAL_HOSTS.has(u.hostname);
}

interface Watch {
  external: string[];
  consoleErrors: string[];
}

export const test = base.extend<{ watch: Watch }>({
  watch: [
    async ({ context, page }, use) => {
      const watch: Watch = { external: [], consoleErrors: [] };
      await context.route(
        (url) => isExternal(url.href),
        (route) => {
          watch.external.push(route.request().url());
          return route.abort('blockedbyclient');
        },
      );
      context.on('request', (r) => {
        if (isExternal(r.url())) watch.external.push(r.url());
      });
      // Every tab of the context, including ones a test opens later (e.g. after killing one).
      const watchPage = (p: Page) => {
        p.on('console', (m) => {
          if (m.type() === 'error') watch.consoleErrors.push(m.text());
        });
        p.on('pageerror', (e) => watch.consoleErrors.push(`uncaught: ${e.message}`));
        p.on('worker', (w) => {
          w.on('console', (m) => {
            if (m.type() === 'error') watch.consoleErrors.push(`worker: ${m.text()}`);
          });
        });
      };
      watchPage(page);
      context.on('page', watchPage);
      await use(watch);
      expect(watch.external, 'requests that left the machine').toEqual([]);
      expect(watch.consoleErrors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * The bound on a wait for long work (a study run, a model applied): a safety
 * net against a hang, never a speed requirement. A shared CI machine may give
 * the browser half a core, so it is generous; the test's own time-out
 * (playwright.config.ts) is the outer bound. Speed is measured by
 * bench/browser-study.ts, never asserted.
 */
export const LONG_WAIT = 25 * 60_000;

/** Background colour of the viewer (NiiVue backColor in Viewer.tsx), 0–255. */
const BACKGROUND = [10, 13, 18];

/**
 * Fraction of the viewer canvas's pixels that differ from the background,
 * measured on a real screenshot (what a user sees), decoded in the page.
 */
export async function nonBackgroundFraction(page: Page): Promise<number> {
  const canvas = page.getByTestId('viewer-canvas');
  const png = await canvas.screenshot();
  return page.evaluate(
    async ({ b64, bg }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const off = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = off.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(bitmap, 0, 0);
      const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      let differ = 0;
      for (let p = 0; p < data.length; p += 4) {
        if (Math.abs(data[p]! - bg[0]!) > 24 || Math.abs(data[p + 1]! - bg[1]!) > 24 || Math.abs(data[p + 2]! - bg[2]!) > 24) differ++;
      }
      return differ / (data.length / 4);
    },
    { b64: png.toString('base64'), bg: BACKGROUND },
  );
}

/** Voxel index and intensity shown in the status bar after a click in the viewer. */
export async function readout(page: Page): Promise<{ voxel: number[]; intensity: number; text: string }> {
  const text = await page.getByTestId('readout').innerText();
  const m = /voxel\s+(-?\d+),\s*(-?\d+),\s*(-?\d+)/.exec(text);
  const intensity = Number(await page.getByTestId('intensity').innerText());
  if (!m) throw new Error(`no voxel in readout "${text}"`);
  return { voxel: [Number(m[1]), Number(m[2]), Number(m[3])], intensity, text };
}

/** Fraction of the viewer's pixels that are strongly coloured (habitat overlay), from a real screenshot. */
export async function colourfulFraction(page: Page): Promise<number> {
  const png = await page.getByTestId('viewer-canvas').screenshot();
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const off = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = off.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    let n = 0;
    for (let p = 0; p < data.length; p += 4) if (Math.max(data[p]!, data[p + 1]!, data[p + 2]!) - Math.min(data[p]!, data[p + 1]!, data[p + 2]!) > 90) n++;
    return n / (data.length / 4);
  }, png.toString('base64'));
}
