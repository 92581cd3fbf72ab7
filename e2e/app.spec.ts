import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { labelVolumes, makeSyntheticCase, MODALITIES } from '../src/core/index.ts';
import { formatMl } from '../src/app/labelColours.ts';
import { expect, test } from './fixtures.ts';
import { dropFiles, readCanvasPixels, signatureDistance } from './helpers.ts';

const synthetic = makeSyntheticCase({ seed: 1 });
const scans = MODALITIES.map((m) => synthetic.files[m]);

async function expectViewerReady(page: Page) {
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-state', 'ready');
  // Let niivue finish its frame before reading pixels.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('the page is cross-origin isolated and WebGPU gives an adapter', async ({ page }) => {
  // COOP/COEP from `vite preview`: needed later for multi-threaded wasm.
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  const adapter = await page.evaluate(async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return 'navigator.gpu is missing';
    return (await gpu.requestAdapter()) ? 'adapter' : 'requestAdapter() returned null';
  });
  expect(adapter).toBe('adapter');
});

test('four dropped scans are assigned from their names and shown in the viewer', async ({ page }, testInfo) => {
  await dropFiles(page, scans);
  await expectViewerReady(page);
  const roles = await page.getByTestId('file-row').locator('select').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
  expect(roles).toEqual(['t1', 't1ce', 't2', 'flair']);
  await expect(page.getByTestId('case-ready')).toContainText('Case complete');
  await expect(page.getByText('No label map in this case.')).toBeVisible();

  const pixels = await readCanvasPixels(page);
  expect(pixels.width).toBeGreaterThan(300);
  expect(pixels.litFraction, 'the canvas shows the scan, not a blank background').toBeGreaterThan(0.05);
  expect(pixels.red + pixels.green + pixels.yellow, 'no label overlay without a label file').toBeLessThan(50);
  await page.screenshot({ path: testInfo.outputPath('four-scans.png') });
});

test('with a label map: overlay in BraTS colours, legend with mL, modality switch, labels toggle', async ({ page }, testInfo) => {
  await dropFiles(page, [...scans, synthetic.files.seg]);
  await expectViewerReady(page);
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-labels', 'on');

  const expected = labelVolumes(synthetic.labels, synthetic.spacingMm.reduce((a, b) => a * b, 1) / 1000);
  for (const v of expected) {
    const row = page.getByTestId(`legend-${v.key}`);
    await expect(row).toContainText(v.key);
    await expect(row).toContainText(formatMl(v.ml));
    expect(v.voxels).toBeGreaterThan(0);
  }

  const t1ce = await readCanvasPixels(page);
  expect(t1ce.litFraction).toBeGreaterThan(0.05);
  expect(t1ce.red, 'necrotic core (red) is drawn').toBeGreaterThan(20);
  expect(t1ce.green, 'edema (green) is drawn').toBeGreaterThan(20);
  expect(t1ce.yellow, 'enhancing tumour (yellow) is drawn').toBeGreaterThan(20);
  await page.screenshot({ path: testInfo.outputPath('with-labels-t1gd.png') });

  await page.getByRole('checkbox', { name: 'Expert labels' }).uncheck();
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-labels', 'off');
  const shown = t1ce.red + t1ce.green + t1ce.yellow;
  await expect
    .poll(async () => {
      const p = await readCanvasPixels(page);
      return p.red + p.green + p.yellow;
    }, { message: 'overlay hidden' })
    .toBeLessThan(0.1 * shown);
  await page.getByRole('checkbox', { name: 'Expert labels' }).check();

  await page.getByRole('radio', { name: 'FLAIR' }).click();
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-modality', 'flair');
  await expectViewerReady(page);
  const flair = await readCanvasPixels(page);
  expect(flair.litFraction).toBeGreaterThan(0.05);
  expect(signatureDistance(flair.signature, t1ce.signature), 'FLAIR looks different from T1Gd').toBeGreaterThan(1);
  await page.screenshot({ path: testInfo.outputPath('with-labels-flair.png') });
});

test('the synthetic demo case loads from its button, labels included', async ({ page }) => {
  await page.getByTestId('demo-case').click();
  await expectViewerReady(page);
  await expect(page.getByTestId('file-row')).toHaveCount(5);
  await expect(page.getByTestId('legend-ET')).toContainText('mL');
  const pixels = await readCanvasPixels(page);
  expect(pixels.litFraction).toBeGreaterThan(0.05);
  expect(pixels.yellow).toBeGreaterThan(20);
});

