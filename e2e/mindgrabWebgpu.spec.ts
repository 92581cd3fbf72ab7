import { expect, test, type Browser } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { gunzipSync } from 'fflate';
import { createServer, type ViteDevServer } from 'vite';
import type { MindgrabBrowserRun } from '../bench/mindgrabBrowser.ts';

/**
 * The real MindGrab (public/models/mindgrab/, 25 layers × 15 channels) on Chromium's WebGPU
 * adapter against wasm, on the same small input: a 16³ cube of brainchop's t1_crop.nii.gz as
 * MindGrab sees it (conformed, quantile-normalised, cut at the vertex: air, scalp, skull and
 * brain; `e2e/data/mindgrab-t1crop-vertex-16.f32.gz`, written by
 * `npx tsx bench/mindgrabWebgpu.ts --edge 16 --top 12 --fixture …`). Every kernel MindGrab
 * launches runs on each backend (dilations 16…1 reach past the cube: its zero padding), with the
 * chunk plan fitted to the WebGPU device's limits. The two must give the same probabilities to
 * float precision and the same p > 0.5 mask. The app's bundle has no entry for the network
 * alone, so the page is the bench's (bench/mindgrabBrowser.html), served by a Vite dev server this
 * spec starts; the software adapter compiles each shader slowly, hence the small cube. Larger
 * inputs and timings: bench/mindgrabWebgpu.ts, records in bench/runs/skullStrip/.
 */
const DIMS: [number, number, number] = [16, 16, 16];
const input = gunzipSync(new Uint8Array(readFileSync('e2e/data/mindgrab-t1crop-vertex-16.f32.gz')));

/** A port nothing listens on now (other e2e servers may run beside this one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

let server: ViteDevServer;
let PORT = 0;
test.beforeAll(async () => {
  PORT = await freePort();
  server = await createServer({ server: { port: PORT, strictPort: true, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
});
test.afterAll(async () => {
  await server?.close();
});

async function mindgrabOn(browser: Browser, backend: 'webgpu' | 'wasm'): Promise<MindgrabBrowserRun> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/mindgrab-input.bin', (route) => route.fulfill({ body: Buffer.from(input), contentType: 'application/octet-stream' }));
  await page.goto(`http://127.0.0.1:${PORT}/bench/mindgrabBrowser.html?backend=${backend}`);
  await page.waitForFunction(() => 'mindgrab' in window, null, { timeout: 120_000 });
  const run = (await page.evaluate((dims) => (window as unknown as { mindgrab: (u: string, d: number[]) => Promise<unknown> }).mindgrab('/mindgrab-input.bin', dims), DIMS)) as MindgrabBrowserRun;
  await page.close();
  expect(errors).toEqual([]);
  return run;
}

test('the real MindGrab on WebGPU gives the probabilities and mask it gives on wasm (a 16³ head crop)', async ({ browser }) => {
  test.setTimeout(300_000);
  const gpu = await mindgrabOn(browser, 'webgpu');
  expect(gpu.backend, `WebGPU did not start: ${gpu.reason}`).toBe('webgpu');
  expect(gpu.limits.maxDispatchPerDimension).toBeGreaterThan(0);
  const wasm = await mindgrabOn(browser, 'wasm');
  expect(wasm.backend).toBe('wasm');
  expect(gpu.probability).toHaveLength(16 ** 3);
  let maxAbs = 0;
  let disagree = 0;
  let brain = 0;
  for (let i = 0; i < gpu.probability.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(gpu.probability[i] - wasm.probability[i]));
    if (gpu.probability[i] > 0.5 !== wasm.probability[i] > 0.5) disagree++;
    if (wasm.probability[i] > 0.5) brain++;
  }
  // The cube holds both brain and not-brain (else mask agreement would say little).
  expect(brain).toBeGreaterThan(0.1 * 16 ** 3);
  expect(brain).toBeLessThan(0.9 * 16 ** 3);
  expect(maxAbs).toBeLessThan(1e-3);
  expect(disagree).toBe(0);
});
