import type { Architecture } from '../model/contract.ts';
import type { AdaptSettings } from '../tta/modes.ts';
import { formatBytes } from './inputLimits.ts';

/**
 * Memory a run needs on the tfjs backend, estimated from the cropped volume and the
 * architecture before anything is allocated, and a plan that fits it into the device's
 * limits: fewer slices per forward pass first (same masks), fewer statistics slices next
 * (a different, smaller sample for the adaptation: said in a notice), else a refusal
 * with a message — instead of a tab killed for memory or a WebGPU buffer that fails.
 *
 * The estimate walks the forward pass of src/core/model/network.ts shape by shape and
 * adds up every intermediate tensor, because tfjs keeps them all alive until the end of
 * a tidy() (inference) or of the backward pass (adaptation). runMemory.test.ts checks it
 * against tf.profile's measured peak.
 */

/** What the device allows (limitsFor builds it from what the backend reports). */
export interface MemoryLimits {
  /** Bytes all live tensors may take together. */
  budgetBytes: number;
  /** Largest single tensor (WebGPU: min(maxStorageBufferBindingSize, maxBufferSize)). */
  maxBufferBytes: number;
  /** Where the limits come from, for messages ("the WebGPU adapter", "the wasm backend (4 GiB heap)"). */
  source: string;
}

const MiB = 1024 * 1024;

/**
 * wasm32 memory tops out at 4 GiB (tfjs's threaded build declares exactly that maximum);
 * the module's own code, stack and allocator slack get 64 MiB of it.
 */
export const WASM_HEAP_BYTES = 4096 * MiB;
export const WASM_BUDGET_BYTES = WASM_HEAP_BYTES - 64 * MiB;

/** The WebGPU limits a tfjs device is created with (tfjs requests the adapter's maxima). */
export interface GpuBufferLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/**
 * Limits of a backend. WebGPU does not say how much memory the GPU has, so the same
 * total as wasm is assumed (laptop GPUs share the system's memory) and each tensor must
 * fit one storage buffer binding.
 */
export function limitsFor(backend: 'webgpu' | 'wasm' | 'cpu', gpu?: GpuBufferLimits): MemoryLimits {
  if (backend === 'webgpu' && gpu) {
    return {
      budgetBytes: WASM_BUDGET_BYTES,
      maxBufferBytes: Math.min(gpu.maxStorageBufferBindingSize, gpu.maxBufferSize),
      source: 'the WebGPU adapter',
    };
  }
  return { budgetBytes: WASM_BUDGET_BYTES, maxBufferBytes: WASM_BUDGET_BYTES, source: backend === 'cpu' ? 'the cpu backend' : 'the wasm backend (4 GiB heap)' };
}

export interface TensorTally {
  /** Sum of all intermediate tensors, in floats. */
  floats: number;
  /** The largest single tensor, in floats. */
  largest: number;
}

type Arch = Pick<Architecture, 'widths' | 'modalities' | 'classes'>;

/** Filters of the per-modality normalizer CNN (models/README.md §3). */
const NORMALIZER_FILTERS = 16;

/**
 * Every tensor one forward pass of `n` slices of h×w (multiples of 16) creates, with the
 * BN input moments (adaptation) or without (inference, plus the argmax).
 */
