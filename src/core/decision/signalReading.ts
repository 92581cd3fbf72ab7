import type { Calibration } from '../signals/calibration.ts';
import { FLIP_SLICES, type BaselineEvidence } from '../signals/evidence.ts';
import { percentileAmong } from '../signals/percentile.ts';

/** Baseline signals a decision may read (all: higher = less like the training scans). */
export const READABLE_SIGNALS = ['tumourEntropy', 'featureZ', 'featureKl', 'flipDisagreement'] as const;
export type ReadableSignal = (typeof READABLE_SIGNALS)[number];

export const SIGNAL_LABELS: Record<ReadableSignal, string> = {
  tumourEntropy: 'prediction entropy inside the predicted tumour',
  featureZ: 'shallow-layer feature z-score (brain voxels)',
  featureKl: 'shallow-layer feature KL (brain voxels)',
  flipDisagreement: 'left–right flip disagreement of the tumour',
};

/** Signals measured on the predicted tumour: without one they have nothing to measure (the feature signals read the whole brain). */
export const TUMOUR_SIGNALS: readonly ReadableSignal[] = ['tumourEntropy', 'flipDisagreement'];

/** A scan's signal read against the training scans' own values (calibration.json). */
export interface SignalReading {
  signal: ReadableSignal;
  value: number;
  /** Percentage of training scans at or below this value. */
  percentile: number;
  /** Highest value among the training scans (leave-one-out for feature signals). */
  trainingMax: number;
  /** value / trainingMax: above 1 = beyond every training scan. */
  ratio: number;
}

/**
 * A tumour signal that has no value because the model predicted no tumour to measure it on:
 * an answer about the scan, not a failure, and never a number (a 0 would read as "within the
 * training scans' range", which nobody measured).
 */
export interface NoTumourReading {
  signal: ReadableSignal;
  /** 'scan': no voxel of the scan is predicted tumour; 'flipSlices': some are, but none on the flip check's slices. */
  noTumour: 'scan' | 'flipSlices';
  /** One clause: why there is no value. */
  reason: string;
}

/** What the run paths read from a baseline: a value against the training scans, or "no tumour". */
export type BaselineReading = SignalReading | NoTumourReading;

export function isNoTumour(r: BaselineReading): r is NoTumourReading {
  return 'noTumour' in r;
}

/** Why `signal` has no value on this baseline, or null when it has one. */
function noTumourReading(signal: ReadableSignal, evidence: BaselineEvidence): NoTumourReading | null {
  if (!TUMOUR_SIGNALS.includes(signal)) return null;
  const label = SIGNAL_LABELS[signal];
  if (evidence.tumourVoxels === 0) {
    return { signal, noTumour: 'scan', reason: `the model predicts no tumour in this scan, so the ${label} has nothing to measure` };
  }
  const value = evidence[signal];
  if (value === null || value === undefined || Number.isNaN(value)) {
    return {
      signal,
      noTumour: 'flipSlices',
      reason: `none of the ${FLIP_SLICES} slices of the flip check holds predicted tumour (the tumour is small or lies between them), so the ${label} cannot be measured`,
    };
  }
  return null;
}

/**
 * The reading every run path uses (worker, CLI, `auto`, the report's replay): a value read
 * against the training scans, or a `NoTumourReading` when a tumour signal has no tumour to
 * measure. Throws only for what is a real fault: a signal that was not measured (a feature
 * signal without a calibration) or a calibration without training values for it.
 */
export function readBaselineSignal(signal: ReadableSignal, evidence: BaselineEvidence, calibration: Calibration): BaselineReading {
  return noTumourReading(signal, evidence) ?? readSignal(signal, evidence, calibration);
}

/**
 * A value read against the training scans, for callers that need one (the evaluation's
 * tables over labelled tumour scans): on a scan without a tumour to measure it says so and
 * throws; run paths use `readBaselineSignal`.
 */
export function readSignal(signal: ReadableSignal, evidence: BaselineEvidence, calibration: Calibration): SignalReading {
  const absent = noTumourReading(signal, evidence);
  if (absent) throw new Error(`no ${SIGNAL_LABELS[signal]} for this scan: ${absent.reason}`);
  const value = evidence[signal];
  if (value === undefined || value === null || !Number.isFinite(value)) throw new Error(`no ${SIGNAL_LABELS[signal]} for this scan`);
  const training = calibration.scans.map((s) => s.outputs[signal]).filter((v): v is number => Number.isFinite(v));
  if (training.length < 2) throw new Error(`the calibration holds no ${SIGNAL_LABELS[signal]} values: run \`attune calibrate\` again`);
  const trainingMax = Math.max(...training);
  return { signal, value, percentile: percentileAmong(value, training), trainingMax, ratio: trainingMax > 0 ? value / trainingMax : Infinity };
}
