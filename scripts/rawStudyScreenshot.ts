/**
 * Issue 21 in the app, by hand: a raw study dropped into the built app (real Chromium, the
 * shipped model), prepared (MindGrab + elastix in the raw-study worker), screenshot of the QC
 * screen, Accept, Run, screenshot of the results with the mask on the T1Gd's own grid. Writes
 * `<out>-qc.png`, `<out>-results.png` and `<out>-record.json` (step timings, QC numbers, the
 * volumes on both grids, Chromium's peak memory overall and per step (`scripts/chromiumMemory.ts`),
 * load average, Chromium's version). Too slow for CI on a CPU
 * (MindGrab on a full head); run by hand:
 *
 *   npx vite build && npx vite preview --port 4410 --strictPort &
 *   npx tsx scripts/rawStudyScreenshot.ts http://127.0.0.1:4410 runs/fg6692 [study folder] [--mode none|auto]
 *
 * The study folder defaults to ../shared/data/raw/TCGA-FG-6692 (its four NIfTI series; the
 * HD-BET masks beside them are not dropped). `--phantom` drops the e2e's synthetic raw study
 * instead, with the e2e's stand-ins for MindGrab and SRI24 served in their place (seconds,
 * for checking the screens themselves).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chromium, type Page } from 'playwright-core';
import { dropFiles } from '../e2e/helpers.ts';
import { sampleChromiumMemory } from './chromiumMemory.ts';
import { PHANTOM_STRIP_Z, rawPhantomStudy, thresholdMeshnet } from '../src/core/rawStudy/testing/rawPhantomStudy.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const [, value] = args.splice(i, 2);
  return value;
};
const phantom = args.includes('--phantom');
if (phantom) args.splice(args.indexOf('--phantom'), 1);
const mode = flag('--mode') ?? 'none';
const [base = 'http://127.0.0.1:4410', out = 'raw-study', folder = new URL('../../shared/data/raw/TCGA-FG-6692/', import.meta.url).pathname] = args;

const files = phantom
  ? rawPhantomStudy().files
  : readdirSync(folder)
      .filter((f) => /\.nii(\.gz)?$/.test(f) && !/hdbet|mask/i.test(f))
      .map((name) => ({ name, bytes: new Uint8Array(readFileSync(`${folder}/${name}`)) }));
console.log(`dropping ${files.map((f) => f.name).join(', ')}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
const page: Page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.on('pageerror', (e) => console.error('page error:', e.message));
page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
if (phantom) {
  const study = rawPhantomStudy();
  const model = thresholdMeshnet(PHANTOM_STRIP_Z);
  const headers = { 'Cross-Origin-Resource-Policy': 'same-origin' };
  await page.route((u) => u.pathname === '/models/mindgrab/model.json', (r) => r.fulfill({ headers, contentType: 'application/json', body: JSON.stringify(model.json) }));
  await page.route((u) => u.pathname === '/models/mindgrab/model.bin', (r) => r.fulfill({ headers, body: Buffer.from(model.bin) }));
  await page.route((u) => u.pathname === '/atlas/sri24/spgr.nii.gz', (r) => r.fulfill({ headers, body: Buffer.from(study.atlasNifti) }));
}
const memory = sampleChromiumMemory();
// Nothing may be fetched from elsewhere (the e2e fixtures' rule, checked here on the real study too).
const origin = new URL(base).origin;
const foreignRequests: string[] = [];
page.context().on('request', (r) => {
  const url = r.url();
  if (!/^(data|blob):/.test(url) && new URL(url).origin !== origin) foreignRequests.push(url);
});
await page.goto(`${base}/?backend=wasm`);
await page.locator('[data-testid=backend-badge][data-status=ready]').waitFor({ timeout: 120_000 });
await dropFiles(page as unknown as Parameters<typeof dropFiles>[0], files);
await page.getByTestId('prepare-raw-study').click({ timeout: 120_000 });
const t0 = Date.now();
const steps: { step: string; atS: number }[] = [];
const qc = page.getByTestId('raw-study-qc');
while (!(await qc.isVisible())) {
  const step = await page.getByTestId('raw-study-step').textContent().catch(() => null);
  if (step && steps.at(-1)?.step !== step) {
    steps.push({ step, atS: (Date.now() - t0) / 1000 });
    // Memory peaks per pipeline step (the progress text also counts MindGrab's chunks).
    memory.setLabel(step.replace(/^Step \d+ of \d+: /, '').replace(/ \(MindGrab\): part \d+ of \d+$/, ''));
    console.log(`${steps.at(-1)!.atS.toFixed(0)} s  ${step}`);
  }
  if (await page.getByTestId('raw-study-error').isVisible()) throw new Error(`preparing failed: ${await page.getByTestId('raw-study-error').textContent()}`);
  if (Date.now() - t0 > 3 * 3600_000) throw new Error('preparing took over 3 hours');
  await page.waitForTimeout(2000);
}
const preparedS = (Date.now() - t0) / 1000;
memory.setLabel('QC screen');
console.log(`QC after ${preparedS.toFixed(0)} s`);
await page.locator('[data-testid=qc-view][data-state=ready]').waitFor({ timeout: 120_000 });
await page.getByTestId('qc-timings').locator('summary').click();
await page.waitForTimeout(2000);
await page.screenshot({ path: `${out}-qc.png`, fullPage: true });
const qcText = await qc.innerText();
console.log(qcText);

let resultsText = '';
let native = '';
const acceptable = (await qc.getAttribute('data-acceptable')) === 'true';
if (acceptable) {
  memory.setLabel('accept → case ready');
  await page.getByTestId('raw-study-accept').click();
  await page.getByTestId('case-ready').waitFor({ timeout: 300_000 });
  await page.getByLabel('Adaptation mode').selectOption(mode);
  memory.setLabel(`run (${mode})`);
  await page.getByTestId('run').click();
  const r0 = Date.now();
  await page.locator('[data-testid=results][data-status=done]').waitFor({ timeout: 3 * 3600_000 });
  console.log(`results after ${((Date.now() - r0) / 1000).toFixed(0)} s`);
  await page.locator('[data-testid=native-view][data-state=ready]').waitFor({ timeout: 300_000 });
  await page.waitForTimeout(3000);
  await page.screenshot({ path: `${out}-results.png`, fullPage: true });
  resultsText = await page.getByTestId('results-table').innerText();
  native = await page.getByTestId('native-volume-difference').innerText();
  console.log(resultsText, '\n', native);
} else {
  console.log('QC refused Accept: no results screenshot');
}
const chromiumMemoryMiB = memory.stop();
console.log(`requests outside ${origin}: ${foreignRequests.length}`);
console.log(`Chromium peak: renderer RSS ${chromiumMemoryMiB.peak.rendererRssMiB} MiB, all processes PSS ${chromiumMemoryMiB.peak.totalPssMiB} MiB`);
writeFileSync(
  `${out}-record.json`,
  `${JSON.stringify({ date: new Date().toISOString(), runtime: `Chromium ${browser.version()}`, backend: 'wasm', study: phantom ? 'e2e phantom (threshold model, phantom atlas)' : folder, files: files.map((f) => f.name), loadAverage: loadavg(), preparedSeconds: preparedS, steps, qc: qcText, acceptable, mode, results: resultsText, native, chromiumMemoryMiB, foreignRequests }, null, 2)}\n`,
);
await browser.close();
