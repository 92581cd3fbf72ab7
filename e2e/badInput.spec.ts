import { closeSync, mkdirSync, openSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeSyntheticCase, MODALITIES, readNifti, writeNifti, type InputFile } from '../src/core/index.ts';
import { niftiOf, rawNifti } from '../src/core/testing/niftiFixtures.ts';
import { chooseMode, expect, openWithTinyModel, test } from './fixtures.ts';
import { dropFiles } from './helpers.ts';

/**
 * Issue 8, bad input in the app: each kind gets its specific message, nothing is shown
 * or run for it, and the app then takes a correct case (the kinds the older tests cover —
 * not NIfTI, different dimensions, missing and duplicated modality — are in app.spec.ts).
 */
const synthetic = makeSyntheticCase({ seed: 1 });
const good = [...MODALITIES.map((m) => synthetic.files[m]), synthetic.files.seg];
const [X, Y, Z] = synthetic.dims;

async function expectRefusedThenUsable(page: Page, bad: InputFile[], messages: (string | RegExp)[]) {
  await dropFiles(page, bad);
  for (const m of messages) await expect(page.getByTestId('issue-error').filter({ hasText: m }).first()).toBeVisible();
  await expect(page.getByTestId('case-ready')).toHaveCount(0);
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-state', 'empty');
  await expect(page.getByTestId('run')).toBeDisabled();
  // The app is still usable: a correct case loads and can be run.
  await dropFiles(page, good);
  await expect(page.getByTestId('case-ready')).toContainText('Case complete');
  await expect(page.getByTestId('issue-error')).toHaveCount(0);
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-state', 'ready');
}

const t1 = () => readNifti(synthetic.files.t1.bytes, synthetic.files.t1.name);

test.beforeEach(async ({ page }) => {
  await page.goto('/?backend=wasm');
});

test('a truncated .nii.gz', async ({ page }) => {
  const bytes = synthetic.files.t1.bytes as Uint8Array;
  await expectRefusedThenUsable(page, [{ name: synthetic.files.t1.name, bytes: bytes.slice(0, bytes.length >> 1) }, ...good.slice(1, 4)], [
    `${synthetic.files.t1.name}: the gzip data is corrupt or truncated`,
    'Missing modality: T1',
  ]);
});

test('a 4D series instead of one volume', async ({ page }) => {
  const series = rawNifti({ dim: [4, X, Y, Z, 3], datatype: 2, bitsPerVoxel: 8, voxelBytes: new Uint8Array(X * Y * Z * 3).fill(7) });
  await expectRefusedThenUsable(page, [{ name: 'Synthetic_0001_t1.nii', bytes: series }, ...good.slice(1, 4)], [
    `Synthetic_0001_t1.nii is 4D (${X}×${Y}×${Z}×3); Attune needs one 3D volume per file. Split the series`,
  ]);
});

test('NaN voxels in a scan', async ({ page }) => {
  const vol = await t1();
  const data = Float32Array.from(vol.data);
  data[X * Y * (Z >> 1) + X * (Y >> 1) + (X >> 1)] = Number.NaN;
  await expectRefusedThenUsable(page, [{ name: vol.name, bytes: writeNifti(vol, data) }, ...good.slice(1, 4)], [
    `${vol.name} (T1) contains 1 non-finite voxel (NaN or ±Infinity); re-export it with finite values.`,
  ]);
});

test('a label map with foreign values', async ({ page }) => {
  const seg = await readNifti(synthetic.files.seg.bytes, synthetic.files.seg.name);
  const labels = Uint8Array.from(seg.data).map((v) => (v === 4 ? 7 : v)); // another labelling scheme
  await expectRefusedThenUsable(page, [...good.slice(0, 4), { name: seg.name, bytes: writeNifti(seg, labels) }], [
    new RegExp(
      `${seg.name} \\(label map\\) contains values that no BraTS convention uses: 7\\. ` +
        'BraTS 2021 labels are 1 NCR, 2 ED, 4 ET; BraTS 2023\\+ labels are 1 NCR, 2 ED, 3 ET\\. Values found: .*7 \\(\\d+ voxels\\)\\.',
    ),
  ]);
});

