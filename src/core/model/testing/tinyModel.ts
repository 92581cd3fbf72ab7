import { gaussian, mulberry32 } from '../../synthetic/index.ts';
import { CONTRACT_VERSION, MODEL_FORMAT, type Architecture, type ModelManifest } from '../contract.ts';
import { expectedShapes } from '../decodeModel.ts';
import { convBnLayerNames } from '../layers.ts';

/**
 * A small random model that follows the contract (default widths 4-8-8-8-8), serialised
 * like an exported one: for fast tests of everything downstream of the weights (TTA, the
 * worker, e2e). Deterministic by seed. Normalizer last layers are non-zero and BN running
 * statistics non-trivial, so no test passes by accident of an identity layer.
 */
export function makeTinyModelFiles(options: { widths?: number[]; seed?: number } = {}): { manifest: ModelManifest; weights: ArrayBuffer } {
  const widths = options.widths ?? [4, 8, 8, 8, 8];
  const normal = gaussian(mulberry32(options.seed ?? 7));
  const uniform = mulberry32((options.seed ?? 7) + 1);
  const bnLayers = convBnLayerNames().map((n) => `${n}_bn`);
  const arch: Architecture = {
    widths,
    modalities: ['t1', 't1ce', 't2', 'flair'],
    classes: ['background', 'NCR', 'ED', 'ET'],
    labels: [0, 1, 2, 4],
    bnEpsilon: 1e-5,
    leakySlope: 0.01,
    statsSlices: 4,
    klEpsilon: 1e-5,
    adaptBn: bnLayers.filter((n) => /^(enc0|down[123])_/.test(n)),
    bnLayers,
  };
  const shapes = expectedShapes(arch);
  const entries = Object.entries(shapes);
  const values = entries.map(([name, shape]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    const fanIn = shape.length === 4 ? shape[0] * shape[1] * shape[2] : 1;
    for (let i = 0; i < n; i++) {
      if (name.endsWith('moving_variance')) v[i] = 0.5 + 1.5 * uniform();
      else if (name.endsWith('moving_mean')) v[i] = uniform() - 0.5;
      else if (name.endsWith('gamma')) v[i] = 0.8 + 0.4 * uniform();
      else if (name.endsWith('beta') || name.endsWith('bias')) v[i] = 0.1 * normal();
      else v[i] = normal() * Math.sqrt(2 / fanIn);
    }
    return v;
  });
  const bytes = new Uint8Array(values.reduce((n, v) => n + v.byteLength, 0));
  let off = 0;
  for (const v of values) {
    bytes.set(new Uint8Array(v.buffer), off);
    off += v.byteLength;
  }
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    contractVersion: CONTRACT_VERSION,
    architecture: arch,
    training: { note: 'random tiny test model (src/core/model/testing/tinyModel.ts)' },
    weightsManifest: [{ paths: ['weights.bin'], weights: entries.map(([name, shape]) => ({ name, shape, dtype: 'float32' as const })) }],
  };
  return { manifest, weights: bytes.buffer };
}
