import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allDice, type DiceKey } from '../src/core/metrics/dice.ts';
import { labelVolumes, makeSyntheticCase, MODALITIES, physicalValues, readNifti, voxelVolumeMl, writeNifti } from '../src/core/index.ts';
import { maskChanges } from '../src/core/results/index.ts';
import { DEFAULT_POLICY } from '../src/core/decision/index.ts';
import type { Calibration } from '../src/core/signals/index.ts';
import { formatMl } from '../src/app/labelColours.ts';
import { chooseMode, download, expect, expectBackend, notPrecached, openWithTinyModel, test } from './fixtures.ts';
import { dropFiles } from './helpers.ts';

/**
 * The app end to end (issue 5): run, before/after views, live loss curve, compare, export,
 * settings, cancel, offline. Real-model runs use wasm and tiny iteration counts; the
 * others use the tiny test model (fixtures.ts).
 */
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const shippedCalibration = JSON.parse(readFileSync(resolve(repoRoot, 'models/attune-brats-inst18/calibration.json'), 'utf8')) as Calibration;
const demoFile = (s: string) => new Uint8Array(readFileSync(resolve(repoRoot, 'public/demo', `BraTS2021_00324_${s}.nii.gz`)));
const synthetic = makeSyntheticCase({ seed: 1 });
/** Index of the first minimum of a loss curve. */
const firstMinimum = (losses: number[]) => losses.indexOf(Math.min(...losses));
const syntheticFiles = [...MODALITIES.map((m) => synthetic.files[m]), synthetic.files.seg];

test('empty state: demo buttons, citation, backend badge; settings are remembered and checked', async ({ page }, testInfo) => {
  await page.goto('/');
  await expectBackend(page, 'webgpu');
  await expect(page.getByTestId('brats-demo')).toBeVisible();
  await expect(page.getByTestId('citation')).toContainText('arXiv:2107.02314');
  await expect(page.getByTestId('citation')).toContainText('BraTS2021_00324');
  await expect(page.getByTestId('run')).toBeDisabled();
  await expect(page.getByTestId('run-blocked')).toHaveText('Load a complete case first.');
  await page.screenshot({ path: testInfo.outputPath('empty-state.png'), fullPage: true });

  await chooseMode(page, 'bn', { iterations: 7, learningRate: 0.004, statsSlices: 5 });
  await page.getByLabel('Optimizer').selectOption('sgd');
  await page.getByRole('checkbox', { name: 'TENT' }).check();
  await page.reload();
  await expect(page.getByLabel('Adaptation mode')).toHaveValue('bn');
  await expect(page.getByLabel('Iterations', { exact: true })).toHaveValue('7');
  await expect(page.getByLabel('Learning rate', { exact: true })).toHaveValue('0.004');
  await expect(page.getByLabel('Statistics slices', { exact: true })).toHaveValue('5');
  await expect(page.getByLabel('Optimizer')).toHaveValue('sgd');
  await expect(page.getByRole('checkbox', { name: 'TENT' })).toBeChecked();
  await expect(page.getByTestId('compare')).toHaveText('Compare Automatic vs BN vs TENT');

  // A bad value says what is wrong and blocks Run until fixed; the stored value stays valid.
  await page.getByTestId('demo-case').click();
  await expect(page.getByTestId('run')).toBeEnabled();
  await page.getByLabel('Learning rate', { exact: true }).fill('abc');
  await expect(page.getByRole('alert').filter({ hasText: 'Learning rate: enter a number' })).toBeVisible();
  await expect(page.getByTestId('run')).toBeDisabled();
  await page.getByLabel('Learning rate', { exact: true }).fill('2');
  await expect(page.getByRole('alert').filter({ hasText: 'Learning rate: must be between 0 and 1' })).toBeVisible();
  await page.getByLabel('Learning rate', { exact: true }).fill('0.002');
  await expect(page.getByTestId('run')).toBeEnabled();
  await page.getByRole('button', { name: 'Reset BN to defaults' }).click();
  await expect(page.getByLabel('Iterations', { exact: true })).toHaveValue('20');

  // The demo's "other scanner" variant: the real case through the shift simulator (in the worker).
  await page.getByTestId('brats-demo-shifted').click();
  await expect(page.getByTestId('file-row').locator('.file-name')).toHaveText(
    ['t1', 't1ce', 't2', 'flair', 'seg'].map((s) => `BraTS2021_00324-low-field3_${s}.nii`),
    { timeout: 120_000 },
  );
  await expect(page.getByTestId('case-ready')).toContainText('with a label map');
  const roles = await page.getByTestId('file-row').locator('select').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
  expect(roles).toEqual(['t1', 't1ce', 't2', 'flair', 'seg']);
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
});

