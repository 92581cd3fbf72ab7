import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS, blockNames, blockText, checkBlocks, GENERATED_BLOCKS, ROOT, spliceBlock, type GeneratedBlock } from './generatedBlocks.ts';
import { benchLogMarkdown, parseBenchLog } from './resultTables.ts';

const doc = readFileSync(join(ROOT, BENCHMARKS), 'utf8');

/**
 * CI's check of "every number from a command": every block of BENCHMARKS.md that says it is
 * generated is rebuilt here from the records committed in the repository, byte for byte.
 */
describe('BENCHMARKS.md generated blocks', () => {
  it('are exactly the blocks bench/generatedBlocks.ts lists, each once', () => {
    expect(blockNames(doc).sort()).toEqual(GENERATED_BLOCKS.map((b) => b.name).sort());
  });

  it('each rebuilds byte for byte from its committed records (and figures with it)', async () => {
    expect(await checkBlocks(doc)).toEqual([]);
  });

  it('a block no command rebuilds is reported by name', async () => {
    const withStray = `${doc}\n<!-- attune report: begin (generated; do not edit by hand) -->\n| a | b |\n<!-- attune report: end -->\n`;
    const problems = await checkBlocks(withStray, []);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^"attune report": a generated block that no command rebuilds/)]));
  });

  it('a number edited by hand is reported with the line that differs', async () => {
    const block = GENERATED_BLOCKS.find((b) => b.name === 'bench/results 2026-11-27-npm-run-bench')!;
    const text = blockText(doc, block)!;
    expect(text).toContain('| 25.68 s |');
    const edited = spliceBlock(doc, block, text.replace('| 25.68 s |', '| 24.68 s |'));
    const problems = await checkBlocks(edited);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/differs from what its records render.*in the document "\| baseline inference \(141 slices\) \| 24\.68 s/);
  });

  it('a listed block whose records are missing is reported, not rendered', async () => {
    const ghost: GeneratedBlock = { ...GENERATED_BLOCKS[0], records: ['bench/results/no-such-run.log'], render: () => Promise.reject(new Error('must not render')) };
    expect(await checkBlocks(doc, [ghost, ...GENERATED_BLOCKS.slice(1)])).toEqual([`"${ghost.name}": its records bench/results/no-such-run.log are not in the repository`]);
  });
});

describe('npm run bench logs', () => {
  const log = [
    '> tsx bench/run.ts --skip-webgpu',
    'machine: 2× Test CPU, 8 GiB; 2026-01-02T03:04:05.678Z',
    '[wasm, Chromium] case X 10×32×32×4: baseline inference 2.00 s',
    '  P1 bn: (20 iterations 5.00 s + final 1.00 s) / baseline = 3.00× (target ≤ 4×)',
    '  P3 bn: wasm heap high-water mark 1100 MiB after this mode (inference alone: 500 MiB; adaptation in passes of 2 of the 8 statistics slices) (target ≤ 1024 MiB)',
    "  P1 auto (as decided): 2.50 s = 1.25× baseline; 0.31× the app's run of the mode it adapts with (target ≤ 2×) — baseline kept",
    '  P2: tfjs wasm 30.0 ms/slice vs PyTorch CPU (1 threads) 10.0 ms/slice = 3.00× (target ≤ 1.5×)',
  ].join('\n');

  it('parse into figures and say met or not met against the target the log prints', () => {
    const parsed = parseBenchLog(log);
    expect(parsed).toMatchObject({ machine: '2× Test CPU, 8 GiB', case: 'X', baselineSeconds: 2, p2: { tfjsMs: 30, torchMs: 10, threads: 1, ratio: 3 } });
    const md = benchLogMarkdown(parsed, 'x.log');
    expect(md).toContain('| P1 bn: (20 iterations + final inference) / baseline | **3.00×** (5.00 s + 1.00 s) | ≤ 4× — **met** |');
    expect(md).toContain('| **1100 MiB** (inference alone 500 MiB) | ≤ 1024 MiB — not met |');
    expect(md).toContain('| 30.0 / 10.0 ms = **3.00×** | ≤ 1.5× — not met |');
    expect(md).toContain('- as decided: baseline kept');
  });

  it('read the auto lines of the current bench (a run of the variant timed in the same page) beside the old ones', () => {
    const today = [
      log,
      '  P1 a run of tent, the variant auto adapts with (baseline + 20 iterations + final inference, timed as one run): 40.00 s',
      '  P1 auto (forced to adapt): 44.00 s = 22.00× the baseline alone; 1.10× a run of tent (target ≤ 2×) — met; adapted: kept the adapted mask',
    ].join('\n');
    const parsed = parseBenchLog(today);
    expect(parsed.variantRun).toEqual({ variant: 'tent', iterations: 20, seconds: 40 });
    expect(parsed.auto[1]).toMatchObject({ kind: 'forced to adapt', seconds: 44, toBaseline: 22, toMode: 1.1, decision: 'adapted: kept the adapted mask' });
    const md = benchLogMarkdown(parsed, 'x.log');
    expect(md).toContain('| P1 a run of tent (baseline + 20 iterations + final inference, one run) | 40.00 s | — |');
    expect(md).toContain('| P1 `auto`, forced to adapt | 44.00 s = 22.00× baseline; **1.10×** a run of tent (timed in the same page) | ≤ 2× — **met** |');
    expect(md).toContain("| P1 `auto`, as decided | 2.50 s = 1.25× baseline; **0.31×** the app's run of the mode it adapts with | ≤ 2× — **met** |");
  });

  it('refuse a line they do not know, naming it, so a figure cannot drop out silently', () => {
    expect(() => parseBenchLog(`${log}\n  P4 bn: something new`, 'y.log')).toThrow('y.log, line 8: not a line of npm run bench\'s output this parser knows: "P4 bn: something new"');
    expect(() => parseBenchLog('exit 0', 'z.log')).toThrow('z.log: no "machine: …; <date>" line');
  });
});
