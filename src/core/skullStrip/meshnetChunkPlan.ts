/**
 * How `runMeshnet` cuts a volume into pieces so that every kernel it launches fits the
 * backend: a byte budget (wasm's heap) and, on WebGPU, the device's limits, given as plain
 * numbers (core picks no backend). Pure; `runMeshnet` follows the plan it returns.
 *
 * What tfjs-backend-webgpu 4.22 launches for a MeshNet, and which limit each one meets (read
 * from its source, and checked against its own program classes in meshnetChunkPlan.test.ts):
 * - Conv2D 3×3 (each depth tap, `conv3dByDepthShift`): `Conv2DMMProgram`, channels-last
 *   dispatch layout x = out channels, y = out height·width, z = batch. tfjs only reshapes a
 *   dispatch whose layout is flat, so y and z must each stay ≤ maxComputeWorkgroupsPerDimension
 *   ("Dispatch size exceeds WebGPU limits in Y or Z dimension" otherwise): the batch — the
 *   chunk's depth slices — directly, the plane in tiles of 32 (4 when it is ≤ 4 voxels).
 * - The head's MatMul [voxels, cin] × [cin, classes]: `MatMulPackedProgram`, y = voxels in
 *   tiles of 32 (8 when ≤ 8 rows). With the stand-in model's single channel, the whole 148-slice
 *   crop went into one MatMul: y = 111 000 workgroups, refused.
 * - Softmax over [voxels, classes]: one workgroup per row with a flat layout, so tfjs reshapes a
 *   dispatch past the limit into a square — but its shader has no bounds check on the extra
 *   rows, so the plan keeps rows ≤ the limit instead of relying on the reshape.
 * - Slice, Add, Sub, Mul, Erf …: flat layouts with a bounds check, reshaped by tfjs up to
 *   limit² workgroups; only their bytes matter.
 * - Every tensor is one GPUBuffer bound whole: its bytes ≤ min(maxStorageBufferBindingSize,
 *   maxBufferSize) (`maxBindingBytes`). The largest are a chunk's slab (its slices plus the
 *   2·dilation halo, input channels) and its Conv2D output.
 */

/** The shapes the plan needs (a `MeshnetModel` has them). */
export interface MeshnetShape {
  /** [D, H, W] of the volume. */
  dims: readonly [number, number, number];
  inChannels: number;
  /** A layer with `normalise` or a non-linear activation gets a pointwise pass after its convolution. */
  convs: readonly { cin: number; cout: number; dilation: number; normalise: boolean; activation: string }[];
  head: { cin: number; classes: number };
}

export interface MeshnetLimits {
  /** Rough cap on the bytes alive at once per chunk (default DEFAULT_MAX_CHUNK_BYTES). */
  maxChunkBytes?: number;
  /** WebGPU's maxComputeWorkgroupsPerDimension (typically 65535); absent = no such limit (wasm, cpu). */
  maxDispatchPerDimension?: number;
  /** The largest tensor one kernel may bind: min(maxStorageBufferBindingSize, maxBufferSize); absent = none. */
  maxBindingBytes?: number;
}

export interface MeshnetChunkPlan {
  /** Per conv layer: output depth slices per chunk (its slab adds 2·dilation). */
  convSlices: number[];
  /** Voxels per piece when a layer's output is normalised / activated (all channels of each voxel). */
  pointwiseVoxels: number;
  /** Voxels per piece of the head (MatMul, bias, softmax). */
  headVoxels: number;
  /** Progress steps of the whole pass (one per chunk or piece), as runMeshnet reports them. */
  steps: number;
}

export const DEFAULT_MAX_CHUNK_BYTES = 512 * 1024 * 1024;
const FLOAT_BYTES = 4;

/** Workgroups tfjs-backend-webgpu 4.22's Conv2DMMProgram dispatches (channels-last, stride 1, 'same'): [x, y, z]. */
export function webgpuConv2dDispatch(batch: number, height: number, width: number, cin: number, cout: number): [number, number, number] {
  const plane = height * width;
  const vec4 = (cin % 4 === 0 || cin % 3 === 0) && cout % 4 === 0;
  // computeWorkgroupSizeForConv2d × computeWorkPerThreadForConv2d, per axis.
  const [tileX, tileY] = vec4 ? [32, 32] : cout <= 4 ? [4, 32] : plane <= 4 ? [32, 4] : [32, 32];
  return [Math.ceil(cout / tileX), Math.ceil(plane / tileY), batch];
}

