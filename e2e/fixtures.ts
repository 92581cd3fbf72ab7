import { test as base, expect, type Page, type Worker } from '@playwright/test';
import { makeTinyModelFiles } from '../src/core/model/testing/tinyModel.ts';
import type { InputFile } from '../src/core/index.ts';
import type { Calibration } from '../src/core/signals/index.ts';
import { dropFiles } from './helpers.ts';

/**
 * Every e2e test runs with three guards:
 * - privacy: every request the page, its workers or its service worker make has the app's
 *   own origin (blob: URLs of that origin included); anything else fails the test;
 * - the Content-Security-Policy (csp.ts) blocked nothing, in the page or its workers: the app works within it. A test
 *   that provokes violations on purpose removes the ones it expects from `cspViolations`;
 * - no uncaught page error.
 */
export const test = base.extend<{ foreignRequests: string[]; cspViolations: string[] }>({
  foreignRequests: [
    async ({ context, baseURL }, use) => {
      const origin = new URL(baseURL!).origin;
      const foreign: string[] = [];
      context.on('request', (r) => {
        const url = r.url();
        if (url.startsWith('data:')) return; // inline, no network
        if (new URL(url).origin !== origin) foreign.push(url);
      });
      await use(foreign);
      expect(foreign, `requests outside ${origin}`).toEqual([]);
    },
    { auto: true },
  ],
  cspViolations: [
    async ({ context }, use) => {
      const violations: string[] = [];
      // Chromium reports every blocked load or eval as a console error, for the page and its workers.
      const watch = (msg: { type(): string; text(): string }) => {
        if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) violations.push(msg.text());
      };
      // Chromium logs a worker's violations to DevTools' log, which Playwright forwards for
      // pages only: each worker is asked to report its own (securitypolicyviolation) on its console.
      const watchWorker = (w: Worker) => {
        w.on('console', watch);
        w.evaluate(() => {
          self.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy (in a worker): ${e.effectiveDirective} blocked ${e.blockedURI.slice(0, 80)}`));
        }).catch(() => undefined); // a worker that is already gone has nothing left to report
      };
      context.on('console', watch);
      context.on('page', (p) => p.on('worker', watchWorker));
      await use(violations);
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
  page: async ({ page }, use) => {
    const errors: Error[] = [];
    page.on('pageerror', (e) => errors.push(e));
    await use(page);
    expect(errors.map((e) => e.message), 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };

/** Where the tiny test model is served (same origin, answered by Playwright, not the app). */
export const TINY_MODEL_URL = '/e2e-model/model.json';
export const tinyModel = makeTinyModelFiles();

/**
 * Serves the tiny contract model at TINY_MODEL_URL for this page (and its worker), with no
 * calibration (HTTP 404) unless one is given (see craftedCalibration).
 */
async function serveTinyModel(page: Page, options: { calibration?: Calibration } = {}): Promise<void> {
  await page.route((url) => url.pathname === '/e2e-model/calibration.json', (route) =>
    options.calibration
      ? route.fulfill({ status: 200, contentType: 'application/json', headers: { 'Cross-Origin-Resource-Policy': 'same-origin' }, body: JSON.stringify(options.calibration) })
      : route.fulfill({ status: 404, body: 'no calibration' }),
  );
  // Matched on the path: the page's own URL carries ?model=/e2e-model/model.json.
  await page.route((url) => url.pathname === TINY_MODEL_URL, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', headers: { 'Cross-Origin-Resource-Policy': 'same-origin' }, body: JSON.stringify(tinyModel.manifest) }),
  );
  await page.route((url) => url.pathname === '/e2e-model/weights.bin', (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', headers: { 'Cross-Origin-Resource-Policy': 'same-origin' }, body: Buffer.from(tinyModel.weights) }),
  );
}

export interface OpenOptions {
  /**
   * The backend the worker must come up on: 'wasm' (default; asked for with ?backend=wasm,
   * fast on a machine without a GPU) or 'webgpu' (the app's own choice).
   */
  backend?: 'wasm' | 'webgpu';
  /** Further query parameters, e.g. the worker's test fault hooks (workerFault, gpuFault). */
  query?: Record<string, string>;
  /** Served as the model's calibration.json (default: none, so `auto` has nothing to read against). */
  calibration?: Calibration;
  /** Dropped on the page once the worker is up. */
  files?: InputFile[];
}

/**
 * The setup the e2e tests share: the tiny test model served, the app opened on it, the
 * worker up on the expected backend, and (optionally) a case dropped.
 */
export async function openWithTinyModel(page: Page, options: OpenOptions = {}): Promise<void> {
  const backend = options.backend ?? 'wasm';
  await serveTinyModel(page, { calibration: options.calibration });
  const query = { model: TINY_MODEL_URL, ...(backend === 'wasm' ? { backend: 'wasm' } : {}), ...options.query };
  await page.goto(`/?${Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&')}`);
  await expectBackend(page, backend);
  if (options.files) await dropFiles(page, options.files);
}

/** Sets the selected mode's settings through the form, as a user would. */
export async function chooseMode(page: Page, mode: string, settings: { iterations?: number; learningRate?: number; statsSlices?: number } = {}) {
  await page.getByLabel('Adaptation mode').selectOption(mode);
  if (settings.iterations !== undefined) await page.getByLabel('Iterations', { exact: true }).fill(String(settings.iterations));
  if (settings.learningRate !== undefined) await page.getByLabel('Learning rate', { exact: true }).fill(String(settings.learningRate));
  if (settings.statsSlices !== undefined) await page.getByLabel('Statistics slices', { exact: true }).fill(String(settings.statsSlices));
}

/** Waits for the worker to be up on the expected backend. */
export async function expectBackend(page: Page, backend: 'webgpu' | 'wasm', timeout = 90_000) {
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-status', 'ready', { timeout });
  await expect(badge).toHaveAttribute('data-backend', backend);
}

/** Clicks a download button and returns the file's bytes and suggested name. */
export async function download(page: Page, testId: string): Promise<{ name: string; bytes: Uint8Array }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await dl.path();
  const { readFileSync } = await import('node:fs');
  return { name: dl.suggestedFilename(), bytes: new Uint8Array(readFileSync(path)) };
}

/** Which of `names` no URL in the page's caches (the service worker's precache) contains yet. */
export function notPrecached(page: Page, names: string[]): Promise<string[]> {
  return page.evaluate(async (wanted) => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
    return wanted.filter((s) => !urls.some((u) => u.includes(s)));
  }, names);
}
