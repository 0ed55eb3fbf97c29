#!/usr/bin/env node
/**
 * Checks that a deployed copy of dist/ works, from any machine with Node ≥ 20
 * (no npm install needed):
 *   npm run check-deploy -- http://intranet.example/tools/habitat/
 *   node scripts/check-deploy.mjs http://intranet.example/tools/habitat/
 * Reads the build's precache-manifest.json (every file the app and its
 * service worker need), fetches each file and checks it is there, complete
 * (size and, where recorded, the build's MD5 revision) and served with a type
 * the browser accepts (a module script must be JavaScript; a missing file
 * must not come back as index.html). One line per problem; exit code 1 if any.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const JS = /^(text|application)\/(x-)?(javascript|ecmascript)\b/;

/** What each kind of file must be served as; `null`: any type but HTML. */
function expectedType(url) {
  if (/\.m?js$/.test(url)) return { re: JS, what: 'a JavaScript type (text/javascript)' };
  if (url.endsWith('.css')) return { re: /^text\/css\b/, what: 'text/css' };
  if (url.endsWith('.html')) return { re: /^text\/html\b/, what: 'text/html' };
  if (url.endsWith('.png')) return { re: /^image\/png\b/, what: 'image/png' };
  if (url.endsWith('.svg')) return { re: /^image\/svg\+xml\b/, what: 'image/svg+xml' };
  return null;
}

function startsLikeHtml(bytes) {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

/**
 * @param {string} appUrl the URL the app is opened at
 * @param {{ fetch?: typeof fetch }} [options]
 * @returns {Promise<{ url: string, files: number, bytes: number, problems: string[], notes: string[] }>}
 */
export async function checkDeploy(appUrl, options = {}) {
  const get = options.fetch ?? fetch;
  const base = new URL(appUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const url = base.href;
  const problems = [];
  const notes = [];
  const report = () => ({ url, files: 0, bytes: 0, problems, notes });
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(base.hostname);
  if (base.protocol !== 'https:' && !local) {
    notes.push(`${base.origin} is plain HTTP: the app runs, but browsers allow offline use and "Install" only over HTTPS (or on localhost); see docs/deploy.md`);
  }

  let page;
  try {
    page = await get(url);
  } catch (e) {
    problems.push(`${url}: cannot connect (${e instanceof Error ? (e.cause?.message ?? e.message) : String(e)})`);
    return report();
  }
  if (!page.ok) {
    problems.push(`${url}: HTTP ${page.status} (is the folder that holds index.html served at this path?)`);
    return report();
  }
  const html = await page.text();
  if (!/<link rel="manifest"/.test(html)) problems.push(`${url}: the page is not the workbench's index.html (no web app manifest link)`);

  const listUrl = new URL('precache-manifest.json', url).href;
  const listRes = await get(listUrl).catch(() => null);
  if (!listRes?.ok) {
    problems.push(`${listUrl}: ${listRes ? `HTTP ${listRes.status}` : 'cannot fetch'}; copy the whole dist/ folder of a build of this version`);
    return report();
  }
  let list;
  try {
    list = await listRes.json();
  } catch {
    problems.push(`${listUrl}: not JSON (served as ${listRes.headers.get('content-type') ?? 'no type'})`);
    return report();
  }
  const files = [...list.files, { url: 'sw.js', revision: null, size: null }];
  let bytes = 0;
  for (const f of files) {
    const fileUrl = new URL(f.url, url).href;
    let res;
    try {
      res = await get(fileUrl);
    } catch (e) {
      problems.push(`${fileUrl}: cannot fetch (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    if (!res.ok) {
      problems.push(`${fileUrl}: HTTP ${res.status}`);
      continue;
    }
    const body = new Uint8Array(await res.arrayBuffer());
    bytes += body.length;
    const type = res.headers.get('content-type') ?? '';
    const want = expectedType(f.url);
    if (want && !want.re.test(type)) problems.push(`${fileUrl}: served as "${type || 'no type'}", the browser needs ${want.what}`);
    if (!want && (/^text\/html\b/.test(type) || startsLikeHtml(body))) problems.push(`${fileUrl}: an HTML page came back instead of the file (a fallback to index.html?)`);
    if (f.size != null && body.length !== f.size) problems.push(`${fileUrl}: ${body.length} bytes, the build has ${f.size} (incomplete or another version)`);
    else if (f.revision && createHash('md5').update(body).digest('hex') !== f.revision) problems.push(`${fileUrl}: content differs from the build (another version?)`);
  }
  return { url, files: files.length, bytes, problems, notes };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2];
  if (!target || !/^https?:\/\//.test(target)) {
    console.error('check-deploy: give the URL the app is opened at, e.g. npm run check-deploy -- http://host/tools/habitat/');
    process.exit(2);
  }
  const r = await checkDeploy(target);
  for (const p of r.problems) console.error(`check-deploy: ${p}`);
  for (const n of r.notes) console.error(`check-deploy: note: ${n}`);
  if (r.problems.length > 0) {
    console.error(`check-deploy: ${r.problems.length} problem(s) at ${r.url}`);
    process.exit(1);
  }
  console.error(`check-deploy: ok, ${r.files} files (${(r.bytes / 1e6).toFixed(1)} MB) served as the app needs them at ${r.url}`);
}
