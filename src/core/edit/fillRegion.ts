import { planeAxes, type Axis, type Dims, type VoxelPoint } from './brush.ts';
import { changeTo, type VoxelChange } from './voxelChange.ts';

export type FillOutcome =
  | { change: VoxelChange; voxels: number }
  | { change: null; reason: 'outside' | 'same-label' | 'not-closed' };

/**
 * Fills the closed region around `seed` in its slice across `axis`: every voxel connected
 * to the seed (4-neighbours in the slice) that has the seed's value becomes `value`. A
 * region that reaches the slice's edge is not closed — filling it would flood the whole
 * background — so it is refused with a reason instead.
 */
export function fillRegion(labels: Uint8Array, dims: Dims, axis: Axis, seed: VoxelPoint, value: number): FillOutcome {
  const p = seed.map(Math.round);
  if (p.some((c, a) => c < 0 || c >= dims[a])) return { change: null, reason: 'outside' };
  const [u, v] = planeAxes(axis);
  const stride = [1, dims[0], dims[0] * dims[1]];
  const start = p[0] + stride[1] * p[1] + stride[2] * p[2];
  const target = labels[start];
  if (target === value) return { change: null, reason: 'same-label' };
  const [nu, nv] = [dims[u], dims[v]];
  const base = start - p[u] * stride[u] - p[v] * stride[v];
  const seen = new Uint8Array(nu * nv);
  const stack = [p[u] + nu * p[v]];
  seen[stack[0]] = 1;
  const region: number[] = [];
  while (stack.length > 0) {
    const q = stack.pop()!;
    const qu = q % nu, qv = (q - qu) / nu;
    region.push(base + qu * stride[u] + qv * stride[v]);
    if (qu === 0 || qv === 0 || qu === nu - 1 || qv === nv - 1) return { change: null, reason: 'not-closed' };
    for (const [du, dv] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      const w = qu + du + nu * (qv + dv);
      if (seen[w]) continue;
      seen[w] = 1;
      if (labels[base + (qu + du) * stride[u] + (qv + dv) * stride[v]] === target) stack.push(w);
    }
  }
  return { change: changeTo(labels, region, value)!, voxels: region.length };
}
