import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Cross-origin isolation (COOP + COEP) is needed for SharedArrayBuffer, which the
// multi-threaded tfjs wasm backend uses. Every server that shows the app sends it:
// dev, preview and therefore the e2e tests, so what we test is what users run.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Real BraTS volumes are 240×240×155×4; reading them takes a few seconds on 2 cores.
    testTimeout: 60_000,
  },
});
