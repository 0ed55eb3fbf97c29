/**
 * `npm run check-deploy`: a copy of a build served by a plain static server
 * passes; each way a deployment goes wrong (a missing file, a script served
 * with a type the browser refuses, a file of another version, index.html
 * answered for a missing file) is one line naming the file.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDeploy } from '../../scripts/check-deploy.mjs';
import { serveStatic, type StaticServer, type StaticServerOptions } from '../../e2e/static-server.js';

const FILES: Record<string, string> = {
  'index.html': '<!doctype html><html><head><link rel="manifest" href="./manifest.webmanifest"></head></html>',
  'manifest.webmanifest': '{"name":"x"}',
  'assets/index-abc.js': 'console.log(1)',
  'itk/elastix/elastix.wasm.zst': '\u0028\u00b5\u002f\u00fd binary',
  'sw.js': 'self.addEventListener("fetch", () => {})',
};
const md5 = (s: string) => createHash('md5').update(Buffer.from(s, 'utf8')).digest('hex');

let dir: string;
let server: StaticServer | null = null;

function writeBuild(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  const list = Object.keys(FILES)
    .filter((n) => n !== 'sw.js')
    .map((url) => ({ url, revision: url.startsWith('assets/') ? null : md5(FILES[url]!), size: Buffer.byteLength(FILES[url]!) }));
  writeFileSync(path.join(dir, 'precache-manifest.json'), JSON.stringify({ files: list }));
}

async function check(options: StaticServerOptions = {}) {
  server = await serveStatic(dir, '/tools/habitat/', options);
  return checkDeploy(server.url);
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hw-deploy-'));
});
afterEach(async () => {
  await server?.close();
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('check-deploy', () => {
  it('passes a complete copy at a sub-path, counting every listed file and sw.js', async () => {
    writeBuild(FILES);
    const r = await check();
    expect(r.problems).toEqual([]);
    expect(r.files).toBe(5);
    expect(r.bytes).toBe(Object.values(FILES).reduce((n, s) => n + Buffer.byteLength(s), 0));
    expect(r.notes).toEqual([]);
    expect(r.url).toMatch(/\/tools\/habitat\/$/);
  });

  it('names a missing file', async () => {
    const { ['itk/elastix/elastix.wasm.zst']: _missing, ...rest } = FILES;
    writeBuild(rest);
    const r = await check();
    expect(r.problems).toEqual([`${server!.url}itk/elastix/elastix.wasm.zst: HTTP 404`]);
  });

  it('names a script served with a type browsers refuse for module scripts', async () => {
    writeBuild(FILES);
    const r = await check({ types: { '.js': 'application/octet-stream' } });
    expect(r.problems).toEqual([
      `${server!.url}assets/index-abc.js: served as "application/octet-stream", the browser needs a JavaScript type (text/javascript)`,
      `${server!.url}sw.js: served as "application/octet-stream", the browser needs a JavaScript type (text/javascript)`,
    ]);
  });

  it('names a file of another version (same size, other content)', async () => {
    writeBuild({ ...FILES, 'manifest.webmanifest': '{"name":"y"}' });
    const r = await check();
    expect(r.problems).toEqual([`${server!.url}manifest.webmanifest: content differs from the build (another version?)`]);
  });

  it('names index.html served in place of a missing file', async () => {
    const { ['itk/elastix/elastix.wasm.zst']: _missing, ...rest } = FILES;
    writeBuild(rest);
    const r = await check({ indexFallback: true });
    expect(r.problems[0]).toBe(`${server!.url}itk/elastix/elastix.wasm.zst: an HTML page came back instead of the file (a fallback to index.html?)`);
  });

  it('says when the folder served is not the app', async () => {
    writeBuild(FILES);
    server = await serveStatic(dir, '/other/');
    const r = await checkDeploy(server.url.replace('/other/', '/tools/habitat/'));
    expect(r.problems).toEqual([`${server.url.replace('/other/', '/tools/habitat/')}: HTTP 404 (is the folder that holds index.html served at this path?)`]);
  });

  it('notes that plain HTTP off localhost allows no offline use', async () => {
    const r = await checkDeploy('http://192.0.2.1:9/', { fetch: () => Promise.reject(new Error('unreachable')) });
    expect(r.problems).toEqual(['http://192.0.2.1:9/: cannot connect (unreachable)']);
    expect(r.notes).toEqual(['http://192.0.2.1:9 is plain HTTP: the app runs, but browsers allow offline use and "Install" only over HTTPS (or on localhost); see docs/deploy.md']);
  });
});
