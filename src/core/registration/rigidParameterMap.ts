import type { ParameterMap } from './elastixTransform.ts';

export interface RigidRegistrationSettings {
  /** Pyramid levels (coarse → fine); default 4. */
  resolutions: number;
  /** Optimiser iterations per level; default 250. */
  iterations: number;
  /** Random points the metric is sampled on at each iteration; default 4096. */
  samples: number;
  /** Histogram bins of the mutual-information metric; default 32. */
  bins: number;
}

export const DEFAULT_RIGID_SETTINGS: RigidRegistrationSettings = { resolutions: 4, iterations: 250, samples: 4096, bins: 32 };

/**
 * elastix settings for the BraTS preprocessing's registration: rigid (6 dof, Euler),
 * Mattes mutual information (the modalities differ in contrast), centre-of-mass
 * initialisation (scanner and atlas coordinates can be ~20 cm apart), a Gaussian
 * pyramid, adaptive stochastic gradient descent on random samples. The result image is
 * not used (each modality is resampled once, later, through the composed maps), so its
 * interpolation is the cheapest.
 */
export function rigidParameterMap(settings: Partial<RigidRegistrationSettings> = {}): ParameterMap {
  const s = { ...DEFAULT_RIGID_SETTINGS, ...settings };
  const text = (v: number | string) => [String(v)];
  return {
    Registration: text('MultiResolutionRegistration'),
    NumberOfResolutions: text(s.resolutions),
    FixedImagePyramid: text('FixedSmoothingImagePyramid'),
    MovingImagePyramid: text('MovingSmoothingImagePyramid'),
    Transform: text('EulerTransform'),
    AutomaticTransformInitialization: text('true'),
    AutomaticTransformInitializationMethod: text('CenterOfGravity'),
    AutomaticScalesEstimation: text('true'),
    HowToCombineTransforms: text('Compose'),
    Metric: text('AdvancedMattesMutualInformation'),
    NumberOfHistogramBins: text(s.bins),
    Optimizer: text('AdaptiveStochasticGradientDescent'),
    AutomaticParameterEstimation: text('true'),
    MaximumNumberOfIterations: text(s.iterations),
    ImageSampler: text('RandomCoordinate'),
    NumberOfSpatialSamples: text(s.samples),
    NewSamplesEveryIteration: text('true'),
    CheckNumberOfSamples: text('true'),
    MaximumNumberOfSamplingAttempts: text(8),
    Interpolator: text('LinearInterpolator'),
    ResampleInterpolator: text('FinalLinearInterpolator'),
    Resampler: text('DefaultResampler'),
    DefaultPixelValue: text(0),
    FixedInternalImagePixelType: text('float'),
    MovingInternalImagePixelType: text('float'),
    WriteResultImage: text('false'),
    ResultImageFormat: text('nii'),
  };
}
