import { gridAffine } from '../volume/index.ts';
import type { AxisCode } from '../orientation/index.ts';
import { compose, multiply4, rotationX, rotationY, rotationZ, translation, type Vec3 } from './matrix.ts';
import { resampleLinear } from './resample.ts';
import type { Grid, ScalarVolume, WorldMap } from './types.ts';

/**
 * Ground truth for registration: an atlas-space case (BraTS) turned into "raw" scanner
 * series with a known rigid motion each, on scanner-like grids. Registration must then
 * recover the motion; the difference is the registration error in mm.
 */

export interface RigidMotion {
  /** Rotation angles (degrees) about x, y, z (applied in that order). */
  rotationDeg: Vec3;
  /** Translation (mm) added after the rotation. */
  translationMm: Vec3;
}

/**
 * raw (scanner) world → atlas world for a head whose brain centre sits at the scanner's
 * origin: p ↦ R·p + atlasCentre + t. With t = 0 and no rotation, the scanner origin is the
 * atlas point `atlasCentre` (scanner and atlas coordinates are ~20 cm apart for BraTS,
 * which is what centre-of-mass initialisation is for).
 */
export function rawToAtlasMap(motion: RigidMotion, atlasCentre: Vec3): WorldMap {
  const [ax, ay, az] = motion.rotationDeg.map((d) => (d * Math.PI) / 180);
  const shift = motion.translationMm.map((t, a) => t + atlasCentre[a]);
  return compose(rotationX(ax), rotationY(ay), rotationZ(az), translation(shift));
}

/** A random motion: each angle uniform in ±maxDeg, each translation uniform in ±maxMm. */
export function randomMotion(uniform: () => number, maxDeg: number, maxMm: number): RigidMotion {
  const draw = (m: number): Vec3 => [0, 1, 2].map(() => (2 * uniform() - 1) * m) as Vec3;
  return { rotationDeg: draw(maxDeg), translationMm: draw(maxMm) };
}

export interface ScannerGrid {
  dims: [number, number, number];
  spacingMm: [number, number, number];
  /** Voxel axis directions, e.g. dcm2niix's L, A, S or R, A, S. */
  axes: [AxisCode, AxisCode, AxisCode];
  /** World point (mm) at the centre of the field of view. */
  centreMm: Vec3;
}

export function scannerGrid(g: ScannerGrid): Grid {
  const centred = gridAffine({ dims: g.dims, spacingMm: g.spacingMm, axes: g.axes });
  return { dims: [...g.dims] as Grid['dims'], affine: multiply4(translation(g.centreMm), centred) };
}

/**
 * The series a scanner would record of `source` (on its atlas grid) placed by `rawToAtlas`,
 * on `raw`'s grid. A thick slice integrates the signal across its thickness: the raw grid's
 * third axis is sampled at 1 mm steps across each slice and averaged (a box slice
 * profile), then the whole is linear: no new information is invented.
 */
export function simulateScan(source: ScalarVolume, raw: Grid, rawToAtlas: WorldMap, sliceThicknessMm?: number): Float32Array {
  const dz = Math.hypot(raw.affine[0][2], raw.affine[1][2], raw.affine[2][2]);
  const thickness = sliceThicknessMm ?? dz;
  const samples = Math.max(1, Math.round(thickness));
  const out = new Float32Array(raw.dims[0] * raw.dims[1] * raw.dims[2]);
  for (let s = 0; s < samples; s++) {
    // Offsets in slice units, centred on the slice: (s + 0.5)/samples − 0.5 of the thickness.
    const offset = (((s + 0.5) / samples - 0.5) * thickness) / dz;
    const shifted: Grid = { dims: raw.dims, affine: multiply4(raw.affine, translation([0, 0, offset])) };
    const part = resampleLinear(source, shifted, rawToAtlas);
    for (let n = 0; n < out.length; n++) out[n] += part[n] / samples;
  }
  return out;
}
