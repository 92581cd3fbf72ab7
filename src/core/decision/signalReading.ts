import { readingReference, type Calibration } from '../signals/calibration.ts';
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

/** A scan's signal read against the calibration's reference scans (calibration.json). */
export interface SignalReading {
  signal: ReadableSignal;
  value: number;
  /** Percentage of reference scans at or below this value. */
  percentile: number;
  /** Highest value among the reference scans (leave-one-out for training scans' feature signals). */
  trainingMax: number;
  /** value / trainingMax: above 1 = beyond every reference scan. */
  ratio: number;
  /** What the reference scans are: held out from training (issue 23), or the model's own training scans. */
  reference: 'held-out' | 'training';
  /** How many reference scans. */
  referenceScans: number;
}

/** "held-out scan" / "training scan", as a reading's sentence names its reference. */
export function referenceWord(r: Pick<SignalReading, 'reference'>): string {
  return r.reference === 'held-out' ? 'held-out scan' : 'training scan';
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
export function readBaselineSignal(signal: ReadableSignal, evidence: BaselineEvidence, calibration: Calibration, o: ReadOptions = {}): BaselineReading {
  return noTumourReading(signal, evidence) ?? readSignal(signal, evidence, calibration, o);
}

export interface ReadOptions {
  /** Calibration scans to leave out of the reference (the report reads a held-out scan, and its shifted copies, against the others). */
  exclude?: readonly string[];
}

/**
 * A value read against the training scans, for callers that need one (the evaluation's
 * tables over labelled tumour scans): on a scan without a tumour to measure it says so and
 * throws; run paths use `readBaselineSignal`.
 */
export function readSignal(signal: ReadableSignal, evidence: BaselineEvidence, calibration: Calibration, o: ReadOptions = {}): SignalReading {
  const absent = noTumourReading(signal, evidence);
  if (absent) throw new Error(`no ${SIGNAL_LABELS[signal]} for this scan: ${absent.reason}`);
  const value = evidence[signal];
  if (value === undefined || value === null || !Number.isFinite(value)) throw new Error(`no ${SIGNAL_LABELS[signal]} for this scan`);
  const reference = readingReference(calibration, o.exclude);
  const values = reference.scans.map((s) => s.outputs[signal]).filter((v): v is number => Number.isFinite(v));
  if (values.length < 2) throw new Error(`the calibration holds no ${SIGNAL_LABELS[signal]} values: run \`attune calibrate\` again`);
  const trainingMax = Math.max(...values);
  return {
    signal, value, percentile: percentileAmong(value, values), trainingMax, ratio: trainingMax > 0 ? value / trainingMax : Infinity,
    reference: reference.kind, referenceScans: values.length,
  };
}
