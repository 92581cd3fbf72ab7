/**
 * MindGrab's network in Debian's Chromium on WebGPU and on wasm (issue 21, item 3): the same
 * input — a fixed cube of a scan's MindGrab input (`--edge`, `--top`), or the whole head box
 * (`--edge 0`) — through the page bench/mindgrabBrowser.html on each backend; per backend the
 * network's wall time, chunks, the WebGPU limits it was planned for, tfjs's peak pool (GPU
 * buffers / wasm heap), the page's peak JS heap, and the peak total RSS of the processes this
 * script started (Chromium's GPU process holds a software adapter's buffers); then the two
 * backends' probabilities compared (max and mean |Δp|, p > 0.5 agreement). One JSON record in
 * `--out`, with `uptime` before and after (another job may share the cores).
 *
 *   nice -n 10 npx tsx bench/mindgrabWebgpu.ts [--scan t1-crop|fg6692-t1c] [--edge 48] [--top 12]
 *     [--backends webgpu,wasm] [--out bench/runs/skullStrip] [--fixture e2e/data/x.f32.gz]
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'fflate';
import { chromium, type Browser } from 'playwright-core';
import { descendants, rollup } from '../scripts/chromiumMemory.ts';
import { createServer } from 'vite';
import { macsPerVoxel, parseMeshnet } from '../src/core/skullStrip/index.ts';
import { readNifti } from '../src/core/volume/index.ts';
import { cubeOf, mindgrabInput } from './mindgrabInput.ts';
import type { MindgrabBrowserRun } from './mindgrabBrowser.ts';

const { values: args } = parseArgs({
  options: {
    scan: { type: 'string', default: 't1-crop' },
    edge: { type: 'string', default: '48' },
    top: { type: 'string', default: '12' },
    backends: { type: 'string', default: 'webgpu,wasm' },
    out: { type: 'string', default: 'bench/runs/skullStrip' },
    fixture: { type: 'string' },
    port: { type: 'string', default: '5183' },
    repeat: { type: 'string', default: '2' },
  },
});

const SCANS: Record<string, string> = {
  't1-crop': '../shared/third_party/mindgrab/t1_crop.nii.gz',
  'fg6692-t1c': '../shared/data/raw/TCGA-FG-6692/MRHR_T1_AX_POST_GAD_OtherEXampleTCIA_TCGA-FG-6692_Si_TCGA-FG-6692_MRHR_T1_AX_POST_GAD_SE_13_se2d1r_t1c.nii.gz',
};
const CHROMIUM_ARGS = ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const mib = (b: number) => Math.round(b / 2 ** 20);

/** Total RSS (bytes) of every process descended from this one: Chromium's browser, GPU, renderer processes (and Vite's esbuild). */
function descendantsRss(): number {
  return descendants().reduce((bytes, p) => bytes + rollup(p.pid).rssKiB * 1024, 0);
}

async function runOn(browser: Browser, backend: string, input: Float32Array, dims: [number, number, number], keepProbability: boolean) {
  const page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && console.error(`[page ${backend}]`, m.text()));
  await page.route('**/mindgrab-input.bin', (route) => route.fulfill({ body: Buffer.from(input.buffer, input.byteOffset, input.byteLength), contentType: 'application/octet-stream' }));
  await page.goto(`http://127.0.0.1:${args.port}/bench/mindgrabBrowser.html?backend=${backend}`);
  await page.waitForFunction(() => 'mindgrab' in window, null, { timeout: 300_000 });
  let peakRss = descendantsRss();
  const timer = setInterval(() => (peakRss = Math.max(peakRss, descendantsRss())), 1000);
  try {
    // The first run compiles every shader (WebGPU) / warms the wasm module; later runs in the same page reuse them.
    const seconds: number[] = [];
    let run: MindgrabBrowserRun | null = null;
    for (let i = 0; i < Math.max(1, Number(args.repeat)); i++) {
      run = (await page.evaluate(
        ([d, keep]) => (window as unknown as { mindgrab: (u: string, d: number[], o: object) => Promise<unknown> }).mindgrab('/mindgrab-input.bin', d, { keepProbability: keep }),
        [dims, keepProbability] as const,
      )) as MindgrabBrowserRun;
      seconds.push(run.seconds);
      console.log(`    run ${i + 1}: ${run.seconds.toFixed(1)} s`);
    }
    return { ...run!, runSeconds: seconds, peakRssBytes: Math.max(peakRss, descendantsRss()) };
  } finally {
    clearInterval(timer);
    await page.close();
  }
}

