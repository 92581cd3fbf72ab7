import type { ModelManifest } from '../contract.ts';
import { makeTinyModelFiles } from './tinyModel.ts';

/**
 * The tiny test model made to find no tumour anywhere: its head ignores the features (kernel
 * 0) and its bias favours background, so every voxel of every scan — plain or mirrored,
 * before or after adaptation of the layers below — is predicted background. For the
 * "no tumour is an answer" tests: a healthy scan as the model sees it.
 */
export function makeNoTumourModelFiles(options: { widths?: number[]; seed?: number } = {}): { manifest: ModelManifest; weights: ArrayBuffer } {
  const { manifest, weights } = makeTinyModelFiles(options);
  const specs = manifest.weightsManifest.flatMap((g) => g.weights);
  const values = new Float32Array(weights);
  let offset = 0;
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.name === 'head/kernel') values.fill(0, offset, offset + n);
    if (spec.name === 'head/bias') values.set([10, ...new Array(n - 1).fill(0)], offset);
    offset += n;
  }
  return { manifest: { ...manifest, training: { note: 'tiny test model that predicts no tumour (src/core/model/testing/noTumourModel.ts)' } }, weights };
}
