import { makeSyntheticCase, MODALITIES } from '../src/core/index.ts';
import { craftedCalibration } from '../src/core/signals/testing/craftedCalibration.ts';
import { expect, expectBackend, serveTinyModel, test, tinyModel, TINY_MODEL_URL } from './fixtures.ts';
import { dropFiles } from './helpers.ts';

/**
 * `auto`, the default mode (issue 15), through the real page and worker: the tiny model with
 * a calibration whose training-scan values are chosen so the same phantom reads "beyond
 * every training scan" (auto adapts, then keeps or falls back) or "within" (auto keeps the
 * baseline without adapting). Either way the page says why, and the mask auto shows is the
 * one its decision kept.
 */
const synthetic = makeSyntheticCase({ seed: 3 });
const syntheticFiles = [...MODALITIES.map((m) => synthetic.files[m]), synthetic.files.seg];

const volumesOf = async (page: import('@playwright/test').Page, source: string) =>
  Promise.all(['NCR', 'ED', 'ET'].map(async (k) => (await page.getByTestId('results-table').getByTestId(`row-${source}`).getByTestId(`ml-${k}`).innerText()).trim()));

for (const [reading, trainingValue] of [['beyond', 1e-6], ['within', 1e6]] as const) {
  test(`auto on a scan that reads "${reading}" the training scans: decides, says why, shows the mask it kept`, async ({ page }, testInfo) => {
    test.setTimeout(240_000);
    await serveTinyModel(page, { calibration: craftedCalibration(tinyModel, trainingValue) });
    await page.goto(`/?model=${TINY_MODEL_URL}&backend=wasm`);
    await expectBackend(page, 'wasm');
    await dropFiles(page, syntheticFiles);
    await expect(page.getByLabel('Adaptation mode'), 'auto is the default').toHaveValue('auto');
    await expect(page.getByTestId('auto-rule')).toContainText('highest value among the training scans');
    await page.getByTestId('run').click();
    await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });

    const panel = page.getByTestId('signal-panel');
    await expect(panel).toHaveAttribute('data-level', reading);
    await expect(page.getByTestId('signal-label')).toHaveText(reading === 'beyond' ? 'beyond every training scan' : 'within the training scans’ range');
    await expect(page.getByTestId('signal-percentile')).toContainText(reading === 'beyond' ? 'percentile 100 of 3 training scans' : 'percentile 0 of 3 training scans');
    const decision = page.getByTestId('auto-decision');
    const kept = await decision.getAttribute('data-kept');
    if (reading === 'within') {
      expect(kept).toBe('baseline');
      await expect(decision).toContainText('Baseline kept without adapting');
      await expect(decision).toHaveAttribute('data-adapted-with', '');
    } else {
      await expect(decision).toContainText('Baseline may be unreliable on this scan');
      await expect(decision).toHaveAttribute('data-adapted-with', 'tent');
      await expect(decision).toContainText(kept === 'adapted' ? 'kept because' : 'fell back to the baseline');
      await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-curves', /auto:21/);
    }
    // The mask auto shows is the one it kept: the baseline's own volumes when it kept the baseline.
    const auto = await volumesOf(page, 'auto');
    if (kept === 'baseline') expect(auto).toEqual(await volumesOf(page, 'baseline'));
    await expect(page.getByTestId('pane-right')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await page.getByTestId('signal-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath(`auto-${reading}.png`), fullPage: true });
  });
}

test('auto without a calibration keeps the baseline and says so', async ({ page }) => {
  test.setTimeout(240_000);
  await serveTinyModel(page);
  await page.goto(`/?model=${TINY_MODEL_URL}&backend=wasm`);
  await expectBackend(page, 'wasm');
  await dropFiles(page, syntheticFiles);
  await expect(page.getByTestId('auto-uncalibrated')).toContainText('this model has no calibration');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
  await expect(page.getByTestId('signal-uncalibrated')).toBeVisible();
  await expect(page.getByTestId('auto-decision')).toHaveAttribute('data-kept', 'baseline');
  await expect(page.getByTestId('auto-decision')).toContainText('no calibration');
});