test('real demo case: run on wasm, live curve, linked before/after views, changes, export, privacy', async ({ page, context }, testInfo) => {
  test.setTimeout(420_000);
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await page.goto('/?backend=wasm');
  await expectBackend(page, 'wasm');
  await expect(page.getByTestId('backend-badge')).toContainText('WebGPU was switched off');

  await page.getByTestId('brats-demo').click();
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('case-ready')).toContainText('with a label map');
  await page.screenshot({ path: testInfo.outputPath('loaded-scan.png'), fullPage: true });

  await chooseMode(page, 'normalizer', { iterations: 2, statsSlices: 2 });
  await page.getByTestId('run').click();
  // The page stays responsive while the worker runs: switching the modality and the label
  // overlay take effect during the baseline segmentation.
  await expect(page.getByTestId('progress-text')).toContainText(/Baseline segmentation: slice \d+ of \d+/, { timeout: 60_000 });
  await page.getByRole('radio', { name: 'FLAIR' }).click();
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-modality', 'flair');
  await page.getByRole('checkbox', { name: 'Expert labels' }).uncheck();
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-labels', 'off');
  await expect(page.getByTestId('progress'), 'the run was still going while the page reacted').toBeVisible();
  await page.getByRole('checkbox', { name: 'Expert labels' }).check();

  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 300_000 });
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-curves', 'normalizer:3');
  // The shift score is iteration 0 of the exported curve (below), shown without a verdict.
  const shift = page.getByTestId('shift-score');
  const score = Number(await shift.getAttribute('data-score'));
  await expect(shift).not.toContainText(/far from|close to|moderately/);
  // The reading is this scan's value against the shipped calibration's reference scans (the
  // held-out ones, `trained: false`, when it has two or more; else the training scans): the
  // level and percentile the page shows are worked out here from the value it shows and
  // calibration.json (so the check holds for whichever model is shipped).
  const heldOut = shippedCalibration.scans.filter((x) => x.trained === false);
  const reference = heldOut.length >= 2 ? heldOut : shippedCalibration.scans;
  const training = reference.map((x) => x.outputs[DEFAULT_POLICY.signal]);
  const value = Number(await page.getByTestId('signal-value').innerText());
  expect(training.every((t) => Math.abs(t - value) > 0.0005), 'no training value within the displayed rounding').toBe(true);
  await expect(page.getByTestId('signal-panel')).toHaveAttribute('data-level', value > Math.max(...training) ? 'beyond' : 'within');
  const percentile = (100 * training.filter((t) => t <= value).length) / training.length;
  await expect(page.getByTestId('signal-percentile')).toHaveText(`percentile ${percentile.toFixed(0)} of ${training.length} ${heldOut.length >= 2 ? 'held-out scans (not trained on)' : 'training scans'}`);
  for (const pane of ['pane-left', 'pane-right']) {
    await expect(page.getByTestId(pane)).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(page.getByTestId(pane)).toHaveAttribute('data-overlay', 'labels');
  }

  // Linked views: a click in the left view moves both crosshairs to the same place.
  const left = page.getByTestId('pane-left');
  const right = page.getByTestId('pane-right');
  const before = await left.getAttribute('data-crosshair');
  const box = (await left.locator('canvas').boundingBox())!;
  await left.locator('canvas').click({ position: { x: box.width * 0.42, y: box.height * 0.38 } });
  await expect(left).not.toHaveAttribute('data-crosshair', before ?? '');
  const moved = await left.getAttribute('data-crosshair');
  await expect(right).toHaveAttribute('data-crosshair', moved!);

  // Exports: masks on the input's grid and affine, loss curve as CSV.
  const t1 = await readNifti(demoFile('t1'), 't1.nii.gz');
  const seg = await readNifti(demoFile('seg'), 'seg.nii.gz');
  const adaptedFile = await download(page, 'export-normalizer');
  expect(adaptedFile.name).toBe('BraTS2021_00324_attune-normalizer.nii.gz');
  const adapted = await readNifti(adaptedFile.bytes, adaptedFile.name);
  const baseline = await readNifti((await download(page, 'export-baseline')).bytes, 'baseline.nii.gz');
  for (const mask of [adapted, baseline]) {
    expect(mask.dims).toEqual(t1.dims);
    expect(mask.affine).toEqual(t1.affine);
    expect(mask.spacingMm).toEqual(t1.spacingMm);
    for (const v of new Set(mask.data)) expect([0, 1, 2, 4]).toContain(v);
  }
  const csv = new TextDecoder().decode((await download(page, 'export-csv')).bytes).trim().split('\n');
  expect(csv.slice(1).map((r) => r.split(',').slice(0, 2).join(':'))).toEqual(['normalizer:0', 'normalizer:1', 'normalizer:2']);
  expect(Number(csv[1].split(',')[2])).toBe(score);
  // The kept iterate is the curve's (first) minimum, iteration 0 included.
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-chosen', `normalizer:${firstMinimum(csv.slice(1).map((r) => Number(r.split(',')[2])))}`);

  // The table shows the exported masks' volumes and their Dice against the expert label.
  const voxelMl = voxelVolumeMl(t1);
  for (const [row, mask] of [['row-normalizer', adapted], ['row-baseline', baseline]] as const) {
    for (const v of labelVolumes(mask.data, voxelMl)) await expect(page.getByTestId(row).getByTestId(`ml-${v.key}`)).toHaveText(formatMl(v.ml));
    const dice = allDice(mask.data, physicalValues(seg));
    for (const key of ['ET', 'TC', 'WT'] as DiceKey[]) {
      await expect(page.getByTestId(row).getByTestId(`dice-${key}`)).toHaveText(dice[key] === null ? 'n/a' : dice[key]!.toFixed(3));
    }
  }

  // Changed voxels (right relative to left), counted like core counts them.
  await page.getByRole('checkbox', { name: 'Changed voxels' }).check();
  await expect(right).toHaveAttribute('data-overlay', 'changes');
  await expect(right).toHaveAttribute('data-state', 'ready');
  const counts = maskChanges(baseline.data, adapted.data).counts;
  for (const k of ['gained', 'lost', 'relabelled'] as const) {
    await expect(page.getByTestId(`changes-${k}`)).toHaveAttribute('data-voxels', String(counts[k]));
  }
  await page.screenshot({ path: testInfo.outputPath('after-adaptation.png'), fullPage: true });

  // Privacy: the model, the wasm binaries and the demo were fetched — all from this origin
  // (the auto fixture fails the test on any other origin).
  expect(requests.some((u) => /\/assets\/weights-[\w-]+\.bin$/.test(u)), 'the worker’s model request was seen').toBe(true);
  expect(requests.some((u) => /\.wasm$/.test(u))).toBe(true);
  expect(requests.some((u) => u.endsWith('/demo/BraTS2021_00324_flair.nii.gz'))).toBe(true);
});

