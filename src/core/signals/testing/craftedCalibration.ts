import type { ModelManifest } from '../../model/contract.ts';
import { weightsChecksum } from '../../model/weightsChecksum.ts';
import { shallowLayers } from '../../tta/parameters.ts';
import type { Calibration } from '../calibration.ts';

/**
 * A calibration for a test model whose training-scan signal values are chosen, not measured:
 * every output signal equals `trainingValue` on all three "scans" (feature moments are
 * unit Gaussians of the right channel counts). With a tiny value every real scan reads
 * "beyond" and `auto` adapts; with a huge one it reads "within" and keeps the baseline —
 * so tests can drive both branches of the decision through the real worker and page.
 */
export function craftedCalibration(files: { manifest: ModelManifest; weights: ArrayBuffer }, trainingValue: number): Calibration {
  const { architecture: arch } = files.manifest;
  const specs = files.manifest.weightsManifest.flatMap((g) => g.weights);
  const layers = shallowLayers(arch);
  const channels = (layer: string) => specs.find((s) => s.name === `${layer}/moving_mean`)!.shape[0];
  const scan = (name: string, jitter: number) => ({
    name,
    moments: Object.fromEntries(layers.map((l) => [l, { mean: new Array(channels(l)).fill(jitter), variance: new Array(channels(l)).fill(1 + jitter) }])),
    outputs: { tumourEntropy: trainingValue, featureKl: trainingValue, featureZ: trainingValue, flipDisagreement: trainingValue, brainEntropy: trainingValue },
  });
  return {
    format: 'attune-calibration',
    version: 1,
    modelChecksum: weightsChecksum(specs, new Uint8Array(files.weights)),
    measurement: { layers, slices: 4 },
    scans: [scan('crafted-a', 0), scan('crafted-b', 0.1), scan('crafted-c', -0.1)],
  };
}
