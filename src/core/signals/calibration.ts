import * as tf from '@tensorflow/tfjs-core';
import type { BnReference } from '../tta/klAlignmentLoss.ts';
import type { FeatureMoments } from './featureMoments.ts';

/** How the calibration's feature moments were measured (a new scan must be measured the same way). */
export interface CalibrationMeasurement {
  layers: string[];
  slices: number | 'all';
}

/** One calibration scan's measurements. */
export interface CalibrationScan {
  name: string;
  /**
   * Whether the model trained on this scan (absent: it did — files written before issue 23
   * held training scans only). Training scans make the feature reference (what BN adaptation
   * on brain pixels aligns to, like the stored BN statistics); scans it did not train on make
   * the reference a new scan's signals are read against, because a model's own training scans
   * read lower than any scan it has not seen.
   */
  trained?: boolean;
  moments: FeatureMoments;
  /** Output-side signals of the source model on it (e.g. tumourEntropy). */
  outputs: Record<string, number>;
}

/**
 * `calibration.json` next to a model (written by `attune calibrate` from the training scans,
 * by the TypeScript runtime itself): the reference every feature signal compares against and
 * the training scans' own signal values, from which a new scan's reading (percentile) comes.
 */
export interface Calibration {
  format: 'attune-calibration';
  version: 1;
  /** The model's weights file checksum: a calibration of another model is refused. */
  modelChecksum: string;
  measurement: CalibrationMeasurement;
  scans: CalibrationScan[];
}

/** The scans the model trained on: the feature reference. */
export function trainingScans(c: Pick<Calibration, 'scans'>): CalibrationScan[] {
  return c.scans.filter((s) => s.trained !== false);
}

/** Which scans a signal reading compares against, and what they are. */
export interface ReadingReference {
  scans: CalibrationScan[];
  /** 'held-out': scans the model did not train on; 'training': its own training scans (a calibration without held-out scans). */
  kind: 'held-out' | 'training';
}

/**
 * The scans a new scan's signals are read against: the held-out (not trained on) scans when
 * the calibration has at least two besides `exclude` (a held-out scan is never read against
 * itself), else the training scans.
 */
export function readingReference(c: Pick<Calibration, 'scans'>, exclude: readonly string[] = []): ReadingReference {
  const heldOut = c.scans.filter((s) => s.trained === false && !exclude.includes(s.name));
  return heldOut.length >= 2 ? { scans: heldOut, kind: 'held-out' } : { scans: trainingScans(c).filter((s) => !exclude.includes(s.name)), kind: 'training' };
}

/** Per layer and channel: the training scans' mean of μ and of σ², and the between-scan spread of μ and of log σ². */
export type FeatureReference = Record<string, { mean: number[]; variance: number[]; logVariance: number[]; meanSpread: number[]; logVarianceSpread: number[] }>;

/** Spread floor, relative to the channel's pooled std: keeps a channel that happened to agree on a few scans from dominating a z-score. */
const SPREAD_FLOOR = 0.05;

/** The reference from the calibration's scans (optionally leaving some out: a training scan's own reading must not include itself). */
export function featureReference(scans: readonly CalibrationScan[], exclude: readonly string[] = []): FeatureReference {
  const used = scans.filter((s) => !exclude.includes(s.name));
  if (used.length < 2) throw new Error(`a feature reference needs at least 2 calibration scans, got ${used.length}`);
  const layers = Object.keys(used[0].moments);
  return Object.fromEntries(
    layers.map((l) => {
      const channels = used[0].moments[l].mean.length;
      const mean: number[] = [];
      const variance: number[] = [];
      const logVariance: number[] = [];
      const meanSpread: number[] = [];
      const logVarianceSpread: number[] = [];
      for (let k = 0; k < channels; k++) {
        const mus = used.map((s) => s.moments[l].mean[k]);
        const vars = used.map((s) => s.moments[l].variance[k]);
        const m = average(mus);
        const v = average(vars);
        mean.push(m);
        variance.push(v);
        logVariance.push(average(vars.map((x) => Math.log(x + 1e-5))));
        meanSpread.push(Math.max(std(mus), SPREAD_FLOOR * Math.sqrt(v)));
        logVarianceSpread.push(Math.max(std(vars.map((x) => Math.log(x + 1e-5))), SPREAD_FLOOR));
      }
      return [l, { mean, variance, logVariance, meanSpread, logVarianceSpread }];
    }),
  );
}

export function average(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1). */
export function std(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = average(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export function parseCalibration(json: unknown, modelChecksum: string): Calibration {
  const c = json as Partial<Calibration>;
  if (c?.format !== 'attune-calibration' || c.version !== 1) throw new Error('not an Attune calibration file (format attune-calibration, version 1)');
  if (c.modelChecksum !== modelChecksum) throw new Error(`this calibration belongs to another model (checksum ${c.modelChecksum}, model ${modelChecksum}): run \`attune calibrate\` again`);
  if (!Array.isArray(c.scans) || c.scans.length < 2) throw new Error('a calibration needs at least 2 scans');
  return c as Calibration;
}

/** The calibration's brain-pixel reference as tensors: the `pixels: 'brain'` adaptation's target (caller disposes). */
export function brainReferenceTensors(calibration: Calibration): BnReference {
  const ref = featureReference(trainingScans(calibration));
  return Object.fromEntries(Object.entries(ref).map(([l, r]) => [l, { mean: tf.tensor1d(r.mean), variance: tf.tensor1d(r.variance) }]));
}

export function disposeReference(ref: BnReference): void {
  Object.values(ref).forEach((m) => {
    m.mean.dispose();
    m.variance.dispose();
  });
}