function compare(a: MindgrabBrowserRun, b: MindgrabBrowserRun) {
  const ma = Buffer.from(a.maskBase64, 'base64');
  const mb = Buffer.from(b.maskBase64, 'base64');
  let agree = 0, both = 0, sa = 0, sb = 0;
  for (let i = 0; i < ma.length; i++) {
    if (ma[i] === mb[i]) agree++;
    both += ma[i] & mb[i];
    sa += ma[i];
    sb += mb[i];
  }
  let maxAbs = 0, sumAbs = 0;
  for (let i = 0; i < a.probability.length; i++) {
    const d = Math.abs(a.probability[i] - b.probability[i]);
    maxAbs = Math.max(maxAbs, d);
    sumAbs += d;
  }
  return {
    maxAbsDiff: a.probability.length ? maxAbs : null,
    meanAbsDiff: a.probability.length ? sumAbs / a.probability.length : null,
    maskAgreement: agree / ma.length,
    maskDice: sa + sb ? (2 * both) / (sa + sb) : 1,
    brainFraction: [sa / ma.length, sb / mb.length],
  };
}

async function main() {
  const path = SCANS[args.scan!];
  if (!path) throw new Error(`unknown scan ${args.scan} (${Object.keys(SCANS).join(', ')})`);
  const whole = mindgrabInput(await readNifti(await readFile(path), path.split('/').pop()!));
  const edge = Number(args.edge);
  const cube = edge > 0 ? cubeOf(whole.values, whole.dims, edge, Number(args.top)) : { values: whole.values, dims: whole.dims, origin: [0, 0, 0] };
  const voxels = cube.dims.reduce((a, b) => a * b, 1);
  console.log(`${args.scan}: head box ${whole.dims.join('×')} (D×H×W), input ${cube.dims.join('×')} from ${cube.origin.join(',')} = ${voxels} voxels`);
  if (args.fixture) {
    await writeFile(args.fixture, gzipSync(new Uint8Array(cube.values.buffer, cube.values.byteOffset, cube.values.byteLength), { level: 9 }));
    console.log(`wrote ${args.fixture}`);
  }
  const model = parseMeshnet(JSON.parse(await readFile('public/models/mindgrab/model.json', 'utf8')), new Uint8Array(await readFile('public/models/mindgrab/model.bin')));
  const uptimeBefore = uptime();
  const server = await createServer({ server: { port: Number(args.port), strictPort: true, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const runs: Record<string, MindgrabBrowserRun & { runSeconds: number[]; peakRssBytes: number }> = {};
  try {
    for (const backend of args.backends!.split(',')) {
      console.log(`  ${backend} …`);
      runs[backend] = await runOn(browser, backend, cube.values, cube.dims, voxels <= 2_000_000);
      const r = runs[backend];
      console.log(`  ${backend} (${r.backend}${r.adapter ? `, ${r.adapter}` : ''}): ${r.seconds.toFixed(1)} s, ${r.chunks} chunks, limits ${JSON.stringify(r.limits)}, peak pool ${mib(r.backendPeakBytes)} MiB, RSS ${mib(r.peakRssBytes)} MiB`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const names = Object.keys(runs);
  const flops = 2 * macsPerVoxel(model) * voxels;
  const record = {
    what: 'MindGrab network (runMeshnet) in Debian Chromium, per backend, on one input',
    scan: args.scan,
    file: path,
    headBox: whole.box,
    inputDims: cube.dims,
    inputOrigin: cube.origin,
    wholeHeadBox: edge <= 0,
    voxels,
    backends: Object.fromEntries(
      names.map((n) => {
        const r = runs[n];
        return [n, {
          backend: r.backend,
          reason: r.reason,
          adapter: r.adapter,
          limits: r.limits,
          chunks: r.chunks,
          // each run in the same page; the first includes compiling the shaders (WebGPU) or warming wasm
          networkSecondsPerRun: r.runSeconds.map((s) => Number(s.toFixed(1))),
          microsecondsPerVoxel: Number(((r.seconds * 1e6) / voxels).toFixed(2)),
          gflopPerSecond: Number((flops / r.seconds / 1e9).toFixed(2)),
          rateOf: 'the last run',
          memoryMiB: { tfjsPoolPeak: mib(r.backendPeakBytes), pageJsHeapPeak: mib(r.jsHeapPeakBytes), processesRssPeak: mib(r.peakRssBytes) },
          brainFraction: Number((Buffer.from(r.maskBase64, 'base64').reduce((s, v) => s + v, 0) / voxels).toFixed(4)),
        }];
      }),
    ),
    comparison: names.length === 2 ? { between: names, ...compare(runs[names[0]], runs[names[1]]) } : null,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemGiB: Math.round(totalmem() / 2 ** 30), uptimeBefore, uptimeAfter: uptime() },
    command: `nice -n 10 npx tsx bench/mindgrabWebgpu.ts ${process.argv.slice(2).join(' ')}`.trim(),
    date: new Date().toISOString(),
  };
  console.log(JSON.stringify(record.comparison));
  await mkdir(args.out!, { recursive: true });
  const file = join(args.out!, `browser-${args.scan}-${edge > 0 ? `${cube.dims.join('x')}` : 'whole'}-${names.join('-')}.json`);
  await writeFile(file, JSON.stringify(record, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

await main();