test('compare: normalizer vs BN vs AdaBN — overlaid curves, masks side by side, Dice table', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await openWithTinyModel(page, { files: syntheticFiles });
  await expect(page.getByTestId('case-ready')).toBeVisible();
  for (const mode of ['normalizer', 'bn']) await chooseMode(page, mode, { iterations: 3, statsSlices: 4 });
  await page.getByRole('checkbox', { name: 'Automatic' }).uncheck();
  await page.getByRole('checkbox', { name: 'Normalizer' }).check();
  await page.getByRole('checkbox', { name: 'AdaBN' }).check();
  await expect(page.getByTestId('compare')).toHaveText('Compare Normalizer vs BN vs AdaBN');
  await page.getByTestId('compare').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });

  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-curves', 'normalizer:4,bn:4,adabn:2');
  // uPlot's legend lists each curve and each kept iterate.
  await expect(page.locator('.u-legend .u-series')).toHaveCount(1 + 3 * 2);

  await page.getByLabel('Left view shows').selectOption('normalizer');
  await page.getByLabel('Right view shows').selectOption('bn');
  for (const pane of ['pane-left', 'pane-right']) await expect(page.getByTestId(pane)).toHaveAttribute('data-state', 'ready');

  // Linked: scrolling the right view changes the slice of both; zoom applies to both.
  const [left, right] = [page.getByTestId('pane-left'), page.getByTestId('pane-right')];
  const z0 = (await left.getAttribute('data-crosshair'))!.split(',')[2];
  await right.locator('canvas').hover();
  await page.mouse.wheel(0, -200);
  await expect
    .poll(async () => {
      const [l, r] = [await left.getAttribute('data-crosshair'), await right.getAttribute('data-crosshair')];
      return l === r && r!.split(',')[2] !== z0 ? 'same new slice' : `left ${l}, right ${r}`;
    })
    .toBe('same new slice');
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect(left).toHaveAttribute('data-zoom', '1.56');
  await expect(right).toHaveAttribute('data-zoom', '1.56');

  // Dice per class and region for baseline and every mode, as core computes it on the exported masks.
  const ref = physicalValues((await readNifti(synthetic.files.seg.bytes, 'seg.nii.gz')));
  for (const source of ['baseline', 'normalizer', 'bn', 'adabn']) {
    const mask = await readNifti((await download(page, `export-${source}`)).bytes, `${source}.nii.gz`);
    const dice = allDice(mask.data, ref);
    for (const key of ['NCR', 'ED', 'ET', 'ET_region', 'TC', 'WT'] as DiceKey[]) {
      await expect(page.getByTestId(`row-${source}`).getByTestId(`dice-${key}`)).toHaveText(dice[key] === null ? 'n/a' : dice[key]!.toFixed(3));
    }
  }
  await expect(page.getByTestId('row-label')).toBeVisible();
  const csv = new TextDecoder().decode((await download(page, 'export-csv')).bytes).trim().split('\n');
  expect(csv.length).toBe(1 + 4 + 4 + 2);
  // Gradient modes keep their curve's first minimum (iteration 0 included); AdaBN always keeps its one step.
  const curve = (mode: string) => csv.slice(1).map((r) => r.split(',')).filter((r) => r[0] === mode).map((r) => Number(r[2]));
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-chosen', `normalizer:${firstMinimum(curve('normalizer'))},bn:${firstMinimum(curve('bn'))},adabn:1`);
  await page.screenshot({ path: testInfo.outputPath('compare.png'), fullPage: true });
});

