import type { Architecture } from '../model/contract.ts';
import { isGradientMode, type AdaptSettings } from '../tta/modes.ts';
import { formatBytes } from '../formatBytes.ts';

/**
 * Memory a run needs on the tfjs backend, estimated from the cropped volume and the
 * architecture before anything is allocated, and a plan that fits it into the device's
 * limits: fewer slices per forward pass of inference (same masks), adaptation in passes of
 * fewer statistics slices (same result: adaptCase pools the moments), fewer statistics
 * slices only for AdaBN, which needs them in one pass (said in a notice), else a refusal
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
  /**
   * What an adaptation pass should stay under (≤ budgetBytes): adaptation splits its
   * statistics slices into passes of at most this size — exact, only a little slower — so
   * it leaves the device room. Default: budgetBytes.
   */
  adaptTargetBytes?: number;
}

const MiB = 1024 * 1024;

/**
 * wasm32 memory tops out at 4 GiB (tfjs's threaded build declares exactly that maximum);
 * the module's own code, stack and allocator slack get 64 MiB of it.
 */
export const WASM_HEAP_BYTES = 4096 * MiB;
export const WASM_BUDGET_BYTES = WASM_HEAP_BYTES - 64 * MiB;

/**
 * Adaptation passes on wasm stay under 1 GiB (issue 7's memory target): a tab that holds
 * 3–4 GiB of wasm heap is one allocation from being killed, and splitting is exact.
 */
export const ADAPT_TARGET_BYTES = 1024 * MiB;

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
      // WebGPU reports no memory size; maxBufferSize follows the device's largest allocation
      // (2–4 GiB on laptop GPUs, 1 TiB on an H200), so half of it, within [1 GiB, budget].
      // On a big GPU all slices go in one pass: passes cost per kernel there, not per byte.
      adaptTargetBytes: Math.min(WASM_BUDGET_BYTES, Math.max(ADAPT_TARGET_BYTES, gpu.maxBufferSize / 2)),
      source: 'the WebGPU adapter',
    };
  }
  return {
    budgetBytes: WASM_BUDGET_BYTES,
    maxBufferBytes: WASM_BUDGET_BYTES,
    adaptTargetBytes: ADAPT_TARGET_BYTES,
    source: backend === 'cpu' ? 'the cpu backend' : 'the wasm backend (4 GiB heap)',
  };
}

export interface TensorTally {
  /** Sum of all intermediate tensors, in floats. */
  floats: number;
  /** The largest single tensor, in floats. */
  largest: number;
}

type Arch = Pick<Architecture, 'widths' | 'modalities' | 'classes'>;

/** Bytes of a model's float32 tensors (what `estimateRun` calls weightBytes). */
export function weightBytesOf(weights: Record<string, { size: number }>): number {
  return Object.values(weights).reduce((n, t) => n + 4 * t.size, 0);
}

/** Filters of the per-modality normalizer CNN (models/README.md §3). */
const NORMALIZER_FILTERS = 16;

/**
 * Every tensor one forward pass of `n` slices of h×w (multiples of 16) creates: with the BN
 * input moments (adaptation: convolution, BN as scale and shift, LeakyReLU, moments), or the
 * fused inference path (one output per layer, BN folded into kernel copies, the argmax).
 * Stride-1 convolutions pad inside the kernel ('same'); stride-2 ones pad a copy first.
 */
export function forwardTensors(arch: Arch, n: number, h: number, w: number, withMoments: boolean): TensorTally {
  let floats = 0;
  let largest = 0;
  const t = (c: number, hh: number, ww: number) => {
    const f = n * c * hh * ww;
    floats += f;
    largest = Math.max(largest, f);
  };
  const fused = !withMoments;
  const m = arch.modalities.length;
  const k = NORMALIZER_FILTERS;
  t(m, h, w); // the input batch
  for (let c = 0; c < m; c++) {
    t(1, h, w); // slice
    for (const [cout, act] of [[k, true], [k, true], [1, false]] as const) {
      t(cout, h, w); // conv (fused: with bias and activation)
      if (!fused) {
        t(cout, h, w); // + bias
        if (act) t(cout, h, w); // leaky ReLU
      }
    }
    t(1, h, w); // residual add
  }
  t(m, h, w); // concat
  const f = arch.widths;
  const bnAndActivation = (c: number, hh: number, ww: number) => {
    if (fused) return; // folded into the convolution
    t(c, hh, ww); // squared deviations inside tf.moments
    t(c, hh, ww); // × scale
    t(c, hh, ww); // + shift
    t(c, hh, ww); // leaky ReLU
  };
  const convBn = (cin: number, hin: number, win: number, cout: number, stride: 1 | 2): [number, number] => {
    const [ho, wo] = [hin / stride, win / stride];
    if (stride === 2) t(cin, hin + 2, win + 2); // explicit symmetric padding
    t(cout, ho, wo);
    bnAndActivation(cout, ho, wo);
    return [ho, wo];
  };
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
    floats += 4 * f[l] * f[l - 1]; // the transposed kernel as a matrix
    t(4 * f[l - 1], hs / 2, ws / 2); // matmul
    t(4 * f[l - 1], hs / 2, ws / 2); // pixel shuffle
    bnAndActivation(f[l - 1], hs, ws);
    t(2 * f[l - 1], hs, ws); // concat with the skip connection
    convBn(2 * f[l - 1], hs, ws, f[l - 1], 1);
    convBn(f[l - 1], hs, ws, f[l - 1], 1);
  }
  t(arch.classes.length, h, w); // head conv (+ bias)
  if (!fused) t(arch.classes.length, h, w); // + bias
  else t(1, h, w); // argmax
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

