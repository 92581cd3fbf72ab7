/**
 * The raw-study pipeline end to end (issue 21): one JSON record per case (bench/rawStudyCases.ts:
 * per step the wall time and the peak RSS, and what the result is worth) in
 * bench/runs/rawStudy/node/, with the machine's load. (The browser's records, written by
 * scripts/rawStudyScreenshot.ts, are beside it in bench/runs/rawStudy/.)
 *
 *   npx tsx bench/rawStudyTruth.ts [--scans fg6692,BraTS2021_00024-1mm,BraTS2021_00024-clinical,…] [--out bench/runs/rawStudy/node]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rawStudyCases, round, SIMULATED_CASES } from './rawStudyCases.ts';

const { values: args } = parseArgs({
  options: {
    scans: { type: 'string', default: 'fg6692,BraTS2021_00324-1mm,BraTS2021_00324-clinical,BraTS2021_00024-1mm,BraTS2021_00024-clinical' },
    out: { type: 'string', default: 'bench/runs/rawStudy/node' },
  },
});

const cases = await rawStudyCases();
await mkdir(args.out!, { recursive: true });
for (const scan of args.scans!.split(',')) {
  const load = loadavg();
  const t0 = performance.now();
  const m = /^(.+)-(1mm|clinical)$/.exec(scan);
  if (scan !== 'fg6692' && !(m && m[1] in SIMULATED_CASES)) throw new Error(`unknown scan ${scan}`);
  const { record } = scan === 'fg6692' ? await cases.fg6692() : await cases.simulated(m![1], m![2] as '1mm' | 'clinical');
  const full = {
    ...record,
    totalSeconds: round((performance.now() - t0) / 1000, 1),
    backend: 'wasm (Node)',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemGiB: Math.round(totalmem() / 2 ** 30), loadavgBefore: load.map((v) => round(v, 2)), loadavgAfter: loadavg().map((v) => round(v, 2)) },
    node: process.version,
    date: new Date().toISOString(),
  };
  await writeFile(join(args.out!, `${scan}.json`), JSON.stringify(full, null, 1) + '\n');
  console.log(`${scan}: ${JSON.stringify({ steps: full.steps.length, totalSeconds: full.totalSeconds })}`);
}
