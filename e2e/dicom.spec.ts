import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDicomSeries, type SeriesSpec } from '../src/core/testing/dicomFixtures.ts';
import { expect, test } from './fixtures.ts';
import { dropFiles } from './helpers.ts';

/**
 * Issue 21, DICOM in: a scanner's DICOM folder dropped into the app is converted in the
 * DICOM worker by dcm2niix's wasm (served by the app itself: the fixtures fail the test on
 * any request outside the origin or any CSP violation), every series is listed with its
 * role or why it is skipped, and the usable ones fill the assignment table.
 */
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const qaDir = process.env.ATTUNE_DCM_QA_DIR ?? resolve(repoRoot, '../shared/data/dicom/dcm_qa');
const qaPresent = existsSync(join(qaDir, 'In'));

test.beforeEach(async ({ page }) => {
  await page.goto('/?backend=wasm');
});

test('dcm_qa\'s folder: three EPI series converted, listed and skipped with the reason', async ({ page }, testInfo) => {
  test.skip(!qaPresent, `${qaDir} not found: the shared DICOM data (dcm_qa) is absent on this machine`);
  // dcm2niix's wasm comes from the app's own origin (the fixture also fails any foreign request).
  const wasmRequests: string[] = [];
  page.context().on('request', (r) => {
    if (/dcm2niix[^/]*\.wasm/.test(r.url())) wasmRequests.push(r.url());
  });
  // The folder picker (webkitdirectory) gets the folder as a browser gives it: files with their relative paths.
  await page.getByTestId('folder-input').setInputFiles(join(qaDir, 'In'));
  const study = page.getByTestId('dicom-study');
  await expect(study).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('dicom-summary')).toHaveText('6 files → 3 series');
  const rows = page.getByTestId('dicom-series-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('6 · ax_asc_35sl');
  await expect(rows.nth(1)).toContainText('16 · cor_asc_35sl');
  await expect(rows.nth(2)).toContainText('22 · sag_asc_35sl');
  for (let n = 0; n < 3; n++) {
    await expect(rows.nth(n)).toHaveAttribute('data-skip', 'time-series');
    await expect(rows.nth(n)).toContainText('64×64×35×2');
    await expect(rows.nth(n).getByTestId('dicom-reason')).toHaveText('2 volumes over time (EPI, functional or perfusion), not one structural volume');
    await expect(rows.nth(n).getByTestId('dicom-role')).toHaveText('skipped: time series');
  }
  await expect(page.getByTestId('dicom-issue-error')).toHaveText(/^None of the 3 series is a T1, T1Gd, T2 or FLAIR scan/);
  await expect(page.getByTestId('assignment-table')).toHaveCount(0);
  await expect(page.getByTestId('run')).toBeDisabled();
  expect(wasmRequests).toHaveLength(1);
  expect(new URL(wasmRequests[0]).origin).toBe(new URL(page.url()).origin);
  await study.screenshot({ path: testInfo.outputPath('dicom-dcm_qa.png') });
});

