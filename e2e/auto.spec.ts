import type { Page } from '@playwright/test';
import { DEFAULT_POLICY } from '../src/core/decision/index.ts';
import { makeSyntheticCase, MODALITIES, readNifti } from '../src/core/index.ts';
import { craftedCalibration } from '../src/core/signals/testing/craftedCalibration.ts';
import { download, expect, openWithTinyModel, test, tinyModel } from './fixtures.ts';

/**
 * `auto`, the default mode (issues 15, 23), through the real page and worker: the tiny model
 * with a calibration whose training-scan values are chosen (craftedCalibration) so that the
 * same phantom reads "beyond every training scan" or "within" them, so each decision is known
 * in advance and checked: beyond, auto must adapt with both candidates (TENT, bn-brain) and,
 * on this phantom, keep TENT's mask (measured with the same core code in Node: TENT lowers the
 * entropy inside the tumour, 1.113 → 1.105; bn-brain does not lower it); within, it must keep
 * the baseline without adapting. The mask auto exports is the one its decision kept.
 */
const synthetic = makeSyntheticCase({ seed: 3 });
const syntheticFiles = [...MODALITIES.map((m) => synthetic.files[m]), synthetic.files.seg];

const maskOf = async (page: Page, source: string) => {
  const file = await download(page, `export-${source}`);
  return (await readNifti(file.bytes, file.name)).data;
};

const CASES = [
  {
    reading: 'beyond', trainingValue: 1e-6, label: 'beyond every training scan', percentile: 'percentile 100 of 3 training scans',
    kept: 'adapted', adaptedWith: 'tent', words: ['Automatic: kept the adapted mask (tent).', 'Baseline may be unreliable on this scan', 'so it adapted with TENT and BN adaptation (bn-brain)'],
  },
  {
    reading: 'within', trainingValue: 1e6, label: 'within the training scans’ range', percentile: 'percentile 0 of 3 training scans',
    kept: 'baseline', adaptedWith: '', words: ['Automatic: kept the baseline.', 'Baseline kept without adapting'],
  },
] as const;

for (const c of CASES) {
  test(`auto on a scan that reads "${c.reading}" the training scans: ${c.kept === 'adapted' ? 'adapts and keeps the adapted mask' : 'keeps the baseline without adapting'}, says why`, async ({ page }, testInfo) => {
    test.setTimeout(240_000);
    await openWithTinyModel(page, { calibration: craftedCalibration(tinyModel, c.trainingValue), files: syntheticFiles });
    await expect(page.getByLabel('Adaptation mode'), 'auto is the default').toHaveValue('auto');
    await expect(page.getByTestId('auto-rule')).toContainText('highest value among the reference scans');
    await page.getByTestId('run').click();
    await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });

    await expect(page.getByTestId('signal-panel')).toHaveAttribute('data-level', c.reading);
    await expect(page.getByTestId('signal-label')).toHaveText(c.label);
    await expect(page.getByTestId('signal-percentile')).toContainText(c.percentile);
    const decision = page.getByTestId('auto-decision');
    await expect(decision).toHaveAttribute('data-kept', c.kept);
    await expect(decision).toHaveAttribute('data-adapted-with', c.adaptedWith);
    for (const w of c.words) await expect(decision).toContainText(w);
    if (c.kept === 'adapted') {
      await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-curves', `auto:${DEFAULT_POLICY.candidates[0].settings.iterations + 1}`);
      // What each candidate did and why it was kept or not.
      await expect(page.getByTestId('auto-candidate-tent')).toHaveAttribute('data-kept', 'true');
      await expect(page.getByTestId('auto-candidate-tent')).toContainText(/kept: tumour volume changed \d+ %, entropy inside the tumour [\d.]+ → [\d.]+ \(fell/);
      await expect(page.getByTestId('auto-candidate-bn-brain')).toHaveAttribute('data-kept', 'false');
      await expect(page.getByTestId('auto-candidate-bn-brain')).toContainText('not kept');
    } else {
      await expect(page.getByTestId('auto-candidates')).toHaveCount(0);
    }
    // The mask auto shows and exports is the one it kept: the adapted one differs from the baseline's.
    const [auto, baseline] = [await maskOf(page, 'auto'), await maskOf(page, 'baseline')];
    let differing = 0;
    for (let n = 0; n < auto.length; n++) differing += auto[n] !== baseline[n] ? 1 : 0;
    if (c.kept === 'adapted') expect(differing).toBeGreaterThan(0);
    else expect(differing).toBe(0);
    await expect(page.getByTestId('pane-right')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await page.getByTestId('signal-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath(`auto-${c.reading}.png`), fullPage: true });
  });
}

test('auto without a calibration keeps the baseline and says so', async ({ page }) => {
  test.setTimeout(240_000);
  await openWithTinyModel(page, { files: syntheticFiles });
  await expect(page.getByTestId('auto-uncalibrated')).toContainText('this model has no calibration');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
  await expect(page.getByTestId('signal-uncalibrated')).toBeVisible();
  await expect(page.getByTestId('auto-decision')).toHaveAttribute('data-kept', 'baseline');
  await expect(page.getByTestId('auto-decision')).toContainText('no calibration');
});
