import type { Page, Worker } from '@playwright/test';
import { makeSyntheticCase, MODALITIES } from '../src/core/index.ts';
import { chooseMode, expect, openWithTinyModel, test } from './fixtures.ts';
import { dropFiles } from './helpers.ts';

/**
 * Issue 14, a long session: a clinician keeps one tab open all day, case after case. Ten
 * small synthetic cases in a row in one tab (tiny model, wasm), alternating modes, Run and
 * Compare, some runs cancelled mid-adaptation. After each case the worker's tfjs tensor
 * count and bytes must be back at their level after the first run (a leak of even one
 * tensor per run shows), and the page's JS heap (after a forced GC, CDP
 * Runtime.getHeapUsage) may grow less than 10 % from run 2 to run 10.
 */
type Mode = 'normalizer' | 'bn' | 'tent' | 'adabn' | 'none';
interface Step {
  /** One mode: Run; several: Compare. */
  modes: Mode[];
  cancel?: boolean;
  /** Iterations per gradient mode (default 3; 500 for a run to cancel). */
  iterations?: number;
}
/**
 * Run 1 compares all four modes with many iterations, so every mode's code (progress,
 * results, chart) has run — often enough for V8 to have optimised it — before run 2: the
 * heap's growth from run 2 on is what each case leaves behind, not the JIT compiling code
 * (measured: without this warm-up, compiled code was ~90 % of the growth). Three drops
 * before run 1 warm the per-case code (reading, checks, viewer) the same way. Runs 2 and 10 both end with results
 * on screen, so the two heaps compare like with like.
 */
const STEPS: Step[] = [
  { modes: ['normalizer', 'bn', 'tent', 'adabn'], iterations: 40 },
  { modes: ['bn'] },
  { modes: ['normalizer'], cancel: true },
  { modes: ['adabn'] },
  { modes: ['tent'], cancel: true },
  { modes: ['none'] },
  { modes: ['normalizer'] },
  { modes: ['bn'], cancel: true },
  { modes: ['tent'] },
  { modes: ['normalizer', 'bn'] },
];
const COMPARABLE: Mode[] = ['normalizer', 'bn', 'tent', 'adabn'];
const CHECKBOX_NAMES: Record<string, string> = { normalizer: 'Normalizer', bn: 'BN', tent: 'TENT', adabn: 'AdaBN' };

/** Short settings for every mode (Compare uses each mode's own), long ones for a run to cancel. */
async function setModes(page: Page, step: Step) {
  for (const mode of step.modes) {
    // AdaBN has no iterations to set, baseline-only ('none') no settings at all.
    const settings = mode === 'none' ? {} : mode === 'adabn' ? { statsSlices: 2 } : { iterations: step.cancel ? 500 : (step.iterations ?? 3), statsSlices: 2 };
    await chooseMode(page, mode, settings);
  }
  if (step.modes.length > 1) {
    for (const m of COMPARABLE) await page.getByRole('checkbox', { name: CHECKBOX_NAMES[m], exact: true }).setChecked(step.modes.includes(m));
    await page.getByRole('checkbox', { name: 'Automatic', exact: true }).uncheck();
  }
}

type TensorMemory = { numTensors: number; numBytes: number };

/** The model worker (it exposes attuneTensorMemory; other workers — wasm threads — do not). */
async function tensorMemory(page: Page): Promise<TensorMemory> {
  for (const w of page.workers() as Worker[]) {
    const m = await w.evaluate(() => (self as unknown as { attuneTensorMemory?: () => TensorMemory }).attuneTensorMemory?.() ?? null).catch(() => null);
    if (m) return m;
  }
  throw new Error('the model worker was not found');
}

