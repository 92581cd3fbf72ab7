import { DICE_KEYS, DICE_LABELS, type DiceKey } from './dice.ts';

/**
 * 95th-percentile Hausdorff distance (mm) between the surfaces of two label regions, the
 * BraTS definition: max of the two directed 95th percentiles of surface-to-surface
 * distances, with anisotropic voxel spacing. null when the reference lacks the region;
 * when only the prediction is empty, the grid's diagonal (the worst possible distance).
 * Distances come from an exact Euclidean distance transform on the bounding box of both
 * regions (every surface voxel lies inside it, so the result is exact).
 */
export function hd95(
  pred: ArrayLike<number>,
  ref: ArrayLike<number>,
  labels: readonly number[],
  dims: readonly [number, number, number],
  spacingMm: readonly [number, number, number],
): number | null {
  const inSet = new Uint8Array(256);
  for (const l of labels) inSet[l] = 1;
  const [X, Y, Z] = dims;
  let lo = [X, Y, Z], hi = [-1, -1, -1], nRef = 0, nPred = 0;
  for (let k = 0, n = 0; k < Z; k++) for (let j = 0; j < Y; j++) for (let i = 0; i < X; i++, n++) {
    const a = inSet[pred[n]], b = inSet[ref[n]];
    nPred += a; nRef += b;
    if (a | b) {
      lo = [Math.min(lo[0], i), Math.min(lo[1], j), Math.min(lo[2], k)];
      hi = [Math.max(hi[0], i), Math.max(hi[1], j), Math.max(hi[2], k)];
    }
  }
  if (nRef === 0) return null;
  if (nPred === 0) return Math.hypot(X * spacingMm[0], Y * spacingMm[1], Z * spacingMm[2]);
  const bx = hi[0] - lo[0] + 1, by = hi[1] - lo[1] + 1, bz = hi[2] - lo[2] + 1;
  const crop = (src: ArrayLike<number>) => {
    const m = new Uint8Array(bx * by * bz);
    for (let k = 0; k < bz; k++) for (let j = 0; j < by; j++) for (let i = 0; i < bx; i++) {
      m[i + bx * (j + by * k)] = inSet[src[lo[0] + i + X * (lo[1] + j + Y * (lo[2] + k))]];
    }
    return m;
  };
  const box: [number, number, number] = [bx, by, bz];
  const sp = surface(crop(pred), box), sr = surface(crop(ref), box);
  const dToRef = squaredDistanceTransform(sr, box, spacingMm);
  const dToPred = squaredDistanceTransform(sp, box, spacingMm);
  const directed = (from: Uint8Array, dist: Float64Array) => {
    const d: number[] = [];
    for (let n = 0; n < from.length; n++) if (from[n]) d.push(Math.sqrt(dist[n]));
    return percentile(d, 95);
  };
  return Math.max(directed(sp, dToRef), directed(sr, dToPred));
}

export function allHd95(
  pred: ArrayLike<number>,
  ref: ArrayLike<number>,
  dims: readonly [number, number, number],
  spacingMm: readonly [number, number, number],
): Record<DiceKey, number | null> {
  const out = {} as Record<DiceKey, number | null>;
  for (const k of DICE_KEYS) out[k] = hd95(pred, ref, DICE_LABELS[k], dims, spacingMm);
  return out;
}

/** Voxels of the mask with a 6-neighbour outside it (the grid's edge counts as outside). */
function surface(m: Uint8Array, [x, y, z]: readonly [number, number, number]): Uint8Array {
  const s = new Uint8Array(m.length);
  for (let k = 0, n = 0; k < z; k++) for (let j = 0; j < y; j++) for (let i = 0; i < x; i++, n++) {
    if (!m[n]) continue;
    s[n] = i === 0 || i === x - 1 || j === 0 || j === y - 1 || k === 0 || k === z - 1 ||
      !m[n - 1] || !m[n + 1] || !m[n - x] || !m[n + x] || !m[n - x * y] || !m[n + x * y] ? 1 : 0;
  }
  return s;
}

/** Linear-interpolated percentile (numpy's default). */
function percentile(values: number[], p: number): number {
  values.sort((a, b) => a - b);
  const pos = ((values.length - 1) * p) / 100;
  const f = Math.floor(pos);
  return f + 1 < values.length ? values[f] + (values[f + 1] - values[f]) * (pos - f) : values[f];
}

/** Exact squared Euclidean distance to the nearest feature voxel (Felzenszwalb & Huttenlocher), per axis. */
export function squaredDistanceTransform(
  feature: Uint8Array,
  dims: readonly [number, number, number],
  spacing: readonly [number, number, number],
): Float64Array {
  const d = new Float64Array(feature.length);
  for (let n = 0; n < d.length; n++) d[n] = feature[n] ? 0 : Infinity;
  const [x, y] = dims;
  const strides = [1, x, x * y];
  for (let axis = 0; axis < 3; axis++) {
    const len = dims[axis];
    const s2 = spacing[axis] * spacing[axis];
    const f = new Float64Array(len), out = new Float64Array(len);
    const v = new Int32Array(len), zz = new Float64Array(len + 1);
    const others = [0, 1, 2].filter((a) => a !== axis);
    for (let b = 0; b < dims[others[1]]; b++) for (let a = 0; a < dims[others[0]]; a++) {
      const base = a * strides[others[0]] + b * strides[others[1]];
      for (let q = 0; q < len; q++) f[q] = d[base + q * strides[axis]];
      lowerEnvelope(f, len, s2, v, zz, out);
      for (let q = 0; q < len; q++) d[base + q * strides[axis]] = out[q];
    }
  }
  return d;
}

function lowerEnvelope(f: Float64Array, n: number, s2: number, v: Int32Array, z: Float64Array, out: Float64Array) {
  let k = -1;
  for (let q = 0; q < n; q++) {
    if (f[q] === Infinity) continue;
    while (k >= 0) {
      const p = v[k];
      const s = (f[q] + s2 * q * q - (f[p] + s2 * p * p)) / (2 * s2 * (q - p));
      if (s <= z[k]) k--;
      else { k++; v[k] = q; z[k] = s; z[k + 1] = Infinity; break; }
    }
    if (k < 0) { k = 0; v[0] = q; z[0] = -Infinity; z[1] = Infinity; }
  }
  if (k < 0) { out.fill(Infinity, 0, n); return; }
  for (let q = 0, j = 0; q < n; q++) {
    while (z[j + 1] < q) j++;
    const dq = q - v[j];
    out[q] = s2 * dq * dq + f[v[j]];
  }
}
