import { mkdir } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { MriCase } from '../../core/case/index.ts';
import { allDice } from '../../core/metrics/dice.ts';
import { segmentCase, type AttuneModel } from '../../core/model/index.ts';
import { preprocess, type PreprocessedCase } from '../../core/preprocess/index.ts';
import { shiftCase } from '../../core/shift/index.ts';
import { adaptCase, disposeAdaptation } from '../../core/tta/index.ts';
import { readCaseFolder } from '../../node/readCaseFolder.ts';
import { describeIssues } from '../describeIssues.ts';
import { readJsonRecord, writeJsonRecord } from '../jsonRecord.ts';
import { cliMemoryPlan } from '../memoryPlan.ts';
import type { ReportJob, ReportRecord, ReportVariant } from './types.ts';

export function machineDescription(backend: string): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, tfjs ${backend}`;
}

const cacheFile = (runs: string, key: string) => join(runs, `${key}.json`);

/** Records of a finished job, or null when it has not run. */
export async function cachedRecords(runs: string, job: ReportJob): Promise<ReportRecord[] | null> {
  return readJsonRecord<ReportRecord[]>(cacheFile(runs, job.key));
}

interface LoadedVariant {
  case: string;
  mri: MriCase;
  pre: PreprocessedCase;
}

/**
 * Runs the jobs not yet in `runs/` (one JSON per job, written atomically, so an interrupted
 * report resumes and parallel shards share the folder). Shifted cases are made in memory by
 * the same `shiftCase` as `attune shift` (default seed), never written next to the data.
 */
export async function runJobs(jobs: ReportJob[], o: { data: string; runs: string; model: AttuneModel; machine: string; log: (s: string) => void }): Promise<void> {
  await mkdir(o.runs, { recursive: true });
  const sources = new Map<string, MriCase>();
  let loaded: LoadedVariant | null = null;
  const load = async (v: ReportVariant): Promise<LoadedVariant> => {
    if (loaded?.case === v.case) return loaded;
    loaded = null; // free the previous scan before reading the next
    let source = sources.get(v.source);
    if (!source) {
      const { check } = await readCaseFolder(join(o.data, v.source));
      if (!check.mriCase) throw new Error(`${v.source}: ${describeIssues(check.issues)}`);
      if (!check.mriCase.label) throw new Error(`${v.source} has no label file: the report scores every mask`);
      sources.clear(); // one source case in memory at a time
      sources.set(v.source, (source = check.mriCase));
    }
    const mri = v.preset === null ? source : shiftCase(source, { preset: v.preset, severity: v.severity }).mriCase;
    loaded = { case: v.case, mri, pre: preprocess(mri.modalities) };
    return loaded;
  };

  let done = 0;
  for (const job of jobs) {
    done++;
    if (await cachedRecords(o.runs, job)) continue;
    const { mri, pre } = await load(job.variant);
    const ref = mri.label!.data as ArrayLike<number>;
    const t0 = performance.now();
    const settings = { mode: job.mode, optimizer: job.optimizer, learningRate: job.learningRate, iterations: job.iterations, statsSlices: job.statsSlices };
    const plan = cliMemoryPlan(o.model, pre, [settings], 8, 'wasm');
    if (plan.settings[0].statsSlices !== settings.statsSlices) throw new Error(`${job.key}: ${plan.notices.join(' ')}`);
    const adaptation = await adaptCase(o.model, pre, settings, { iterationBudgets: job.budgets ?? undefined, adaptBatchSize: plan.adaptBatchSizes[0] });
    const adaptSeconds = (performance.now() - t0) / 1000;
    const records: ReportRecord[] = [];
    try {
      const choices = adaptation.budgets ?? [{ iterations: job.iterations, chosenIteration: adaptation.chosenIteration, weights: adaptation.weights }];
      const byIteration = new Map<number, Record<string, number | null>>();
      for (const choice of choices) {
        const t1 = performance.now();
        let dice = byIteration.get(choice.chosenIteration);
        if (!dice) {
          const seg = await segmentCase(choice.weights, o.model.arch, pre, { batchSize: plan.batchSize, bnStatisticsOverride: adaptation.bnStatisticsOverride });
          dice = allDice(seg.labels, ref);
          byIteration.set(choice.chosenIteration, dice);
        }
        records.push({
          ...job.variant,
          key: job.key,
          section: job.section,
          mode: job.mode,
          optimizer: job.optimizer,
          learningRate: job.learningRate,
          iterations: choice.iterations,
          chosenIteration: choice.chosenIteration,
          shiftScore: adaptation.shiftScore,
          lossCurve: adaptation.lossCurve.slice(0, job.mode === 'adabn' ? 2 : choice.iterations + 1),
          dice: dice as ReportRecord['dice'],
          seconds: adaptSeconds + (performance.now() - t1) / 1000,
          date: new Date().toISOString(),
          machine: o.machine,
        });
      }
    } finally {
      disposeAdaptation(adaptation);
    }
    await writeJsonRecord(cacheFile(o.runs, job.key), records);
    const r = records[records.length - 1];
    o.log(`[${done}/${jobs.length}] ${job.key}: WT ${r.dice.WT?.toFixed(3) ?? '–'} shift ${r.shiftScore.toFixed(3)} it* ${r.chosenIteration} (${r.seconds.toFixed(0)} s)`);
  }
}
