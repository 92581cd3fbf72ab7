/**
 * 4×4 affine matrices (rows of numbers, last row [0, 0, 0, 1]) for grids and rigid maps.
 * Small and explicit on purpose: every transform in this folder is an affine map, and
 * composing them into one matrix is what lets each modality be resampled only once.
 */
export type Mat4 = number[][];
export type Vec3 = [number, number, number];

export function identity4(): Mat4 {
  return [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
}

/** a · b: apply b first, then a. */
export function multiply4(a: Mat4, b: Mat4): Mat4 {
  const out: Mat4 = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) {
    let s = 0;
    for (let k = 0; k < 4; k++) s += a[r][k] * b[k][c];
    out[r][c] = s;
  }
  return out;
}

/** Composition of maps listed in the order they apply: compose(f, g) = g ∘ f. */
export function compose(...inOrder: Mat4[]): Mat4 {
  return inOrder.reduce((acc, m) => multiply4(m, acc), identity4());
}

/** Inverse of an affine matrix (3×3 part by its adjugate, then the translation). */
export function invert4(m: Mat4): Mat4 {
  const [a, b, c] = [m[0], m[1], m[2]];
  const det = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
  if (!(Math.abs(det) > 1e-12) || !Number.isFinite(det)) throw new Error('invert4: the matrix is singular');
  const inv = [
    [(b[1] * c[2] - b[2] * c[1]) / det, (a[2] * c[1] - a[1] * c[2]) / det, (a[1] * b[2] - a[2] * b[1]) / det],
    [(b[2] * c[0] - b[0] * c[2]) / det, (a[0] * c[2] - a[2] * c[0]) / det, (a[2] * b[0] - a[0] * b[2]) / det],
    [(b[0] * c[1] - b[1] * c[0]) / det, (a[1] * c[0] - a[0] * c[1]) / det, (a[0] * b[1] - a[1] * b[0]) / det],
  ];
  const t = [m[0][3], m[1][3], m[2][3]];
  return [
    [...inv[0], -(inv[0][0] * t[0] + inv[0][1] * t[1] + inv[0][2] * t[2])],
    [...inv[1], -(inv[1][0] * t[0] + inv[1][1] * t[1] + inv[1][2] * t[2])],
    [...inv[2], -(inv[2][0] * t[0] + inv[2][1] * t[1] + inv[2][2] * t[2])],
    [0, 0, 0, 1],
  ];
}

export function applyToPoint(m: Mat4, [x, y, z]: readonly number[]): Vec3 {
  return [
    m[0][0] * x + m[0][1] * y + m[0][2] * z + m[0][3],
    m[1][0] * x + m[1][1] * y + m[1][2] * z + m[1][3],
    m[2][0] * x + m[2][1] * y + m[2][2] * z + m[2][3],
  ];
}

/** The 3×3 rotation of angles (radians) about x, then y, then z in the given order. */
export function rotationX(a: number): Mat4 {
  const [c, s] = [Math.cos(a), Math.sin(a)];
  return [[1, 0, 0, 0], [0, c, -s, 0], [0, s, c, 0], [0, 0, 0, 1]];
}
export function rotationY(a: number): Mat4 {
  const [c, s] = [Math.cos(a), Math.sin(a)];
  return [[c, 0, s, 0], [0, 1, 0, 0], [-s, 0, c, 0], [0, 0, 0, 1]];
}
export function rotationZ(a: number): Mat4 {
  const [c, s] = [Math.cos(a), Math.sin(a)];
  return [[c, -s, 0, 0], [s, c, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
}
export function translation([x, y, z]: readonly number[]): Mat4 {
  return [[1, 0, 0, x], [0, 1, 0, y], [0, 0, 1, z], [0, 0, 0, 1]];
}

/** Rotation angle (degrees) of the 3×3 part of a rigid matrix: acos((trace − 1) / 2). */
export function rotationAngleDeg(m: Mat4): number {
  const cos = (m[0][0] + m[1][1] + m[2][2] - 1) / 2;
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}
