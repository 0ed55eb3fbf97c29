import { defineConfig } from 'vitest/config';

// Unit tests only: the Playwright specs in e2e/ are run by `playwright test`.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'workers/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**', 'dist/**'],
    environment: 'node',
    // Safety nets against a hang, never speed requirements (a shared CI machine
    // may give a test half a core): no test sets a tighter one of its own.
    testTimeout: 20 * 60_000,
    hookTimeout: 20 * 60_000,
    pool: 'forks',
  },
});