test('a label map holding both 3 and 4 (neither BraTS convention)', async ({ page }) => {
  const seg = await readNifti(synthetic.files.seg.bytes, synthetic.files.seg.name);
  let first = true;
  const labels = Uint8Array.from(seg.data).map((v) => (v === 4 && first ? ((first = false), 3) : v));
  await expectRefusedThenUsable(page, [...good.slice(0, 4), { name: seg.name, bytes: writeNifti(seg, labels) }], [
    new RegExp(`${seg.name} \\(label map\\) holds both 3 \\(1 voxel\\) and 4 \\(\\d+ voxels\\)`),
  ]);
});

test('an unsupported voxel type (RGB)', async ({ page }) => {
  const rgb = rawNifti({ dim: [3, X, Y, Z], datatype: 128, bitsPerVoxel: 24, voxelBytes: new Uint8Array(X * Y * Z * 3) });
  await expectRefusedThenUsable(page, [...good.slice(0, 3), { name: 'Synthetic_0001_flair.nii', bytes: rgb }], [
    'Synthetic_0001_flair.nii stores RGB24 voxels; Attune reads integer or float scalar volumes (one value per voxel). Convert it to int16 or float32 first',
  ]);
});

test('a raw scanner export: not skull-stripped, not on a 1 mm grid — the offer first, each finding under the step that resolves it, the preprocessing named', async ({ page }) => {
  const dims: [number, number, number] = [40, 40, 12];
  // A head with noisy air around it, 0.94 × 0.94 × 5 mm voxels, as a scanner writes it.
  const raw = MODALITIES.map((m, c) => {
    const data = new Int16Array(40 * 40 * 12).map((_, n) => 5 + ((n * (c + 3)) % 17) + (Math.hypot((n % 40) - 20, (Math.floor(n / 40) % 40) - 20) < 15 ? 300 : 0));
    const name = `sub-01_${m}.nii.gz`;
    return { name, bytes: niftiOf(name, data, { dims, spacingMm: [0.9375, 0.9375, 5] }) };
  });
  await dropFiles(page, raw);
  // Not errors: what preparing will do, the offer first.
  const offer = page.getByTestId('raw-study-offer');
  await expect(offer.getByTestId('prepare-raw-study')).toBeVisible();
  await expect(page.getByTestId('issue-error')).toHaveCount(0);
  await expect(offer.locator('[data-step=resample] [data-testid=issue-resolved]')).toHaveText(/^Found: Not on a 1 mm grid: sub-01_t1\.nii\.gz \(T1\) has 0\.938×0\.938×5 mm voxels;.*\.$/);
  await expect(offer.locator('[data-step=strip] [data-testid=issue-resolved]')).toHaveText(
    /^Found: Not skull-stripped: sub-01_t1\.nii\.gz \(T1\), sub-01_t1ce\.nii\.gz \(T1Gd\), sub-01_t2\.nii\.gz \(T2\), sub-01_flair\.nii\.gz \(FLAIR\) are non-zero on 100 %/,
  );
  await expect(offer.locator('[data-step=strip]')).toContainText('Skull strip: MindGrab finds the brain on the T1Gd');
  await expect(offer.getByTestId('issue-resolved')).toHaveCount(2);
  await expect(offer.getByTestId('raw-study-elsewhere')).toContainText('skull stripping (e.g. HD-BET or FSL BET), co-registration of the four modalities to one grid, resampling to 1 × 1 × 1 mm voxels');
  await expectRefusedThenUsable(page, raw, []);
});

