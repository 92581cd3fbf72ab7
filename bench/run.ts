/**
 * `npm run bench`: P1–P3 of issue 7 on this machine, printed with absolute times.
 *   - browser: headless Debian Chromium (wasm on the real case; WebGPU on a reduced synthetic
 *     case, because the CPU WebGPU adapter here takes seconds per slice), via bench/browser.html
 *     served by the Vite dev server (same COOP/COEP headers as the app);
 *   - PyTorch: bench/pytorch_forward.py on the same weights and slices (P2);
 *   - auto's cost (bench/autoCost.ts): its total time, as decided and forced to adapt, against
 *     the baseline alone (issue 23: target ≤ AUTO_BASELINE_TARGET×, forced to adapt = every
 *     candidate run, its worst case) and against a run of its candidates, timed in the same page.
 * Options: --case <BraTS folder> (default ../shared/data/brats2021/BraTS2021_00324),
 *          --iterations N (default 20), --skip-webgpu.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { AUTO_BASELINE_TARGET, type AutoCost } from './autoCost.ts';

const args = process.argv.slice(2);
const opt = (n: string, d: string) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : d);
const caseDir = resolve(opt('case', '../shared/data/brats2021/BraTS2021_00324'));
const caseName = basename(caseDir);
const iterations = Number(opt('iterations', '20'));

const server = await createServer({ server: { port: 5179, strictPort: true, host: '127.0.0.1' }, logLevel: 'error' });
await server.listen();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});

type Bench = { error?: string; backend: string; shape: number[]; baselineSeconds: number; forwardMsPerSlice: number; modes: Record<string, { adaptSeconds: number; segmentSeconds: number; ratio: number; realBytes: number; adaptBatchSize: number }>; variantRunSeconds: number; autoVariant: string; autoIterations: number; auto: Record<string, AutoCost & { decision: string; adapted: boolean }>; baselineBytes: number; limits: unknown; memory: unknown };

async function inBrowser(query: string): Promise<Bench> {
  const page = await browser.newPage();
  await page.route('**/bench-case/*', (route) => route.fulfill({ body: readFileSync(join(caseDir, basename(new URL(route.request().url()).pathname))) }));
  page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
  await page.goto(`http://127.0.0.1:5179/bench/browser.html?${query}`);
  await page.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench, null, { timeout: 0, polling: 1000 });
  const r = (await page.evaluate(() => (window as unknown as { __bench: unknown }).__bench)) as Bench;
  await page.close();
  if (r.error) throw new Error(`browser bench (${query}): ${r.error}`);
  return r;
}

try {
  console.log(`machine: ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${new Date().toISOString()}`);
  const wasm = await inBrowser(`backend=wasm&case=${caseName}&iterations=${iterations}`);
  const torch = JSON.parse(execFileSync('/usr/bin/python3', ['bench/pytorch_forward.py', caseDir], { encoding: 'utf8' }).trim().split('\n').pop()!);
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  console.log(`\n[wasm, Chromium] case ${caseName} ${wasm.shape.join('×')}: baseline inference ${wasm.baselineSeconds.toFixed(2)} s`);
  for (const [m, r] of Object.entries(wasm.modes)) {
    console.log(`  P1 ${m}: (${iterations} iterations ${r.adaptSeconds.toFixed(2)} s + final ${r.segmentSeconds.toFixed(2)} s) / baseline = ${r.ratio.toFixed(2)}× (target ≤ 4×)`);
    console.log(`  P3 ${m}: wasm heap high-water mark ${mib(r.realBytes)} after this mode (inference alone: ${mib(wasm.baselineBytes)}; adaptation in passes of ${r.adaptBatchSize} of the 8 statistics slices) (target ≤ 1024 MiB)`);
  }
  console.log(`  P1 a run of ${wasm.autoVariant}, the candidates auto adapts with (baseline + ${wasm.autoIterations} iterations and final inference each, timed as one run): ${wasm.variantRunSeconds.toFixed(2)} s`);
  for (const [label, a] of Object.entries(wasm.auto)) {
    console.log(`  P1 auto (${label}): ${a.seconds.toFixed(2)} s = ${a.ratioToBaseline.toFixed(2)}× the baseline alone (target ≤ ${AUTO_BASELINE_TARGET}×) — ${a.metBaseline ? 'met' : 'NOT met'}; ${a.ratioToVariantRun.toFixed(2)}× a run of ${wasm.autoVariant}; ${a.adapted ? 'adapted' : 'did not adapt'}: ${a.decision}`);
  }
  console.log(`  P2: tfjs wasm ${wasm.forwardMsPerSlice.toFixed(1)} ms/slice vs PyTorch CPU (${torch.threads} threads) ${torch.forwardMsPerSlice.toFixed(1)} ms/slice = ${(wasm.forwardMsPerSlice / torch.forwardMsPerSlice).toFixed(2)}× (target ≤ 1.5×)`);
  if (!args.includes('--skip-webgpu')) {
    const gpu = await inBrowser(`backend=webgpu&case=synthetic&iterations=${Math.min(iterations, 5)}`);
    console.log(`\n[${gpu.backend}, Chromium, reduced synthetic case ${gpu.shape.join('×')}] baseline ${gpu.baselineSeconds.toFixed(2)} s, ${gpu.forwardMsPerSlice.toFixed(0)} ms/slice; limits ${JSON.stringify(gpu.limits)}`);
    for (const [m, r] of Object.entries(gpu.modes)) console.log(`  ${m}: ratio ${r.ratio.toFixed(2)}×, GPU buffer pool ${mib(r.realBytes)}`);
  }
} finally {
  await browser.close();
  await server.close();
}
