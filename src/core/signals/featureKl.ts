import type { FeatureReference } from './calibration.ts';
import type { FeatureMoments } from './featureMoments.ts';

/**
 * Mean over the reference's layers and channels of KL( N(μ, σ²) ‖ N(μ̄, σ̄²) ): the method's
 * alignment loss, but on the shallow layers' brain voxels against the calibrated reference.
 * Higher = the scan's low-level features (intensity/contrast signature) are further from
 * training. Epsilon as the model's klEpsilon.
 */
export function featureKl(moments: FeatureMoments, reference: FeatureReference, epsilon = 1e-5): number {
  let total = 0;
  let n = 0;
  for (const [layer, ref] of Object.entries(reference)) {
    const m = moments[layer];
    if (!m) throw new Error(`featureKl: the scan was not measured at ${layer}`);
    for (let k = 0; k < ref.mean.length; k++) {
      const v = m.variance[k] + epsilon;
      const r = ref.variance[k] + epsilon;
      total += 0.5 * Math.log(r / v) + (v + (m.mean[k] - ref.mean[k]) ** 2) / (2 * r) - 0.5;
      n++;
    }
  }
  return total / n;
}