test('a file too large for the memory budget is refused by its size, unread', async ({ page }, testInfo) => {
  // A sparse 3 GiB file: no disk space used, and the page must never read it.
  const dir = testInfo.outputPath('huge');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'Synthetic_0001_t2.nii');
  const fd = openSync(path, 'w');
  ftruncateSync(fd, 3 * 1024 ** 3);
  closeSync(fd);
  await page.getByTestId('file-input').setInputFiles([path]);
  await expect(page.getByTestId('issue-error').filter({ hasText: 'Synthetic_0001_t2.nii is 3.0 GiB, more than the 512 MiB one scan may use' })).toBeVisible();
  await expect(page.getByTestId('file-row')).toHaveCount(1);
  await dropFiles(page, good);
  await expect(page.getByTestId('case-ready')).toContainText('Case complete');
});

test('files dropped while a run is in progress are refused; the run goes on, then a drop works', async ({ page }) => {
  test.setTimeout(180_000);
  await openWithTinyModel(page, { files: good });
  await chooseMode(page, 'bn', { iterations: 1000, statsSlices: 4 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('progress-text')).toContainText(/Adapting \(BN\): iteration \d+ of 1000/, { timeout: 60_000 });

  const other = makeSyntheticCase({ seed: 2, caseId: 'Other' });
  await dropFiles(page, MODALITIES.map((m) => other.files[m]));
  await expect(page.getByTestId('issue-error').filter({
    hasText: '4 files (Other_t1.nii.gz, Other_t1ce.nii.gz, Other_t2.nii.gz, Other_flair.nii.gz) were not loaded: a run is in progress on the current case. Wait for it to finish or press Cancel, then drop the files again.',
  })).toBeVisible();
  // The case and the run are untouched: still adapting, iterations still coming.
  await expect(page.getByTestId('file-row').first()).toContainText('Synthetic_0001');
  const before = Number((await page.getByTestId('progress-text').textContent())!.match(/iteration (\d+)/)![1]);
  await expect.poll(async () => Number((await page.getByTestId('progress-text').textContent())!.match(/iteration (\d+)/)?.[1] ?? -1)).toBeGreaterThan(before);

  // The bundled demo button during the run: refused the same way, and no "Reading files…" left behind.
  await page.getByTestId('brats-demo').click();
  await expect(page.getByTestId('issue-error').filter({ hasText: /BraTS2021_00324_flair\.nii\.gz.*were not loaded: a run is in progress/ })).toBeVisible();
  await expect(page.getByText('Reading files…')).toHaveCount(0);
  await expect(page.getByTestId('progress')).toHaveAttribute('data-stage', 'adapt');

  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('run-cancelled')).toBeVisible({ timeout: 30_000 });
  await dropFiles(page, MODALITIES.map((m) => other.files[m]));
  await expect(page.getByTestId('case-ready')).toContainText('Case complete');
  await expect(page.getByTestId('file-row').first()).toContainText('Other_t1');
  await expect(page.getByTestId('issue-error')).toHaveCount(0);
});

test('a run that cannot fit the memory is refused before it starts, saying how much it needs; the app stays usable', async ({ page }) => {
  test.setTimeout(240_000);
  await openWithTinyModel(page);
  // A valid but enormous field of view: ~900×900 voxel slices after cropping.
  const wide = makeSyntheticCase({ seed: 2, dims: [1024, 1024, 3], caseId: 'Wide' });
  await dropFiles(page, MODALITIES.map((m) => wide.files[m]));
  await expect(page.getByTestId('case-ready')).toBeVisible({ timeout: 120_000 });
  await chooseMode(page, 'bn', { iterations: 2, statsSlices: 8 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-error')).toContainText(
    /Not enough memory for this scan: adapting \(bn\) with even 1 \d+×\d+ statistics slice per pass needs ~\d+\.\d GiB, more than the 3\.9 GiB the wasm backend \(4 GiB heap\) offers\. Nothing was run\./,
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await dropFiles(page, good);
  await chooseMode(page, 'bn', { iterations: 1, statsSlices: 4 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
});