test('cancel at any point, or a failed run, leaves the app usable; the next run completes', async ({ page }) => {
  test.setTimeout(180_000);
  await openWithTinyModel(page, { files: syntheticFiles });
  await chooseMode(page, 'normalizer', { iterations: 1000, statsSlices: 4 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('progress-text')).toContainText(/Adapting \(Normalizer\): iteration [3-9]\d* of 1000 · loss \d/, { timeout: 60_000 });
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-curves', /^normalizer:\d+$/);
  await page.getByRole('radio', { name: 'T2' }).click();
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-modality', 't2');
  await expect(page.getByTestId('progress')).toHaveAttribute('data-stage', 'adapt');
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('run-cancelled')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('results')).toHaveCount(0);

  // Cancel during the baseline too, then a normal run.
  await chooseMode(page, 'bn', { iterations: 2 });
  await page.getByTestId('run').click();
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('run-cancelled')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-curves', 'bn:3');

  // A case the checks accept but the model cannot normalise (T1 the same everywhere): the
  // worker reports why, the page keeps the case, and the next case runs.
  const t1 = await readNifti(synthetic.files.t1.bytes, synthetic.files.t1.name);
  // (300 inside the brain, 0 outside: a skull-stripped scan, so only the run can notice.)
  const flat = { name: synthetic.files.t1.name, bytes: writeNifti(t1, Int16Array.from(t1.data, (v) => (v !== 0 ? 300 : 0))) };
  await dropFiles(page, [flat, ...syntheticFiles.slice(1)]);
  await expect(page.getByTestId('case-ready')).toBeVisible();
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-error')).toContainText('has the same value everywhere inside the brain', { timeout: 60_000 });
  await expect(page.getByTestId('file-row')).toHaveCount(5);
  await dropFiles(page, syntheticFiles);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
});

test.describe('offline', () => {
  test.use({ serviceWorkers: 'allow' });

  test('after one visit, the app, model and demo work offline', async ({ page, context }) => {
    test.setTimeout(420_000);
    await page.goto('/?backend=wasm');
    await expectBackend(page, 'wasm');
    // Wait until the service worker controls the page and has precached everything.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect
      .poll(
        () =>
          notPrecached(page, ['.bin', '.wasm', 'BraTS2021_00324_seg.nii.gz', 'BraTS2021_00324_t1.nii.gz', 'attune.worker']),
        { timeout: 120_000, message: 'precached: model weights, wasm, demo case, worker' },
      )
      .toEqual([]);

    await context.setOffline(true);
    await page.reload();
    await expectBackend(page, 'wasm');
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    // Served by the service worker with the cached COOP/COEP headers: still isolated, so wasm
    // keeps its threads and Cancel its shared flag.
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    // The bundled demo case comes from the cache…
    await page.getByTestId('brats-demo').click();
    await expect(page.getByTestId('viewer')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
    await expect(page.getByTestId('case-ready')).toContainText('with a label map');
    // …and the cached model runs in the cached worker and wasm (on the small phantom: the
    // real case's run is covered above, and software WebGL makes every extra view slow here).
    await page.getByTestId('demo-case').click();
    await expect(page.getByTestId('file-row')).toHaveCount(5);
    await chooseMode(page, 'bn', { iterations: 2, statsSlices: 4 });
    await page.getByTestId('run').click();
    await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-curves', 'bn:3');
    await expect(page.getByTestId('pane-right')).toHaveAttribute('data-state', 'ready');
    await context.setOffline(false);
  });
});