export function forwardTensors(arch: Arch, n: number, h: number, w: number, withMoments: boolean): TensorTally {
  let floats = 0;
  let largest = 0;
  const t = (c: number, hh: number, ww: number) => {
    const f = n * c * hh * ww;
    floats += f;
    largest = Math.max(largest, f);
  };
  const m = arch.modalities.length;
  const k = NORMALIZER_FILTERS;
  t(m, h, w); // the input batch
  for (let c = 0; c < m; c++) {
    t(1, h, w); // slice
    for (const [cin, cout, act] of [[1, k, true], [k, k, true], [k, 1, false]] as const) {
      t(cin, h + 2, w + 2); // explicit padding
      t(cout, h, w); // conv
      t(cout, h, w); // + bias
      if (act) t(cout, h, w); // leaky ReLU
    }
    t(1, h, w); // residual add
  }
  t(m, h, w); // concat
  const convBn = (cin: number, hin: number, win: number, cout: number, stride: 1 | 2): [number, number] => {
    const [ho, wo] = [hin / stride, win / stride];
    t(cin, hin + 2, win + 2);
    t(cout, ho, wo);
    bnAndActivation(cout, ho, wo);
    return [ho, wo];
  };
  const bnAndActivation = (c: number, hh: number, ww: number) => {
    if (withMoments) t(c, hh, ww); // squared deviations inside tf.moments
    t(c, hh, ww); // × scale
    t(c, hh, ww); // + shift
    t(c, hh, ww); // leaky ReLU
  };
  const f = arch.widths;
  let [hh, ww] = convBn(m, h, w, f[0], 1);
  convBn(f[0], hh, ww, f[0], 1);
  const sizes: [number, number][] = [[hh, ww]];
  for (let l = 1; l <= 4; l++) {
    [hh, ww] = convBn(f[l - 1], hh, ww, f[l], 2);
    convBn(f[l], hh, ww, f[l], 1);
    sizes.push([hh, ww]);
  }
  for (let l = 4; l >= 1; l--) {
    const [hs, ws] = sizes[l - 1];
    // tconv2x2: its kernel transposed to [in, 4·out], a matmul to 4·out channels at the
    // low resolution and its pixel shuffle.
    floats += 4 * f[l] * f[l - 1];
    t(4 * f[l - 1], hs / 2, ws / 2);
    t(4 * f[l - 1], hs / 2, ws / 2);
    bnAndActivation(f[l - 1], hs, ws);
    t(2 * f[l - 1], hs, ws); // concat with the skip connection
    convBn(2 * f[l - 1], hs, ws, f[l - 1], 1);
    convBn(f[l - 1], hs, ws, f[l - 1], 1);
  }
  t(arch.classes.length, h, w); // head conv
  t(arch.classes.length, h, w); // + bias
  if (!withMoments) t(1, h, w); // argmax
  return { floats, largest };
}

/**
 * The backward pass keeps a gradient for about every forward tensor, and the convolution
 * gradients add padded copies; measured with tf.profile (runMemory.test.ts) an adaptation
 * step peaks below (1 + this) × its forward pass; the factors also cover BENCHMARKS.md's
 * in-browser peaks on the real case (bn 3175 MiB, normalizer 3735 MiB at 192×144, K = 8),
 * a few per cent above Node's. Normalizer adaptation also computes the
 * filter gradients of four full-resolution CNNs, hence more.
 */
export const BACKWARD_FACTOR: Record<'normalizer' | 'bn' | 'tent', number> = { normalizer: 1.9, bn: 1.45, tent: 1.45 };

/** Kernels allocate a little the walk does not see (casts, reshaped copies): a margin. */
export const ESTIMATE_MARGIN = 1.15;

export interface RunEstimate {
  /** Peak bytes of one segmentation batch of `batchSize` slices, weights included. */
  segmentBytes: number;
  segmentLargestBytes: number;
  /** Peak bytes of an adaptation on `statsSlices` slices, weights included. */
  adaptBytes: number;
  adaptLargestBytes: number;
}

/** Bytes (float32) a run needs: one segmentation batch, and one adaptation step of a mode. */
export function estimateRun(
  arch: Arch,
  crop: { height: number; width: number },
  weightBytes: number,
  batchSize: number,
  statsSlices: number,
  mode: AdaptSettings['mode'],
): RunEstimate {
  const { height: h, width: w } = crop;
  const seg = forwardTensors(arch, batchSize, h, w, false);
  const stats = forwardTensors(arch, statsSlices, h, w, true);
  const gradient = mode === 'normalizer' || mode === 'bn' || mode === 'tent' ? mode : null;
  // Adaptation also holds variables, optimiser state and the kept iterate: a few copies
  // of the (small) adapted parameters, bounded here by three copies of all weights.
  const adaptWeights = gradient ? 4 * weightBytes : weightBytes;
  return {
    segmentBytes: weightBytes + 4 * seg.floats * ESTIMATE_MARGIN,
    segmentLargestBytes: 4 * seg.largest,
    adaptBytes: adaptWeights + 4 * stats.floats * (gradient ? 1 + BACKWARD_FACTOR[gradient] : ESTIMATE_MARGIN),
    adaptLargestBytes: 4 * stats.largest,
  };
}

