import type { OrientationPlan } from './orientationPlan.ts';

type Voxels = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/**
 * For each canonical voxel (i fastest), the offset of the same voxel in the input array,
 * walked with per-axis strides so the loops stay linear.
 */
function walk(plan: OrientationPlan, visit: (canonical: number, input: number) => void): void {
  const [X, Y] = plan.inputDims;
  const inStride = [1, X, X * Y];
  const stride = [0, 1, 2].map((c) => (plan.flip[c] ? -1 : 1) * inStride[plan.perm[c]]);
  let base = 0;
  for (let c = 0; c < 3; c++) if (plan.flip[c]) base += (plan.dims[c] - 1) * inStride[plan.perm[c]];
  const [d0, d1, d2] = plan.dims;
  let n = 0;
  for (let p2 = 0; p2 < d2; p2++) {
    const o2 = base + p2 * stride[2];
    for (let p1 = 0; p1 < d1; p1++) {
      let o = o2 + p1 * stride[1];
      for (let p0 = 0; p0 < d0; p0++, o += stride[0]) visit(n++, o);
    }
  }
}

/** The input volume's voxels reordered onto the canonical grid (the input itself for the identity). */
export function toCanonical<T extends Voxels>(data: T, plan: OrientationPlan): T {
  if (plan.identity) return data;
  const out = new (data.constructor as new (n: number) => T)(data.length);
  walk(plan, (c, i) => {
    out[c] = data[i];
  });
  return out;
}

/** A map on the canonical grid put back on the input's own grid (the inverse of toCanonical). */
export function toInputGrid<T extends Voxels>(data: T, plan: OrientationPlan): T {
  if (plan.identity) return data;
  const out = new (data.constructor as new (n: number) => T)(data.length);
  walk(plan, (c, i) => {
    out[i] = data[c];
  });
  return out;
}
