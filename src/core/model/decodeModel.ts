import * as tf from '@tensorflow/tfjs-core';
import { CONTRACT_VERSION, MODEL_FORMAT, type Architecture, type ModelManifest } from './contract.ts';
import { convBnLayerNames } from './layers.ts';
import type { ModelWeights } from './network.ts';
import { weightsChecksum } from './weightsChecksum.ts';

export interface AttuneModel {
  manifest: ModelManifest;
  arch: Architecture;
  /** The shipped weights; never changed (adaptation works on copies). */
  weights: ModelWeights;
  /** `weightsChecksum` of the weights file: which weights a calibration belongs to. */
  checksum: string;
}

/** Shapes every tensor must have, derived from the architecture (models/README.md §3, §5). */
export function expectedShapes(arch: Architecture): Record<string, number[]> {
  const f = arch.widths;
  const shapes: Record<string, number[]> = {};
  for (const m of arch.modalities) {
    [[1, 16], [16, 16], [16, 1]].forEach(([i, o], n) => {
      shapes[`norm_${m}_conv${n + 1}/kernel`] = [3, 3, i, o];
      shapes[`norm_${m}_conv${n + 1}/bias`] = [o];
    });
  }
  const conv: Record<string, [number, number, number]> = {
    enc0_conv1: [3, arch.modalities.length, f[0]],
    enc0_conv2: [3, f[0], f[0]],
  };
  for (const l of [1, 2, 3, 4]) {
    const b = l === 4 ? 'bottleneck' : `down${l}`;
    conv[`${b}_conv1`] = [3, f[l - 1], f[l]];
    conv[`${b}_conv2`] = [3, f[l], f[l]];
    conv[`up${l}_tconv`] = [2, f[l - 1], f[l]]; // [k, out, in]
    conv[`up${l}_conv1`] = [3, 2 * f[l - 1], f[l - 1]];
    conv[`up${l}_conv2`] = [3, f[l - 1], f[l - 1]];
  }
  for (const name of convBnLayerNames()) {
    const [k, a, b] = conv[name];
    shapes[`${name}/kernel`] = [k, k, a, b];
    const c = name.endsWith('tconv') ? a : b;
    for (const p of ['gamma', 'beta', 'moving_mean', 'moving_variance']) shapes[`${name}_bn/${p}`] = [c];
  }
  shapes['head/kernel'] = [1, 1, f[0], arch.classes.length];
  shapes['head/bias'] = [arch.classes.length];
  return shapes;
}

/**
 * model.json + its weight shards (bytes, in `paths` order) → a checked model. Uses tfjs's
 * own weights decoder; refuses, with the reason, a file that is not this contract's.
 */
export function decodeModel(manifest: ModelManifest, shards: ArrayBuffer[]): AttuneModel {
  if (manifest?.format !== MODEL_FORMAT) throw new Error(`not an Attune model: format is "${manifest?.format}", expected "${MODEL_FORMAT}"`);
  if (manifest.contractVersion !== CONTRACT_VERSION) {
    throw new Error(`model contract version ${manifest.contractVersion} is not supported (this build reads version ${CONTRACT_VERSION})`);
  }
  const specs = manifest.weightsManifest.flatMap((g) => g.weights);
  const total = shards.reduce((n, s) => n + s.byteLength, 0);
  const expectedBytes = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (total !== expectedBytes) throw new Error(`model weights are ${total} bytes, the manifest describes ${expectedBytes}`);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const s of shards) {
    joined.set(new Uint8Array(s), offset);
    offset += s.byteLength;
  }
  const weights = tf.io.decodeWeights(joined.buffer, specs) as ModelWeights;
  const expected = expectedShapes(manifest.architecture);
  const problems: string[] = [];
  for (const [name, shape] of Object.entries(expected)) {
    const t = weights[name];
    if (!t) problems.push(`missing ${name}`);
    else if (t.shape.join() !== shape.join()) problems.push(`${name} is [${t.shape}], expected [${shape}]`);
  }
  for (const name of Object.keys(weights)) if (!(name in expected)) problems.push(`unexpected ${name}`);
  if (problems.length) {
    Object.values(weights).forEach((t) => t.dispose());
    throw new Error(`model weights do not match the contract: ${problems.slice(0, 5).join('; ')}`);
  }
  return { manifest, arch: manifest.architecture, weights, checksum: weightsChecksum(specs, joined) };
}

export function disposeModel(model: AttuneModel): void {
  Object.values(model.weights).forEach((t) => t.dispose());
}
