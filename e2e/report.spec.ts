import { makeSyntheticCase, MODALITIES } from '../src/core/index.ts';
import { chooseMode, download, expect, openWithTinyModel, test } from './fixtures.ts';
import { readCanvasPixels, signatureDistance } from './helpers.ts';

/**
 * The clinician's last mile (issue 13): the 3D view (main viewer and before/after panes) and
 * the one-page summary. Tiny model, phantom case.
 */
const synthetic = makeSyntheticCase({ seed: 3 });
const syntheticFiles = [...MODALITIES.map((m) => synthetic.files[m]), synthetic.files.seg];

test('3D: the viewer and the before/after panes render the brain with its labels; toggles hide a label', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await openWithTinyModel(page, { files: syntheticFiles });
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

  // Rotate: a drag turns the brain (a different picture), still not blank.
  const vbox = (await viewer.locator('canvas').boundingBox())!;
  await page.mouse.move(vbox.x + vbox.width * 0.4, vbox.y + vbox.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(vbox.x + vbox.width * 0.6, vbox.y + vbox.height * 0.45, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => signatureDistance((await readCanvasPixels(page)).signature, render.signature), { message: 'rotated' }).toBeGreaterThan(2);

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

test('summary: one page with the table’s numbers, pictures, print to PDF and a PNG', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await openWithTinyModel(page, { files: syntheticFiles });
  await chooseMode(page, 'bn', { iterations: 2, statsSlices: 4 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  // An edit is a result of its own on the page too.
  await page.getByLabel('Edit starts from').selectOption('label');
  await page.getByTestId('edit-start').click();

  await page.getByTestId('open-summary').click();
  const summary = page.getByTestId('summary');
  await expect(summary).toHaveAttribute('data-pictures', '4', { timeout: 60_000 });
  for (const m of MODALITIES) await expect(summary).toContainText(synthetic.files[m].name);
  await expect(summary).toContainText(synthetic.files.seg.name);
  await expect(page.getByTestId('summary-model')).toHaveText('/e2e-model/model.json');
  await expect(page.getByTestId('summary-backend')).toHaveText('WebAssembly');
  await expect(page.getByTestId('summary-mode-bn')).toContainText('Adam, learning rate 0.001, 2 iterations, 4 statistics slices; kept iteration');
  // The tiny model comes without a calibration here: no signal reading on the page, none on the sheet.
  await expect(page.getByTestId('signal-uncalibrated')).toBeVisible();
  await expect(page.getByTestId('summary-signal')).toHaveCount(0);

  // The numbers the results table shows, for every result (volumes per label, Dice per region).
  for (const source of ['baseline', 'bn', 'edited']) {
    const tableRow = page.getByTestId('results-table').getByTestId(`row-${source}`);
    for (const key of ['NCR', 'ED', 'ET']) {
      await expect(page.getByTestId(`summary-row-${source}`).getByTestId(`summary-ml-${key}`)).toHaveText((await tableRow.getByTestId(`ml-${key}`).innerText()).trim());
    }
    for (const [region, tableKey] of [['ET', 'ET_region'], ['TC', 'TC'], ['WT', 'WT']]) {
      await expect(page.getByTestId(`summary-metrics-${source}`).getByTestId(`summary-dice-${region}`)).toHaveText((await tableRow.getByTestId(`dice-${tableKey}`).innerText()).trim());
    }
  }
  // An unedited copy of the expert label: Dice 1 and HD95 0 everywhere.
  for (const region of ['ET', 'TC', 'WT']) {
    await expect(page.getByTestId('summary-metrics-edited').getByTestId(`summary-dice-${region}`)).toHaveText('1.000');
    await expect(page.getByTestId('summary-metrics-edited').getByTestId(`summary-hd95-${region}`)).toHaveText('0.0 mm');
  }
  // Pictures drawn (not blank) and different from one another (three planes and 3D).
  const stats = await page.evaluate(async () => {
    const out: { name: string; lit: number; mean: number }[] = [];
    for (const img of Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid^=summary-picture-]'))) {
      await img.decode();
      const c = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let lit = 0, sum = 0;
      for (let n = 0; n < d.length; n += 4) {
        const l = 0.299 * d[n] + 0.587 * d[n + 1] + 0.114 * d[n + 2];
        sum += l;
        if (l > 40) lit++;
      }
      out.push({ name: img.alt, lit: lit / (d.length / 4), mean: sum / (d.length / 4) });
    }
    return out;
  });
  expect(stats.map((s) => s.name)).toEqual(['Axial view', 'Coronal view', 'Sagittal view', '3D view']);
  for (const s of stats) expect(s.lit, `${s.name} is not blank`).toBeGreaterThan(0.02);
  expect(new Set(stats.map((s) => s.mean.toFixed(2))).size).toBe(4);
  await page.screenshot({ path: testInfo.outputPath('summary.png') }); // the sheet is a fixed overlay: the viewport is the screen

  // Print: only the sheet is printed, and at A4 width (96 dpi) it fits one A4 page; page.pdf works.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('#root')).toBeHidden();
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: 794, height: 1123 });
  const sheet = (await page.locator('.summary__page').boundingBox())!;
  expect(sheet.height, 'the sheet fits one A4 page').toBeLessThanOrEqual(1123);
  await page.screenshot({ path: testInfo.outputPath('summary-print.png'), fullPage: true });
  await page.setViewportSize(viewport);
  // (page.pdf prints with the emulated media: print, as the browser's own dialog does.)
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  (await import('node:fs')).writeFileSync(testInfo.outputPath('summary.pdf'), pdf);
  expect(pdf.toString('latin1').match(/\/Count (\d+)/)?.[1], 'one page').toBe('1');
  expect((pdf.toString('latin1').match(/\/Subtype \/Image/g) ?? []).length, 'the four pictures are in it').toBeGreaterThanOrEqual(4);

  // PNG of the page.
  const png = await download(page, 'summary-png');
  expect(png.name).toBe('Synthetic_0003_attune-summary.png');
  expect(Array.from(png.bytes.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(testInfo.outputPath('summary-download.png'), png.bytes);
  await page.getByTestId('summary-close').click();
  await expect(summary).toHaveCount(0);
});
