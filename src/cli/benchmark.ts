import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { allDice } from '../core/metrics/dice.ts';
import { allHd95 } from '../core/metrics/hd95.ts';
import { pearson } from '../core/metrics/pearson.ts';
import type { AttuneModel } from '../core/model/index.ts';
import { preprocess } from '../core/preprocess/index.ts';
import { adaptAndSegment, parseMode, type AdaptMode } from '../core/tta/index.ts';
import { readCaseFolder } from '../node/readCaseFolder.ts';
import { caseFolders } from './caseFolders.ts';
import { cliMemoryPlan } from './memoryPlan.ts';
import { benchmarkTable, meanClassDice, type BenchmarkRecord } from './benchmarkTable.ts';
import { settingsFromFlags } from './settings.ts';
import { describeIssues } from './describeIssues.ts';

export const BENCHMARK_FLAGS = ['modes', 'iterations', 'lr', 'optimizer', 'slices', 'json', 'model', 'backend', 'batch'] as const;
export const BENCHMARK_SWITCHES = ['no-postprocess'] as const;

/**
 * `attune benchmark <folder>`: every case × mode through `adaptAndSegment`, Dice/HD95 against
 * the case's label when present, the method's table, and r(shift score, no-adaptation Dice).
 */
export async function benchmark(folder: string, flags: Record<string, string>, model: AttuneModel, log: (s: string) => void): Promise<BenchmarkRecord[]> {
  const modes: AdaptMode[] = (flags.modes ?? 'none,normalizer,bn,tent,adabn').split(',').map((m) => parseMode(m.trim()));
  const settings = Object.fromEntries(modes.map((m) => [m, settingsFromFlags(m, flags)]));
  const batchSize = flags.batch ? Number(flags.batch) : 8;
  const records: BenchmarkRecord[] = [];
  const shiftVsDice: [number, number][] = [];
  for (const dir of await caseFolders(folder)) {
    const name = basename(dir);
    const { check } = await readCaseFolder(dir);
    if (!check.mriCase) {
      log(`${name}: skipped — ${describeIssues(check.issues)}`);
      continue;
    }
    const mri = check.mriCase;
    const pre = preprocess(mri.modalities);
    for (const mode of modes) {
      const t0 = performance.now();
      const plan = cliMemoryPlan(model, pre, [settings[mode]], batchSize, flags.backend === 'cpu' ? 'cpu' : 'wasm');
      plan.notices.forEach(log);
      const { segmentation, report } = await adaptAndSegment(model, pre, plan.settings[0], {
        batchSize: plan.batchSize,
        adaptBatchSize: plan.adaptBatchSizes[0],
        postprocess: !flags['no-postprocess'],
      });
      const seconds = (performance.now() - t0) / 1000;
      const ref = mri.label?.data as ArrayLike<number> | undefined;
      const vol = mri.modalities.t1;
      const rec: BenchmarkRecord = {
        case: name,
        mode,
        dice: ref ? allDice(segmentation.labels, ref) : null,
        hd95: ref ? allHd95(segmentation.labels, ref, vol.dims, vol.spacingMm) : null,
        shiftScore: report.shiftScore,
        lossCurve: report.lossCurve,
        chosenIteration: report.chosenIteration,
        seconds,
      };
      records.push(rec);
      log(`${name} ${mode}: WT ${rec.dice?.WT?.toFixed(3) ?? '–'} shift ${rec.shiftScore.toFixed(4)} best it ${rec.chosenIteration} (${seconds.toFixed(1)} s)`);
      if (mode === 'none' && meanClassDice(rec) !== null) shiftVsDice.push([rec.shiftScore, meanClassDice(rec)!]);
    }
  }
  console.log(benchmarkTable(records, modes));
  const r = pearson(shiftVsDice.map((p) => p[0]), shiftVsDice.map((p) => p[1]));
  console.log(`\nPearson r(shift score, no-adaptation mean Dice NCR/ED/ET) over ${shiftVsDice.length} cases: ${r === null ? 'n/a (needs mode none and ≥ 2 labelled cases)' : r.toFixed(3)}`);
  if (flags.json) {
    await writeFile(flags.json, JSON.stringify(records, null, 1));
    log(`wrote ${records.length} records to ${flags.json}`);
  }
  return records;
}