test('ten cases in a row in one tab: tensors return to their level after each, the page heap grows < 10 % from run 2 to 10', async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  await openWithTinyModel(page);
  const cdp = await page.context().newCDPSession(page);
  const heapAfterGc = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  /**
   * The JS heap split into V8's compiled code and everything else (objects, arrays,
   * strings, closures), from a heap snapshot. Compiled code keeps growing for a while as
   * V8 optimises functions that got hot, and is a cache V8 may flush; the rest is what
   * a case could leave behind.
   */
  const heapSplit = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const chunks: string[] = [];
    const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
    cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    const snapshot = JSON.parse(chunks.join('')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[] };
    const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta;
    const [typeAt, sizeAt] = [fields.indexOf('type'), fields.indexOf('self_size')];
    let code = 0;
    let objects = 0;
    for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
      const type = types[snapshot.nodes[i + typeAt]];
      if (type === 'code') code += snapshot.nodes[i + sizeAt];
      else if (type !== 'native' && type !== 'synthetic') objects += snapshot.nodes[i + sizeAt];
    }
    return { code, objects };
  };
  const splits: { code: number; objects: number }[] = [];

  const started = Date.now();
  const rows: { run: number; modes: string; outcome: string; numTensors: number; numBytes: number; heapBytes: number }[] = [];
  // Warm-up, part of run 1: a few drops run the per-case page code (reading, checks, viewer)
  // often enough for V8 to optimise it, as it would after a few cases of a real day.
  for (const seed of [31, 32, 33]) {
    const warm = makeSyntheticCase({ seed, dims: [32, 32, 12] });
    await dropFiles(page, [...MODALITIES.map((m) => warm.files[m]), warm.files.seg]);
    await expect(page.getByTestId('case-ready')).toContainText('with a label map');
    await expect(page.getByTestId('viewer')).toHaveAttribute('data-state', 'ready');
  }
  for (const [n, step] of STEPS.entries()) {
    const synthetic = makeSyntheticCase({ seed: 40 + n, dims: [32, 32, 12] });
    await dropFiles(page, [...MODALITIES.map((m) => synthetic.files[m]), synthetic.files.seg]);
    await expect(page.getByTestId('case-ready')).toBeVisible();
    await setModes(page, step);
    await page.getByTestId(step.modes.length > 1 ? 'compare' : 'run').click();
    if (step.cancel) {
      await expect(page.getByTestId('progress-text')).toContainText(/Adapting .*: iteration [2-9]\d* of 500/, { timeout: 60_000 });
      await page.getByTestId('cancel').click();
      await expect(page.getByTestId('run-cancelled')).toBeVisible({ timeout: 30_000 });
    } else {
      await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
      await expect(page.getByTestId('row-baseline')).toBeVisible();
    }
    const memory = await tensorMemory(page);
    rows.push({ run: n + 1, modes: step.modes.join('+'), outcome: step.cancel ? 'cancelled' : 'done', ...memory, heapBytes: await heapAfterGc() });
    if (n === 1 || n === STEPS.length - 1) splits.push(await heapSplit());
    console.log(`run ${n + 1} at ${((Date.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(rows.at(-1))}`);
  }

  const table = rows.map((r) => `run ${r.run} ${r.modes} ${r.outcome}: ${r.numTensors} tensors, ${r.numBytes} B; page heap ${(r.heapBytes / 2 ** 20).toFixed(2)} MiB`).join('\n');
  const growth = (rows[9].heapBytes - rows[1].heapBytes) / rows[1].heapBytes;
  const [s2, s10] = splits;
  const objectGrowth = (s10.objects - s2.objects) / s2.objects;
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;
  const summary =
    `${table}\npage heap growth run 2 → 10: ${(100 * growth).toFixed(1)} % (Runtime.getHeapUsage); ` +
    `of which compiled code ${mib(s2.code)} → ${mib(s10.code)}, everything else ${mib(s2.objects)} → ${mib(s10.objects)} (${(100 * objectGrowth).toFixed(1)} %)`;
  console.log(summary);
  await testInfo.attach('long-session', { body: summary, contentType: 'text/plain' });

  const first = rows[0];
  for (const r of rows.slice(1)) {
    expect({ run: r.run, numTensors: r.numTensors, numBytes: r.numBytes }, 'worker tensors back at their level after run 1').toEqual({ run: r.run, numTensors: first.numTensors, numBytes: first.numBytes });
  }
  expect(growth, 'page heap growth from run 2 to run 10 (Runtime.getHeapUsage)').toBeLessThan(0.1);
  // What a leak would grow: the heap without V8's compiled code, which is still warming up.
  expect(objectGrowth, 'page heap growth without compiled code, run 2 to run 10').toBeLessThan(0.05);
});
