#!/usr/bin/env node
/**
 * `npm start`: build the app if dist/ is missing or stale, then serve the
 * production build with `vite preview` on 127.0.0.1 (PORT, default 4173).
 * Everything is served from this machine; the app makes no other request.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build-if-needed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.PORT ?? '4173';
if (!/^\d+$/.test(port)) {
  console.error(`start: PORT must be a number, got "${port}"`);
  process.exit(2);
}

buildIfNeeded();
console.error(`start: Habitat Workbench at http://127.0.0.1:${port}/ (Ctrl+C stops)`);
const child = spawn(
  process.execPath,
  [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--host', '127.0.0.1', '--port', port, '--strictPort'],
  { cwd: root, stdio: 'inherit' },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