const STUDY: SeriesSpec[] = [
  { seriesNumber: 1, description: 'AAHead_Scout', dims: [32, 32, 3], tags: { ImageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'] } },
  { seriesNumber: 2, description: 't1_mprage_sag', dims: [32, 32, 16], orientation: [0, 1, 0, 0, 0, -1], tags: { MRAcquisitionType: '3D', RepetitionTime: 2300, EchoTime: 2.98, InversionTime: 900 } },
  { seriesNumber: 3, description: 'ax T2 TSE', dims: [32, 32, 12], spacing: [0.5, 0.5, 5], tags: { MRAcquisitionType: '2D', RepetitionTime: 5000, EchoTime: 95 } },
  { seriesNumber: 4, description: 'series 4', dims: [32, 32, 12], spacing: [0.9, 0.9, 5.5], tags: { MRAcquisitionType: '2D', RepetitionTime: 9000, EchoTime: 81, InversionTime: 2500 } },
  { seriesNumber: 5, description: 'ep2d_diff_3scan_trace', dims: [32, 32, 12], tags: { ImageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'TRACEW'] } },
  { seriesNumber: 6, description: 't1_mprage_sag', dims: [32, 32, 16], orientation: [0, 1, 0, 0, 0, -1], tags: { MRAcquisitionType: '3D', RepetitionTime: 2300, EchoTime: 2.98, InversionTime: 900, ContrastBolusAgent: 'Gadovist' } },
  { seriesNumber: 7, description: 't1_mprage_sag_MPR_tra', dims: [32, 32, 16], tags: { ImageType: ['DERIVED', 'SECONDARY', 'MPR'] } },
];

test('a study\'s DICOM files: roles from the sidecars fill the assignment table; skipped series and stray files are named', async ({ page }, testInfo) => {
  const files = [...STUDY.flatMap((s) => writeDicomSeries(s)), { name: 'README.txt', bytes: new TextEncoder().encode('exported from PACS\n') }];
  await dropFiles(page, files);
  await expect(page.getByTestId('dicom-study')).toHaveAttribute('data-status', 'done');
  const rows = page.getByTestId('dicom-series-row');
  await expect(rows).toHaveCount(7);
  const roles = await rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-role')}|${tr.getAttribute('data-skip')}`));
  expect(roles).toEqual(['|localiser', 't1|', 't2|', 'flair|', '|diffusion', 't1ce|', '|derived']);
  await expect(rows.nth(5).getByTestId('dicom-role')).toHaveText('T1Gd');
  await expect(rows.nth(5).getByTestId('dicom-reason')).toContainText("ContrastBolusAgent 'Gadovist'");
  await expect(rows.nth(3).getByTestId('dicom-reason')).toContainText('inversion recovery with long TE (TR 9000 ms, TE 81 ms, TI 2500 ms)');
  await expect(page.getByTestId('dicom-issue-warning')).toHaveText('1 file(s) are not DICOM and were left out: README.txt. The DICOM files beside them were converted.');

  // The usable four in the app's own table, each with the role it was given and why.
  const table = page.getByTestId('file-row');
  await expect(table).toHaveCount(4);
  const assigned = await table.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('.file-name')!.textContent, (tr.querySelector('select') as HTMLSelectElement).value]));
  expect(assigned).toEqual([['2_t1_mprage_sag.nii', 't1'], ['3_ax_T2_TSE.nii', 't2'], ['4_series_4.nii', 'flair'], ['6_t1_mprage_sag.nii', 't1ce']]);
  // Sagittal slices: dcm2niix keeps the acquisition's grid (16 slices along x).
  await expect(table.nth(0)).toContainText('16×32×32');
  await expect(table.nth(0)).toContainText('from DICOM');
  await expect(table.nth(3).getByTestId('role-reason')).toContainText("ContrastBolusAgent 'Gadovist'");
  // Roles stay the user's to fix: two series for one role is named, as for any drop.
  await page.getByLabel('Role of 3_ax_T2_TSE.nii').selectOption('flair');
  await expect(page.getByTestId('issue-error').filter({ hasText: '2 files claim FLAIR: 3_ax_T2_TSE.nii, 4_series_4.nii.' })).toBeVisible();
  await page.getByLabel('Role of 3_ax_T2_TSE.nii').selectOption('t2');
  await expect(page.getByTestId('issue-error').filter({ hasText: 'claim' })).toHaveCount(0);
  await page.getByTestId('dicom-study').screenshot({ path: testInfo.outputPath('dicom-study.png') });
  await page.screenshot({ path: testInfo.outputPath('dicom-page.png'), fullPage: true });
});

test('only a localiser: a specific refusal, nothing in the table', async ({ page }) => {
  await dropFiles(page, writeDicomSeries(STUDY[0]));
  await expect(page.getByTestId('dicom-issue-error')).toHaveText(/^Only localiser \(scout\) images were found \(1_AAHead_Scout\.nii\)/);
  await expect(page.getByTestId('assignment-table')).toHaveCount(0);
});

test('a transfer syntax dcm2niix cannot decode and non-brain DICOM: each named; then a NIfTI drop replaces the study', async ({ page }) => {
  const knee = writeDicomSeries({ seriesNumber: 9, description: 't2_tse_sag', tags: { BodyPartExamined: 'KNEE', RepetitionTime: 4000, EchoTime: 90 } });
  const jpegXl = writeDicomSeries({ ...STUDY[2], transferSyntaxUid: '1.2.840.10008.1.2.4.110' });
  await dropFiles(page, [...knee, ...jpegXl]);
  await expect(page.getByTestId('dicom-issue-error').filter({ hasText: "12 DICOM file(s) of series 3 'ax T2 TSE' are compressed as JPEG XL lossless (transfer syntax 1.2.840.10008.1.2.4.110)" })).toBeVisible();
  await expect(page.getByTestId('dicom-issue-error').filter({ hasText: 'These DICOM series are not of the head (BodyPartExamined: KNEE)' })).toBeVisible();
  await expect(page.getByTestId('dicom-series-row')).toHaveAttribute('data-skip', 'not-brain');
  await page.getByTestId('demo-case').click();
  await expect(page.getByTestId('case-ready')).toContainText('Case complete');
  await expect(page.getByTestId('dicom-study')).toHaveCount(0);
});
