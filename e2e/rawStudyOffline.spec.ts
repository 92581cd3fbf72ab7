import type { Request } from '@playwright/test';
import { strippedRawPhantomFiles } from '../src/core/rawStudy/testing/rawPhantomFormats.ts';
import { rawPhantomStudy } from '../src/core/rawStudy/testing/rawPhantomStudy.ts';
import { readNifti } from '../src/core/volume/index.ts';
import { chooseMode, download, expect, expectBackend, notPrecached, openWithTinyModel, test } from './fixtures.ts';
import { dropFiles } from './helpers.ts';
import { rawStudyStandIns, serveRawStudyAssets } from './rawStudyAssets.ts';

/**
 * Issue 21, a raw study offline and one already skull-stripped, in one test (each prepare
 * is a minute of CI's two cores).
 *
 * How the assets get where they are served from: the e2e's stand-ins for MindGrab and SRI24
 * (e2e/rawStudyAssets.ts) are routed on the browser context, which in Chromium also answers
 * the service worker's own requests — so its precache of /models/mindgrab/ and
 * /atlas/sri24/spgr.nii.gz holds the stand-ins (checked below by their bytes in the cache),
 * just as it holds the real files for a user. Offline, every request for them, for elastix's
 * pipeline and for the raw-study worker is answered by the service worker from that cache:
 * the routes are never reached again (a request that got past the service worker would be
 * counted there), and Playwright says each response came from the service worker.
 * The Checks panel for the study with skull is saved as raw-study-checks.png in the test's
 * output (docs/raw-study-checks.png is a copy).
 */
const phantom = rawPhantomStudy();
const ASSET = /^\/(models\/mindgrab|atlas\/sri24|itk\/elastix)\//;

test.use({ serviceWorkers: 'allow' });

