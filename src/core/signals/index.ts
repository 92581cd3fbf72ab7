export { measureFeatureMoments, type FeatureMoments, type FeatureMomentsOptions } from './featureMoments.ts';
export {
  average, brainReferenceTensors, disposeReference, featureReference, parseCalibration, readingReference, std, trainingScans,
  type Calibration, type CalibrationMeasurement, type CalibrationScan, type FeatureReference, type ReadingReference,
} from './calibration.ts';
export { featureKl } from './featureKl.ts';
export { featureZScore } from './featureZScore.ts';
export { measureFlipDisagreement, tumourDisagreement } from './flipDisagreement.ts';
export { tumourVolumeChange } from './volumeChange.ts';
export { lossDrop } from './lossDrop.ts';
export { tumourEntropy } from './tumourEntropy.ts';
export { percentileAmong } from './percentile.ts';
export {
  FLIP_SLICES, adaptedEvidence, baselineEvidence, measureAdaptedEvidence, defaultMeasurement, featureSignals,
  type AdaptedEvidence, type BaselineEvidence,
} from './evidence.ts';
