/**
 * Issue 22's real-world smoke test in the app: a healthy head (the SRI24 atlas, skull-stripped,
 * BraTS grid: spgr as T1 and T1Gd, late as T2, erly — PD — as FLAIR) dropped into the built
 * app with the shipped model and calibration, run with the default mode (auto), screenshot of
 * the results. Too slow for CI (a full-size case on wasm); run by hand:
 *
 *   npm run build && npx vite preview --port 4410 --strictPort &
 *   npx tsx scripts/healthyHeadScreenshot.ts http://127.0.0.1:4410 out.png
 */
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { dropFiles } from '../e2e/helpers.ts';

const [base = 'http://127.0.0.1:4410', out = 'healthy-head.png'] = process.argv.slice(2);
const SRI24 = new URL('../../shared/third_party/sri24/', import.meta.url).pathname;
const files = [
  ['sri24_t1.nii.gz', 'spgr'], ['sri24_t1ce.nii.gz', 'spgr'], ['sri24_t2.nii.gz', 'late'], ['sri24_flair.nii.gz', 'erly'],
].map(([name, src]) => ({ name, bytes: new Uint8Array(readFileSync(`${SRI24}${src}.nii.gz`)) }));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.on('pageerror', (e) => console.error('page error:', e.message));
await page.goto(`${base}/?backend=wasm`);
await dropFiles(page as unknown as Parameters<typeof dropFiles>[0], files);
await page.getByTestId('run').click({ timeout: 120_000 });
const t0 = Date.now();
await page.locator('[data-testid=results][data-status=done]').waitFor({ timeout: 1_800_000 });
console.log(`results after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
await page.waitForTimeout(3000);
await page.screenshot({ path: out, fullPage: true });
console.log((await page.getByTestId('results').innerText()).slice(0, 3000));
await browser.close();
