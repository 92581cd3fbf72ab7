import { makeSyntheticCase, MODALITIES, readNifti } from '../src/core/index.ts';
import { chooseMode, download, expect, expectBackend, openWithTinyModel, test } from './fixtures.ts';

/**
 * Issue 14, a dying worker: the test hook ?workerFault= makes the worker die during its
 * first adaptation — 'exit' closes it without a word (what the page sees when the browser
 * kills a worker out of memory: no event at all), 'crash' lets an uncaught error escape.
 * The page must say what happened, keep the case and the results it had, start a fresh
 * worker (on wasm when WebGPU was in use), and the next Run must work. Tiny model and volume.
 */
const synthetic = makeSyntheticCase({ seed: 4, dims: [32, 32, 12] });
const files = [...MODALITIES.map((m) => synthetic.files[m]), synthetic.files.seg];

test('a worker killed silently during adaptation: plain words, case and results kept, a fresh worker on wasm, the next run works', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await openWithTinyModel(page, { backend: 'webgpu', query: { workerFault: 'exit' }, files });
  await expect(page.getByTestId('case-ready')).toBeVisible();

  // Results to keep: a baseline-only run (no adaptation, so the worker survives it).
  await chooseMode(page, 'none');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  const baselineBefore = (await download(page, 'export-baseline')).bytes;
  const rowsBefore = await page.getByTestId('row-baseline').textContent();

  // The run whose worker dies in its second adaptation iteration.
  await chooseMode(page, 'bn', { iterations: 3, statsSlices: 2 });
  await page.getByTestId('run').click();
  const error = page.getByTestId('run-error');
  await expect(error).toHaveAttribute('data-cause', 'worker-lost', { timeout: 240_000 });
  await expect(error).toHaveText(
    'The part of Attune that runs the model (its worker) stopped: the browser stopped it without an error — usually because it ran out of memory. ' +
      'This run was lost; the case you loaded and the results you already had are kept. A fresh worker was started on WebAssembly (wasm); press Run to try again.',
  );
  // The case and the earlier results are still there, unchanged.
  await expect(page.getByTestId('case-ready')).toBeVisible();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('row-baseline')).toHaveText(rowsBefore!);
  expect(Buffer.from((await download(page, 'export-baseline')).bytes).equals(Buffer.from(baselineBefore)), 'baseline mask kept byte for byte').toBe(true);
  // A fresh worker, on wasm, and the badge says why.
  await expectBackend(page, 'wasm');
  await expect(page.getByTestId('backend-badge')).toContainText('WebAssembly (wasm) — restarted on wasm after the previous worker stopped');
  await page.screenshot({ path: testInfo.outputPath('worker-death.png'), fullPage: true });

  // The next run works on the fresh worker and gives the adapted mask.
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-curves', 'bn:4');
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  const adapted = await readNifti((await download(page, 'export-bn')).bytes, 'bn.nii.gz');
  expect(adapted.dims).toEqual(synthetic.dims);
  for (const v of new Set(adapted.data)) expect([0, 1, 2, 4]).toContain(v);
});

test('a worker that crashes (an uncaught error) during adaptation is replaced the same way, on wasm', async ({ page }) => {
  test.setTimeout(180_000);
  await openWithTinyModel(page, { query: { workerFault: 'crash' }, files: files.slice(0, 4) });
  await chooseMode(page, 'normalizer', { iterations: 3, statsSlices: 2 });
  await page.getByTestId('run').click();
  const error = page.getByTestId('run-error');
  await expect(error).toHaveAttribute('data-cause', 'worker-lost', { timeout: 120_000 });
  await expect(error).toContainText('The part of Attune that runs the model (its worker) stopped: it crashed (');
  await expect(error).toContainText('injected crash during adaptation (?workerFault=crash, for testing)');
  await expect(page.getByTestId('case-ready')).toBeVisible();
  await expectBackend(page, 'wasm');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-curves', 'normalizer:4');
});
