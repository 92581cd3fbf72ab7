import type { Request } from '@playwright/test';
import { rawPhantomStudy } from '../src/core/rawStudy/testing/rawPhantomStudy.ts';
import { readNifti } from '../src/core/volume/index.ts';
import { chooseMode, download, expect, openWithTinyModel, test } from './fixtures.ts';
import { dropFiles } from './helpers.ts';
import { serveRawStudyAssets, watchRawWorkers } from './rawStudyAssets.ts';

/**
 * Issue 21 in the app: a raw study (four series on their own oblique 2.5–2.7 × 5 mm grids,
 * with skull and scalp, noise in the air: src/core/rawStudy/testing/rawPhantomStudy.ts) is
 * dropped → the Checks offer to prepare it → the raw-study worker strips, registers and
 * resamples it (elastix's real pipeline, default settings) → the QC screen → Accept → the
 * tiny model runs on the atlas-grid case through the normal Run → the mask exported on the
 * T1Gd's own grid has the dropped T1Gd file's dimensions and affine. Cancel during the
 * preparation terminates the worker. The fixtures fail the test on a request outside the
 * origin, a CSP violation (page or worker) or a page error.
 *
 * What is replaced, and how: the page requests MindGrab and SRI24 from its own origin
 * (/models/mindgrab/, /atlas/sri24/spgr.nii.gz); Playwright answers those two paths with a
 * MindGrab-format threshold model (`thresholdMeshnet`: MindGrab on a 256³ head takes many
 * minutes on this CPU) and the phantom's own brain as the atlas (the phantom is no human
 * brain, so SRI24 is not its atlas), exactly as `openWithTinyModel` serves the tiny U-Net.
 * The production build has no switch for either: the app's code path is the one users run.
 */
const phantom = rawPhantomStudy();

