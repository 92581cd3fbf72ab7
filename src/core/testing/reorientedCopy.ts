import { axisDirection, type AxisCode } from '../orientation/index.ts';
import { createNiftiHeader, physicalValues, writeNifti, type NiftiVolume, type VoxelArray } from '../volume/index.ts';


/**
 * The same scan re-saved with its voxel axes pointing along `axes` (what FSL, dcm2niix or
 * nibabel's as_closest_canonical write): the same voxel values at the same world positions,
 * the data reordered and the affine updated. Computed through world coordinates, not with
 * the orientation plan it is used to test. Only for axis-aligned sources.
 */
export function reorientedCopy(volume: NiftiVolume, axes: [AxisCode, AxisCode, AxisCode], name = volume.name): Uint8Array {
  const src = volume.affine;
  const [X, Y] = volume.dims;
  // For each new axis c: the source axis running along the same world axis, and whether it runs the same way.
  const srcAxis = axes.map(([code]) => {
    const [w, sign] = axisDirection(code as AxisCode);
    const a = [0, 1, 2].find((col) => Math.abs(src[w][col]) > 0.5 * Math.hypot(src[0][col], src[1][col], src[2][col]))!;
    return { a, same: Math.sign(src[w][a]) === sign };
  });
  const dims = srcAxis.map(({ a }) => volume.dims[a]) as [number, number, number];
  const spacing = srcAxis.map(({ a }) => volume.spacingMm[a]) as [number, number, number];
  // New voxel p ↦ source voxel q: q[a_c] = same ? p_c : dims_c − 1 − p_c.
  const q0 = [0, 0, 0];
  srcAxis.forEach(({ a, same }, c) => (q0[a] = same ? 0 : dims[c] - 1));
  const affine = [0, 1, 2].map((r) => {
    const row = srcAxis.map(({ a, same }) => (same ? 1 : -1) * src[r][a]);
    const origin = src[r][3] + q0.reduce((s, q, a) => s + src[r][a] * q, 0);
    return [...row, origin];
  });
  affine.push([0, 0, 0, 1]);
  const values = physicalValues(volume);
  const out = new (values.constructor as new (n: number) => VoxelArray)(values.length);
  const stride = [1, X, X * Y];
  const q = [0, 0, 0];
  let n = 0;
  for (let p2 = 0; p2 < dims[2]; p2++)
    for (let p1 = 0; p1 < dims[1]; p1++)
      for (let p0 = 0; p0 < dims[0]; p0++) {
        const p = [p0, p1, p2];
        srcAxis.forEach(({ a, same }, c) => (q[a] = same ? p[c] : dims[c] - 1 - p[c]));
        out[n++] = values[q[0] * stride[0] + q[1] * stride[1] + q[2] * stride[2]];
      }
  const template = createNiftiHeader({ name, dims, spacingMm: spacing, affine });
  return writeNifti(template, out, { gzip: /\.gz$/i.test(name) });
}
