import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { viteStaticCopy } from 'vite-plugin-static-copy';

/**
 * The app is offline by design: everything it loads comes from its own origin.
 * - COOP/COEP make the page cross-origin isolated (SharedArrayBuffer for workers).
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
 * itk-wasm fetches its WebAssembly pipelines from a CDN unless told otherwise;
 * serve only the readers the workbench uses from the app itself (under /itk/…),
 * and io-browser.ts points setPipelinesBaseUrl at them.
 */
const IMAGE_IO_PIPELINES = ['nifti-read-image', 'nrrd-read-image', 'meta-read-image', 'gdcm-read-image'];
const DICOM_PIPELINES = ['read-image-dicom-file-series'];

function pipelineTargets(pkg: string, names: string[], dest: string) {
  return names.map((n) => ({ src: `node_modules/${pkg}/dist/pipelines/${n}.{js,wasm.zst}`, dest }));
}

export default defineConfig({
  plugins: [
    react(),
    cspMetaTag(),
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
