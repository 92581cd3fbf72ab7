import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { allDice } from '../../core/metrics/dice.ts';
import { segmentCase, type AttuneModel } from '../../core/model/index.ts';
import { preprocess } from '../../core/preprocess/index.ts';
import { shiftCase } from '../../core/shift/index.ts';
import { baselineEvidence, measureAdaptedEvidence, brainReferenceTensors, disposeReference, type Calibration } from '../../core/signals/index.ts';
import { adaptCase, disposeAdaptation } from '../../core/tta/index.ts';
import { readCaseFolder } from '../../node/readCaseFolder.ts';
import { describeIssues } from '../describeIssues.ts';
import { readJsonRecord, writeJsonRecord } from '../jsonRecord.ts';
import { cliMemoryPlan } from '../memoryPlan.ts';
import { AUTO_CANDIDATES, variantsFor } from './plan.ts';
import type { EvaluationRecord, EvaluationScan, VariantOutcome } from './types.ts';

const recordFile = (dir: string, scan: EvaluationScan) => join(dir, `${scan.case}.json`);

export async function cachedEvaluation(dir: string, scan: EvaluationScan): Promise<EvaluationRecord | null> {
  return readJsonRecord<EvaluationRecord>(recordFile(dir, scan));
}

/**
 * The variants a scan's record still needs: every planned one it lacks, and `auto`'s
 * candidates recorded before their after-evidence included the flip disagreement (issue 15's
 * records), which are run again.
 */
export function variantsToRun(scan: EvaluationScan, record: EvaluationRecord | null, model: { checksum: string }): ReturnType<typeof variantsFor> {
  const planned = variantsFor(scan);
  if (!record || record.modelChecksum !== model.checksum) return planned;
  return planned.filter((v) => {
    const had = record.variants[v.name];
    return !had || (AUTO_CANDIDATES.includes(v.name) && had.evidence.flipDisagreement === undefined);
  });
}

/** Whether a scan's record holds everything the plan asks for (on any model: the report says which one). */
export function evaluationComplete(scan: EvaluationScan, record: EvaluationRecord | null): boolean {
  return record !== null && variantsToRun(scan, record, { checksum: record.modelChecksum }).length === 0;
}

/**
 * Runs each scan whose record is missing or incomplete: the baseline with its evidence, every
 * variant still needed with its adapted evidence and Dice (merged into the scan's record, the
 * other variants kept). One JSON per scan, written atomically (an interrupted run resumes;
 * shards share the folder).
 */
export async function runEvaluation(
  scans: EvaluationScan[],
  o: { data: string; dir: string; model: AttuneModel; calibration: Calibration; machine: string; log: (s: string) => void },
): Promise<void> {
  await mkdir(o.dir, { recursive: true });
  const checksum = o.model.checksum;
  const brainReference = brainReferenceTensors(o.calibration);
  let done = 0;
  try {
    for (const scan of scans) {
      done++;
      const previous = await cachedEvaluation(o.dir, scan);
      const variants = variantsToRun(scan, previous, o.model);
      if (previous && !variants.length) continue;
      const { check } = await readCaseFolder(join(o.data, scan.folder));
      if (!check.mriCase?.label) throw new Error(`${scan.source}: ${check.mriCase ? 'no label file: the evaluation scores every mask' : describeIssues(check.issues)}`);
      const source = check.mriCase;
      const mri = scan.preset === null ? source : shiftCase(source, { preset: scan.preset as never, severity: scan.severity as never }).mriCase;
      const pre = preprocess(mri.modalities);
      const ref = source.label!.data as ArrayLike<number>;
      const plan = cliMemoryPlan(o.model, pre, variants.map((v) => v.settings), 8, 'wasm');
      const t0 = performance.now();
      const none = await adaptCase(o.model, pre, { mode: 'none', optimizer: 'adam', learningRate: 0, iterations: 0, statsSlices: 8 });
      const baseSeg = await segmentCase(o.model.weights, o.model.arch, pre, { batchSize: plan.batchSize, measureUncertainty: true });
      const baseEvidence = await baselineEvidence(o.model, pre, baseSeg, { calibration: o.calibration, shiftScore: none.shiftScore, passSize: plan.batchSize });
      const baselineSeconds = (performance.now() - t0) / 1000;
      const outcomes: Record<string, VariantOutcome> = previous?.modelChecksum === checksum ? { ...previous.variants } : {};
      for (const [i, v] of variants.entries()) {
        const t1 = performance.now();
        const a = await adaptCase(o.model, pre, plan.settings[i], { adaptBatchSize: plan.adaptBatchSizes[i], brainReference });
        try {
          const adaptation = (performance.now() - t1) / 1000;
          const t2 = performance.now();
          const seg = await segmentCase(a.weights, o.model.arch, pre, { batchSize: plan.batchSize, bnStatisticsOverride: a.bnStatisticsOverride, measureUncertainty: true });
          outcomes[v.name] = {
            settings: plan.settings[i],
            dice: allDice(seg.labels, ref),
            evidence: await measureAdaptedEvidence(o.model, pre, baseSeg, seg, a, { passSize: plan.batchSize }),
            chosenIteration: a.chosenIteration,
            lossCurve: a.lossCurve,
            seconds: { adaptation, segmentation: (performance.now() - t2) / 1000 },
          };
          o.log(`  ${scan.case} ${v.name}: WT ${outcomes[v.name].dice.WT?.toFixed(3)} (${(adaptation + outcomes[v.name].seconds.segmentation).toFixed(0)} s)`);
        } finally {
          disposeAdaptation(a);
        }
      }
      const baseDice = allDice(baseSeg.labels, ref);
      const record: EvaluationRecord = {
        ...scan,
        modelChecksum: checksum,
        baseline: { dice: baseDice, evidence: baseEvidence, seconds: baselineSeconds },
        variants: outcomes,
        date: new Date().toISOString().slice(0, 10),
        machine: o.machine,
      };
      if (previous?.modelChecksum === checksum) {
        // The variants kept from before were measured then and there: the record says so.
        Object.assign(record, { date: previous.date, machine: previous.machine, updates: [...(previous.updates ?? []), { date: record.date, machine: o.machine, variants: variants.map((v) => v.name) }] });
      }
      await writeJsonRecord(recordFile(o.dir, scan), record, { significantDigits: 6 });
      o.log(`[${done}/${scans.length}] ${scan.case}: baseline WT ${baseDice.WT?.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
  } finally {
    disposeReference(brainReference);
  }
}
