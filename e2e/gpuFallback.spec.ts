import { decodeModel, segmentCase } from '../src/core/model/index.ts';
import { loadCase, makeSyntheticCase, MODALITIES, preprocess, readNifti } from '../src/core/index.ts';
import { adaptCase, DEFAULT_SETTINGS } from '../src/core/tta/index.ts';
import { useNodeBackend } from '../src/node/useNodeBackend.ts';
import { chooseMode, download, expect, openWithTinyModel, test, tinyModel } from './fixtures.ts';

/**
 * Issue 8, GPU failure: the worker's test hook (?gpuFault=adaptation) throws a GPU-like
 * "device lost" error in the middle of the first WebGPU adaptation, exactly where the
 * device-loss watch would. The run must fall back to wasm, say so, and still produce the
 * mask — the same one tfjs's cpu backend computes in Node. Tiny model and volume: the
 * WebGPU adapter here is a slow CPU fallback.
 */
test('a WebGPU failure during adaptation falls back to wasm with a notice, and the run still produces its mask', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const synthetic = makeSyntheticCase({ seed: 1, dims: [32, 32, 12] });
  const files = [...MODALITIES.map((m) => synthetic.files[m]), synthetic.files.seg];
  await openWithTinyModel(page, { backend: 'webgpu', query: { gpuFault: 'adaptation' }, files });
  await expect(page.getByTestId('case-ready')).toBeVisible();
  await chooseMode(page, 'bn', { iterations: 2, statsSlices: 2 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });

  await expect(page.getByTestId('run-notice')).toHaveText(
    'WebGPU failed during this run (GPUDevice was lost during adaptation (injected by ?gpuFault=adaptation for testing)). ' +
      'Attune switched to WebAssembly (wasm) and ran it again from the start there; the results below are from wasm, and later runs stay on wasm.',
  );
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  await expect(badge).toContainText('WebGPU failed (GPUDevice was lost during adaptation');
  await page.screenshot({ path: testInfo.outputPath('gpu-fallback.png'), fullPage: true });

  // The mask and curve, as exported, against the same core code on Node's cpu backend.
  await useNodeBackend('cpu');
  const model = decodeModel(tinyModel.manifest, [tinyModel.weights]);
  const pre = preprocess((await loadCase(files)).check.mriCase!.modalities);
  const refBaseline = (await segmentCase(model.weights, model.arch, pre)).labels;
  const refCurve = (await adaptCase(model, pre, { ...DEFAULT_SETTINGS.bn, iterations: 2, statsSlices: 2 })).lossCurve;
  const baseline = await readNifti((await download(page, 'export-baseline')).bytes, 'baseline.nii.gz');
  const adapted = await readNifti((await download(page, 'export-bn')).bytes, 'bn.nii.gz');
  expect(adapted.dims).toEqual(synthetic.dims);
  for (const v of new Set(adapted.data)) expect([0, 1, 2, 4]).toContain(v);
  let same = 0;
  for (let n = 0; n < refBaseline.length; n++) same += baseline.data[n] === refBaseline[n] ? 1 : 0;
  expect(same / refBaseline.length, 'baseline mask matches the cpu reference').toBeGreaterThan(0.995);
  const csv = new TextDecoder().decode((await download(page, 'export-csv')).bytes).trim().split('\n').slice(1);
  expect(csv.map((r) => r.split(',')[1])).toEqual(['0', '1', '2']);
  csv.forEach((r, i) => expect(Number(r.split(',')[2])).toBeCloseTo(refCurve[i], 3));

  // The next run stays on wasm and needs no fallback.
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('run-notice')).toHaveCount(0);
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
});

test('a real loss of the GPU device mid-adaptation (the worker destroys it) is noticed and the run completes on wasm', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const synthetic = makeSyntheticCase({ seed: 3, dims: [32, 32, 12] });
  await openWithTinyModel(page, { backend: 'webgpu', query: { gpuFault: 'device-lost' }, files: MODALITIES.map((m) => synthetic.files[m]) });
  await chooseMode(page, 'bn', { iterations: 2, statsSlices: 2 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  // No imitation here: WebGPU itself reports the loss (device.lost, or a failing read).
  await expect(page.getByTestId('run-notice')).toHaveText(/^WebGPU failed during this run \(.*lost.*\)\. Attune switched to WebAssembly \(wasm\)/i);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm');
  await testInfo.attach('notice', { body: (await page.getByTestId('run-notice').textContent()) ?? '', contentType: 'text/plain' });
  const adapted = await readNifti((await download(page, 'export-bn')).bytes, 'bn.nii.gz');
  expect(adapted.dims).toEqual(synthetic.dims);
  expect(new Set(adapted.data).size, 'the mask labels something').toBeGreaterThan(1);
  for (const v of new Set(adapted.data)) expect([0, 1, 2, 4]).toContain(v);
});

test('a WebGPU failure during inference (segmentation) falls back to wasm the same way', async ({ page }) => {
  test.setTimeout(300_000);
  const synthetic = makeSyntheticCase({ seed: 2, dims: [32, 32, 12] });
  await openWithTinyModel(page, { backend: 'webgpu', query: { gpuFault: 'inference' }, files: MODALITIES.map((m) => synthetic.files[m]) });
  await chooseMode(page, 'bn', { iterations: 1, statsSlices: 2 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(page.getByTestId('run-notice')).toContainText('WebGPU failed during this run (GPUDevice was lost during inference (injected by ?gpuFault=inference for testing))');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm');
  const baseline = await readNifti((await download(page, 'export-baseline')).bytes, 'baseline.nii.gz');
  expect(baseline.dims).toEqual(synthetic.dims);
  expect(new Set(baseline.data).size, 'the mask labels something').toBeGreaterThan(1);
});
