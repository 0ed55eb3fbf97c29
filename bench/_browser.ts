/**
 * Shared set-up of the browser benchmarks: Debian's Chromium with the flags of
 * playwright.config.ts; the run serialised with the e2e tests and other
 * browser benches under `flock /tmp/e2e.lock` (they rebuild dist/); the build
 * (scripts/build-if-needed.mjs); a private copy of dist/ served by `vite
 * preview` on 127.0.0.1 (another session rebuilding dist/ during a run would
 * swap the chunks under the page).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LOCK = '/tmp/e2e.lock';

export interface BrowserBench {
  base: string;
  launchArgs: string[];
  /** Starts vite preview on the private copy of dist/. */
  serve(): Promise<ChildProcess>;
  /** Deletes the private copy. */
  cleanUp(): void;
}

/**
 * Everything before the browser starts. Exits the process when there is no
 * Chromium (one line, exit 0), when the build fails, or after re-running the
 * script `scriptUrl` under the lock.
 */
export async function browserBench(name: string, scriptUrl: string, port: number): Promise<BrowserBench> {
  if (!existsSync(CHROMIUM)) {
    console.error(`${name}: skipped — no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
    process.exit(0);
  }
  if (!process.env.HABITAT_BENCH_LOCKED && existsSync('/usr/bin/flock')) {
    const r = spawnSync('/usr/bin/flock', [LOCK, process.execPath, ...process.execArgv, fileURLToPath(scriptUrl)], {
      stdio: 'inherit',
      env: { ...process.env, HABITAT_BENCH_LOCKED: '1' },
    });
    process.exit(r.status ?? 1);
  }
  const { default: config } = await import('../playwright.config.js');
  const launchArgs = config.use?.launchOptions?.args ?? [];
  const build = spawnSync(process.execPath, [path.join(repo, 'scripts/build-if-needed.mjs')], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) {
    console.error(`${name}: the build failed`);
    process.exit(1);
  }
  const served = path.join(repo, 'node_modules', '.cache', `habitat-bench-dist-${port}`);
  rmSync(served, { recursive: true, force: true });
  cpSync(path.join(repo, 'dist'), served, { recursive: true });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    launchArgs,
    cleanUp: () => rmSync(served, { recursive: true, force: true }),
    async serve() {
      const server = spawn(process.execPath, [path.join(repo, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', served], {
        cwd: repo,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const t0 = Date.now();
      while (Date.now() - t0 < 60_000) {
        if (server.exitCode !== null) throw new Error(`vite preview exited (code ${server.exitCode}); is port ${port} taken?`);
        try {
          if ((await fetch(`${base}/`)).ok) return server;
        } catch {
          /* not up yet */
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      server.kill();
      throw new Error(`vite preview did not answer on ${base} within 60 s`);
    },
  };
}
