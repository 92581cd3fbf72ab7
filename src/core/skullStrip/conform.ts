import { applyToPoint, resampleLinear, type Grid, type Mat4, type ScalarVolume } from '../registration/index.ts';

export const MINDGRAB_SIZE = 256;

/**
 * MindGrab's input grid for a scan: 256³ voxels of 1 mm centred on the scan's centre, as
 * FreeSurfer's conform (which brainchop applies through niivue) makes it — LIA — and then
 * seen the way brainchop hands it to the model: the volume read slice by slice and
 * transposed, so the network's [D, H, W] axes point Left, Inferior, Anterior. Stored
 * W fastest, this grid's voxel axes (i, j, k) are (W, H, D) = (A, I, L), so an array
 * resampled onto it is the network's [D, H, W] input as it stands.
 */
export function mindgrabGrid(scan: Grid): Grid {
  const [X, Y, Z] = scan.dims;
  const centre = applyToPoint(scan.affine, [(X - 1) / 2, (Y - 1) / 2, (Z - 1) / 2]);
  const h = (MINDGRAB_SIZE - 1) / 2;
  // columns: i → +A (y), j → −S (inferior), k → −R (left)
  const affine: Mat4 = [
    [0, 0, -1, centre[0] + h],
    [1, 0, 0, centre[1] - h],
    [0, -1, 0, centre[2] + h],
    [0, 0, 0, 1],
  ];
  return { dims: [MINDGRAB_SIZE, MINDGRAB_SIZE, MINDGRAB_SIZE], affine };
}

const IDENTITY: Mat4 = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];

/** The scan resampled (trilinear, 0 outside its field of view) onto `mindgrabGrid`. */
export function conformForMindgrab(scan: ScalarVolume): ScalarVolume {
  const grid = mindgrabGrid(scan.grid);
  return { grid, values: resampleLinear(scan, grid, IDENTITY, 0) };
}

/**
 * brainchop's quantile normalisation for MindGrab (`enableQuantileNorm`): (v − q₀.₀₅) /
 * (q₀.₉₅ − q₀.₀₅) over the whole conformed cube, background included; in place. (Every
 * layer is normalised per channel after its convolution, so the network hardly sees the
 * scale; what this fixes is where `headBox`'s threshold falls.)
 */
export function quantileNormalise(values: Float32Array, low = 0.05, high = 0.95): { qLow: number; qHigh: number } {
  const qLow = quantileOf(values, low), qHigh = quantileOf(values, high);
  const scale = qHigh > qLow ? 1 / (qHigh - qLow) : 1;
  for (let v = 0; v < values.length; v++) values[v] = (values[v] - qLow) * scale;
  return { qLow, qHigh };
}

const QUANTILE_BINS = 1 << 16;

/**
 * The q-quantile of the values to within (max − min) / 65536 (the lower edge of its histogram
 * bin): sorting 16.7 M floats takes ~10 s on a loaded core, a histogram a fraction of one.
 */
export function quantileOf(values: Float32Array, q: number): number {
  let min = Infinity, max = -Infinity;
  for (let v = 0; v < values.length; v++) {
    if (values[v] < min) min = values[v];
    if (values[v] > max) max = values[v];
  }
  if (!(max > min)) return min;
  const counts = new Float64Array(QUANTILE_BINS);
  const perBin = QUANTILE_BINS / (max - min);
  for (let v = 0; v < values.length; v++) counts[Math.min(QUANTILE_BINS - 1, Math.floor((values[v] - min) * perBin))]++;
  const rank = q * (values.length - 1);
  let seen = 0;
  for (let b = 0; b < QUANTILE_BINS; b++) {
    seen += counts[b];
    if (seen > rank) return min + b / perBin;
  }
  return max;
}

/** A box of voxels [start, start + size) per grid axis (i, j, k). */
export interface Box {
  start: [number, number, number];
  size: [number, number, number];
}

/**
 * The box the network runs on (brainchop's crop): voxels above `fraction` × the maximum,
 * grown by `padding` voxels per side and clipped to the grid. Background and skull stay in
 * it (the network needs them to tell the brain's edge); only far air is cut. Null when no
 * voxel is above the threshold.
 */
export function headBox(values: Float32Array, dims: readonly [number, number, number], fraction = 0.5, padding = 20): Box | null {
  const [X, Y, Z] = dims;
  let max = -Infinity;
  for (let v = 0; v < values.length; v++) if (values[v] > max) max = values[v];
  const threshold = fraction * max;
  const lo = [X, Y, Z], hi = [-1, -1, -1];
  for (let k = 0, v = 0; k < Z; k++) {
    for (let j = 0; j < Y; j++) {
      for (let i = 0; i < X; i++, v++) {
        if (!(values[v] > threshold)) continue;
        if (i < lo[0]) lo[0] = i;
        if (i > hi[0]) hi[0] = i;
        if (j < lo[1]) lo[1] = j;
        if (j > hi[1]) hi[1] = j;
        if (k < lo[2]) lo[2] = k;
        if (k > hi[2]) hi[2] = k;
      }
    }
  }
  if (hi[0] < 0) return null;
  const start = lo.map((l) => Math.max(0, l - padding)) as Box['start'];
  const end = hi.map((h, a) => Math.min(dims[a] - 1, h + padding));
  return { start, size: end.map((e, a) => e - start[a] + 1) as Box['size'] };
}

/** The values inside a box, as their own volume (i fastest). */
export function cropTo(values: ArrayLike<number>, dims: readonly [number, number, number], box: Box): Float32Array {
  const [X, Y] = dims;
  const [sx, sy, sz] = box.size;
  const out = new Float32Array(sx * sy * sz);
  for (let k = 0, o = 0; k < sz; k++) {
    for (let j = 0; j < sy; j++, o += sx) {
      const from = box.start[0] + X * (box.start[1] + j + Y * (box.start[2] + k));
      for (let i = 0; i < sx; i++) out[o + i] = values[from + i];
    }
  }
  return out;
}

/** A box's values put back in a full grid of `dims`, 0 outside the box. */
export function uncropFrom(boxValues: Uint8Array, dims: readonly [number, number, number], box: Box): Uint8Array {
  const [X, Y, Z] = dims;
  const [sx, sy, sz] = box.size;
  const out = new Uint8Array(X * Y * Z);
  for (let k = 0, o = 0; k < sz; k++) {
    for (let j = 0; j < sy; j++, o += sx) {
      out.set(boxValues.subarray(o, o + sx), box.start[0] + X * (box.start[1] + j + Y * (box.start[2] + k)));
    }
  }
  return out;
}
