/**
 * The NIfTI-1 qform parameters (quaternion b, c, d and qfac) of a voxel → world matrix,
 * as nifti1_io's mat44_to_quatern computes them: the rotation part of the matrix with its
 * column lengths (the voxel size) divided out; a left-handed grid gets qfac = −1 and its
 * third column negated. Oblique matrices are taken as they are (their nearest rotation is
 * not computed: every matrix we write is a rotation times the voxel size).
 */
export function quaternionOf(affine: number[][]): { b: number; c: number; d: number; qfac: 1 | -1 } {
  const col = (c: number) => {
    const v = [affine[0][c], affine[1][c], affine[2][c]];
    const n = Math.hypot(v[0], v[1], v[2]) || 1;
    return v.map((e) => e / n);
  };
  const [c0, c1, c2] = [col(0), col(1), col(2)];
  const det =
    c0[0] * (c1[1] * c2[2] - c2[1] * c1[2]) - c1[0] * (c0[1] * c2[2] - c2[1] * c0[2]) + c2[0] * (c0[1] * c1[2] - c1[1] * c0[2]);
  const qfac: 1 | -1 = det < 0 ? -1 : 1;
  if (qfac < 0) for (let r = 0; r < 3; r++) c2[r] = -c2[r];
  // r[row][col]
  const r = [0, 1, 2].map((row) => [c0[row], c1[row], c2[row]]);
  let a = r[0][0] + r[1][1] + r[2][2] + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r[2][1] - r[1][2])) / a;
    c = (0.25 * (r[0][2] - r[2][0])) / a;
    d = (0.25 * (r[1][0] - r[0][1])) / a;
  } else {
    const xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
    const yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
    const zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r[0][1] + r[1][0])) / b;
      d = (0.25 * (r[0][2] + r[2][0])) / b;
      a = (0.25 * (r[2][1] - r[1][2])) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r[0][1] + r[1][0])) / c;
      d = (0.25 * (r[1][2] + r[2][1])) / c;
      a = (0.25 * (r[0][2] - r[2][0])) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r[0][2] + r[2][0])) / d;
      c = (0.25 * (r[1][2] + r[2][1])) / d;
      a = (0.25 * (r[1][0] - r[0][1])) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac };
}
