/**
 * Voxel position (i, j, k, fractional) of a world point (mm) under a 4×4 voxel-to-world
 * affine: the inverse of voxelToWorld, for turning a click in a viewer into a voxel.
 */
export function worldToVoxel(affine: number[][], [x, y, z]: readonly [number, number, number]): [number, number, number] {
  const [a, b, c] = affine.slice(0, 3).map((r) => r.slice(0, 3));
  const p = [x - affine[0][3], y - affine[1][3], z - affine[2][3]];
  // Cramer's rule on the 3×3 part (it is small and fixed; no general solver needed).
  const det = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const m = [a, b, c];
  const d = det(m);
  if (d === 0) throw new Error('worldToVoxel: the affine is singular');
  return [0, 1, 2].map((col) => det(m.map((row, r) => row.map((v, cc) => (cc === col ? p[r] : v)))) / d) as [number, number, number];
}
