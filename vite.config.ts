import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from './csp.ts';
import { elastixPipelinePlugin } from './elastixPipelinePlugin.ts';

// @niivue/dcm2niix's exports map only exposes an entry that starts the package's own worker;
// the app runs its Emscripten module and wasm in its own worker (src/worker/dicom.worker.ts),
// so its dist/ folder gets a name of its own. Found the way Node finds the package.
const dcm2niixDist = fileURLToPath(new URL('.', import.meta.resolve('@niivue/dcm2niix'))).replace(/\/$/, '');

// Cross-origin isolation (COOP + COEP) is needed for SharedArrayBuffer, which the
// multi-threaded tfjs wasm backend uses. Every server that shows the app sends it:
// dev, preview and therefore the e2e tests, so what we test is what users run.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Writes the policy into the built index.html (csp.ts says why a meta tag and not only a header). */
const cspMeta: Plugin = {
  name: 'attune-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
};

export default defineConfig({
  plugins: [
    react(),
    cspMeta,
    // elastix's wasm pipeline (registration, src/worker/registration.worker.ts) under fixed names.
    elastixPipelinePlugin(),
    // Offline: a service worker precaches the whole app — code, the wasm binaries, the
    // model (model.json + weights), the demo case and elastix's pipeline (.zst) — so a laptop without network keeps
    // working after one visit. Everything is served from the app's own origin.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'Attune — brain tumour segmentation that adapts to each scan',
        short_name: 'Attune',
        description: 'Brain tumour segmentation in the browser with test-time adaptation; nothing leaves the machine.',
        theme_color: '#2f6fde',
        background_color: '#f3f5f8',
        display: 'standalone',
        icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{html,js,css,svg,wasm,zst,json,bin,gz,webmanifest}'],
        // The model weights (~8 MB) and each demo scan (~2 MB) exceed workbox's 2 MiB default.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // Never fetch workbox from a CDN.
        inlineWorkboxRuntime: true,
      },
    }),
  ],
  resolve: { alias: { '@niivue/dcm2niix-dist': dcm2niixDist } },
  server: { headers: crossOriginIsolation },
  preview: { headers: { ...crossOriginIsolation, 'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER } },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  worker: {
    format: 'es',
    // Not minified: tfjs's multi-threaded wasm backend serialises its Emscripten factory
    // (Function.toString) into its pthread workers, and a minifier renames the closure
    // variable the factory guards with `typeof _scriptDir`, which then throws there.
    rolldownOptions: { output: { minify: false } },
  },
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    // Real BraTS volumes are 240×240×155×4; reading them takes a few seconds on 2 cores.
    testTimeout: 60_000,
    // vitest's default is one worker per core minus one: a single worker on CI's 2 cores. The
    // test processes are mostly single-threaded (tfjs-wasm and elastix in Node) and the
    // raw-study ground truth takes minutes per case, so both cores run test files.
    maxWorkers: 2,
  },
});