test('a raw study: offer → cancel → prepare → QC → Accept → Run → the mask on the T1Gd grid has its dims and affine', async ({ page }) => {
  test.setTimeout(900_000);
  const { assetRequests } = await serveRawStudyAssets(page);
  const workers = watchRawWorkers(page);
  const pipeline: Request[] = [];
  page.context().on('request', (r) => {
    if (r.url().includes('/itk/elastix/')) pipeline.push(r);
  });
  await openWithTinyModel(page);
  await dropFiles(page, phantom.files);

  // The Checks refuse it as a raw study (not a dead end): the offer.
  await expect(page.getByTestId('issue-resolved').first()).toBeVisible();
  const offer = page.getByTestId('prepare-raw-study');
  await expect(offer).toBeVisible();
  await expect(page.getByTestId('run')).toBeDisabled();

  // Cancel while MindGrab runs: the worker is terminated, the offer is back, nothing prepared.
  await offer.click();
  await expect(page.getByTestId('raw-study-progress')).toBeVisible();
  await expect(page.getByTestId('raw-study-progress')).toHaveAttribute('data-step', /skull strip T1Gd|downsample|register/, { timeout: 120_000 });
  expect(await workers[0].gone(), 'the raw-study worker runs before Cancel').toBe(false);
  await page.getByTestId('raw-study-cancel').click();
  await expect(page.getByTestId('raw-study-progress')).toHaveCount(0);
  await expect(page.getByTestId('prepare-raw-study')).toBeVisible();
  await expect.poll(() => workers[0]?.gone() ?? false, { message: 'the raw-study worker is terminated' }).toBe(true);

  // Prepare again (a fresh worker): every step named, then the QC screen.
  const t0 = Date.now();
  await page.getByTestId('prepare-raw-study').click();
  const seenSteps = new Set<string>();
  const progress = page.getByTestId('raw-study-progress');
  const qc = page.getByTestId('raw-study-qc');
  while (!(await qc.isVisible())) {
    const step = await progress.getAttribute('data-step').catch(() => null);
    if (step) seenSteps.add(step);
    if (Date.now() - t0 > 780_000) throw new Error(`preparing took too long; steps seen: ${[...seenSteps].join(', ')}`);
    if (await page.getByTestId('raw-study-error').isVisible()) throw new Error(`preparing failed: ${await page.getByTestId('raw-study-error').textContent()}`);
    await page.waitForTimeout(250);
  }
  const preparedSeconds = (Date.now() - t0) / 1000;
  expect(workers).toHaveLength(2);
  for (const step of ['skull strip T1Gd', 'register T1Gd → atlas', 'register FLAIR → T1Gd']) expect([...seenSteps], step).toContain(step);

  // QC: each registration passes its bar, Accept is allowed; the views are drawn.
  await expect(qc).toHaveAttribute('data-acceptable', 'true');
  for (const m of ['t1ce', 't1', 't2', 'flair']) await expect(page.getByTestId(`qc-${m}`)).toHaveAttribute('data-passes', 'true');
  await expect(page.getByTestId('qc-view')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await page.getByTestId('qc-modality-flair').click();
  await expect(page.getByTestId('qc-view')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('raw-study-accept')).toBeEnabled();

  // Accept: the atlas-grid case is the case; the normal Run runs the tiny model on it.
  await page.getByTestId('raw-study-accept').click();
  await expect(page.getByTestId('case-ready')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('raw-study-accepted')).toContainText('phantom_t1ce.nii.gz');
  await chooseMode(page, 'none');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 300_000 });

  // The mask on the T1Gd's own grid: the dropped T1Gd file's dimensions and affine.
  const dropped = await readNifti(phantom.files.find((f) => f.name === 'phantom_t1ce.nii.gz')!.bytes, 'phantom_t1ce.nii.gz');
  const native = await readNifti((await download(page, 'export-native-baseline')).bytes, 'native.nii.gz');
  expect(native.dims).toEqual(dropped.dims);
  expect(native.affine.map((r) => r.map((v) => Number(v.toFixed(4))))).toEqual(dropped.affine.map((r) => r.map((v) => Number(v.toFixed(4)))));
  expect(new Set(native.data).size).toBeGreaterThan(0);
  for (const v of new Set(native.data)) expect([0, 1, 2, 4]).toContain(v);
  // …and on the atlas grid, through the ordinary export.
  const onAtlas = await readNifti((await download(page, 'export-baseline')).bytes, 'atlas.nii.gz');
  expect(onAtlas.dims).toEqual([240, 240, 155]);
  // Volumes on both grids, and the difference said.
  await expect(page.getByTestId('native-view')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('native-volume-difference')).toHaveText(/Whole tumour .* on the T1Gd's own grid, .* on the atlas grid|No tumour on either grid/);
  // The atlas grid's whole tumour is the results table's (the same mask, the same grid).
  const tableMl = (await page.getByTestId('row-baseline').locator('[data-testid^=ml-]').allTextContents()).reduce((s, t) => s + parseFloat(t), 0);
  expect(parseFloat((await page.getByTestId('atlas-ml').textContent())!)).toBeCloseTo(tableMl, 0);

  // Everything the pipeline loaded came from the page's origin (the fixture fails any other request).
  const origin = new URL(page.url()).origin;
  expect(assetRequests.length).toBeGreaterThanOrEqual(3);
  for (const u of [...assetRequests, ...pipeline.map((r) => r.url())]) expect(new URL(u).origin).toBe(origin);
  console.log(`raw phantom study prepared in ${preparedSeconds.toFixed(0)} s (Chromium, wasm)`);
});