/** Folded kernel copies the fused inference path holds during a batch, × the weights' bytes. */
export const FOLDED_WEIGHTS_FACTOR = 1.5;

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
  const gradient = isGradientMode(mode) ? (mode as 'normalizer' | 'bn' | 'tent') : null;
  // Adaptation also holds variables, optimiser state and the kept iterate: a few copies
  // of the (small) adapted parameters, bounded here by three copies of all weights.
  const adaptWeights = gradient ? 4 * weightBytes : weightBytes;
  return {
    // + the folded kernels of the fused inference path: measured 1.2–1.5× the weights
    // (each kernel scaled by its BN, the transposed ones also rearranged), per batch
    segmentBytes: weightBytes * (1 + FOLDED_WEIGHTS_FACTOR) + 4 * seg.floats * ESTIMATE_MARGIN,
    segmentLargestBytes: 4 * seg.largest,
    adaptBytes: adaptWeights + 4 * stats.floats * (gradient ? 1 + BACKWARD_FACTOR[gradient] : ESTIMATE_MARGIN),
    adaptLargestBytes: 4 * stats.largest,
  };
}

export interface RunPlan {
  /** Slices per forward pass of inference. */
  batchSize: number;
  /** The settings to run (AdaBN's statistics slices possibly reduced; it needs them in one pass). */
  settings: AdaptSettings[];
  /** Per setting: statistics slices per forward/backward pass (adaptCase's adaptBatchSize). */
  adaptBatchSizes: number[];
  /** What was reduced and why, for the user. */
  notices: string[];
  /** Set when even the smallest run does not fit: the run must not start. */
  refusal: string | null;
}

/** The smallest statistics sample an adaptation is run with; below it the run is refused. */
export const MIN_STATS_SLICES = 1;

/**
 * Fits a requested run into the limits: the largest batch ≤ the requested one that fits
 * (inference is per slice, so masks do not change), then per mode the most statistics
 * slices per adaptation pass that stay under the adaptation target (AdaBN: the most
 * statistics slices that fit at all). `crop` is the preprocessed box (H', W').
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
    return { batchSize: 0, settings: requested.settings, adaptBatchSizes: [], notices, refusal: refusal(`segmenting even one ${slice} slice at a time needs ${need(e.segmentBytes, e.segmentLargestBytes, limits)}`, limits) };
  }
  if (batchSize < wanted) {
    notices.push(`Segmenting ${batchSize} slice${batchSize === 1 ? '' : 's'} at a time instead of ${wanted} to stay within the memory of ${limits.source} (the masks are the same, only slower).`);
  }
  const settings: AdaptSettings[] = [];
  const adaptBatchSizes: number[] = [];
  const target = Math.min(limits.budgetBytes, limits.adaptTargetBytes ?? limits.budgetBytes);
  const fitsTarget = (bytes: number, largest: number) => bytes <= target && largest <= limits.maxBufferBytes;
  for (const s of requested.settings) {
    if (s.mode === 'none') {
      settings.push(s);
      adaptBatchSizes.push(s.statsSlices);
      continue;
    }
    if (isGradientMode(s.mode)) {
      // Gradient modes: all K statistics slices always count (the loss pools their moments);
      // only how many go through one pass changes, the largest that fits the target.
      let p = 0;
      for (let pp = s.statsSlices; pp >= 1; pp--) {
        const e = estimateRun(arch, crop, weightBytes, batchSize, pp, s.mode);
        if (fitsTarget(e.adaptBytes, e.adaptLargestBytes)) {
          p = pp;
          break;
        }
      }
      if (p === 0) {
        const e = estimateRun(arch, crop, weightBytes, batchSize, 1, s.mode);
        if (!fits(e.adaptBytes, e.adaptLargestBytes)) {
          return { batchSize, settings: requested.settings, adaptBatchSizes: [], notices, refusal: refusal(`adapting (${s.mode}) with even 1 ${slice} statistics slice per pass needs ${need(e.adaptBytes, e.adaptLargestBytes, limits)}`, limits) };
        }
        p = 1;
      }
      settings.push(s);
      adaptBatchSizes.push(p);
      continue;
    }
    // AdaBN and bnmix normalise each layer with the moments of all its slices at once: one pass.
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
      return { batchSize, settings: requested.settings, adaptBatchSizes: [], notices, refusal: refusal(`adapting (${s.mode}) on even ${MIN_STATS_SLICES} ${slice} statistics slice needs ${need(e.adaptBytes, e.adaptLargestBytes, limits)}`, limits) };
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
    adaptBatchSizes.push(k);
  }
  return { batchSize, settings, adaptBatchSizes, notices, refusal: null };
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
