import { makeSyntheticCase, MODALITIES } from '../src/core/index.ts';
import { chooseMode, expect, expectBackend, serveTinyModel, test, TINY_MODEL_URL } from './fixtures.ts';
import { dropFiles, readCanvasPixels, signatureDistance } from './helpers.ts';

/**
 * The clinician's last mile (issue 13): the 3D view (main viewer and before/after panes) and
 * the one-page summary. Tiny model, phantom case.
 */
const synthetic = makeSyntheticCase({ seed: 3 });
const syntheticFiles = [...MODALITIES.map((m) => synthetic.files[m]), synthetic.files.seg];

test('3D: the viewer and the before/after panes render the brain with its labels; toggles hide a label', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await serveTinyModel(page);
  await page.goto(`/?model=${TINY_MODEL_URL}&backend=wasm`);
  await expectBackend(page, 'wasm');
  await dropFiles(page, syntheticFiles);
  const viewer = page.getByTestId('viewer');
  await expect(viewer).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  const planes = await readCanvasPixels(page);

  await page.getByRole('radiogroup', { name: 'Viewer shows' }).getByRole('radio', { name: '3D' }).click();
  await expect(viewer).toHaveAttribute('data-view', '3d');
  await expect.poll(async () => signatureDistance((await readCanvasPixels(page)).signature, planes.signature), { message: 'the 3D view differs from the planes' }).toBeGreaterThan(5);
  const render = await readCanvasPixels(page);
  expect(render.litFraction, 'the 3D view is not blank').toBeGreaterThan(0.03);
  expect(render.green, 'the edema (outermost label) shows in 3D').toBeGreaterThan(200);
  await page.screenshot({ path: testInfo.outputPath('viewer-3d.png'), fullPage: true });

  // Label toggles: without ED the 3D view loses its green; back on, it returns.
  await page.getByRole('checkbox', { name: 'Show ED' }).first().uncheck();
  await expect.poll(async () => (await readCanvasPixels(page)).green, { message: 'ED hidden' }).toBeLessThan(render.green / 10);
  await page.getByRole('checkbox', { name: 'Show ED' }).first().check();
  await expect.poll(async () => (await readCanvasPixels(page)).green).toBeGreaterThan(200);

  // The before/after panes in 3D: both render (linked), neither blank, unlike their planes.
  await chooseMode(page, 'bn', { iterations: 2, statsSlices: 4 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await page.getByLabel('Left view shows').selectOption('label');
  const left = page.getByTestId('pane-left');
  await expect(left).toHaveAttribute('data-state', 'ready');
  const leftPlanes = await readCanvasPixels(page, '[data-testid=pane-left] canvas');
  await page.getByRole('radiogroup', { name: 'Slice orientation' }).getByRole('radio', { name: '3D' }).click();
  for (const pane of ['pane-left', 'pane-right']) await expect(page.getByTestId(pane)).toHaveAttribute('data-slice-type', 'render');
  await expect
    .poll(async () => signatureDistance((await readCanvasPixels(page, '[data-testid=pane-left] canvas')).signature, leftPlanes.signature))
    .toBeGreaterThan(5);
  for (const pane of ['pane-left', 'pane-right']) {
    const px = await readCanvasPixels(page, `[data-testid=${pane}] canvas`);
    expect(px.litFraction, `${pane} in 3D is not blank`).toBeGreaterThan(0.03);
  }
  expect((await readCanvasPixels(page, '[data-testid=pane-left] canvas')).green, 'the expert label in 3D').toBeGreaterThan(100);
  await page.getByTestId('pane-left').scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('compare-3d.png') });
});
