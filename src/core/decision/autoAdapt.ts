import type { AttuneModel } from '../model/decodeModel.ts';
import { segmentCase, type SegmentOptions, type Segmentation } from '../model/segmentCase.ts';
import type { PreprocessedCase } from '../preprocess/index.ts';
import { baselineEvidence, measureAdaptedEvidence, type AdaptedEvidence, type BaselineEvidence } from '../signals/evidence.ts';
import { brainReferenceTensors, disposeReference, type Calibration } from '../signals/calibration.ts';
import { adaptCase, disposeAdaptation, type AdaptCallbacks } from '../tta/adaptCase.ts';
import type { AdaptationReport } from '../tta/adaptAndSegment.ts';
import type { AdaptSettings } from '../tta/modes.ts';
import { decideToAdapt } from './decideToAdapt.ts';
import { chooseCandidate, type CandidateVerdict } from './chooseCandidate.ts';
import type { AutoPolicy } from './policy.ts';
import { readBaselineSignal, type BaselineReading, type ReadOptions } from './signalReading.ts';

/** What `auto` decided on one scan, and the evidence behind it. */
export interface AutoDecision {
  /** The policy's signal read against the calibration's reference scans, or why it has no value (no tumour); null without a calibration. */
  reading: BaselineReading | null;
  /** The candidate whose mask is kept, or null: the baseline's mask is kept. */
  adaptedWith: string | null;
  /** The mask shown: the baseline's or a candidate's. */
  kept: 'baseline' | 'adapted';
  /** One sentence: why. */
  reason: string;
  baseline: BaselineEvidence;
  /** Every candidate it adapted with (none when it did not adapt): what adapting did and why it was kept or not. */
  candidates: CandidateVerdict[];
}

/** One candidate's run: its adaptation (loss curve, kept iteration) and time. */
export interface CandidateRun {
  variant: string;
  adaptation: AdaptationReport;
  seconds: { adaptation: number; segmentation: number };
}

export interface AutoResult {
  /** The kept mask. */
  segmentation: Segmentation;
  baselineSegmentation: Segmentation;
  /** The kept candidate's segmentation (absent when the baseline is kept). */
  adaptedSegmentation?: Segmentation;
  /** The kept candidate's adaptation (absent when the baseline is kept). */
  adaptation?: AdaptationReport;
  /** Every candidate run, kept or not. */
  candidateRuns: CandidateRun[];
  decision: AutoDecision;
  /** Baseline + evidence; every candidate's adaptation; every candidate's segmentation and after-evidence. */
  seconds: { baseline: number; adaptation: number; adaptedSegmentation: number };
}

export interface AutoOptions extends Omit<AdaptCallbacks, 'onIteration' | 'adaptBatchSize'> {
  batchSize?: number;
  postprocess?: SegmentOptions['postprocess'];
  /** After each evaluated iteration of a candidate (`index` in the policy's candidates). */
  onIteration?: (iteration: number, loss: number, variant: string, index: number) => void;
  onSegmentProgress?: (slicesDone: number, slicesTotal: number, which: 'baseline' | 'adapted', variant?: string) => void;
  /** The settings actually run for a candidate (a memory plan may reduce the statistics slices). */
  settingsFor?: (settings: AdaptSettings, index: number) => AdaptSettings;
  /** Statistics slices per forward/backward pass for a candidate (the memory plan's). */
  adaptBatchSizeFor?: (index: number) => number | undefined;
}

/**
 * `auto`: segment with the source model, read its evidence against the calibration's
 * reference scans, adapt with each candidate only when the baseline looks unreliable, and
 * keep the candidate its after-evidence favours — or the baseline; never a mask the rule
 * rejected. Without a calibration for this model there is nothing to read the evidence
 * against: the baseline is kept, and the reason says so.
 */
export async function autoAdapt(model: AttuneModel, pre: PreprocessedCase, calibration: Calibration | null, policy: AutoPolicy, o: AutoOptions = {}): Promise<AutoResult> {
  const t0 = performance.now();
  const baselineSegmentation = await segmentMeasured(model, pre, model.weights, 'baseline', o);
  const baseline = await baselineEvidence(model, pre, baselineSegmentation, { calibration: calibration ?? undefined, passSize: o.batchSize });
  return autoAdaptFromBaseline(model, pre, calibration, policy, { segmentation: baselineSegmentation, evidence: baseline, seconds: (performance.now() - t0) / 1000 }, o);
}

/**
 * `auto` after the baseline: for callers that segment the baseline anyway (the worker does,
 * for every run) and measured its evidence (`baselineEvidence`) on that segmentation.
 */
