/**
 * A MeshNet (MindGrab's architecture) read from a tfjs layers-model `model.json` and its
 * weights bytes into plain arrays: no tfjs-layers at run time, no tensors held between runs.
 * Only what MindGrab's graph uses is accepted — a chain of 3×3×3 Conv3D ('same', stride 1,
 * any dilation, no bias), each optionally followed by an Activation, ending in a 1×1×1 Conv3D
 * with bias (the class logits). Anything else is refused with the layer named, so a different
 * model is not run wrongly.
 */

export type Activation = 'gelu' | 'linear';

export interface MeshnetConv {
  name: string;
  /** Keras layout [kd, kh, kw, cin, cout], row-major. */
  kernel: Float32Array;
  cin: number;
  cout: number;
  dilation: number;
  /**
   * brainchop's convention for layers named `*_gn`: per-channel normalisation over the whole
   * volume after the convolution ((x − mean) / √(var + 1e-5), biased variance, no affine) —
   * the model.json cannot say it, the runner must (brainchop `LayerNormInPlace`).
   */
  normalise: boolean;
  /** Applied after the normalisation. */
  activation: Activation;
}

export interface MeshnetModel {
  name: string;
  inChannels: number;
  convs: MeshnetConv[];
  /** The 1×1×1 classifier: kernel [cin, classes] row-major, bias [classes]. */
  head: { name: string; kernel: Float32Array; bias: Float32Array; cin: number; classes: number };
}

interface KerasLayer {
  class_name: string;
  name?: string;
  config: Record<string, unknown> & { name: string };
  inbound_nodes?: unknown[];
}

interface LayersModelJson {
  format?: string;
  modelTopology?: { model_config?: { config?: { name?: string; layers?: KerasLayer[] } } };
  weightsManifest?: { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[] }[];
}

const NORM_SUFFIX = '_gn';

/** Reads model.json (parsed JSON) + the bytes of its weight files, concatenated in manifest order. */
export function parseMeshnet(modelJson: unknown, weightBytes: Uint8Array): MeshnetModel {
  const json = modelJson as LayersModelJson;
  if (json.format !== 'layers-model') throw new Error(`MeshNet: expected a tfjs "layers-model", got format ${JSON.stringify(json.format)}`);
  const layers = json.modelTopology?.model_config?.config?.layers;
  if (!Array.isArray(layers) || layers.length < 3) throw new Error('MeshNet: model.json has no layer list');
  const weights = readWeights(json, weightBytes);
  const take = (name: string, shape: number[]): Float32Array => {
    const w = weights.get(name);
    if (!w) throw new Error(`MeshNet: weight ${name} missing from the manifest`);
    if (w.shape.join() !== shape.join()) throw new Error(`MeshNet: ${name} has shape [${w.shape}], expected [${shape}]`);
    weights.delete(name);
    return w.values;
  };

  const input = layers[0];
  const inShape = input.config.batch_input_shape as number[] | undefined;
  if (input.class_name !== 'InputLayer' || !Array.isArray(inShape) || inShape.length !== 5) throw new Error('MeshNet: the first layer must be a 5D InputLayer');
  let channels = inShape[4];
  const inChannels = channels;
  const convs: MeshnetConv[] = [];
  let head: MeshnetModel['head'] | null = null;
  let previous = input.config.name;
  for (const layer of layers.slice(1)) {
    const c = layer.config;
    const from = inboundName(layer);
    if (from !== previous) throw new Error(`MeshNet: layer ${c.name} takes ${from}, not the previous layer ${previous} (only a plain chain is supported)`);
    previous = c.name;
    if (head) throw new Error(`MeshNet: layer ${c.name} follows the 1×1×1 classifier`);
    if (layer.class_name === 'Activation') {
      const last = convs[convs.length - 1];
      const act = c.activation;
      if (!last || last.activation !== 'linear' || (act !== 'gelu' && act !== 'linear')) throw new Error(`MeshNet: unsupported activation ${c.name} (${String(act)})`);
      last.activation = act;
      continue;
    }
    if (layer.class_name !== 'Conv3D') throw new Error(`MeshNet: unsupported layer ${c.name} (${layer.class_name})`);
    const k = c.kernel_size as number[];
    const dil = c.dilation_rate as number[];
    const strides = c.strides as number[];
    const filters = c.filters as number;
    if (c.data_format !== 'channels_last' || strides.some((s) => s !== 1) || c.padding !== 'same' || (c.activation !== 'linear' && c.activation !== undefined)) {
      throw new Error(`MeshNet: ${c.name} must be channels_last, stride 1, 'same' padding, linear`);
    }
    if (new Set(dil).size !== 1) throw new Error(`MeshNet: ${c.name} has anisotropic dilation ${dil}`);
    if (k.every((v) => v === 3)) {
      if (c.use_bias) throw new Error(`MeshNet: ${c.name} has a bias (not supported before the classifier)`);
      convs.push({
        name: c.name,
        kernel: take(`${c.name}/kernel`, [3, 3, 3, channels, filters]),
        cin: channels,
        cout: filters,
        dilation: dil[0],
        normalise: c.name.endsWith(NORM_SUFFIX),
        activation: 'linear',
      });
    } else if (k.every((v) => v === 1)) {
      const bias = c.use_bias ? take(`${c.name}/bias`, [filters]) : new Float32Array(filters);
      head = { name: c.name, kernel: take(`${c.name}/kernel`, [1, 1, 1, channels, filters]), bias, cin: channels, classes: filters };
    } else {
      throw new Error(`MeshNet: ${c.name} has kernel ${k} (3×3×3 or a final 1×1×1 only)`);
    }
    channels = filters;
  }
  if (!head) throw new Error('MeshNet: no final 1×1×1 classifier');
  if (weights.size > 0) throw new Error(`MeshNet: weights not used by any layer: ${[...weights.keys()].join(', ')}`);
  return { name: json.modelTopology?.model_config?.config?.name ?? 'meshnet', inChannels, convs, head };
}

function inboundName(layer: KerasLayer): string | undefined {
  const node = layer.inbound_nodes?.[0] as unknown[][] | undefined;
  if (!Array.isArray(node) || node.length !== 1) return undefined;
  return node[0][0] as string;
}

function readWeights(json: LayersModelJson, bytes: Uint8Array): Map<string, { shape: number[]; values: Float32Array }> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  const entries = (json.weightsManifest ?? []).flatMap((g) => g.weights);
  let offset = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const w of entries) {
    if (w.dtype !== 'float32' || w.quantization) throw new Error(`MeshNet: weight ${w.name} is ${w.dtype}${w.quantization ? ' (quantised)' : ''}; float32 only`);
    const n = w.shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * n > bytes.byteLength) throw new Error(`MeshNet: weights file too short for ${w.name} (${bytes.byteLength} bytes)`);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = view.getFloat32(offset + 4 * i, true);
    out.set(w.name, { shape: w.shape, values });
    offset += 4 * n;
  }
  if (offset !== bytes.byteLength) throw new Error(`MeshNet: weights file has ${bytes.byteLength} bytes, the manifest describes ${offset}`);
  return out;
}

/** Multiply-adds of one forward pass per voxel (for speed reports). */
export function macsPerVoxel(model: MeshnetModel): number {
  return model.convs.reduce((s, c) => s + 27 * c.cin * c.cout, 0) + model.head.cin * model.head.classes;
}