test('a wrong file gets a clear message and the app still takes a correct case', async ({ page }, testInfo) => {
  await dropFiles(page, [{ name: 'notes.txt', bytes: new TextEncoder().encode('not an image\n'.repeat(50)) }]);
  const errors = page.getByTestId('issue-error');
  await expect(errors.filter({ hasText: 'notes.txt is not a NIfTI file' })).toBeVisible();
  await expect(errors.filter({ hasText: 'Missing modality: T1, T1Gd, T2, FLAIR' })).toBeVisible();
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-state', 'empty');
  await page.screenshot({ path: testInfo.outputPath('wrong-file.png') });

  await dropFiles(page, [...scans, synthetic.files.seg]);
  await expectViewerReady(page);
  await expect(page.getByTestId('issue-error')).toHaveCount(0);
  await expect(page.getByTestId('legend-ET')).toBeVisible();
  expect((await readCanvasPixels(page)).litFraction).toBeGreaterThan(0.05);
});

test('mismatched grids are refused with both files named; manual reassignment fixes a case', async ({ page }) => {
  const other = makeSyntheticCase({ seed: 2, dims: [48, 48, 20] });
  await dropFiles(page, [scans[0], scans[1], other.files.t2, scans[3]]);
  // Only the grids differ: a raw study to prepare, the difference named under the registration step.
  await expect(page.getByTestId('issue-resolved').filter({ hasText: `${other.files.t2.name} (T2) is 48×48×20 voxels but ${scans[0].name} (T1) is 48×48×24` })).toBeVisible();
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-state', 'empty');

  // Names that say nothing: the user assigns the roles by hand.
  const anonymous = scans.map((f, n) => ({ name: `scan${String.fromCharCode(65 + n)}.nii.gz`, bytes: f.bytes }));
  await dropFiles(page, anonymous);
  await expect(page.getByTestId('issue-warning')).toHaveCount(4);
  await expect(page.getByTestId('issue-error').filter({ hasText: 'Missing modality: T1, T1Gd, T2, FLAIR' })).toBeVisible();
  for (const [n, m] of MODALITIES.entries()) {
    await page.getByLabel(`Role of ${anonymous[n].name}`).selectOption(m);
  }
  await expectViewerReady(page);
  await expect(page.getByTestId('issue-error')).toHaveCount(0);
  expect((await readCanvasPixels(page)).litFraction).toBeGreaterThan(0.05);

  // Two files on one role: refused until fixed.
  await page.getByLabel(`Role of ${anonymous[1].name}`).selectOption('t1');
  await expect(page.getByTestId('issue-error').filter({ hasText: `2 files claim T1: ${anonymous[0].name}, ${anonymous[1].name}` })).toBeVisible();
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-state', 'empty');
});

test('a whole folder can be picked; non-NIfTI files in it are skipped and listed', async ({ page }, testInfo) => {
  const dir = testInfo.outputPath('Synthetic_0001');
  mkdirSync(dir, { recursive: true });
  for (const f of Object.values(synthetic.files)) writeFileSync(join(dir, f.name), f.bytes as Uint8Array);
  writeFileSync(join(dir, 'README.txt'), 'case notes');
  await page.locator('input[webkitdirectory]').setInputFiles(dir);
  await expectViewerReady(page);
  await expect(page.getByTestId('file-row')).toHaveCount(5);
  await expect(page.getByText(/Skipped 1 file\(s\) that are not \.nii\/\.nii\.gz: .*README\.txt/)).toBeVisible();
  await expect(page.getByTestId('legend-NCR')).toBeVisible();
});

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const realCaseDir = resolve(process.env.ATTUNE_BRATS_DIR ?? resolve(repoRoot, '../shared/data/brats2021'), 'BraTS2021_00324');

test('a real BraTS case loads with roles assigned and the expert label shown', async ({ page }, testInfo) => {
  test.skip(!existsSync(realCaseDir), `real data not found at ${realCaseDir}`);
  const files = ['t1', 't1ce', 't2', 'flair', 'seg'].map((s) => {
    const name = `BraTS2021_00324_${s}.nii.gz`;
    return { name, bytes: new Uint8Array(readFileSync(join(realCaseDir, name))) };
  });
  await dropFiles(page, files);
  await expectViewerReady(page);
  await expect(page.getByTestId('issue-error')).toHaveCount(0);
  const roles = await page.getByTestId('file-row').locator('select').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
  expect(roles).toEqual(['t1', 't1ce', 't2', 'flair', 'seg']);
  for (const key of ['NCR', 'ED', 'ET']) await expect(page.getByTestId(`legend-${key}`)).toContainText('mL');
  const pixels = await readCanvasPixels(page);
  expect(pixels.litFraction).toBeGreaterThan(0.05);
  expect(pixels.red + pixels.green + pixels.yellow).toBeGreaterThan(50);
  await page.screenshot({ path: testInfo.outputPath('real-case.png') });
});
