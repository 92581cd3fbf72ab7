import type { AttuneModel } from '../model/decodeModel.ts';
import { segmentCase, type SegmentOptions, type Segmentation } from '../model/segmentCase.ts';
import type { PreprocessedCase } from '../preprocess/index.ts';
import { adaptCase, disposeAdaptation, type Adaptation, type AdaptCallbacks } from './adaptCase.ts';
import type { AdaptSettings } from './modes.ts';

export type AdaptationReport = Omit<Adaptation, 'weights' | 'bnStatisticsOverride' | 'owned'>;

export interface AdaptAndSegmentOptions extends AdaptCallbacks {
  /** Slices per forward pass of the final inference. */
  batchSize?: number;
  onSegmentProgress?: (slicesDone: number, slicesTotal: number) => void;
  /** Post-processing of the final mask (see `SegmentOptions.postprocess`; default on). */
  postprocess?: SegmentOptions['postprocess'];
}

/**
 * The one path from a preprocessed scan to an adapted mask, used by the worker and the CLI:
 * adapt (mode `none` = the source model), segment the whole volume with the chosen
 * parameters, free the adapted tensors. Returns the mask and what the adaptation did.
 */
export async function adaptAndSegment(
  model: AttuneModel,
  pre: PreprocessedCase,
  settings: AdaptSettings,
  options: AdaptAndSegmentOptions = {},
): Promise<{ segmentation: Segmentation; report: AdaptationReport; segmentSeconds: number }> {
  const adaptation = await adaptCase(model, pre, settings, options);
  try {
    const t0 = performance.now();
    const segmentation = await segmentCase(adaptation.weights, model.arch, pre, {
      batchSize: options.batchSize,
      onProgress: options.onSegmentProgress,
      checkCancelled: options.checkCancelled,
      bnStatisticsOverride: adaptation.bnStatisticsOverride,
      postprocess: options.postprocess,
    });
    const { weights: _w, bnStatisticsOverride: _b, owned: _o, ...report } = adaptation;
    return { segmentation, report, segmentSeconds: (performance.now() - t0) / 1000 };
  } finally {
    disposeAdaptation(adaptation);
  }
}
