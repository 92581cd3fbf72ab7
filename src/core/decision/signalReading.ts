import type { Calibration } from '../signals/calibration.ts';
import type { BaselineEvidence } from '../signals/evidence.ts';
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

export function readSignal(signal: ReadableSignal, evidence: BaselineEvidence, calibration: Calibration): SignalReading {
  const value = evidence[signal];
  if (value === undefined || !Number.isFinite(value)) throw new Error(`no ${SIGNAL_LABELS[signal]} for this scan`);
  const training = calibration.scans.map((s) => s.outputs[signal]).filter((v): v is number => Number.isFinite(v));
  if (training.length < 2) throw new Error(`the calibration holds no ${SIGNAL_LABELS[signal]} values: run \`attune calibrate\` again`);
  const trainingMax = Math.max(...training);
  return { signal, value, percentile: percentileAmong(value, training), trainingMax, ratio: trainingMax > 0 ? value / trainingMax : Infinity };
}