test('a poor registration is shown as poor and blocks Accept with its reason; Redo prepares again; Cancel goes back to the offer', async ({ page }) => {
  test.setTimeout(900_000);
  await serveRawStudyAssets(page);
  const workers = watchRawWorkers(page);
  await openWithTinyModel(page);
  // The FLAIR shows another, 25 % smaller head: no rigid map overlays it on the T1Gd.
  await dropFiles(page, rawPhantomStudy({ flairOfAnotherHead: true }).files);
  await page.getByTestId('prepare-raw-study').click();
  const qc = page.getByTestId('raw-study-qc');
  await expect(qc).toBeVisible({ timeout: 780_000 });
  await expect(qc).toHaveAttribute('data-acceptable', 'false');
  await expect(page.getByTestId('qc-flair')).toHaveAttribute('data-passes', 'false');
  for (const m of ['t1ce', 't1', 't2']) await expect(page.getByTestId(`qc-${m}`)).toHaveAttribute('data-passes', 'true');
  await expect(page.getByTestId('qc-blockers')).toContainText(/^FLAIR onto the T1Gd: the registration looks wrong \(brain overlap 0\.\d\d, below 0\.95\)/);
  await expect(page.getByTestId('raw-study-accept')).toBeDisabled();

  // Redo: the same dropped files prepared again, in the same worker (nothing was cancelled).
  await page.getByTestId('raw-study-redo').click();
  await expect(page.getByTestId('raw-study-progress')).toBeVisible();
  await expect(qc).toBeVisible({ timeout: 780_000 });
  await expect(qc).toHaveAttribute('data-acceptable', 'false');
  expect(workers).toHaveLength(1);

  // Cancel on the QC screen: back to the Checks and the offer; the case was never replaced.
  await page.getByTestId('raw-study-cancel').click();
  await expect(qc).toHaveCount(0);
  await expect(page.getByTestId('prepare-raw-study')).toBeVisible();
  await expect(page.getByTestId('case-ready')).toHaveCount(0);
  await expect(page.getByTestId('run')).toBeDisabled();
});

/**
 * On WebGPU (the app's own choice when Chromium offers an adapter; here a software one): the
 * raw-study worker strips on WebGPU, in chunks sized to the device's limits (core's
 * `planMeshnetChunks`: before it, the stand-in's whole 148-slice crop went into one MatMul of
 * 111 000 workgroups and tfjs-webgpu refused it, so this test only ever saw the fallback).
 */
test('on WebGPU: the skull strip runs on WebGPU, the QC timings say so, and the study passes QC', async ({ page }) => {
  test.setTimeout(900_000);
  await serveRawStudyAssets(page);
  await openWithTinyModel(page, { backend: 'webgpu' });
  await dropFiles(page, phantom.files);
  await page.getByTestId('prepare-raw-study').click();
  const qc = page.getByTestId('raw-study-qc');
  await expect(qc).toBeVisible({ timeout: 780_000 });
  await expect(page.getByTestId('qc-timings')).toContainText(/\(skull strip on WebGPU\)/);
  await expect(page.getByTestId('qc-timings')).not.toContainText(/WebAssembly|redone on wasm/);
  await expect(qc).toHaveAttribute('data-acceptable', 'true');
  await expect(qc).toContainText(/MindGrab on the T1Gd, (6[5-9]\d|7\d\d|8[0-4]\d) mL/);
});

/**
 * A GPU failure during the strip still redoes it on wasm and says why. The failure is injected
 * (the worker's test hook `?gpuFault=skull-strip`, faultHooks.ts: after the first MindGrab chunk
 * on WebGPU it throws what a lost device throws), since the strip no longer fails by itself.
 */
test('on WebGPU: a GPU failure during the skull strip redoes it on wasm, says why, and the study still passes QC', async ({ page }) => {
  test.setTimeout(900_000);
  await serveRawStudyAssets(page);
  await openWithTinyModel(page, { backend: 'webgpu', query: { gpuFault: 'skull-strip' } });
  await dropFiles(page, phantom.files);
  await page.getByTestId('prepare-raw-study').click();
  const qc = page.getByTestId('raw-study-qc');
  await expect(qc).toBeVisible({ timeout: 780_000 });
  await expect(page.getByTestId('qc-timings')).toContainText(
    /skull strip on WebAssembly: WebGPU failed during the skull strip \(GPUDevice was lost during skull-strip \(injected by \?gpuFault=skull-strip for testing\)\); redone on wasm/,
  );
  await expect(qc).toHaveAttribute('data-acceptable', 'true');
  await expect(qc).toContainText(/MindGrab on the T1Gd, (6[5-9]\d|7\d\d|8[0-4]\d) mL/);
});