export async function autoAdaptFromBaseline(
  model: AttuneModel,
  pre: PreprocessedCase,
  calibration: Calibration | null,
  policy: AutoPolicy,
  base: { segmentation: Segmentation; evidence: BaselineEvidence; seconds: number },
  o: AutoOptions = {},
): Promise<AutoResult> {
  const baselineSegmentation = base.segmentation;
  const baseline = base.evidence;
  const seconds = { baseline: base.seconds, adaptation: 0, adaptedSegmentation: 0 };
  const keepBaseline = (reading: BaselineReading | null, reason: string): AutoResult => ({
    segmentation: baselineSegmentation, baselineSegmentation, candidateRuns: [], seconds,
    decision: { reading, adaptedWith: null, kept: 'baseline', reason, baseline, candidates: [] },
  });
  if (!calibration) {
    return keepBaseline(null, 'baseline kept without adapting: this model has no calibration (run `attune calibrate`), so there is nothing to read the scan against');
  }
  const reading = readBaselineSignal(policy.signal, baseline, calibration);
  const choice = decideToAdapt(reading, policy);
  if (!choice.adapt) return keepBaseline(reading, choice.reason);
  const brainReference = policy.candidates.some((c) => c.settings.pixels === 'brain') ? brainReferenceTensors(calibration) : undefined;
  const runs: { variant: string; evidence: AdaptedEvidence; segmentation: Segmentation; run: CandidateRun }[] = [];
  try {
    for (const [index, candidate] of policy.candidates.entries()) {
      const settings = o.settingsFor?.(candidate.settings, index) ?? candidate.settings;
      const t1 = performance.now();
      const adaptation = await adaptCase(model, pre, settings, {
        checkCancelled: o.checkCancelled,
        iterationBudgets: o.iterationBudgets,
        adaptBatchSize: o.adaptBatchSizeFor?.(index),
        brainReference: settings.pixels === 'brain' ? brainReference : undefined,
        onIteration: (iteration, loss) => o.onIteration?.(iteration, loss, candidate.variant, index),
      });
      try {
        const adaptSeconds = (performance.now() - t1) / 1000;
        const t2 = performance.now();
        const segmentation = await segmentMeasured(model, pre, adaptation.weights, 'adapted', o, adaptation.bnStatisticsOverride, candidate.variant);
        const evidence = await measureAdaptedEvidence(model, pre, baselineSegmentation, segmentation, adaptation, { passSize: o.batchSize });
        const segmentSeconds = (performance.now() - t2) / 1000;
        seconds.adaptation += adaptSeconds;
        seconds.adaptedSegmentation += segmentSeconds;
        const { weights: _w, bnStatisticsOverride: _b, owned: _o, ...report } = adaptation;
        runs.push({ variant: candidate.variant, evidence, segmentation, run: { variant: candidate.variant, adaptation: report, seconds: { adaptation: adaptSeconds, segmentation: segmentSeconds } } });
      } finally {
        disposeAdaptation(adaptation);
      }
    }
  } finally {
    if (brainReference) disposeReference(brainReference);
  }
  const picked = chooseCandidate(baseline, runs, policy);
  const kept = runs.find((r) => r.variant === picked.kept);
  return {
    segmentation: kept?.segmentation ?? baselineSegmentation,
    baselineSegmentation,
    adaptedSegmentation: kept?.segmentation,
    adaptation: kept?.run.adaptation,
    candidateRuns: runs.map((r) => r.run),
    decision: { reading, adaptedWith: picked.kept, kept: kept ? 'adapted' : 'baseline', reason: `${choice.reason}; ${picked.reason}`, baseline, candidates: picked.verdicts },
    seconds,
  };
}

/** A segmentation with its uncertainty measured (the evidence reads it), as the caller's options ask. */
function segmentMeasured(
  model: AttuneModel,
  pre: PreprocessedCase,
  weights: AttuneModel['weights'],
  which: 'baseline' | 'adapted',
  o: AutoOptions,
  bnStatisticsOverride?: SegmentOptions['bnStatisticsOverride'],
  variant?: string,
): Promise<Segmentation> {
  return segmentCase(weights, model.arch, pre, {
    batchSize: o.batchSize,
    postprocess: o.postprocess,
    measureUncertainty: true,
    checkCancelled: o.checkCancelled,
    bnStatisticsOverride,
    onProgress: (d, t) => o.onSegmentProgress?.(d, t, which, variant),
  });
}

/**
 * The same decision from evidence already measured (the report's runs measure every
 * candidate's evidence once and ask what `auto` would have kept, under any policy).
 */
export function decideFromEvidence(
  calibration: Calibration,
  policy: AutoPolicy,
  baseline: BaselineEvidence,
  adaptedBy: (variant: string) => AdaptedEvidence | undefined,
  o: ReadOptions = {},
): Omit<AutoDecision, 'baseline'> {
  const reading = readBaselineSignal(policy.signal, baseline, calibration, o);
  const choice = decideToAdapt(reading, policy);
  if (!choice.adapt) return { reading, adaptedWith: null, kept: 'baseline', reason: choice.reason, candidates: [] };
  const runs = policy.candidates.map((c) => {
    const evidence = adaptedBy(c.variant);
    if (!evidence) throw new Error(`decideFromEvidence: no ${c.variant} evidence for this scan`);
    return { variant: c.variant, evidence };
  });
  const picked = chooseCandidate(baseline, runs, policy);
  return { reading, adaptedWith: picked.kept, kept: picked.kept ? 'adapted' : 'baseline', reason: `${choice.reason}; ${picked.reason}`, candidates: picked.verdicts };
}