export interface RunPlan {
  /** Slices per forward pass of inference. */
  batchSize: number;
  /** The settings to run, statistics slices possibly reduced. */
  settings: AdaptSettings[];
  /** What was reduced and why, for the user. */
  notices: string[];
  /** Set when even the smallest run does not fit: the run must not start. */
  refusal: string | null;
}

/** The smallest statistics sample an adaptation is run with; below it the run is refused. */
export const MIN_STATS_SLICES = 1;

/**
 * Fits a requested run into the limits: the largest batch ≤ the requested one that fits
 * (inference is per slice, so masks do not change), then per mode the largest number of
 * statistics slices ≤ the requested one. `crop` is the preprocessed box (H', W').
 */
export function planRun(
  arch: Arch,
  crop: { height: number; width: number },
  weightBytes: number,
  requested: { batchSize: number; settings: AdaptSettings[] },
  limits: MemoryLimits,
): RunPlan {
  const fits = (bytes: number, largest: number) => bytes <= limits.budgetBytes && largest <= limits.maxBufferBytes;
  const slice = `${crop.width}×${crop.height}`;
  const notices: string[] = [];
  const wanted = Math.max(1, Math.floor(requested.batchSize));
  let batchSize = 0;
  for (let b = wanted; b >= 1; b--) {
    const e = estimateRun(arch, crop, weightBytes, b, 1, 'none');
    if (fits(e.segmentBytes, e.segmentLargestBytes)) {
      batchSize = b;
      break;
    }
  }
  if (batchSize === 0) {
    const e = estimateRun(arch, crop, weightBytes, 1, 1, 'none');
    return { batchSize: 0, settings: requested.settings, notices, refusal: refusal(`segmenting even one ${slice} slice at a time needs ${need(e.segmentBytes, e.segmentLargestBytes, limits)}`, limits) };
  }
  if (batchSize < wanted) {
    notices.push(`Segmenting ${batchSize} slice${batchSize === 1 ? '' : 's'} at a time instead of ${wanted} to stay within the memory of ${limits.source} (the masks are the same, only slower).`);
  }
  const settings: AdaptSettings[] = [];
  for (const s of requested.settings) {
    if (s.mode === 'none') {
      settings.push(s);
      continue;
    }
    let k = 0;
    for (let kk = s.statsSlices; kk >= MIN_STATS_SLICES; kk--) {
      const e = estimateRun(arch, crop, weightBytes, batchSize, kk, s.mode);
      if (fits(e.adaptBytes, e.adaptLargestBytes)) {
        k = kk;
        break;
      }
    }
    if (k === 0) {
      const e = estimateRun(arch, crop, weightBytes, batchSize, MIN_STATS_SLICES, s.mode);
      return { batchSize, settings: requested.settings, notices, refusal: refusal(`adapting (${s.mode}) on even ${MIN_STATS_SLICES} ${slice} statistics slice needs ${need(e.adaptBytes, e.adaptLargestBytes, limits)}`, limits) };
    }
    if (k < s.statsSlices) {
      const e = estimateRun(arch, crop, weightBytes, batchSize, s.statsSlices, s.mode);
      notices.push(
        `${s.mode}: statistics slices reduced from ${s.statsSlices} to ${k} to fit the memory of ${limits.source} ` +
          `(${s.statsSlices} would need ~${formatBytes(e.adaptBytes)} of ${formatBytes(limits.budgetBytes)}). ` +
          'The adaptation measures fewer slices, so its result can differ from a run with all of them.',
      );
    }
    settings.push({ ...s, statsSlices: k });
  }
  return { batchSize, settings, notices, refusal: null };
}

function need(bytes: number, largest: number, limits: MemoryLimits): string {
  if (largest > limits.maxBufferBytes) return `one buffer of ${formatBytes(largest)}, more than the ${formatBytes(limits.maxBufferBytes)} ${limits.source} allows`;
  return `~${formatBytes(bytes)}, more than the ${formatBytes(limits.budgetBytes)} ${limits.source} offers`;
}

function refusal(what: string, limits: MemoryLimits): string {
  return (
    `Not enough memory for this scan: ${what}. Nothing was run. ` +
    `Check that the scan is a skull-stripped brain on a 1 mm grid (a BraTS case crops to about 192×144 per slice)` +
    (limits.source.includes('WebGPU') ? ', or switch WebGPU off with ?backend=wasm (more memory, slower).' : ', or use a computer with more memory.')
  );
}
