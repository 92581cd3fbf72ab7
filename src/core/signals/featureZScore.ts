import type { FeatureReference } from './calibration.ts';
import type { FeatureMoments } from './featureMoments.ts';

/**
 * Root mean square over layers and channels of the scan's per-channel z-scores against the
 * training scans' between-scan spread, for the mean and for log σ² alike: "how many
 * training-scan standard deviations away", so channels that vary a lot between training
 * scans anyway count less than the KL counts them.
 */
export function featureZScore(moments: FeatureMoments, reference: FeatureReference): number {
  let total = 0;
  let n = 0;
  for (const [layer, ref] of Object.entries(reference)) {
    const m = moments[layer];
    if (!m) throw new Error(`featureZScore: the scan was not measured at ${layer}`);
    for (let k = 0; k < ref.mean.length; k++) {
      const zMean = (m.mean[k] - ref.mean[k]) / ref.meanSpread[k];
      const zVar = (Math.log(m.variance[k] + 1e-5) - ref.logVariance[k]) / ref.logVarianceSpread[k];
      total += zMean * zMean + zVar * zVar;
      n += 2;
    }
  }
  return Math.sqrt(total / n);
}