/** Workgroups of tfjs-backend-webgpu 4.22's MatMulPackedProgram for [1, rows, inner] × [1, inner, cols]: [x, y, z]. */
export function webgpuMatMulDispatch(rows: number, inner: number, cols: number): [number, number, number] {
  const vec4 = inner % 4 === 0 && cols % 4 === 0;
  if (!vec4 && rows === 1) return [Math.ceil(cols / 32), 1, 1];
  const tileX = (!vec4 && inner <= 16 && cols <= 16 ? 4 : 8) * 4;
  const tileY = 8 * (rows <= 8 ? 1 : 4);
  return [Math.ceil(cols / tileX), Math.ceil(rows / tileY), 1];
}

/**
 * The chunk plan: per conv layer as many depth slices as the byte budget allows (the slab,
 * three shifted copies, three Conv2D outputs and their sum ≈ 9 chunks of the widest layer
 * alive), then fewer while a Conv2D's batch or a tensor's bytes would pass the WebGPU limits.
 * Throws when not even one slice fits (a plane too large for the device: that would need
 * in-plane tiles, which MindGrab's ≤ 256² planes never do: 256²·15 floats·33 slices < 128 MiB).
 */
export function planMeshnetChunks(shape: MeshnetShape, limits: MeshnetLimits = {}): MeshnetChunkPlan {
  const [D, H, W] = shape.dims;
  const plane = H * W;
  const budget = limits.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES;
  const dispatch = limits.maxDispatchPerDimension ?? Infinity;
  const binding = limits.maxBindingBytes ?? Infinity;
  const widest = Math.max(shape.inChannels, ...shape.convs.map((c) => c.cout));
  const sliceBytes = plane * widest * FLOAT_BYTES;

  const convSlices = shape.convs.map(({ cin, cout, dilation: d }, l) => {
    const byBudget = Math.floor((budget / sliceBytes - 2 * d) / 9);
    const planeBytes = plane * FLOAT_BYTES;
    const byBinding = Math.min(Math.floor(binding / (planeBytes * cin)) - 2 * d, Math.floor(binding / (planeBytes * cout)));
    const [x, y] = webgpuConv2dDispatch(1, H, W, cin, cout);
    if (x > dispatch || y > dispatch) throw new Error(`runMeshnet: layer ${l}'s ${H}×${W} plane needs ${Math.max(x, y)} workgroups in one dimension; the device allows ${dispatch}`);
    const n = Math.min(D, Math.max(1, byBudget), byBinding, dispatch);
    if (n < 1) throw new Error(`runMeshnet: layer ${l} needs ${1 + 2 * d} slices of ${H}×${W}×${cin} (${((1 + 2 * d) * planeBytes * cin / 2 ** 20).toFixed(1)} MiB) in one buffer; the device binds at most ${(binding / 2 ** 20).toFixed(1)} MiB`);
    return n;
  });

  // Pointwise passes: as many whole slices as a quarter of the budget holds, fewer voxels if a buffer would pass the binding limit.
  const budgetVoxels = Math.max(1, Math.min(D, Math.floor(budget / sliceBytes / 4))) * plane;
  const pointwiseVoxels = Math.min(budgetVoxels, Math.floor(binding / (widest * FLOAT_BYTES)));
  const { cin, classes } = shape.head;
  const headWidest = Math.max(cin, classes);
  // MatMul rows come in tiles of 32; softmax rows one workgroup each, kept within the limit (see above).
  const headVoxels = Math.min(budgetVoxels, Math.floor(binding / (headWidest * FLOAT_BYTES)), dispatch);
  if (pointwiseVoxels < 1 || headVoxels < 1) throw new Error(`runMeshnet: one voxel's ${widest} channels do not fit in a buffer of ${binding} bytes`);

  const pieces = (n: number, of: number) => Math.ceil(of / n);
  const total = D * plane;
  const steps =
    shape.convs.reduce((s, c, l) => s + pieces(convSlices[l], D) + (c.normalise || c.activation !== 'linear' ? pieces(pointwiseVoxels, total) : 0), 0) +
    pieces(headVoxels, total);
  return { convSlices, pointwiseVoxels, headVoxels, steps };
}
