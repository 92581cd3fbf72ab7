import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { convertDicomStudy } from '../src/core/dicom/index.ts';
import { MODALITIES } from '../src/core/modality/index.ts';
import { multiply4 } from '../src/core/registration/matrix.ts';
import { PHANTOM_LOCALISER, rawPhantomDicomSeries } from '../src/core/rawStudy/testing/rawPhantomFormats.ts';
import { rawPhantomStudy } from '../src/core/rawStudy/testing/rawPhantomStudy.ts';
import { writeDicomSeries } from '../src/core/testing/dicomFixtures.ts';
import { readNifti } from '../src/core/volume/index.ts';
import { nodeDicomConverter } from '../src/node/dcm2niixNode.ts';
import { chooseMode, download, expect, openWithTinyModel, test } from './fixtures.ts';
import { serveRawStudyAssets } from './rawStudyAssets.ts';

/**
 * Issue 21, a raw study as DICOM: the raw phantom's four series (each on its own oblique
 * 2.5–2.7 × 5 mm grid, with skull) written as a scanner's DICOM folder with a localiser
 * (src/core/rawStudy/testing/rawPhantomFormats.ts), picked as a folder → dcm2niix converts it
 * in the DICOM worker → the series assignment gives T1, T1Gd, T2, FLAIR and skips the
 * localiser → the Checks offer to prepare the raw study → prepare (the e2e's stand-ins for
 * MindGrab and SRI24, e2e/rawStudyAssets.ts) → QC → Accept → Run → the mask exported on the
 * T1Gd's own grid has the dimensions and affine of the T1Gd series as dcm2niix converted it
 * (the same wasm build, run here in Node: the NIfTI the app holds for that series).
 */
const phantom = rawPhantomStudy();

test('a raw DICOM study: converted, assigned (localiser skipped), prepared, accepted and run; the mask on the T1Gd series\' converted grid', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  const started = Date.now();
  const specs = await rawPhantomDicomSeries(phantom);
  const files = [PHANTOM_LOCALISER, ...MODALITIES.map((m) => specs[m])].flatMap((s) => writeDicomSeries(s));
  // The folder as an export writes it: one sub-folder per series.
  const dir = testInfo.outputPath('PHANTOM_DICOM');
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.name)), { recursive: true });
    writeFileSync(join(dir, f.name), f.bytes);
  }
  // What the app holds for the T1Gd series: dcm2niix's conversion (the same wasm, in Node).
  const reference = (await convertDicomStudy(files, nodeDicomConverter())).series.find((s) => s.decision.role === 't1ce')!;
  const t1ceConverted = await readNifti(reference.nifti, reference.niftiName);

  await serveRawStudyAssets(page);
  await openWithTinyModel(page);
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('dicom-study')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('dicom-summary')).toHaveText(`${files.length} files → 5 series`);
  const rows = page.getByTestId('dicom-series-row');
  await expect(rows).toHaveCount(5);
  const roles = await rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-role')}|${tr.getAttribute('data-skip')}`));
  expect(roles).toEqual(['|localiser', 't1|', 't2|', 'flair|', 't1ce|']);
  await expect(rows.nth(4).getByTestId('dicom-reason')).toContainText("ContrastBolusAgent 'Gadovist'");
  const table = page.getByTestId('file-row');
  await expect(table).toHaveCount(4);
  const assigned = await table.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('.file-name')!.textContent, (tr.querySelector('select') as HTMLSelectElement).value]));
  expect(assigned).toEqual([['3_t1_se_tra.nii', 't1'], ['4_t2_tse_tra.nii', 't2'], ['5_t2_tirm_tra_dark-fluid.nii', 'flair'], [reference.niftiName, 't1ce']]);

  // A raw study: the offer, and what preparing will do — no errors.
  await expect(page.getByTestId('prepare-raw-study')).toBeVisible();
  await expect(page.getByTestId('issue-error')).toHaveCount(0);
  await expect(page.locator('[data-testid=raw-plan-step][data-step=strip]')).toContainText('Skull strip: MindGrab');
  for (const code of ['not-skull-stripped', 'not-1mm-grid', 'dims-mismatch']) await expect(page.locator(`[data-testid=issue-resolved][data-code=${code}]`).first()).toBeVisible();
  await page.getByTestId('issue-panel').screenshot({ path: testInfo.outputPath('raw-study-checks-dicom.png') });

  const t0 = Date.now();
  await page.getByTestId('prepare-raw-study').click();
  const qc = page.getByTestId('raw-study-qc');
  await expect(qc).toBeVisible({ timeout: 480_000 });
  const preparedSeconds = (Date.now() - t0) / 1000;
  await expect(qc).toHaveAttribute('data-acceptable', 'true');
  for (const m of MODALITIES) await expect(page.getByTestId(`qc-${m}`)).toHaveAttribute('data-passes', 'true');
  await expect(qc).toContainText('MindGrab on the T1Gd');
  await page.getByTestId('raw-study-accept').click();
  await expect(page.getByTestId('case-ready')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('raw-study-accepted')).toContainText(reference.niftiName);
  await chooseMode(page, 'none');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 300_000 });

  // The mask on the T1Gd's own grid: the converted T1Gd's dimensions and affine…
  const native = await readNifti((await download(page, 'export-native-baseline')).bytes, 'native.nii.gz');
  const round = (a: number[][]) => a.map((r) => r.map((v) => Number(v.toFixed(3))));
  expect(native.dims).toEqual(t1ceConverted.dims);
  expect(round(native.affine)).toEqual(round(t1ceConverted.affine));
  // …which is the phantom's oblique T1Gd grid (dcm2niix stores rows bottom-up: j reversed).
  const Y = phantom.grids.t1ce.dims[1];
  expect(round(native.affine)).toEqual(round(multiply4(phantom.grids.t1ce.affine, [[1, 0, 0, 0], [0, -1, 0, Y - 1], [0, 0, 1, 0], [0, 0, 0, 1]])));
  for (const v of new Set(native.data)) expect([0, 1, 2, 4]).toContain(v);
  console.log(`raw DICOM study: prepared in ${preparedSeconds.toFixed(0)} s; the whole test ${((Date.now() - started) / 1000).toFixed(0)} s (Chromium, wasm)`);
});
