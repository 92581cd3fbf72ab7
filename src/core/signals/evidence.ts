import type { AttuneModel } from '../model/decodeModel.ts';
import type { Segmentation } from '../model/segmentCase.ts';
import type { PreprocessedCase } from '../preprocess/index.ts';
import { shallowLayers } from '../tta/parameters.ts';
import { featureReference, trainingScans, type Calibration, type CalibrationMeasurement, type FeatureReference } from './calibration.ts';
import { featureKl } from './featureKl.ts';
import { measureFeatureMoments, type FeatureMoments } from './featureMoments.ts';
import { featureZScore } from './featureZScore.ts';
import { measureFlipDisagreement } from './flipDisagreement.ts';
import { lossDrop } from './lossDrop.ts';
import { tumourEntropy } from './tumourEntropy.ts';
import { tumourVolumeChange } from './volumeChange.ts';

/** Slices for the flip check (two forward passes each). */
export const FLIP_SLICES = 16;

/** How a new model's calibration measures feature moments unless told otherwise: shallow layers, many brain slices. */
export function defaultMeasurement(model: AttuneModel): CalibrationMeasurement {
  return { layers: shallowLayers(model.arch), slices: 48 };
}

/** What the source model's own run says about a scan (no label): the signals a decision can use. */
export interface BaselineEvidence {
  /** The method's shift score (KL at iteration 0, all layers, all pixels, 8 slices), for comparison. */
  shiftScore?: number;
  /** Shallow-layer brain-voxel KL to the calibrated reference (needs a calibration). */
  featureKl?: number;
  /** Shallow-layer brain-voxel RMS z-score against the training scans' spread (needs a calibration). */
  featureZ?: number;
  tumourEntropy: number;
  brainEntropy: number;
  /** Predicted tumour voxels (any non-background class, before post-processing); 0 = the model found no tumour. */
  tumourVoxels: number;
  /** null when neither flip pass predicts tumour on the FLIP_SLICES slices (no tumour, or a small one between them). */
  flipDisagreement: number | null;
}

/** What an adapted run says, compared with the baseline. */
export interface AdaptedEvidence {
  tumourEntropy: number;
  brainEntropy: number;
  tumourVoxels: number;
  volumeChange: number;
  lossDrop: number;
  /**
   * Flip disagreement of the adapted model (FLIP_SLICES slices; null: no tumour on them).
   * Neither TENT's nor BN adaptation's objective sees the mirrored scan, so unlike the
   * entropy change it is not what the adaptation optimised. Absent in records made before
   * it was measured (issue 15).
   */
  flipDisagreement?: number | null;
}

export function featureSignals(moments: FeatureMoments, reference: FeatureReference): { featureKl: number; featureZ: number } {
  return { featureKl: featureKl(moments, reference), featureZ: featureZScore(moments, reference) };
}

/**
 * The baseline's evidence: feature signals (when calibrated), entropy from the baseline's
 * own segmentation pass (`measureUncertainty`), flip disagreement on FLIP_SLICES slices.
 */
export async function baselineEvidence(
  model: AttuneModel,
  pre: PreprocessedCase,
  baseline: Segmentation,
  o: { calibration?: Calibration; reference?: FeatureReference; shiftScore?: number; passSize?: number },
): Promise<BaselineEvidence> {
  if (!baseline.uncertainty) throw new Error('baselineEvidence: segment with measureUncertainty');
  let features = {};
  if (o.calibration) {
    const moments = await measureFeatureMoments(model, pre, { ...o.calibration.measurement, passSize: o.passSize });
    features = featureSignals(moments, o.reference ?? featureReference(trainingScans(o.calibration)));
  }
  const u = baseline.uncertainty;
  return {
    shiftScore: o.shiftScore,
    ...features,
    tumourEntropy: tumourEntropy(u),
    brainEntropy: u.brainEntropy,
    tumourVoxels: u.tumourVoxels,
    flipDisagreement: await measureFlipDisagreement(model.weights, model.arch, pre, { slices: FLIP_SLICES, passSize: o.passSize }),
  };
}

/** `adaptedEvidence` plus the adapted model's flip disagreement (two forward passes of FLIP_SLICES slices). */
export async function measureAdaptedEvidence(
  model: AttuneModel,
  pre: PreprocessedCase,
  baseline: Segmentation,
  adapted: Segmentation,
  run: { lossCurve: readonly number[]; chosenIteration: number; weights: AttuneModel['weights']; bnStatisticsOverride?: Parameters<typeof measureFlipDisagreement>[3]['bnStatisticsOverride'] },
  o: { passSize?: number } = {},
): Promise<AdaptedEvidence> {
  const flipDisagreement = await measureFlipDisagreement(run.weights, model.arch, pre, { slices: FLIP_SLICES, passSize: o.passSize, bnStatisticsOverride: run.bnStatisticsOverride });
  return { ...adaptedEvidence(baseline, adapted, run), flipDisagreement };
}

export function adaptedEvidence(baseline: Segmentation, adapted: Segmentation, run: { lossCurve: readonly number[]; chosenIteration: number }): AdaptedEvidence {
  if (!adapted.uncertainty) throw new Error('adaptedEvidence: segment with measureUncertainty');
  const u = adapted.uncertainty;
  return {
    tumourEntropy: tumourEntropy(u),
    brainEntropy: u.brainEntropy,
    tumourVoxels: u.tumourVoxels,
    volumeChange: tumourVolumeChange(baseline.croppedLabels, adapted.croppedLabels),
    lossDrop: lossDrop(run.lossCurve, run.chosenIteration),
  };
}
