import { changeTo, type VoxelChange } from './voxelChange.ts';

export type Dims = readonly [number, number, number];
/** A voxel axis: 0 = i, 1 = j, 2 = k. */
export type Axis = 0 | 1 | 2;
export type VoxelPoint = readonly [number, number, number];

export interface Stroke {
  /** The voxel axis held fixed: the stroke paints in the slice across it. */
  axis: Axis;
  /** Pointer positions in voxel coordinates (fractional); the slice is the first point's. */
  points: readonly VoxelPoint[];
  /** Brush radius in voxels (0 = a single voxel). */
  radius: number;
  /** Label value to paint; 0 erases. */
  value: number;
}

/** The two in-plane axes of a slice across `axis`, in index order. */
export function planeAxes(axis: Axis): [Axis, Axis] {
  return axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
}

/**
 * Voxels a brush stroke covers: a disc of `radius` voxels at every pointer position and
 * along the straight segments between them (so a fast drag leaves no gaps), all in one
 * slice. Returns the change that paints them (null when nothing changes).
 */
export function paintStroke(labels: Uint8Array, dims: Dims, stroke: Stroke): VoxelChange | null {
  const covered = strokeVoxels(dims, stroke);
  return changeTo(labels, covered, stroke.value);
}

export function strokeVoxels(dims: Dims, { axis, points, radius }: Omit<Stroke, 'value'>): number[] {
  if (points.length === 0) return [];
  const [u, v] = planeAxes(axis);
  const slice = Math.round(points[0][axis]);
  if (slice < 0 || slice >= dims[axis]) return [];
  const r = Math.max(0, radius);
  const out: number[] = [];
  const stamp = (cu: number, cv: number) => {
    const R = Math.ceil(r);
    for (let du = -R; du <= R; du++) {
      for (let dv = -R; dv <= R; dv++) {
        const pu = Math.round(cu) + du, pv = Math.round(cv) + dv;
        if (pu < 0 || pv < 0 || pu >= dims[u] || pv >= dims[v]) continue;
        if ((pu - cu) ** 2 + (pv - cv) ** 2 > r * r + 0.5) continue;
        const p = [0, 0, 0];
        p[axis] = slice;
        p[u] = pu;
        p[v] = pv;
        out.push(p[0] + dims[0] * (p[1] + dims[1] * p[2]));
      }
    }
  };
  stamp(points[0][u], points[0][v]);
  for (let n = 1; n < points.length; n++) {
    const [a, b] = [points[n - 1], points[n]];
    // Steps of half a voxel along the segment: every voxel it crosses gets a stamp.
    const steps = Math.max(1, Math.ceil(2 * Math.hypot(b[u] - a[u], b[v] - a[v])));
    for (let s = 1; s <= steps; s++) stamp(a[u] + ((b[u] - a[u]) * s) / steps, a[v] + ((b[v] - a[v]) * s) / steps);
  }
  return out;
}
