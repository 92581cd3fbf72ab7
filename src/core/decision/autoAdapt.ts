import type { AttuneModel } from '../model/decodeModel.ts';
import { segmentCase, type SegmentOptions, type Segmentation } from '../model/segmentCase.ts';
import type { PreprocessedCase } from '../preprocess/index.ts';
import type { Calibration } from '../signals/calibration.ts';
import { adaptedEvidence, baselineEvidence, type AdaptedEvidence, type BaselineEvidence } from '../signals/evidence.ts';
import { adaptCase, disposeAdaptation, type AdaptCallbacks } from '../tta/adaptCase.ts';
import type { AdaptationReport } from '../tta/adaptAndSegment.ts';
import type { AdaptSettings } from '../tta/modes.ts';
import { decideToAdapt } from './decideToAdapt.ts';
import { keepOrFallBack } from './keepOrFallBack.ts';
import type { AutoPolicy } from './policy.ts';
import { readBaselineSignal, type BaselineReading } from './signalReading.ts';

/** What `auto` decided on one scan, and the evidence behind it. */
export interface AutoDecision {
  /** The policy's signal read against the training scans, or why it has no value (no tumour); null without a calibration. */
  reading: BaselineReading | null;
  /** The variant it adapted with (AutoPolicy.variant), or null when it did not adapt. */
  adaptedWith: string | null;
  /** The mask shown: the baseline's or the adapted one. */
  kept: 'baseline' | 'adapted';
  /** One sentence: why. */
  reason: string;
  baseline: BaselineEvidence;
  adapted?: AdaptedEvidence;
}

export interface AutoResult {
  /** The kept mask. */
  segmentation: Segmentation;
  baselineSegmentation: Segmentation;
  /** Present when it adapted (kept or not: a researcher can still look at it). */
  adaptedSegmentation?: Segmentation;
  adaptation?: AdaptationReport;
  decision: AutoDecision;
  /** Baseline + evidence, adaptation, adapted segmentation. */
  seconds: { baseline: number; adaptation: number; adaptedSegmentation: number };
}

export interface AutoOptions extends AdaptCallbacks {
  batchSize?: number;
  postprocess?: SegmentOptions['postprocess'];
  onSegmentProgress?: (slicesDone: number, slicesTotal: number, which: 'baseline' | 'adapted') => void;
  /** The settings actually run for the policy's (a memory plan may reduce the statistics slices). */
  settingsFor?: (settings: AdaptSettings) => AdaptSettings;
}

/**
 * `auto`: segment with the source model, read its evidence against the training scans,
 * adapt only when the baseline looks unreliable, and keep the adapted mask only when it
 * passes the drift checks — never a mask the rule rejected. Without a calibration for this
 * model there is nothing to read the evidence against: the baseline is kept, and the
 * reason says so.
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
  if (!calibration) {
    const decision: AutoDecision = { reading: null, adaptedWith: null, kept: 'baseline', reason: 'baseline kept without adapting: this model has no calibration (run `attune calibrate`), so there is nothing to read the scan against', baseline };
    return { segmentation: baselineSegmentation, baselineSegmentation, decision, seconds };
  }
  const reading = readBaselineSignal(policy.signal, baseline, calibration);
  const choice = decideToAdapt(reading, policy);
  if (!choice.adapt) {
    return { segmentation: baselineSegmentation, baselineSegmentation, decision: { reading, adaptedWith: null, kept: 'baseline', reason: choice.reason, baseline }, seconds };
  }
  const settings = o.settingsFor?.(policy.settings) ?? policy.settings;
  const t1 = performance.now();
  const adaptation = await adaptCase(model, pre, settings, o);
  try {
    seconds.adaptation = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    const adaptedSegmentation = await segmentMeasured(model, pre, adaptation.weights, 'adapted', o, adaptation.bnStatisticsOverride);
    seconds.adaptedSegmentation = (performance.now() - t2) / 1000;
    const adapted = adaptedEvidence(baselineSegmentation, adaptedSegmentation, adaptation);
    const keep = keepOrFallBack(baseline, adapted, policy);
    const { weights: _w, bnStatisticsOverride: _b, owned: _o, ...report } = adaptation;
    return {
      segmentation: keep.keep ? adaptedSegmentation : baselineSegmentation,
      baselineSegmentation,
      adaptedSegmentation,
      adaptation: report,
      decision: { reading, adaptedWith: policy.variant, kept: keep.keep ? 'adapted' : 'baseline', reason: `${choice.reason}; ${keep.reason}`, baseline, adapted },
      seconds,
    };
  } finally {
    disposeAdaptation(adaptation);
  }
}

/** A segmentation with its uncertainty measured (the evidence reads it), as the caller's options ask. */
function segmentMeasured(
  model: AttuneModel,
  pre: PreprocessedCase,
  weights: AttuneModel['weights'],
  which: 'baseline' | 'adapted',
  o: AutoOptions,
  bnStatisticsOverride?: SegmentOptions['bnStatisticsOverride'],
): Promise<Segmentation> {
  return segmentCase(weights, model.arch, pre, {
    batchSize: o.batchSize,
    postprocess: o.postprocess,
    measureUncertainty: true,
    checkCancelled: o.checkCancelled,
    bnStatisticsOverride,
    onProgress: (d, t) => o.onSegmentProgress?.(d, t, which),
  });
}

/**
 * The same decision from evidence already measured (the report's runs measure every mode's
 * evidence once and ask what `auto` would have kept, under any policy).
 */
export function decideFromEvidence(
  calibration: Calibration,
  policy: AutoPolicy,
  baseline: BaselineEvidence,
  adaptedBy: (variant: string) => AdaptedEvidence | undefined,
): Omit<AutoDecision, 'baseline' | 'adapted'> {
  const reading = readBaselineSignal(policy.signal, baseline, calibration);
  const choice = decideToAdapt(reading, policy);
  if (!choice.adapt) return { reading, adaptedWith: null, kept: 'baseline', reason: choice.reason };
  const adapted = adaptedBy(policy.variant);
  if (!adapted) throw new Error(`decideFromEvidence: no ${policy.variant} evidence for this scan`);
  const keep = keepOrFallBack(baseline, adapted, policy);
  return { reading, adaptedWith: policy.variant, kept: keep.keep ? 'adapted' : 'baseline', reason: `${choice.reason}; ${keep.reason}` };
}
