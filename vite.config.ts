import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { viteStaticCopy } from 'vite-plugin-static-copy';
import { VitePWA, type ManifestOptions } from 'vite-plugin-pwa';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The app is offline by design: everything it loads comes from its own origin.
 * - COOP/COEP make `npm start` / `npm run dev` cross-origin isolated. The app does
 *   not need it (no SharedArrayBuffer): dist/ runs on a plain static server with
 *   no special headers (docs/deploy.md; isolation measured in BENCHMARKS.md).
 * - The Content-Security-Policy forbids any other origin; only same-origin,
 *   blob: and data: URLs load, and WebAssembly may be compiled ('wasm-unsafe-eval').
 */
const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "font-src 'self' data:",
  // React's style attributes and NiiVue's canvas sizing set inline styles.
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** The same policy as a <meta> tag in the built index.html, so it holds whatever server serves dist/. */
function cspMetaTag(): Plugin {
  return {
    name: 'habitat-csp-meta',
    apply: 'build',
    transformIndexHtml() {
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }];
    },
  };
}

/**
 * Installable app (manifest.webmanifest, icons in public/): its own window, and
 * relative URLs so dist/ works from any path (http://host/tools/habitat/).
 */
const MANIFEST: Partial<ManifestOptions> = {
  name: 'Habitat Workbench',
  short_name: 'Habitat',
  description: 'Offline, browser-based research workbench for MRI habitat radiomics',
  start_url: './',
  scope: './',
  display: 'standalone',
  background_color: '#0f1216',
  theme_color: '#0f1216',
  icons: [
    { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
    { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
    { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
    { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
};

/** The list of precached files, written beside sw.js for `npm run check-deploy` and BENCHMARKS.md. */
export const PRECACHE_LIST = 'precache-manifest.json';

/**
 * The service worker (workbox, generated at build): every file of dist/ —
 * scripts, workers, the itk-wasm pipelines, icons — is precached at install,
 * each with its revision, so the app opens and runs a whole study offline
 * after the first visit. A new version waits until the user reloads from the
 * one-line notice (src/ui/offline/app-update.ts); old entries are removed on
 * activation.
 */
function serviceWorker(): Plugin[] {
  let outDir = 'dist';
  return [
    {
      name: 'habitat-outdir',
      apply: 'build',
      configResolved(c) {
        outDir = path.resolve(c.root, c.build.outDir);
      },
    },
    ...VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: MANIFEST,
      includeManifestIcons: true,
      workbox: {
        cacheId: 'habitat-workbench',
        globPatterns: ['**/*'],
        // IIS settings (docs/deploy.md) and the list below are not part of the app.
        globIgnores: ['web.config', PRECACHE_LIST],
        // elastix.wasm.zst is 2.4 MB; the largest script chunk a few MB.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        // Vite's hashed file names already change with their content.
        dontCacheBustURLsMatching: /^assets\//,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: false,
        manifestTransforms: [
          (entries) => {
            const list = entries.map((e) => ({ url: e.url, revision: e.revision, size: e.size }));
            writeFileSync(path.join(outDir, PRECACHE_LIST), `${JSON.stringify({ files: list }, null, 1)}\n`);
            return { manifest: entries, warnings: [] };
          },
        ],
      },
    }),
  ];
}

/**
 * itk-wasm fetches its WebAssembly pipelines from a CDN unless told otherwise;
 * serve only the readers the workbench uses from the app itself (under /itk/…),
 * and io-browser.ts points setPipelinesBaseUrl at them.
 */
const IMAGE_IO_PIPELINES = ['nifti-read-image', 'nrrd-read-image', 'meta-read-image', 'gdcm-read-image'];
const DICOM_PIPELINES = ['read-image-dicom-file-series', 'read-segmentation'];

function pipelineTargets(pkg: string, names: string[], dest: string) {
  return names.map((n) => ({ src: `node_modules/${pkg}/dist/pipelines/${n}.{js,wasm.zst}`, dest }));
}

export default defineConfig({
  // Relative URLs: dist/ runs from any path of any static server.
  base: './',
  plugins: [
    react(),
    cspMetaTag(),
    ...serviceWorker(),
    viteStaticCopy({
      targets: [
        ...pipelineTargets('@itk-wasm/image-io', IMAGE_IO_PIPELINES, 'itk/image-io'),
        ...pipelineTargets('@itk-wasm/dicom', DICOM_PIPELINES, 'itk/dicom'),
        // Rigid registration of the study's preprocessing (workers/study.worker.ts).
        ...pipelineTargets('@itk-wasm/elastix', ['elastix'], 'itk/elastix'),
      ],
    }),
  ],
  server: {
    host: '127.0.0.1',
    headers: { ...CROSS_ORIGIN_ISOLATION },
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
    headers: { ...CROSS_ORIGIN_ISOLATION, 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  },
  worker: { format: 'es' },
  // Pre-bundling would break itk-wasm's `new URL('./…worker.js', import.meta.url)` in dev mode.
  optimizeDeps: { exclude: ['itk-wasm', '@itk-wasm/image-io', '@itk-wasm/dicom', '@itk-wasm/elastix'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    sourcemap: false,
  },
});
