/** World position (mm) of voxel (i, j, k) under a 4×4 voxel-to-world affine. */
export function voxelToWorld(affine: number[][], [i, j, k]: readonly [number, number, number]): [number, number, number] {
  return [0, 1, 2].map((r) => affine[r][0] * i + affine[r][1] * j + affine[r][2] * k + affine[r][3]) as [number, number, number];
}
