import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { allDice } from '../core/metrics/dice.ts';
import { allHd95 } from '../core/metrics/hd95.ts';
import { pearson } from '../core/metrics/pearson.ts';
import type { AttuneModel } from '../core/model/index.ts';
import { preprocess } from '../core/preprocess/index.ts';
import { adaptAndSegment, adaptCase, disposeAdaptation, parseMode, type AdaptMode } from '../core/tta/index.ts';
import { DEFAULT_POLICY, autoAdapt, type AutoDecision } from '../core/decision/index.ts';
import { disposeReference, type Calibration } from '../core/signals/index.ts';
import { brainReferenceOrThrow } from './segment.ts';
import { readCaseFolder } from '../node/readCaseFolder.ts';
import { caseFolders } from './caseFolders.ts';
import { cliMemoryPlan } from './memoryPlan.ts';
import { meanClassDice } from '../core/metrics/dice.ts';
import { benchmarkTable, type BenchmarkRecord } from './benchmarkTable.ts';
import { settingsFromFlags } from './settings.ts';
import { describeIssues } from './describeIssues.ts';

export const BENCHMARK_FLAGS = ['modes', 'iterations', 'lr', 'optimizer', 'slices', 'json', 'model', 'backend', 'batch', 'layers', 'pixels'] as const;
export const BENCHMARK_SWITCHES = ['no-postprocess'] as const;

/**
 * `attune benchmark <folder>`: every case × mode through `adaptAndSegment` (`auto` through
 * `autoAdapt`, its record carrying the decision and the evidence behind it), Dice/HD95 against
 * the case's label when present, the method's table, and r(shift score, no-adaptation Dice).
 */
export async function benchmark(folder: string, flags: Record<string, string>, model: AttuneModel, calibration: Calibration | null, log: (s: string) => void): Promise<BenchmarkRecord[]> {
  const modes: (AdaptMode | 'auto')[] = (flags.modes ?? 'none,auto,normalizer,bn,tent,adabn').split(',').map((m) => (m.trim() === 'auto' ? 'auto' : parseMode(m.trim())));
  const settings = Object.fromEntries(modes.filter((m) => m !== 'auto').map((m) => [m, settingsFromFlags(m, flags)]));
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
    let noneShiftScore: number | undefined;
    /** The shift score of the source model on this case: the `none` row's, or measured as that row would measure it. */
    const baselineShiftScore = async () => {
      if (noneShiftScore !== undefined) return noneShiftScore;
      // --layers / --pixels are variants of other modes' objectives; the shift score is the method's own.
      const { layers: _layers, pixels: _pixels, ...plain } = flags;
      const none = settings.none ?? settingsFromFlags('none', plain);
      const plan = cliMemoryPlan(model, pre, [none], batchSize, flags.backend === 'cpu' ? 'cpu' : 'wasm');
      const a = await adaptCase(model, pre, plan.settings[0], { adaptBatchSize: plan.adaptBatchSizes[0] });
      disposeAdaptation(a);
      return (noneShiftScore = a.shiftScore);
    };
    for (const mode of modes) {
      const t0 = performance.now();
      const plan = cliMemoryPlan(model, pre, mode === 'auto' ? DEFAULT_POLICY.candidates.map((c) => c.settings) : [settings[mode]], batchSize, flags.backend === 'cpu' ? 'cpu' : 'wasm');
      plan.notices.forEach(log);
      let segmentation;
      let shiftScore = NaN;
      let lossCurve: number[] = [];
      let chosenIteration = 0;
      let decision: AutoDecision | undefined;
      if (mode === 'auto') {
        const result = await autoAdapt(model, pre, calibration, DEFAULT_POLICY, {
          batchSize: plan.batchSize,
          adaptBatchSizeFor: (i) => plan.adaptBatchSizes[i],
          settingsFor: (_s, i) => plan.settings[i],
          postprocess: !flags['no-postprocess'],
        });
        segmentation = result.segmentation;
        decision = result.decision;
        lossCurve = result.adaptation?.lossCurve ?? [];
        chosenIteration = result.adaptation?.chosenIteration ?? 0;
        log(`${name} auto: ${decision.reason}`);
      } else {
        const brainReference = plan.settings[0].pixels === 'brain' ? brainReferenceOrThrow(calibration) : undefined;
        const run = await adaptAndSegment(model, pre, plan.settings[0], {
          batchSize: plan.batchSize,
          adaptBatchSize: plan.adaptBatchSizes[0],
          postprocess: !flags['no-postprocess'],
          brainReference,
        }).finally(() => brainReference && disposeReference(brainReference));
        segmentation = run.segmentation;
        ({ shiftScore, lossCurve, chosenIteration } = run.report);
      }
      const seconds = (performance.now() - t0) / 1000;
      if (decision) {
        // auto's row carries the baseline's shift score (what a `none` row records), measured
        // outside its timing: auto itself never needs it.
        shiftScore = await baselineShiftScore();
        decision = { ...decision, baseline: { ...decision.baseline, shiftScore } };
      }
      const ref = mri.label?.data as ArrayLike<number> | undefined;
      const vol = mri.modalities.t1;
      const rec: BenchmarkRecord = {
        case: name,
        mode,
        dice: ref ? allDice(segmentation.labels, ref) : null,
        hd95: ref ? allHd95(segmentation.labels, ref, vol.dims, vol.spacingMm) : null,
        shiftScore,
        lossCurve,
        chosenIteration,
        seconds,
        decision,
      };
      records.push(rec);
      log(`${name} ${mode}: WT ${rec.dice?.WT?.toFixed(3) ?? '–'} shift ${rec.shiftScore.toFixed(4)} best it ${rec.chosenIteration} (${seconds.toFixed(1)} s)`);
      if (mode === 'none') noneShiftScore = rec.shiftScore;
      if (mode === 'none' && Number.isFinite(meanClassDice(rec))) shiftVsDice.push([rec.shiftScore, meanClassDice(rec)]);
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
