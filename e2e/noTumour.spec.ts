import { makeSyntheticCase, MODALITIES } from '../src/core/index.ts';
import { makeNoTumourModelFiles } from '../src/core/model/testing/noTumourModel.ts';
import { craftedCalibration } from '../src/core/signals/testing/craftedCalibration.ts';
import { readNifti } from '../src/core/volume/index.ts';
import { download, expect, expectBackend, test } from './fixtures.ts';
import { dropFiles } from './helpers.ts';

/**
 * No tumour is an answer, not an error (issue 22), through the real page and worker: a model
 * that predicts no tumour, with a calibration loaded (its training values tiny, so a measured
 * flip disagreement would read "beyond" and auto would adapt). The run succeeds, the page says
 * no tumour was found, auto keeps the baseline and says why, and the summary opens.
 */
const model = makeNoTumourModelFiles();
const MODEL_URL = '/e2e-no-tumour-model/model.json';
const synthetic = makeSyntheticCase({ seed: 3 });
const files = MODALITIES.map((m) => synthetic.files[m]);
const headers = { 'Cross-Origin-Resource-Policy': 'same-origin' };

test('a scan in which the model finds no tumour: the run succeeds and says so, auto keeps the baseline and says why', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await page.route((url) => url.pathname === '/e2e-no-tumour-model/calibration.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', headers, body: JSON.stringify(craftedCalibration(model, 1e-6)) }),
  );
  await page.route((url) => url.pathname === MODEL_URL, (route) => route.fulfill({ status: 200, contentType: 'application/json', headers, body: JSON.stringify(model.manifest) }));
  await page.route((url) => url.pathname === '/e2e-no-tumour-model/weights.bin', (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', headers, body: Buffer.from(model.weights) }),
  );
  await page.goto(`/?model=${MODEL_URL}&backend=wasm`);
  await expectBackend(page, 'wasm');
  await dropFiles(page, files);
  await expect(page.getByLabel('Adaptation mode')).toHaveValue('auto');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });

  await expect(page.getByTestId('no-tumour')).toContainText('No tumour found');
  await expect(page.getByTestId('signal-panel')).toHaveAttribute('data-level', 'noTumour');
  await expect(page.getByTestId('signal-label')).toHaveText('no tumour predicted');
  const decision = page.getByTestId('auto-decision');
  await expect(decision).toHaveAttribute('data-kept', 'baseline');
  await expect(decision).toHaveAttribute('data-adapted-with', '');
  await expect(decision).toContainText('Baseline kept without adapting: the model predicts no tumour in this scan');
  for (const k of ['NCR', 'ED', 'ET']) {
    await expect(page.getByTestId('results-table').getByTestId('row-baseline').getByTestId(`ml-${k}`)).toHaveText(/^0(\.0+)?( mL)?$/);
  }
  await page.getByTestId('signal-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('no-tumour.png'), fullPage: true });

  // The export of auto's mask: a NIfTI on the scan's grid with no tumour label.
  const exported = await download(page, 'export-auto');
  const mask = await readNifti(exported.bytes, exported.name);
  expect(mask.dims).toEqual((await readNifti(synthetic.files.t1.bytes as Uint8Array, 't1')).dims);
  expect(mask.data.every((v) => v === 0)).toBe(true);

  await page.getByTestId('open-summary').click();
  await expect(page.getByTestId('summary')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('summary-no-tumour')).toContainText('No tumour found in: Baseline');
  await expect(page.getByTestId('summary-signal')).toContainText('No reading: the model predicts no tumour in this scan');
});