test('offline after one visit: a skull-stripped raw study is prepared without MindGrab (never requested), passes QC and runs; elastix, the atlas and MindGrab come from the cache', async ({ page, context }, testInfo) => {
  test.setTimeout(600_000);
  const started = Date.now();
  const served = await serveRawStudyAssets(context);
  await openWithTinyModel(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect
    .poll(() => notPrecached(page, ['models/mindgrab/model.json', 'models/mindgrab/model.bin', 'atlas/sri24/spgr.nii.gz', 'itk/elastix/elastix.js', 'itk/elastix/elastix.wasm.zst', 'rawStudy.worker']), {
      timeout: 120_000,
      message: 'precached: MindGrab, the atlas, the elastix pipeline, the raw-study worker',
    })
    .toEqual([]);
  // The service worker fetched the stand-ins (through the context's routes) into its cache.
  const pathOf = (r: Request) => new URL(r.url()).pathname;
  expect(served.routed.filter((r) => r.serviceWorker() !== null).map(pathOf).sort()).toEqual(['/atlas/sri24/spgr.nii.gz', '/models/mindgrab/model.bin', '/models/mindgrab/model.json']);
  const cachedBytes = await page.evaluate(async (paths) => {
    const out: Record<string, number> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const r of await cache.keys()) {
        const path = paths.find((p) => new URL(r.url).pathname === p);
        if (path) out[path] = (await (await cache.match(r))!.arrayBuffer()).byteLength;
      }
    }
    return out;
  }, ['/atlas/sri24/spgr.nii.gz', '/models/mindgrab/model.bin']);
  const standIns = rawStudyStandIns();
  expect(cachedBytes).toEqual({ '/atlas/sri24/spgr.nii.gz': standIns.atlasNifti.length, '/models/mindgrab/model.bin': standIns.modelBin.length });

  await context.setOffline(true);
  await page.reload();
  await expectBackend(page, 'wasm');
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  const routedOnline = served.routed.length;
  const requested: string[] = [];
  const responses: { path: string; fromServiceWorker: boolean }[] = [];
  context.on('request', (r) => ASSET.test(pathOf(r)) && requested.push(pathOf(r)));
  context.on('response', (r) => ASSET.test(new URL(r.url()).pathname) && responses.push({ path: new URL(r.url()).pathname, fromServiceWorker: r.fromServiceWorker() }));

  // 1. Skull-stripped on their raw grids: still a raw study (own oblique grids, not 1 mm), no strip to do.
  const stripped = await strippedRawPhantomFiles(phantom);
  await dropFiles(page, stripped);
  await expect(page.getByTestId('prepare-raw-study')).toBeVisible();
  await expect(page.getByTestId('issue-error')).toHaveCount(0);
  await expect(page.locator('[data-testid=raw-plan-step][data-step=strip]')).toContainText('No skull strip: the T1Gd is already skull-stripped');
  await expect(page.locator('[data-testid=issue-resolved][data-code=not-skull-stripped]')).toHaveCount(0);
  const t0 = Date.now();
  await page.getByTestId('prepare-raw-study').click();
  const qc = page.getByTestId('raw-study-qc');
  await expect(qc).toBeVisible({ timeout: 480_000 });
  const preparedSeconds = (Date.now() - t0) / 1000;
  // The step timings say the strip was skipped, and why.
  const timings = page.getByTestId('qc-timings');
  await expect(timings.locator('summary')).toContainText('skull strip skipped: the input is already skull-stripped, so MindGrab did not run');
  await expect(timings).toContainText('brain mask (input already skull-stripped)');
  await expect(timings).not.toContainText('skull strip T1Gd');
  await expect(qc).toContainText('the input was already skull-stripped');
  await expect(qc).toHaveAttribute('data-acceptable', 'true');
  for (const m of ['t1ce', 't1', 't2', 'flair']) await expect(page.getByTestId(`qc-${m}`)).toHaveAttribute('data-passes', 'true');
  await page.getByTestId('raw-study-accept').click();
  await expect(page.getByTestId('case-ready')).toBeVisible({ timeout: 120_000 });
  await chooseMode(page, 'none');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 300_000 });
  const dropped = await readNifti(stripped.find((f) => f.name === 'phantom_t1ce.nii.gz')!.bytes, 'phantom_t1ce.nii.gz');
  const native = await readNifti((await download(page, 'export-native-baseline')).bytes, 'native.nii.gz');
  expect(native.dims).toEqual(dropped.dims);
  // MindGrab was never requested; the atlas and elastix's pipeline came from the service worker.
  expect(requested.filter((p) => p.startsWith('/models/mindgrab/'))).toEqual([]);
  expect(new Set(responses.map((r) => r.path))).toEqual(new Set(['/atlas/sri24/spgr.nii.gz', '/itk/elastix/elastix.js', '/itk/elastix/elastix.wasm.zst']));
  expect(responses.filter((r) => !r.fromServiceWorker)).toEqual([]);
  const strippedSeconds = (Date.now() - t0) / 1000;

  // 2. The study with skull, still offline: MindGrab comes from the cache and strips the T1Gd.
  //    Cancelled once the strip is done (the registration after it is the part above).
  responses.length = 0;
  await dropFiles(page, phantom.files);
  await expect(page.getByTestId('prepare-raw-study')).toBeVisible();
  await expect(page.getByTestId('issue-error')).toHaveCount(0);
  await page.getByTestId('issue-panel').screenshot({ path: testInfo.outputPath('raw-study-checks.png') });
  await page.getByTestId('prepare-raw-study').click();
  const progress = page.getByTestId('raw-study-progress');
  // Past the strip (the stand-in strips in seconds, so the step itself may be too brief to see).
  await expect(progress).toHaveAttribute('data-step', /^(downsample|register .*)$/, { timeout: 180_000 });
  await expect(progress.locator('.raw-steps li').filter({ hasText: /^skull strip T1Gd$/ })).toHaveCount(1);
  await page.getByTestId('raw-study-cancel').click();
  await expect(page.getByTestId('prepare-raw-study')).toBeVisible();
  expect(responses.filter((r) => r.path.startsWith('/models/mindgrab/')).map((r) => r.path).sort()).toEqual(['/models/mindgrab/model.bin', '/models/mindgrab/model.json']);
  // (The watch that saw no MindGrab request for the stripped study sees these.)
  expect(requested.filter((p) => p.startsWith('/models/mindgrab/')).sort()).toEqual(['/models/mindgrab/model.bin', '/models/mindgrab/model.json']);
  expect(responses.filter((r) => !r.fromServiceWorker)).toEqual([]);
  // Nothing reached the routes offline: the service worker answered every asset request.
  expect(served.routed.length).toBe(routedOnline);
  await context.setOffline(false);
  console.log(`offline: the stripped study prepared in ${preparedSeconds.toFixed(0)} s, prepared and run in ${strippedSeconds.toFixed(0)} s; the whole test ${((Date.now() - started) / 1000).toFixed(0)} s (Chromium, wasm)`);
});
