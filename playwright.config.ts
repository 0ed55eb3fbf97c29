import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests against the production build served by `vite preview`
 * (npm run e2e builds it first), in Debian's Chromium — never a downloaded
 * browser. The flags give WebGL2 through SwiftShader for NiiVue and stop
 * Chromium's own background traffic; the tests fail on any request that
 * leaves 127.0.0.1.
 */
const PORT = Number(process.env.E2E_PORT ?? 4174);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // Safety nets against a hang, never speed requirements: SwiftShader renders
  // WebGL on the CPU, and a shared CI machine may give the browser half a core.
  timeout: 30 * 60_000,
  expect: { timeout: 120_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    viewport: { width: 1200, height: 760 },
    // The built app registers a service worker; only e2e/offline.spec.ts allows it (test.use).
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
        '--ignore-gpu-blocklist',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
